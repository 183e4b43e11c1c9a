"""Rows of a polled NDJSON body found by their bytes: the lines that say what a line of
the last body said are that body's row objects again, and only the other lines are
decoded and read.

Every call line changes every poll while a call lasts (its durations tick), so a line
is split in two by one compiled pattern over the whole body: the head (every key but
the ticking durations) and the tail (the durations, when the upstream writes them last,
as the simulator and the service do). A line whose head is byte for byte a head read
from the last body, and whose tail is plain JSON (each duration a string of digits, an
integer or null, exactly the keys expected, nothing after), is that body's row object:
the durations it holds are those it was read with (see
:func:`~rtdash.api.row_types.ticked`). Lines whose head is new are joined into one small
body and read as any body is (strictly: a duplicate key, ``NaN``, ``1e999`` are refused
there), and any body this cannot split cleanly line by line (a blank line, a line whose
tail is not plain, a bare string) is read whole the usual way.

The head cache keys are bytes, so a match is exact: nothing is inferred from values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import msgspec

from rtdash.api.row_types import RowUnreadable
from rtdash.api.wire import fast_rows

if TYPE_CHECKING:
    from rtdash.api.row_reader import RowReader

#: a duration's value on the wire, as JSON allows it (no leading zeros, no exponent)
_DURATION = rb'(?:"[0-9]{0,12}"|-?(?:0|[1-9][0-9]{0,11})|null)'
_END = rb"(?:\r?\n|\Z)"


class LineRows:
    """The head cache of one route's reader, and the pattern that splits its bodies.

    ``tail_keys`` are the upstream keys of the ticking durations when they are the last
    keys of a line, in order (empty: the tail is the closing brace alone, and a line
    is the same only when it is the same throughout)."""

    def __init__(self, tail_keys: tuple[str, ...], clock_key: str | None) -> None:
        self.tail_keys = tail_keys
        tail = b"".join(
            b"," + re.escape(msgspec.json.encode(key)) + b":" + _DURATION for key in tail_keys
        )
        self._split: Callable[[bytes], list[bytes]] = re.compile(b"(" + tail + rb"\})" + _END).split
        #: the call duration in a tail, to know the upstream's "now" (see ``duration``)
        self._clock: Callable[[bytes], re.Match[bytes] | None] | None = None
        if clock_key is not None and clock_key in tail_keys:
            groups = b"".join(
                b","
                + re.escape(msgspec.json.encode(key))
                + b":"
                + (b"(" if key == clock_key else b"")
                + _DURATION
                + (b")" if key == clock_key else b"")
                for key in tail_keys
            )
            self._clock = re.compile(groups + rb"\}").fullmatch
        self.heads: dict[bytes, Any] = {}

    def split(self, body: bytes) -> tuple[list[bytes], list[bytes]] | None:
        """The heads and tails of every line of ``body``; None unless every line is one
        object line whose tail is plain (then the body is read the usual way)."""
        pieces = self._split(body)
        if pieces[-1] != b"":
            return None  # something after the last plain tail
        heads, tails = pieces[0:-1:2], pieces[1::2]
        lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
        if len(heads) != lines:
            return None  # a newline no tail took: a blank line or one not plain
        return heads, tails

    def held(self, heads: list[bytes]) -> list[Any]:
        """The last body's row of each head, None where there is none."""
        return list(map(self.heads.get, heads))

    def keep(self, heads: list[bytes], rows: list[Any]) -> None:
        """This body's rows by head, for the next body (rows that were unreadable are
        None and never match)."""
        self.heads = dict(zip(heads, rows, strict=True))

    def duration(self, tail: bytes) -> int | None:
        """The call duration a tail says, or None."""
        if self._clock is None:
            return None
        found = self._clock(tail)
        if found is None or found.group(1) in (b"null", b'""'):
            return None
        return int(found.group(1).strip(b'"'))


def now_from(start: datetime | None, duration: int | None) -> datetime | None:
    """A call's start plus its duration: the moment its line was made."""
    if start is None or duration is None:
        return None
    try:
        return start + timedelta(seconds=duration)
    except OverflowError:
        return None


def read_body(reader: RowReader, body: bytes) -> tuple[list[Any], int] | None:
    """The rows of ``body`` and how many lines were unreadable, reusing the last body's
    row for every line whose head it had; None when the body must be read whole."""
    lines = reader.lines
    if lines is None:
        return None
    split = lines.split(body)
    if split is None:
        return None
    heads, tails = split
    held = lines.held(heads)
    reader.new_body()
    for index in range(min(reader.PROBES, len(held))):
        row, duration = held[index], lines.duration(tails[index])
        if row is not None and duration is not None:
            reader.note_now(now_from(row.call_start, duration))
    missing = [index for index, row in enumerate(held) if row is None]
    unreadable = 0
    if missing:
        items = fast_rows(
            b"\n".join(
                map(bytes.__add__, map(heads.__getitem__, missing), map(tails.__getitem__, missing))
            )
        )
        if items is None or len(items) != len(missing):
            return None
        read = reader.read
        for index, item in zip(missing, items, strict=True):
            try:
                held[index] = read(item)
            except (RowUnreadable, ValueError, RecursionError, OverflowError):
                unreadable += 1
    lines.keep(heads, held)
    rows = [row for row in held if row is not None] if unreadable else held
    return rows, unreadable
