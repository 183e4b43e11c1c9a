"""Headline numbers a wallboard shows, derived from the snapshots.

"Waiting" means what a contact-centre supervisor means by calls waiting: every caller
not yet talking to an agent, whether queueing or ringing at an agent's phone (a ringing
call is still unanswered, and the caller is still waiting). The headline count, the
longest wait and the per-queue table (:mod:`rtdash.core.queues`) all use
:data:`WAITING_STATES`, so they agree on any snapshot. "Ringing" is shown as well, as
the part of the waiting calls that is being offered to an agent right now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rtdash.api.models import ActiveCall, CallState, UserState
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Level, Thresholds

#: the states of a caller who waits: unanswered, in a queue or ringing at an agent
WAITING_STATES: tuple[CallState, ...] = (CallState.RINGING, CallState.QUEUEING)


def seconds_since(start: datetime | None, now: datetime) -> float | None:
    if start is None:
        return None
    return max(0.0, (now - start).total_seconds())


def wait_start(call: ActiveCall) -> datetime | None:
    """When the caller started waiting: the call's start (ring + queue is one wait)."""
    return call.call_start or call.state_start


@dataclass(frozen=True, slots=True)
class Metrics:
    #: callers not yet talking to an agent: queueing plus ringing (:data:`WAITING_STATES`)
    waiting: int = 0
    #: of the waiting calls, those ringing at an agent
    ringing: int = 0
    talking: int = 0
    #: start of the longest current unanswered wait; the age is computed at draw time
    longest_wait_since: datetime | None = None
    agents_available: int = 0
    agents_unavailable: int = 0

    @classmethod
    def compute(cls, calls: CallsSnapshot | None, users: UsersSnapshot | None) -> Metrics:
        waiting = ringing = talking = 0
        oldest: datetime | None = None
        if calls is not None:
            waiting = sum(calls.count(state) for state in WAITING_STATES)
            ringing = calls.count(CallState.RINGING)
            talking = calls.count(CallState.BRIDGED)
            for state in WAITING_STATES:
                for call in calls.groups[state]:
                    start = wait_start(call)
                    if start is not None and (oldest is None or start < oldest):
                        oldest = start
        available = unavailable = 0
        if users is not None:
            counts = users.counts()
            available = counts[UserState.AVAILABLE]
            unavailable = counts[UserState.UNAVAILABLE]
        return cls(waiting, ringing, talking, oldest, available, unavailable)

    def longest_wait(self, now: datetime) -> float | None:
        return seconds_since(self.longest_wait_since, now)

    def levels(self, thresholds: Thresholds, now: datetime) -> dict[str, Level]:
        return {
            "waiting": thresholds.waiting(self.waiting),
            "longest_wait": thresholds.wait(self.longest_wait(now)),
            "agents_available": thresholds.agents_available(self.agents_available),
        }
