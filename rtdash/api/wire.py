"""Decoding of Reports API bodies into rows or a message.

The vendor answers in several shapes on the same routes: NDJSON (one object a line),
a JSON array (``format=jsonarray``), the invalid ``"\\n]\\n"`` body for an empty array,
and a bare JSON string for errors and information messages. This module turns any of
them into rows without ever raising for a single bad line: bad lines are counted so the
UI can say "2 rows unreadable" while showing the rest.

:func:`iter_body` yields the items one batch at a time, so a 2000-row body is never
held as 2000 dicts at once (the client turns each batch into typed rows and drops it);
:func:`decode_body` collects the same items into a :class:`Decoded` for the callers
that want them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec


@dataclass(slots=True)
class Decoded:
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: a bare JSON string the upstream sent instead of rows (an error or information)
    message: str | None = None
    #: lines or array items that were not JSON objects
    unreadable: int = 0


class Message(str):
    """A bare JSON string where rows were expected: the upstream's own words."""

    __slots__ = ()


#: stands for a line or array item that is not a JSON object
UNREADABLE = object()

#: NDJSON lines decoded by one ``json.loads``: one call per line costs about twice as
#: much at 2000 lines (per-call overhead, and object keys are only shared within a
#: call), while a bounded batch keeps the dicts alive at once to a few hundred
_BATCH = 256


def decode_body(body: str) -> Decoded:
    decoded = Decoded()
    for item in iter_body(body):
        if isinstance(item, dict):
            decoded.rows.append(item)
        elif isinstance(item, Message) and decoded.message is None:
            decoded.message = str(item)
        else:
            decoded.unreadable += 1
    return decoded


