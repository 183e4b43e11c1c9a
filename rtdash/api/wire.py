"""Decoding of Reports API bodies into rows or a message.

The vendor answers in several shapes on the same routes: NDJSON (one object a line),
a JSON array (``format=jsonarray``), the invalid ``"\\n]\\n"`` body for an empty array,
and a bare JSON string for errors and information messages. This module turns any of
them into a :class:`Decoded` without ever raising for a single bad line: bad lines are
counted so the UI can say "2 rows unreadable" while showing the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Decoded:
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: a bare JSON string the upstream sent instead of rows (an error or information)
    message: str | None = None
    #: lines or array items that were not JSON objects
    unreadable: int = 0


def decode_body(body: str) -> Decoded:
    stripped = body.strip()
    if not stripped or stripped == "]":
        return Decoded()
    if stripped[0] == "[":
        return _decode_array(stripped)
    if stripped[0] == '"':
        message = _try_json(stripped)
        if isinstance(message, str):
            # the empty-array quirk has also been seen quoted: treat it as no rows
            return Decoded() if message.strip() == "]" else Decoded(message=message)
    return _decode_lines(stripped)


def _try_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return _INVALID


_INVALID = object()


def _decode_array(text: str) -> Decoded:
    items = _try_json(text)
    if items is _INVALID:
        # a truncated or quirky array: fall back to reading it item by item per line
        inner = text.strip("[]\n ")
        lines = [line.rstrip(",") for line in inner.splitlines()]
        return _decode_lines("\n".join(lines))
    if not isinstance(items, list):
        return Decoded(unreadable=1)
    rows = [item for item in items if isinstance(item, dict)]
    return Decoded(rows=rows, unreadable=len(items) - len(rows))


def _decode_lines(text: str) -> Decoded:
    decoded = Decoded()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        item = _try_json(line)
        if isinstance(item, dict):
            decoded.rows.append(item)
        elif isinstance(item, str) and not decoded.rows and decoded.message is None:
            decoded.message = item
        else:
            decoded.unreadable += 1
    return decoded
