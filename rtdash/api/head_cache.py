"""The head cache of one route's line reader (:mod:`rtdash.api.line_rows`): the last
body's rows by the keyed hash of each line's head, the digest of its tails, and what
cuts its bodies into lines; with the upstream's "now" read from a call line's tail."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec

from rtdash.api.line_cut import DURATION, LineCutter, cutter
from rtdash.api.line_table import HeadTable, new_table


class LineRows:
    """The head cache of one route's reader, and what cuts its bodies into lines.

    ``tail_keys`` are the upstream keys of the ticking durations when they are the last
    keys of a line, in order (empty: the tail is the closing brace alone, and a line
    is the same only when it is the same throughout)."""

    def __init__(self, tail_keys: tuple[str, ...], clock_key: str | None) -> None:
        self.tail_keys = tail_keys
        self.cut: LineCutter = cutter(tail_keys)
        #: the call duration in a tail, to know the upstream's "now" (see ``duration``)
        self._clock: Callable[[bytes], re.Match[bytes] | None] | None = None
        if clock_key is not None and clock_key in tail_keys:
            groups = b"".join(
                b","
                + re.escape(msgspec.json.encode(key))
                + b":"
                + (b"(" if key == clock_key else b"")
                + DURATION
                + (b")" if key == clock_key else b"")
                for key in tail_keys
            )
            self._clock = re.compile(groups + rb"\}").fullmatch
        #: the last body's rows by head (a head's key: see :mod:`rtdash.api.line_cut`)
        self.heads: HeadTable = new_table()
        #: the last body's tails as its count of lines and a digest of every tail, and
        #: its rows in order (see keep): None until a body was read by its lines, and again after
        #: one was read whole
        self.tails: tuple[int, bytes] | None = None
        self.rows: list[Any] = []
        #: whether the last body read said what the one before it said
        self.unchanged = False
        #: a body is being read by its lines (one left half read was abandoned: see
        #: :class:`~rtdash.api.line_rows.LineFeed`)
        self.reading = False
        #: no row in :attr:`heads` is :data:`~rtdash.api.line_rows.UNREADABLE` (known
        #: when the last body was read by its lines, all of it readable): a body's rows
        #: held from the table then need no pass to count the unreadable among them
        self.readable = False
        #: the ids (call references, user ids) of the rows in :attr:`heads`, when no two
        #: of them share one (None: not known, or shared): a body's duplicates are then
        #: known from its new and gone rows alone
        self.ids: set[str] | None = None
        #: the rows the last body read by its lines added (read from new lines, each a
        #: new object) and those of the body before it that it no longer held, when
        #: known (no two rows of either body share an id); None otherwise
        self.changes: tuple[list[Any], list[Any]] | None = None

    def held(self, keys: Sequence[int]) -> tuple[list[Any], list[int]]:
        """The last body's row of each head (by its key), None where there is none,
        each marked found in the table: a row is found once (a line twice in one body
        is read the second time), and what is not found once a body is read is what it
        no longer holds (see :class:`~rtdash.api.line_rows.LineFeed`). And where the
        Nones are: the lines to read."""
        missing: list[int] = []
        return self.heads.take(keys, missing), missing

    def read(self, keys: list[int], rows: list[Any]) -> None:
        """The rows just read from new lines, by head: in the table for the next body
        (a line that was unreadable is :data:`~rtdash.api.line_rows.UNREADABLE`
        again), marked found so that the same line again in this body is read again, as
        any line found once."""
        self.heads.put(keys, rows, True)

    def keep(self, rows: list[Any], tails: tuple[int, bytes]) -> None:
        """This body's tails' digest and rows in order, to know an unchanged body
        without a digest of all of it (its rows by head are in the table: see
        :meth:`read` and :class:`~rtdash.api.line_rows.LineFeed`)."""
        self.tails = tails
        self.rows = rows

    def take(self) -> tuple[list[Any], tuple[int, bytes] | None]:
        """The last body's rows and tails (see keep), forgotten until the next keep: a
        body read whole in between says nothing of them."""
        rows, tails = self.rows, self.tails
        self.rows, self.tails, self.changes = [], None, None
        return rows, tails

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
