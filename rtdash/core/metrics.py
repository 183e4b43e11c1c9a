"""Headline numbers a wallboard shows, derived from the snapshots.

"Waiting" means what a contact-centre supervisor means by calls waiting: every caller
not yet talking to an agent, whether queueing or ringing at an agent's phone (a ringing
call is still unanswered, and the caller is still waiting). The headline count, the
longest wait and the per-queue table (:mod:`rtdash.core.queues`) all use
:data:`WAITING_STATES`, so they agree on any snapshot. "Ringing" is shown as well, as
the part of the waiting calls that is being offered to an agent right now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from rtdash.api.models import ActiveCall, CallState, UserState
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import AgentState
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Level, Thresholds
from rtdash.core.wait_starts import wait_start as wait_start
from rtdash.core.wait_starts import wait_starts

#: the states of a caller who waits: unanswered, in a queue or ringing at an agent
WAITING_STATES: tuple[CallState, ...] = (CallState.RINGING, CallState.QUEUEING)


def seconds_since(start: datetime | None, now: datetime) -> float | None:
    if start is None:
        return None
    return max(0.0, (now - start).total_seconds())


def longest_wait_since(calls: Sequence[ActiveCall] | None) -> datetime | None:
    """The earliest :func:`wait_start` of ``calls`` (a snapshot keeps its groups' own,
    see :meth:`~rtdash.core.snapshot.CallsSnapshot.wait_since`)."""
    return min(wait_starts(calls), default=None) if calls else None


@dataclass(frozen=True, slots=True)
class Metrics:
    """The headline numbers. A count is None until its snapshot has arrived: before the
    first data nothing is known, and showing (or alerting on) zero would claim an empty
    queue and no free agents."""

    #: callers not yet talking to an agent: queueing plus ringing (:data:`WAITING_STATES`)
    waiting: int | None = None
    #: of the waiting calls, those ringing at an agent
    ringing: int | None = None
    talking: int | None = None
    #: start of the longest current unanswered wait; the age is computed at draw time
    longest_wait_since: datetime | None = None
    agents_available: int | None = None
    agents_unavailable: int | None = None
    #: of the unavailable agents, those on a bridged call (:mod:`rtdash.core.agents`)
    agents_on_call: int | None = None
    #: unavailable and on no call
    agents_away: int | None = None

    @classmethod
    def compute(cls, calls: CallsSnapshot | None, users: UsersSnapshot | None) -> Metrics:
        waiting = ringing = talking = None
        oldest: datetime | None = None
        if calls is not None:
            waiting = sum(calls.count(state) for state in WAITING_STATES)
            ringing = calls.count(CallState.RINGING)
            talking = calls.count(CallState.BRIDGED)
            # each group's once per snapshot, or carried from the last one's
            waits = (calls.wait_since(state) for state in WAITING_STATES)
            oldest = min(filter(None, waits), default=None)
        agents = agent_numbers(users, calls)
        return cls(waiting, ringing, talking, oldest, *agents)

    def with_agents(self, users: UsersSnapshot | None, calls: CallsSnapshot | None) -> Metrics:
        """These numbers with the agents' part worked out again (it needs both routes:
        who is on a call comes from the bridged calls)."""
        available, unavailable, on_call, away = agent_numbers(users, calls)
        return replace(
            self,
            agents_available=available,
            agents_unavailable=unavailable,
            agents_on_call=on_call,
            agents_away=away,
        )

    def longest_wait(self, now: datetime) -> float | None:
        """Seconds the longest waiting caller has waited; None when nobody waits (or
        no data yet)."""
        return seconds_since(self.longest_wait_since, now)

    def levels(self, thresholds: Thresholds, now: datetime) -> dict[str, Level]:
        """An unknown number is never a breach: no data is not an empty floor."""
        return {
            "waiting": thresholds.waiting(self.waiting),
            "longest_wait": thresholds.wait(self.longest_wait(now)),
            "agents_available": thresholds.agents_available(self.agents_available),
        }


def agent_numbers(
    users: UsersSnapshot | None, calls: CallsSnapshot | None
) -> tuple[int | None, int | None, int | None, int | None]:
    """(available, unavailable, on a call, away) of the dashboard's agents; on a call and
    away are None until both routes have answered, and then available excludes anyone
    on a bridged call."""
    if users is None:
        return None, None, None, None
    counts = users.counts()
    if calls is None:
        return counts[UserState.AVAILABLE], counts[UserState.UNAVAILABLE], None, None
    states = agent_counts(users, calls.on_call())
    on_call, away = states[AgentState.ON_CALL], states[AgentState.AWAY]
    return states[AgentState.AVAILABLE], on_call + away, on_call, away
