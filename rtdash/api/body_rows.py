"""A polled route's body to typed rows: read by its lines as it comes (a big body,
:class:`Streamed`), or whole the usual way (:func:`read_whole`); and the result of a
poll (:class:`FetchResult`) the client hands on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any, Generic, TypeVar

from rtdash.api import errors
from rtdash.api.http_errors import _quote
from rtdash.api.line_rows import LineFeed
from rtdash.api.models import ActiveCall, PbxUser, RowReader, RowUnreadable
from rtdash.api.sanitise import clean
from rtdash.api.wire import Message, fast_rows, iter_body, iter_more_lines

T = TypeVar("T")


@dataclass(slots=True)
class FetchResult(Generic[T]):
    rows: list[T]
    fetched_at: datetime
    #: rows (or lines) skipped because they could not be read
    unreadable: int = 0
    #: the raw upstream dicts, kept only when asked for (``rtdash doctor``)
    raw: list[dict[str, Any]] = field(default_factory=list)
    #: the body was byte for byte the last one this client read on the route (same
    #: query): ``rows`` is that result's own list of the very same row objects, and
    #: nothing was decoded or parsed
    unchanged: bool = False
    #: rows dropped because a later row had the same call reference or user id (the
    #: last one is kept); also counted in ``unreadable``, as rows not shown
    duplicates: int = 0
    #: the upstream's "now" as the body shows it (calls: a start plus its duration), so
    #: the durations of a call held from an earlier poll can be brought forward
    server_now: datetime | None = None
    #: what changed since the last result of the route, when the reader knows it (its
    #: body was read by its lines after one that was): that result's ``rows`` (the very
    #: list), the rows of these not among them, and the rows of them not among these
    changes: tuple[list[T], list[T], list[T]] | None = None
    #: when no row could be read: the needed fields the mapping names keys for that
    #: none of the rows carries, in words (see rtdash.api.mapping_gaps); else None
    gap: str | None = None


def read_whole(
    body: str | bytes | bytearray, fetched_at: datetime, keep_raw: bool, reader: RowReader
) -> FetchResult[ActiveCall | PbxUser]:
    """Typed rows of a body read whole, the usual way."""
    items: Iterable[object] | None = None if isinstance(body, str) else fast_rows(body)
    if items:  # a plain NDJSON body: the next ones are read by their lines
        reader.learn_lines(tuple(items[0]))  # type: ignore[index]  # a list of dicts
    if items is None:
        text = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        items = iter_body(text)
    rows: list[ActiveCall | PbxUser] = []
    raw: list[dict[str, Any]] = []
    unreadable = 0
    read = reader.read
    reader.new_body()
    for item in items:
        if isinstance(item, dict):
            if keep_raw:  # keys shown back by `doctor`: made safe like values
                raw.append({clean(key): value for key, value in item.items()})
            try:
                rows.append(read(item))
            except (RowUnreadable, ValueError, RecursionError, OverflowError):
                unreadable += 1
                reader.refused(item)
        elif isinstance(item, Message):
            raise errors.UnreadableResponse(
                f"the service sent a message instead of data: {_quote(item)}"
            )
        else:
            unreadable += 1
    return one_per_id(rows, unreadable, fetched_at, reader, raw)


def one_per_id(
    rows: list[Any],
    unreadable: int,
    fetched_at: datetime,
    reader: RowReader,
    raw: list[dict[str, Any]] | None = None,
) -> FetchResult[Any]:
    """The result of rows read one by one: the last row sent for each id, the ones
    dropped counted as not shown."""
    kept = last_of_each(rows, reader.kind)
    duplicates = len(rows) - len(kept)
    return FetchResult(
        rows=kept,
        fetched_at=fetched_at,
        unreadable=unreadable + duplicates,
        raw=raw if raw is not None else [],
        duplicates=duplicates,
        server_now=reader.body_now,
    )


class Streamed:
    """A big body of a polled route read by its lines as it comes (see
    :class:`~rtdash.api.line_rows.LineFeed`), so it is never held whole."""

    __slots__ = ("feed", "lined", "reader")

    def __init__(self, reader: RowReader) -> None:
        self.reader = reader
        self.feed: LineFeed | None = None
        #: the last body was read by its lines (this one may be known unchanged)
        self.lined = False

    def open(self, encoding: str, first: bytearray) -> Callable[[bytes], object] | None:
        """Where the body goes from ``first`` on (see :data:`~rtdash.api.transport.Stream`):
        a UTF-8 body whose lines the reader knows, or learns from its first line."""
        if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            return None
        reader = self.reader
        if reader.lines is None:
            reader.learn_lines_of(first)
            if reader.lines is None:
                return None
        self.lined = reader.lines.tails is not None
        feed = self.feed = LineFeed(reader)
        feed.add(first)
        return feed.add

    def result(self, fetched_at: datetime) -> FetchResult[Any]:
        """The rows: those read by their lines, then (from a line that could not be
        read so on) the rest read the usual way; a body none of whose lines could be
        read by them is read whole, as any body."""
        feed, reader = self.feed, self.reader
        assert feed is not None
        rows, unreadable = feed.finish()
        rest, feed.rest = feed.rest, None
        self.feed = None
        if rest is None:
            return by_lines(feed, fetched_at)
        if not feed.held:
            if reader.lines is not None:
                reader.lines.take()
            return read_whole(rest, fetched_at, False, reader)
        more, more_unreadable = read_more(rest, reader)
        rows = rows + more
        unreadable += more_unreadable
        return one_per_id(rows, unreadable, fetched_at, reader)


def by_lines(feed: LineFeed, fetched_at: datetime) -> FetchResult[Any]:
    """The result of a body read by its lines: its rows, one per id (the last sent),
    known to be one per id already when the reader knew the last body's ids."""
    rows, reader = feed.rows, feed.reader
    duplicates = 0
    if not feed.unique:
        ids = set(map(reader.ident, rows))
        if len(ids) == len(rows):  # the next body's duplicates are known from its changes
            if reader.lines is not None:
                reader.lines.ids = ids
        else:
            kept = last_of_each(rows, reader.kind)
            duplicates = len(rows) - len(kept)
            rows = kept
    return FetchResult(
        rows=rows,
        fetched_at=fetched_at,
        unreadable=feed.unreadable + duplicates,
        duplicates=duplicates,
        server_now=reader.body_now,
    )


def read_more(body: bytearray, reader: RowReader) -> tuple[list[Any], int]:
    """The rows of the lines of a body after its first rows, read as a body read whole
    reads those lines (a bare string among them unreadable), and how many could not be."""
    items: Iterable[object] | None = fast_rows(body)
    if items is None:
        items = iter_more_lines(body.decode("utf-8", errors="replace"))
    del body
    rows: list[Any] = []
    unreadable = 0
    read = reader.read
    for item in items:
        if isinstance(item, dict):
            try:
                rows.append(read(item))
            except (RowUnreadable, ValueError, RecursionError, OverflowError):
                unreadable += 1
                reader.refused(item)
        else:
            unreadable += 1
    return rows, unreadable


def last_of_each(rows: list[ActiveCall | PbxUser], kind: str) -> list[ActiveCall | PbxUser]:
    """One row per call reference / user id, the last one sent, in first-seen order."""
    ids: list[str] = list(map(attrgetter("call_ref" if kind == "call" else "user_id"), rows))
    if len(set(ids)) == len(ids):
        return rows
    last = {ident: row for ident, row in zip(ids, rows, strict=True)}
    return list(last.values())
