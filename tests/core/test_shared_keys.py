"""Rows that share a key (two users with one clock key, two rows of one callRef): when
one of them leaves, following only changed rows still infers what reading every row
infers."""

from __future__ import annotations

import random
from typing import Any

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall
from rtdash.core.outcomes import OutcomeTracker
from rtdash.core.snapshot import CallsSnapshot

from .rows import at, call, user

Q, B = CallState.QUEUEING, CallState.BRIDGED
AVAILABLE, AWAY = UserState.AVAILABLE, UserState.UNAVAILABLE


def _clocks_day(fresh: bool) -> dict[str, Any]:
    """Two users share the operator ref "a1" (one available, one away); the available
    one leaves at 200 s. ``fresh``: every row a new object at every poll."""
    clocks = AgentTime()
    alone = user("u0", AVAILABLE, 0, name="Other", operator_ref="a0")
    away = user("u1", AWAY, 0, name="Ann Away", operator_ref="a1")
    free = user("u2", AVAILABLE, 0, name="Ann Free", operator_ref="a1")
    since = 0.0
    for poll in range(100):
        now = 100.0 + 2 * poll
        rows: tuple[PbxUser, ...] = (alone, away, free) if now < 200 else (alone, away)
        if fresh:
            rows = tuple(row.model_copy() for row in rows)
        clocks.observe(rows, OnCall(), now, since)
        since = now
    return clocks.to_dict(400.0)


def test_agent_totals_when_one_of_two_users_sharing_a_key_leaves() -> None:
    reused, every = _clocks_day(fresh=False), _clocks_day(fresh=True)
    assert reused == every
    # the remaining user is away: from the poll after the other left, "a1" is away
    _name, activity, _at, totals, _left_call = every["a1"]
    assert activity == "away"
    assert totals["away"] == 400.0 - 200.0


def _shared_ref_day(fresh: bool) -> tuple[list[object], dict[str, Any]]:
    """A body with call c1 in it twice (queueing, then bridged: the last row decides);
    the bridged row leaves, the queueing row stays (back in the queue, as read)."""
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    other = call("c0", Q, 0, 0, queue="sales")
    waiting = call("c1", Q, 0, 0, queue="sales")
    bridged = call("c1", B, 3, 0, queue="sales", agent_ref="a1")
    bodies: list[list[ActiveCall]] = [[other, waiting], [other, waiting, bridged]]
    bodies += [[other, waiting]] * 3
    for poll, rows in enumerate(bodies):
        if fresh:
            rows = [row.model_copy() for row in rows]
        stamp = at(2 + 2 * poll)
        assert stamp is not None
        tracker.observe_calls(CallsSnapshot.build(rows, stamp))
    return events, tracker.to_dict()


def test_outcomes_when_one_of_two_rows_of_a_call_leaves() -> None:
    reused, every = _shared_ref_day(fresh=False), _shared_ref_day(fresh=True)
    assert reused == every
    saved = {item[0]: item for item in every[1]["calls"]}
    assert saved["c1"][7] == "queueing"  # the row left is the one read


def _churning_day(seed: int, fresh: bool) -> dict[str, Any]:
    """Users come and go, some sharing an operator ref (a shared login, a re-hired
    agent's old ref); ``fresh``: every row a new object at every poll."""
    rnd = random.Random(seed)
    clocks = AgentTime()
    people: dict[str, PbxUser] = {}
    since = 0.0
    for poll in range(150):
        now = 100.0 + 2 * poll
        for _ in range(3):
            key = f"u{rnd.randrange(15)}"
            if key in people and rnd.random() < 0.3:
                del people[key]
            else:
                state = rnd.choice(list(UserState))
                ref = f"a{rnd.randrange(60)}"
                people[key] = user(key, state, now - 1, name=key, operator_ref=ref)
        rows = tuple(people.values())
        if fresh:
            rows = tuple(row.model_copy() for row in rows)
        clocks.observe(rows, OnCall(), now, since)
        since = now
    return clocks.to_dict(500.0)


def test_agent_totals_on_a_churning_day_with_shared_keys() -> None:
    for seed in range(5):
        assert _churning_day(seed, fresh=False) == _churning_day(seed, fresh=True)


def _doubled_day(seed: int, fresh: bool) -> tuple[list[object], dict[str, Any]]:
    """Calls come, are answered and go; now and then a body carries a second row of a
    live call for a few polls (an upstream that lists a call per leg)."""
    rnd = random.Random(seed)
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    live: dict[str, ActiveCall] = {}
    doubles: dict[str, ActiveCall] = {}
    n = 0
    for poll in range(150):
        t = 10.0 + 2 * poll
        for ref in list(live):
            roll = rnd.random()
            if roll < 0.08:
                del live[ref]
                doubles.pop(ref, None)
            elif roll < 0.2 and live[ref].state is not B:
                live[ref] = call(ref, B, t - 1, 0, queue="q", agent_ref=f"a{rnd.randrange(5)}")
        for ref in list(doubles):
            if rnd.random() < 0.4:
                del doubles[ref]
        if live and rnd.random() < 0.3:
            ref = rnd.choice(sorted(live))
            doubles[ref] = call(ref, rnd.choice([Q, B]), t - 1, 0, queue="q", agent_ref="a7")
        for _ in range(rnd.randint(0, 3)):
            n += 1
            live[f"c{n}"] = call(f"c{n}", Q, t - 1, t - 1, queue="q")
        rows = list(live.values()) + list(doubles.values())
        if fresh:
            rows = [row.model_copy() for row in rows]
        stamp = at(t)
        assert stamp is not None
        tracker.observe_calls(CallsSnapshot.build(rows, stamp))
    return events, tracker.to_dict()


def test_outcomes_on_a_day_with_calls_listed_twice() -> None:
    for seed in range(5):
        assert _doubled_day(seed, fresh=False) == _doubled_day(seed, fresh=True)
