"""What is known of one live call between polls, and its saved form.

The outcome tracker keeps one :class:`TrackedCall` per callRef; a day's state holds
every call of the day, so the saved form is a list (not a dict per call) whose fields
are read in C (:func:`saved_lists`).
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from rtdash.api.models import CallState

_BRIDGED = CallState.BRIDGED

#: a tracked call's fields in its saved list's order (see TrackedCall.to_list)
_SAVED = attrgetter(
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


class TrackedCall:
    """What is known of one live call."""

    __slots__ = (
        "agent",
        "agent_name",
        "answered_at",
        "first_seen",
        "last_seen",
        "last_unbridged",
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

    def to_list(self) -> list[Any]:
        item = list(_SAVED(self))  # in C: a day's file holds every call of the day
        item[7] = _STATE_VALUE[item[7]]
        return item

    @classmethod
    def from_list(cls, item: list[Any]) -> TrackedCall:
        call = cls(str(item[0]), str(item[1]), float(item[2]), float(item[3]))
        call.last_seen = float(item[4])
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
