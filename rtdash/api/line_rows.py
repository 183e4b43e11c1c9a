"""Rows of a polled NDJSON body found by their bytes: the lines that say what a line of
the last body said are that body's row objects again, and only the other lines are
decoded and read.

Every call line changes every poll while a call lasts (its durations tick), so a line
is cut in two (:mod:`rtdash.api.line_cut`: in C where built, else by one compiled
pattern): the head (every key but
the ticking durations) and the tail (the durations, when the upstream writes them last,
as the simulator and the service do). A line whose head is byte for byte a head read
from the last body, and whose tail is plain JSON (each duration a string of digits, an
integer or null, exactly the keys expected, nothing after), is that body's row object:
the durations it holds are those it was read with (see
:func:`~rtdash.api.row_types.ticked`). Lines whose head is new are read straight into
their rows in C where they are plain (:mod:`rtdash.api.line_plan`); the others are joined
into one small body and read as any body is (strictly: a duplicate key, ``NaN``,
``1e999`` are refused there), and any body this cannot split cleanly line by line (a
blank line, a line whose tail is not plain, a bare string) is read whole the usual way.

The head table keeps a head's keyed hash (see :mod:`rtdash.api.line_cut`; its key is
random per process), not its bytes: at 50,000 calls the heads themselves were the
largest thing a poll kept. Two different heads share a 64-bit hash with odds of about
1 in 2**64 a pair (a body of 50,000 lines against as many held: about 1 in 10**10 a
poll), and the key is not known to the upstream, so no line can be made to pass for
another; nothing is inferred from values. Of a body's tails only a digest of them all
is kept, to know the next body unchanged.

A big body is read as it comes (:class:`LineFeed`), a piece of whole lines at a time,
so it is never held whole: only a body that cannot be read by its lines is, from the
first line that cannot on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import repeat
from operator import is_
from typing import TYPE_CHECKING, Any

from rtdash.api.head_cache import now_from
from rtdash.api.row_types import RowUnreadable
from rtdash.api.wire import fast_rows

if TYPE_CHECKING:
    from rtdash.api.row_reader import RowReader

#: the row of a line that could not be read (its head is kept, so the same line is
#: known unreadable again without being read)
UNREADABLE: Any = object()
#: new lines decoded at a time
BATCH = 1024
#: bytes of a body split into lines at a time (see segments): a piece's lines are
#: hashed and looked up while still in the CPU's cache, and few are held at once; as
#: much as a read of the socket gives at once (asyncio's reads are of up to 256 KiB),
#: so a big body's chunks are not cut again, each cut costing a round of calls
SEGMENT = 1 << 18


def segments(
    body: bytes | bytearray, size: int, start: int = 0, stop: int | None = None
) -> Iterator[tuple[int, int]]:
    """Where ``body[start:stop]``'s pieces of whole lines lie, each about ``size``
    bytes (a line longer than that is a piece of its own): a big body is cut a piece
    at a time, each piece's lines hashed and looked up while still in the CPU's
    cache, and no piece is copied out of it."""
    end = len(body) if stop is None else stop
    pos = start
    while pos < end:
        cut = body.find(b"\n", pos + size, end) if pos + size < end else -1
        piece_end = end if cut < 0 else cut + 1
        yield pos, piece_end
        pos = piece_end


class LineFeed:
    """One body read by its lines as its bytes come, a piece of whole lines at a time:
    a big body is never held whole, and each piece is split, hashed and looked up
    while it is fresh. :meth:`add` takes the bytes in pieces of any size (a line may
    be cut anywhere); :meth:`finish` gives the rows.

    A piece that cannot be read by its lines (see :func:`read_body`) ends the reading
    by lines: it and every byte after it are kept as they come (:attr:`rest`), for the
    caller to read the usual way, line by line after the rows already read.
    """

    __slots__ = (
        "_carry",
        "_digest",
        "_hold",
        "_last_rows",
        "_last_tails",
        "gone",
        "held",
        "keys",
        "lines",
        "missing",
        "new",
        "new_unreadable",
        "reader",
        "rest",
        "rows",
        "unique",
        "unreadable",
    )

    def __init__(self, reader: RowReader) -> None:
        lines = reader.lines
        assert lines is not None, "a body is read by its lines once they are learned"
        self.reader = reader
        self.lines = lines
        if lines.reading:
            # the last body was left half read (the connection broke, it grew too big):
            # rows are marked found in the table that it will never settle, so nothing
            # of it is trusted, and this body's lines are all read afresh
            lines.heads.clear()
            lines.ids = None
            lines.readable = False
        lines.reading = True
        lines.unchanged = False
        self._last_rows, self._last_tails = lines.take()
        #: each piece's lines' keys (as the cutter gave them), and each line's row, in order
        self.keys: list[Sequence[int]] = []
        self.held: list[Any] = []
        self.missing = 0
        #: the rows read from new lines (not held from the last body), and, once the
        #: body is read, the last body's rows it no longer holds
        self.new: list[Any] = []
        self.gone: list[Any] = []
        #: once the body is read: no two of its rows share an id (known from the last
        #: body's ids and the new and gone rows), None when not known that way
        self.unique: bool | None = None
        #: once the body is read: the rows of the lines read, and how many were unreadable
        self.rows: list[Any] = []
        self.unreadable = 0
        #: the new lines read that were unreadable
        self.new_unreadable = 0
        #: the tails of every line, in order (the unchanged body's test): whatever
        #: pieces the bytes came in, the same tails give the same digest
        self._digest = lines.cut.new_tails()
        self._carry = bytearray()
        #: the bytes from the first piece that could not be read by its lines on
        self.rest: bytearray | None = None
        reader.new_body()
        # a line whose durations are its tail is known by its head alone: the reader
        # need not keep its rows by their values as well. With no tail the line is the
        # row, and a call's line that only ticked is new, its row held by its values; a
        # user has no durations, so a user's new line is a changed row
        self._hold = not lines.tail_keys and reader.kind == "call"

    def add(self, chunk: bytes | bytearray) -> None:
        """The body's next bytes: its whole lines are read now, where they lie in
        ``chunk`` (only a line cut between two chunks is joined), the rest of its last
        line when the next bytes end it."""
        if self.rest is not None:
            self.rest += chunk
            return
        last = chunk.rfind(b"\n") + 1
        if not last:
            self._carry += chunk
            return
        if type(chunk) is not bytes:
            chunk = bytes(chunk)
        start = 0
        if self._carry:  # the line begun in the last chunk, ended in this one
            start = chunk.find(b"\n") + 1
            joined = bytes(self._carry + memoryview(chunk)[:start])
            self._carry = bytearray()
            # the bytes after the joined line are handed on only if it cannot be read
            # by its lines: a view of them, not a copy of nearly every chunk
            if not self._lines_of(joined, 0, len(joined), memoryview(chunk)[start:]):
                return
        if self._lines_of(chunk, start, last, b""):
            self._carry = bytearray(memoryview(chunk)[last:])

    def _lines_of(self, body: bytes, start: int, stop: int, after: bytes | memoryview) -> bool:
        """The whole lines of ``body[start:stop]``, read a segment at a time where they
        lie; from the first segment that cannot be read by its lines on, they go to
        :attr:`rest` with the bytes ``after`` them and what is left of ``body``
        (False)."""
        size = len(body)
        for begin, end in segments(body, SEGMENT, start, stop):
            if not self._piece(body, begin, end):
                self.rest = bytearray(memoryview(body)[begin:size])
                self.rest += after
                return False
        return True

    def _piece(self, piece: bytes, start: int, stop: int) -> bool:
        """Read the whole lines of ``piece[start:stop]``; False (nothing of them
        kept) when they cannot be read by their lines."""
        lines, reader = self.lines, self.reader
        cut = lines.cut(piece, self._digest, start, stop)
        if cut is None:
            return False
        found = cut.keys()
        rows, new = lines.held(found)
        probes: list[tuple[Any, datetime | None]] = []
        if not self.held:  # the first lines' start and duration: the upstream's "now"
            for index, row in enumerate(rows[: reader.PROBES]):
                duration = lines.duration(cut.tail(index))
                if row is not None and row is not UNREADABLE and duration is not None:
                    probes.append((row, now_from(row.call_start, duration)))
        # a batch of new lines at a time: the first body is all new lines, and decoding
        # them at once would hold a dict of every line (and a copy of them) together
        read = reader.read
        unreadable_before = self.new_unreadable
        for first in range(0, len(new), BATCH):
            batch = new[first : first + BATCH]
            news = cut.lines(batch)
            if news is None:
                return self._put_back(found, rows)  # a blank line, or a tail not plain
            if not self._hold:
                batch, news = self._read_plain(batch, news, rows)
                if not batch:
                    continue
            items = fast_rows(b"\n".join(news))
            if items is None or len(items) != len(batch):
                return self._put_back(found, rows)
            for index, item in zip(batch, items, strict=True):
                try:
                    rows[index] = read(item, self._hold)
                except (RowUnreadable, ValueError, RecursionError, OverflowError):
                    rows[index] = UNREADABLE
                    self.new_unreadable += 1
                    reader.refused(item)
        made = map(rows.__getitem__, new)
        if self.new_unreadable == unreadable_before:  # each new line read: one pass in C
            self.new += made
        else:
            self.new += (row for row in made if row is not UNREADABLE)
        if new:
            lines.read(list(map(found.__getitem__, new)), list(map(rows.__getitem__, new)))
        for _, now in probes:
            reader.note_now(now)
        self.missing += len(new)
        self.keys.append(found)
        self.held += rows
        return True

    def _read_plain(
        self, batch: list[int], news: list[bytes], rows: list[Any]
    ) -> tuple[list[int], list[bytes]]:
        """The new lines the C part reads (see :mod:`rtdash.api.line_plan`) put in
        ``rows``; the others (their places and lines), to be read as before."""
        made = self.reader.read_lines(news)
        if made is None:
            return batch, news
        left = [at for at, row in enumerate(made) if row is None]
        for index, row in zip(batch, made, strict=True):
            if row is not None:
                rows[index] = row
        if not left:
            return [], []
        return [batch[at] for at in left], [news[at] for at in left]

    def _put_back(self, keys: Sequence[int], rows: list[Any]) -> bool:
        """A piece not read after all: the rows taken out of the table for it go back.
        False (the piece was not read)."""
        self.lines.heads.put(keys, rows)
        return False

    def finish(self) -> tuple[list[Any], int]:
        """The rows of the lines read and how many were unreadable. When every line was
        read by its lines (no :attr:`rest`), ``lines.unchanged`` then says whether the
        body said what the last one read by its lines said (every head held, the same
        tails, in the same order), and the lines are kept for the next body."""
        if self._carry and self.rest is None:  # the last line, with no newline after it
            carry, self._carry = bytes(self._carry), bytearray()
            self._lines_of(carry, 0, len(carry), b"")
        elif self._carry:
            self.rest = self.rest or bytearray()
            self.rest += self._carry
        held, lines = self.held, self.lines
        lines.reading = False
        if not held and self.rest is None:  # not a line in it: read whole, as before
            self.rest = bytearray()
        table = lines.heads
        if self.rest is not None:  # the table as it was, with the lines read so far
            at = 0
            for keys in self.keys:
                table.put(keys, held[at : at + len(keys)])
                at += len(keys)
            lines.ids = None
        else:
            digest = (len(held), self._digest.digest())
            if not self.missing:  # every head held: the same body if the same rows and tails
                last = self._last_rows
                lines.unchanged = (
                    digest == self._last_tails
                    and len(held) == len(last)
                    # every line followed in the last body's order holds its row: known
                    # without a pass over a big centre's rows on each quiet poll
                    and (table.followed() == len(held) or all(map(is_, held, last)))
                )
            # the last body's rows this one did not hold (its own are found or read)
            gone = table.settle()
            if any(map(is_, gone, repeat(UNREADABLE))):
                gone = [row for row in gone if row is not UNREADABLE]
            self.gone = gone
            self._ids()
            lines.keep(held, digest)
        if lines.readable and self.rest is None:  # the held rows were all readable
            unreadable = self.new_unreadable
        else:
            unreadable = sum(map(is_, held, repeat(UNREADABLE)))
        # the table now holds this body's rows (or, with a rest, rows not counted here)
        lines.readable = self.rest is None and not unreadable
        rows = [row for row in held if row is not UNREADABLE] if unreadable else held
        self.rows, self.unreadable = rows, unreadable
        return rows, unreadable

    def _ids(self) -> None:
        """Whether no two rows of this body share an id, from the last body's ids and
        the new and gone rows (the held rows are the last body's, each once); the ids
        kept for the next body."""
        lines = self.lines
        ids, lines.ids = lines.ids, None
        if ids is None:
            return
        ident = self.reader.ident
        ids.difference_update(map(ident, self.gone))
        size = len(ids)
        ids.update(map(ident, self.new))
        if len(ids) == size + len(self.new):
            self.unique = True
            lines.ids = ids
            if not self._hold:  # a new line's row is a new object, never a held one
                lines.changes = (self.new, self.gone)


def read_body(reader: RowReader, body: bytes | bytearray) -> LineFeed | None:
    """``body`` read by its lines (its rows and how many lines were unreadable in
    :attr:`LineFeed.rows` and :attr:`LineFeed.unreadable`), reusing the last body's
    row for every line whose head it had; None when the body must be read whole.
    ``reader.lines.unchanged`` then says whether the body said what the last one read
    by its lines said (every head held, the same tails, in the same order)."""
    if reader.lines is None:
        return None
    feed = LineFeed(reader)
    feed.add(body)
    feed.finish()
    return None if feed.rest is not None else feed
