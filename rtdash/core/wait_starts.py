"""The earliest wait starts of a group of calls (the headline's longest wait), held from
poll to poll and moved by the group's new and gone calls.

The earliest waiter is the call most likely to be answered next, so its leaving is the
common case, not the rare one: holding only the earliest start would mean looking at
every waiting call again on most polls. The :data:`HELD` earliest starts are held
instead (their values: which call has one does not matter), so the earliest is known
after it leaves, until that many have left without an earlier one coming; only then
is every call looked at again.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from datetime import datetime
from heapq import nsmallest
from operator import attrgetter

from rtdash.api.models import ActiveCall

#: how many of a group's earliest wait starts are held
HELD = 1024

#: the earliest wait starts of a group, ascending (at most :data:`HELD`, each start as
#: often as calls have it), and whether they are every start of the group
Earliest = tuple[list[datetime], bool]

_call_start = attrgetter("call_start")


def wait_start(call: ActiveCall) -> datetime | None:
    """When the caller started waiting: the call's start (ring + queue is one wait)."""
    return call.call_start or call.state_start


def each_wait_start(calls: Iterable[ActiveCall]) -> list[datetime | None]:
    """:func:`wait_start` of each of ``calls``, in order: a pass in C over the rows
    (a big centre's poll brings hundreds of new and gone waiting calls), the state's
    start read only for a call without its start."""
    rows = calls if isinstance(calls, list | tuple) else list(calls)
    starts: list[datetime | None] = list(map(_call_start, rows))
    if None in starts:
        starts = [start or row.state_start for start, row in zip(starts, rows, strict=True)]
    return starts


def wait_starts(calls: Sequence[ActiveCall]) -> list[datetime]:
    """Every :func:`wait_start` of ``calls`` that is known (a big centre has tens of
    thousands of waiting calls: see :func:`each_wait_start`)."""
    return list(filter(None, each_wait_start(calls)))


def earliest_of(calls: Sequence[ActiveCall] | None) -> Earliest:
    """The earliest wait starts of every call of a group."""
    starts = wait_starts(calls) if calls else []
    if len(starts) <= HELD:
        return sorted(starts), True
    return nsmallest(HELD, starts), False


def moved(
    earliest: Earliest, new: Iterable[ActiveCall], gone: Iterable[ActiveCall]
) -> Earliest | None:
    """``earliest`` of a group moved by its ``new`` and ``gone`` calls; None when it
    can no longer be told (every held start left, and others remain unseen).

    The starts not held are never earlier than the latest held one, so a gone start
    earlier than that is held, and one equal to it can be taken from the held ones
    alike (the values are what is held, not whose they are)."""
    held, every = list(earliest[0]), earliest[1]
    for start in each_wait_start(gone):
        if start is None or (not every and held and start > held[-1]):
            continue
        at = bisect_left(held, start)
        if at == len(held) or held[at] != start:
            return None  # not among them: these were not that group's
        del held[at]
    if not held and not every:
        return None
    for start in each_wait_start(new):
        if start is not None and (every or start < held[-1]):
            insort(held, start)
            if len(held) > HELD:
                held.pop()
                every = False
    return held, every
