"""Each agent's day: time on a call, available, and away.

An agent is **on a call** while they are the agent of a bridged call (matched by the
operator ref, or the name, that the field mapping reads for a call's agent); otherwise
**available** or **away** by their user state. Time is added when an agent's activity
changes (and read up to "now" at any moment), so polls where nothing changed cost
nothing per agent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from rtdash.api.models import PbxUser, UserState

Activity = Literal["call", "available", "away"]
ACTIVITIES: tuple[Activity, ...] = ("call", "available", "away")


def agent_activity(user: PbxUser, on_call: Mapping[str, int]) -> Activity:
    """What an agent is doing now, from their user row and the agents of bridged calls
    (``on_call``: operator refs and names of agents on a call)."""
    if (user.operator_ref and user.operator_ref in on_call) or (
        user.display_name and user.display_name in on_call
    ):
        return "call"
    return "available" if user.state is UserState.AVAILABLE else "away"


class _Clock:
    __slots__ = ("activity", "key", "name", "since", "totals")

    def __init__(self, key: str, name: str, activity: Activity, since: float) -> None:
        self.key = key
        self.name = name
        self.activity: Activity = activity
        self.since = since
        self.totals: dict[str, float] = dict.fromkeys(ACTIVITIES, 0.0)


class AgentTime:
    """Today's seconds per activity for every agent seen (dashboard users, and any user
    seen answering a call)."""

    def __init__(self) -> None:
        self.clocks: dict[str, _Clock] = {}
        self.day_start: float | None = None

    @staticmethod
    def key_of(user: PbxUser) -> str:
        """Calls name their agent by operator ref (or name), so agents are keyed so too."""
        return user.operator_ref or user.display_name or user.user_id

    def observe(
        self, users: tuple[PbxUser, ...], on_call: Mapping[str, int], now: float, since: float
    ) -> None:
        """Bring every agent's activity up to ``now``; ``since`` is the previous
        observation, the earliest a change seen now can have happened."""
        clocks = self.clocks
        for user in users:
            if not user.dashboard and not (
                (user.operator_ref and user.operator_ref in on_call)
                or (user.display_name and user.display_name in on_call)
            ):
                continue
            key = self.key_of(user)
            activity = agent_activity(user, on_call)
            clock = clocks.get(key)
            if clock is None:
                clocks[key] = _Clock(key, user.label, activity, now)
                continue
            if activity == clock.activity:
                continue
            at = now
            if activity != "call" and clock.activity != "call" and user.state_start is not None:
                # a state change: its row says when, within the two observations
                at = min(max(user.state_start.timestamp(), since, clock.since), now)
            clock.totals[clock.activity] += max(0.0, at - clock.since)
            clock.activity = activity
            clock.since = at

    def new_day(self, day_start: float) -> None:
        """Midnight: yesterday's time is dropped; the current activity runs on from 00:00."""
        self.day_start = day_start
        for clock in self.clocks.values():
            clock.totals = dict.fromkeys(ACTIVITIES, 0.0)
            clock.since = max(clock.since, day_start)

    def totals(self, now: float) -> dict[str, tuple[str, dict[str, float]]]:
        """key -> (name, seconds per activity up to ``now``)."""
        out: dict[str, tuple[str, dict[str, float]]] = {}
        for key, clock in self.clocks.items():
            totals = dict(clock.totals)
            totals[clock.activity] += max(0.0, now - clock.since)
            out[key] = (clock.name, totals)
        return out

    def stop(self, at: float) -> None:
        """Nothing was watched from ``at`` on (a restart): time up to it is kept, and no
        activity is assumed for the gap."""
        for clock in self.clocks.values():
            clock.totals[clock.activity] += max(0.0, at - clock.since)
            clock.since = at

    def to_dict(self, now: float) -> dict[str, Any]:
        """Totals up to ``now``, as if the clocks stopped there (a restart resumes them)."""
        return {
            key: [name, self.clocks[key].activity, now, totals]
            for key, (name, totals) in self.totals(now).items()
        }

    def restore(self, data: dict[str, Any], resume_at: float | None = None) -> None:
        self.clocks = {}
        for key, (name, activity, since, totals) in data.items():
            clock = _Clock(str(key), str(name), activity, float(since))
            clock.totals = {a: float(totals.get(a, 0.0)) for a in ACTIVITIES}
            self.clocks[clock.key] = clock
        if resume_at is not None:
            self.resume(resume_at)

    def resume(self, at: float) -> None:
        """Watching again from ``at``: the time before it is not counted."""
        for clock in self.clocks.values():
            clock.since = max(clock.since, at)
