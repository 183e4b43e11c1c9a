"""The polls on the upstream's clock: how far that clock is from ours, when each
successful poll happened on it, and where polling stopped for a while.

The outcome tracker places every event on the upstream's clock, so that a local clock
that is out does not stretch every wait; it brackets a vanished call between the polls
around it, and calls an outcome unknown across a stretch nobody watched. Measuring that
timeline is a job of its own, apart from following the calls through it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rtdash.api.models import ActiveCall, CallState
    from rtdash.core.snapshot import CallsSnapshot

__all__ = ["GAP_SECONDS", "PollTimeline"]

#: a gap between two successful polls longer than this is "not watching": calls that
#: vanished unbridged inside it may have been answered unseen, so their outcome is unknown
GAP_SECONDS = 60.0


class PollTimeline:
    """Successful polls on the upstream's clock, and the offset that puts them there."""

    def __init__(self) -> None:
        #: upstream clock minus ours, measured from the rows (seconds)
        self.skew = 0.0
        #: times (upstream clock) of recent polls, to bracket when a call vanished
        self._polls: deque[float] = deque(maxlen=4096)
        #: the last successful poll, to see gaps
        self.last_poll: float | None = None
        #: (start, end) of periods when no poll succeeded (upstream clock)
        self.gaps: list[tuple[float, float]] = []

    def measure(
        self,
        snapshot: CallsSnapshot,
        groups: dict[CallState, tuple[ActiveCall, ...]],
        local: float,
    ) -> None:
        """The offset from a changed body: the moment the body says it was made, else
        the moment its rows imply."""
        if snapshot.server_now is not None:
            # whole-second times: the body was made within the second after it
            self.skew = snapshot.server_now.timestamp() + 0.5 - local
        else:
            self._measure_from_rows(groups, local)

    def _measure_from_rows(
        self, groups: dict[CallState, tuple[ActiveCall, ...]], local: float
    ) -> None:
        """The upstream's "now" is a call's start plus its duration: take the latest one
        a few rows show (all rows of one body share the moment it was made). Only for
        a snapshot that does not carry it (a recording): a polled call may be held from
        an earlier poll, its duration as it was then."""
        best: float | None = None
        for rows in groups.values():
            for row in rows[:4]:
                if row.call_start is not None and row.call_duration is not None:
                    server_now = row.call_start.timestamp() + row.call_duration
                    best = server_now if best is None else max(best, server_now)
        if best is not None:
            # whole-second times: the body was made within the second after ``best``
            self.skew = best + 0.5 - local

    def mark(self, now: float) -> float | None:
        """Note a successful poll; the start of the gap before it, if there was one."""
        last = self.last_poll
        self.last_poll = now
        self._polls.append(now)
        if last is not None and now - last > GAP_SECONDS:
            self.gaps.append((last, now))
            return last
        return None

    def next_after(self, t: float, default: float) -> float:
        """The first poll after ``t``, or ``default`` when none came after it."""
        polls = self._polls
        i = bisect_right(polls, t)
        return polls[i] if i < len(polls) else default

    def restore(self, skew: float, last_poll: float | None) -> None:
        """Continue from a saved offset and last poll; the gaps already seen stay."""
        self.skew = skew
        self.last_poll = last_poll
        if last_poll is not None:
            self._polls.append(last_poll)
