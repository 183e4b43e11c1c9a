"""Bounds on what a recording file may make rtdash do when it is read back.

A recording is a file anyone can hand a supervisor ("replay this"), so it is read as
untrusted as the upstream is: a gzip bomb must not fill memory, a line nested a
hundred thousand deep must not end the replay with a traceback, a time in year 1 must
not overflow the timeline, and every string in it is made safe to show again
(:func:`rtdash.api.sanitise.clean`), since a recording made by an older rtdash holds
what the upstream sent as it was sent.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from typing import Any, TypeVar

from rtdash.api.row_base import Row
from rtdash.api.sanitise import clean_value

M = TypeVar("M", bound=Row)

#: the most a recording may inflate to; far above a long day of a large centre, far
#: below what would exhaust a laptop's memory
MAX_INFLATED = 1024 * 1024 * 1024
#: years a recorded time may fall in
YEARS = range(1970, 2200)
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1024 * 1024


class RecordingLimitError(ValueError):
    """A recording is beyond what rtdash reads back; the message is one line."""


def check_inflated_size(data: bytes, limit: int | None = None) -> None:
    """Raise :class:`RecordingLimitError` when the gzip members of ``data`` inflate to
    more than ``limit`` bytes. Nothing inflated is kept; damage ends the count (the
    reader handles damage its own way). ``limit`` defaults to :data:`MAX_INFLATED`."""
    limit = MAX_INFLATED if limit is None else limit
    total = 0
    view = memoryview(data)
    pos = 0
    while pos < len(data):
        if data[pos] == 0:
            pos += 1
            continue
        if not data.startswith(_GZIP_MAGIC, pos):
            return
        inflater = zlib.decompressobj(31)
        pending: bytes | memoryview = view[pos:]
        try:
            while pending and not inflater.eof:
                total += len(inflater.decompress(pending, _CHUNK))
                if total > limit:
                    raise RecordingLimitError(
                        f"inflates to more than {limit // (1024 * 1024)} MiB, the most "
                        "rtdash replays (is it really a recording?)"
                    )
                pending = inflater.unconsumed_tail
        except zlib.error:
            return
        if not inflater.eof:
            return
        pos = len(data) - len(inflater.unused_data)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_decoder = json.JSONDecoder(parse_constant=_no_constant)


def read_json(line: bytes | str) -> Any:
    """One JSON line; ``ValueError`` for anything unreadable, nesting too deep included."""
    try:
        return _decoder.decode(line.decode("utf-8") if isinstance(line, bytes) else line)
    except RecursionError:
        raise ValueError("nested too deep") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None


def time_in_range(when: datetime) -> bool:
    return when.year in YEARS


def row_data(data: dict[str, Any]) -> dict[str, Any]:
    """A recorded row with every string made safe and its depth bounded (``ValueError``
    otherwise)."""
    cleaned: dict[str, Any] = clean_value(data)  # a dict in, a dict out
    return cleaned


def checked_row(row: M) -> M:
    """``row`` when each of its times is in range; ``ValueError`` otherwise (the
    replay counts the row unreadable rather than overflow on it later)."""
    for name in type(row).model_fields:
        value = getattr(row, name)
        if isinstance(value, datetime) and not time_in_range(value):
            raise ValueError(f"{name} is out of range")
    return row
