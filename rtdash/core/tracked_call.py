"""What is known of one live call between polls, and its saved form.

The outcome tracker keeps one :class:`TrackedCall` per callRef; a day's state holds
every call of the day, so the saved form is a list (not a dict per call) whose fields
are read in C (:func:`saved_lists`).

The day's file keeps each call as :func:`kept_lists` writes it: a call in the tracker's
last changed poll is written without the stamps that poll gives it (last seen, and last
seen waiting unless bridged: ``null``, the poll's time written once beside them), so its
saved list stays what it was while its row does, and a save re-encodes only the calls
that changed (see :mod:`rtdash.core.daysave`). :func:`restamp` puts the stamps back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from rtdash.api.models import CallState
from rtdash.api.untrack import untrack

_BRIDGED = CallState.BRIDGED

#: a tracked call's fields in its saved list's order (see TrackedCall.to_list)
_FIELDS = (
    "ref",
    "queue",
    "first_seen",
    "wait_start",
    "last_seen",
    "last_unbridged",
    "answered_at",
    "state",
    "agent",
    "agent_name",
)
_SAVED = attrgetter(*_FIELDS)
#: as _SAVED, and whether the call is in the tracker's last changed poll
_KEPT = attrgetter(*_FIELDS, "rows")
_STATE_VALUE: dict[CallState | None, str | None] = {
    None: None,
    **{state: state.value for state in CallState},
}


def saved_lists(calls: Iterable[TrackedCall]) -> list[list[Any]]:
    """:meth:`TrackedCall.to_list` of every call, the fields read in C (a day's state
    holds every call of a big centre's day, taken on the event loop)."""
    saved = list(map(list, map(_SAVED, calls)))
    value = _STATE_VALUE.__getitem__
    for item in saved:
        item[7] = value(item[7])
    return saved


def kept_lists(calls: Iterable[TrackedCall]) -> list[list[Any]]:
    """The day file's lists of ``calls``: :meth:`TrackedCall.to_list`'s, but a call in
    the last changed poll (``rows``) has ``null`` for the stamps that poll's time gives
    it (:func:`settle`'s), which :func:`restamp` writes back on reading."""
    return list(each_kept(calls))


def each_kept(calls: Iterable[TrackedCall]) -> Iterator[list[Any]]:
    """:func:`kept_lists`' lists one at a time: encoded as they come, a save of every
    call never holds a list per call at once."""
    return lists_of(map(_KEPT, calls))


def lists_of(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """:func:`kept_lists`' list of each call whose fields and ``rows`` are ``rows``',
    one at a time."""
    value = _STATE_VALUE.__getitem__
    for row in rows:
        item = list(row)
        state = item[7]
        item[7] = value(state)
        if item.pop():
            item[4] = None
            if state is not _BRIDGED:
                item[5] = None
        yield item


def restamp(call: TrackedCall, item: list[Any], seen_at: float | None) -> None:
    """A call read from :func:`kept_lists`' list ``item``: one that was in the last
    changed poll gets that poll's stamps (``seen_at``), as :func:`settle` gave it."""
    if item[4] is None:
        if seen_at is None:
            raise ValueError("a saved call seen at a poll the state does not name")
        settle(call, seen_at)


class TrackedCall:
    """What is known of one live call. Not followed by the cyclic garbage collector
    (:mod:`rtdash.api.untrack`; a day holds one per call): it holds texts, numbers and a
    state, nothing that could refer back to it."""

    __slots__ = (
        "agent",
        "agent_name",
        "answered_at",
        "first_seen",
        "last_seen",
        "last_unbridged",
        "part",
        "queue",
        "ref",
        "rows",
        "state",
        "wait_start",
    )

    def __init__(self, ref: str, queue: str, first_seen: float, wait_start: float) -> None:
        self.ref = ref
        self.queue = queue
        self.first_seen = first_seen
        self.wait_start = wait_start
        self.last_seen = first_seen
        #: the last poll that saw it not yet bridged (None: first seen bridged)
        self.last_unbridged: float | None = None
        self.answered_at: float | None = None
        self.state: CallState | None = None
        self.agent = ""
        self.agent_name = ""
        #: its rows in the tracker's last changed poll (0: not in it); not saved, as a
        #: restart reads the next poll afresh
        self.rows = 0
        #: its kept list as the day file's saver last encoded it (b"": not yet), held
        #: here rather than in a dict of the saver's by callRef, a second index of every
        #: call of a big centre (see :class:`~rtdash.core.daysave.DayParts`)
        self.part = b""
        untrack(self)

    def to_list(self) -> list[Any]:
        item = list(_SAVED(self))  # in C: a day's file holds every call of the day
        item[7] = _STATE_VALUE[item[7]]
        return item

    @classmethod
    def from_list(cls, item: list[Any]) -> TrackedCall:
        """Read :meth:`to_list`'s list, or :func:`kept_lists`' (stamps left ``null``
        until :func:`restamp`)."""
        call = cls(str(item[0]), str(item[1]), float(item[2]), float(item[3]))
        call.last_seen = call.first_seen if item[4] is None else float(item[4])
        call.last_unbridged = None if item[5] is None else float(item[5])
        call.answered_at = None if item[6] is None else float(item[6])
        call.state = CallState(item[7]) if item[7] else None
        call.agent, call.agent_name = str(item[8]), str(item[9])
        return call


def settle(tracked: TrackedCall, at: float) -> None:
    """Write the stamps of a call seen at ``at`` (as the row-by-row reading did): seen,
    and seen waiting unless it was bridged."""
    tracked.last_seen = at
    if tracked.state is not _BRIDGED:
        tracked.last_unbridged = at