def iter_body(body: str) -> Iterator[dict[str, Any] | Message | object]:
    """Each item of the body, in order: a dict (a row), a :class:`Message` (only before
    the first row of an NDJSON body, or as the whole body), or :data:`UNREADABLE`."""
    stripped = body.strip().lstrip("\ufeff").strip()  # a UTF-8 BOM is not data
    if not stripped or stripped == "]":
        return iter(())
    if stripped[0] == "[":
        return _iter_array(stripped)
    if stripped[0] == '"':
        message = _try_json(stripped)
        if isinstance(message, str):
            # the empty-array quirk has also been seen quoted: treat it as no rows
            return iter(()) if message.strip() == "]" else iter((Message(message),))
    return _iter_lines(stripped)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    number = float(text)
    if number in (_INF, -_INF):  # 1e999: a float too large, read as infinity
        raise ValueError(f"{text[:20]} is out of range")
    return number


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object; one that names a key twice is refused, since which value an upstream
    meant is a guess (and the guess differs between JSON readers)."""
    made = dict(pairs)
    if len(made) != len(pairs):
        raise ValueError("an object names a key twice")
    return made


_INF = float("inf")
#: JSON as the upstream may send it, read strictly: no NaN/Infinity, no float that
#: overflows, no duplicate keys. A refused line costs only itself (see _decode_batch).
_decoder = json.JSONDecoder(
    parse_constant=_no_constant, parse_float=_finite, object_pairs_hook=_unique_keys
)


def _try_json(text: str) -> Any:
    try:
        return _decoder.decode(text)
    except (ValueError, RecursionError):  # RecursionError: nesting a thousand deep
        return _INVALID


_INVALID = object()


def _iter_array(text: str) -> Iterator[dict[str, Any] | Message | object]:
    items = _try_json(text)
    if items is _INVALID:
        yield from _iter_items(text)
        return
    if not isinstance(items, list):
        yield UNREADABLE
        return
    for item in items:
        yield item if isinstance(item, dict) else UNREADABLE


def _iter_items(text: str) -> Iterator[dict[str, Any] | Message | object]:
    """An array that did not read as a whole, item by item: each item's extent is found
    by a lenient reader (NaN, duplicate keys and all), then the item is read strictly, so
    one bad item costs only itself. Where even the lenient reader stops (a truncated or
    quirky array, nesting a thousand deep) the rest is read line by line."""
    pos, end = 1, len(text)
    while True:
        while pos < end and (text[pos] in ", \t\r\n"):
            pos += 1
        if pos >= end or text[pos] == "]":
            return
        try:
            _, stop = _lenient.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        item = _try_json(text[pos:stop])
        yield item if isinstance(item, dict) else UNREADABLE
        pos = stop
    inner = text[pos:].strip("[]\n ")
    lines = [line.rstrip(",") for line in inner.splitlines()]
    yield from _iter_lines("\n".join(lines))


_lenient = json.JSONDecoder()


def iter_more_lines(text: str) -> Iterator[dict[str, Any] | object]:
    """The items of the lines of an NDJSON body after its first rows (a body read by
    its lines up to a line that could not be): as :func:`iter_body` reads those lines,
    a bare string among them unreadable, not a message."""
    return _iter_lines(text, seen_row=True)


def _iter_lines(text: str, seen_row: bool = False) -> Iterator[dict[str, Any] | Message | object]:
    for batch in _line_batches(text):
        for item in _decode_batch(batch):
            if isinstance(item, dict):
                seen_row = True
                yield item
            elif isinstance(item, str) and not seen_row:
                yield Message(item)
            else:
                yield UNREADABLE


def _line_batches(text: str) -> Iterator[list[str]]:
    """The non-blank lines, stripped, ``_BATCH`` at a time: never a copy of every line
    of a megabyte body at once (``splitlines`` would make one)."""
    batch: list[str] = []
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        line = text[start:stop].strip()
        start = stop + 1
        if line:
            batch.append(line)
            if len(batch) == _BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _decode_batch(lines: list[str]) -> list[Any]:
    """One value per line. The lines are read as one JSON array when each looks like an
    object and the array has exactly one item per line; otherwise (a malformed line, a
    bare string) line by line, so one bad line costs only itself."""
    if all(line[0] == "{" and line[-1] == "}" for line in lines):
        items = _try_json("[" + ",".join(lines) + "]")
        if isinstance(items, list) and len(items) == len(lines):
            return items
    return [_try_json(line) for line in lines]


# --- the fast reader of a well-formed NDJSON body -----------------------------------

_fast_decoder = msgspec.json.Decoder()
_fast_encoder = msgspec.json.Encoder()
#: items re-encoded at a time to compare with the body (a bounded copy, never the whole)
_CHECK = 1024


def fast_rows(body: bytes | bytearray) -> list[dict[str, Any]] | None:
    """The rows of a UTF-8 NDJSON body of objects, read by ``msgspec`` straight from the
    bytes; None when the body is anything else (the caller then reads it as before).

    ``msgspec`` reads several times faster than ``json`` with the strict hooks, but it
    keeps the last of two equal keys. So a row is only taken from it when re-encoding
    the row gives the line back byte for byte: a line that names a key twice, says
    ``NaN`` or ``1e999``, or spells a value unusually cannot, and such a line is read by
    the strict reader instead (so what is refused stays refused, and a body with any
    line that is not an object goes the old way whole). An upstream writing compact
    JSON (as the simulator and every common JSON library do) passes in one comparison
    per thousand rows."""
    start = body[:1]
    if start != b"{":
        return None
    try:
        items = _fast_decoder.decode_lines(body)
    except (msgspec.DecodeError, RecursionError):
        return None
    for item in items:
        if type(item) is not dict:
            return None
    rows: list[dict[str, Any]] = items
    if _same_bytes(rows, body):
        return rows
    return _checked_lines(rows, body)


def _same_bytes(rows: list[dict[str, Any]], body: bytes | bytearray) -> bool:
    """True when the rows re-encode to ``body`` exactly (its last newline optional)."""
    view = memoryview(body)
    pos, end = 0, len(body)
    for first in range(0, len(rows), _CHECK):
        chunk = _fast_encoder.encode_lines(rows[first : first + _CHECK])
        stop = pos + len(chunk)
        if stop == end + 1 and chunk.endswith(b"\n"):
            chunk, stop = chunk[:-1], end
        if stop > end or view[pos:stop] != chunk:
            return False
        pos = stop
    return pos == end


def _checked_lines(
    rows: list[dict[str, Any]], body: bytes | bytearray
) -> list[dict[str, Any]] | None:
    """Line by line: a row that does not re-encode to its line is read strictly."""
    lines = [line for line in (raw.strip() for raw in body.split(b"\n")) if line]
    if len(lines) != len(rows):
        return None
    out: list[dict[str, Any]] = []
    for row, line in zip(rows, lines, strict=True):
        if _fast_encoder.encode(row) == line:
            out.append(row)
            continue
        strict = _try_json(line.decode("utf-8"))
        if type(strict) is not dict:
            return None
        out.append(strict)
    return out
