"""The outcome tracker works per changed row, not per live call, and infers exactly
what reading every row every poll infers."""

from __future__ import annotations

import random
from typing import Any

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall
from rtdash.core.outcomes import Abandoned, OutcomeTracker, TrackedCall
from rtdash.core.snapshot import CallsSnapshot

from .rows import at, call, user

R, Q, B = CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED


class _Counting(OutcomeTracker):
    def __init__(self, events: list[object]) -> None:
        super().__init__(events.append)
        self.handled: list[str] = []

    # every row read goes to one of these two: a call not tracked yet, or a tracked one
    def _arrive(self, state: CallState, row: ActiveCall, now: float) -> TrackedCall:
        self.handled.append(row.call_ref)
        return super()._arrive(state, row, now)

    def _change(self, tracked: TrackedCall, state: CallState, row: ActiveCall, now: float) -> None:
        self.handled.append(row.call_ref)
        super()._change(tracked, state, row, now)


def _snap(t: float, rows: list[ActiveCall], previous: CallsSnapshot | None = None, **kw: Any):
    stamp = at(t)
    assert stamp is not None
    return CallsSnapshot.build(rows, stamp, previous=previous, **kw)


def test_only_new_row_objects_are_handled() -> None:
    events: list[object] = []
    tracker = _Counting(events)
    rows = [call(f"c{i}", Q, i, i, queue="sales") for i in range(1000)]
    first = _snap(1000, rows)
    tracker.observe_calls(first)
    assert len(tracker.handled) == 1000 and len(events) == 1000  # all offered
    tracker.handled.clear()
    # next poll: the same 998 row objects, one answered (a new row), one gone, one new
    answered = call("c5", B, 1001, 5, queue="sales", agent_ref="a.one")
    newcomer = call("c1000", R, 1001, 1001, queue="sales")
    second = [r for r in rows if r.call_ref not in {"c5", "c7"}] + [answered, newcomer]
    tracker.observe_calls(_snap(1002, second, previous=first))
    assert sorted(tracker.handled) == ["c1000", "c5"]  # not the 998 unchanged calls
    assert [type(e).__name__ for e in events[1000:]] == ["Offered", "Answered", "Abandoned"]
    assert events[-1].ref == "c7"  # type: ignore[attr-defined]
    # an unchanged-row poll (every row the same object) handles nothing and stamps none
    tracker.handled.clear()
    tracker.observe_calls(_snap(1004, list(second)))
    assert tracker.handled == [] and len(events) == 1003
    # yet the stamps a saved state carries are this poll's
    saved = tracker.to_dict()["calls"]
    assert {item[4] for item in saved} == {at(1004).timestamp() + tracker.timeline.skew}  # type: ignore[union-attr]


def test_calls_missing_since_an_unreadable_poll_vanish_or_come_back() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    one, two, three = (call(ref, Q, 0, 0, queue="sales") for ref in ("c1", "c2", "c3"))
    first = _snap(0, [one, two, three])
    tracker.observe_calls(first)
    # a row could not be read: c2 and c3 are missing, but not gone
    second = _snap(2, [one], previous=first, unreadable=1)
    tracker.observe_calls(second)
    assert set(tracker.calls) == {"c1", "c2", "c3"} and len(events) == 3
    # c2 is back (its very row), c3 is still missing, and c1 leaves now
    third = _snap(4, [two], previous=second)
    tracker.observe_calls(third)
    t0 = at(0).timestamp()  # type: ignore[union-attr]
    assert set(events[3:]) == {
        Abandoned("c1", "sales", t0 + 3, 3.0),  # seen at 2, gone at 4
        Abandoned("c3", "sales", t0 + 1, 1.0),  # seen at 0, missing since 2
    }
    assert set(tracker.calls) == {"c2"} and tracker.calls["c2"].rows == 1
    # and the next poll finds nothing more to count
    tracker.observe_calls(_snap(6, [two], previous=third))
    assert len(events) == 5 and set(tracker.calls) == {"c2"}


def _day(seed: int, fresh: bool) -> tuple[list[object], dict[str, Any]]:
    """A random churning day; ``fresh``: every row a new object each poll (the tracker
    then reads every row, as it always did)."""
    rnd = random.Random(seed)
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    live: dict[str, ActiveCall] = {}
    n = 0
    for poll in range(200):
        t = 10.0 + 2 * poll + rnd.choice([0, 0, 0, 90])  # now and then a gap
        t = max(t, 10.0 + 2 * poll)
        for ref in list(live):
            row = live[ref]
            roll = rnd.random()
            if roll < 0.08:
                del live[ref]
            elif roll < 0.2 and row.state is not B:
                live[ref] = call(
                    ref, B, t - 1, 0, queue=row.queue, agent_ref=f"a{rnd.randint(1, 5)}"
                )
            elif roll < 0.25 and row.state is R:
                live[ref] = call(ref, Q, t - 1, 0, queue=row.queue)
            elif roll < 0.27 and row.state is B:
                live[ref] = call(ref, B, t - 1, 0, queue=row.queue, agent_ref="a9")
        for _ in range(rnd.randint(0, 4)):
            n += 1
            live[f"c{n}"] = call(f"c{n}", rnd.choice([R, Q]), t - 1, t - 1, queue="q")
        rows = list(live.values())
        if fresh:
            rows = [row.model_copy() for row in rows]
        unreadable = 0
        if rnd.random() < 0.05 and rows:
            rows.pop(rnd.randrange(len(rows)))
            unreadable = 1
        stamp = at(t)
        assert stamp is not None
        snapshot = CallsSnapshot.build(rows, stamp, unreadable)
        if rnd.random() < 0.1:
            tracker.observe_calls(snapshot.again(stamp))
        tracker.observe_calls(snapshot)
    return events, tracker.to_dict()


def test_following_changes_infers_what_reading_every_row_infers() -> None:
    for seed in range(5):
        assert _day(seed, fresh=False) == _day(seed, fresh=True)


def test_a_call_in_a_body_twice_is_read_row_by_row() -> None:
    events: list[object] = []
    tracker = _Counting(events)
    one = call("c1", Q, 0, 0, queue="sales")
    twice = [one, call("c1", B, 3, 0, queue="sales", agent_ref="a")]
    tracker.observe_calls(_snap(2, [one]))
    tracker.observe_calls(_snap(4, twice))
    assert tracker.handled == ["c1", "c1", "c1"]
    assert [type(e).__name__ for e in events] == ["Offered", "Answered"]


def _agents_day(seed: int, fresh: bool) -> tuple[dict[str, Any], int]:
    """Agents' clocks over a random day; ``fresh``: every row a new object each poll."""
    rnd = random.Random(seed)
    clocks = _CountingTime()
    people = {
        f"u{i}": user(
            f"u{i}", rnd.choice(list(UserState)), 0, name=f"Agent {i}", operator_ref=f"a{i}"
        )
        for i in range(40)
    }
    on_call = OnCall()
    since = 0.0
    for poll in range(150):
        now = 100.0 + 2 * poll
        for key in rnd.sample(sorted(people), 3):
            people[key] = user(
                key,
                rnd.choice(list(UserState)),
                now - 1,
                name=people[key].display_name,
                operator_ref=people[key].operator_ref,
                dashboard=rnd.random() < 0.9,
            )
        if rnd.random() < 0.7:
            on = rnd.sample(range(40), rnd.randint(0, 15))
            on_call = OnCall.from_calls(
                [
                    call(f"c{i}", B, 0, 0, agent_ref=f"a{i}")
                    if i % 3
                    else call(f"c{i}", B, 0, 0, agent_name=f"AGENT {i}")
                    for i in on
                ]
            )
        rows = tuple(people.values())
        if fresh:
            rows = tuple(row.model_copy() for row in rows)
        clocks.observe(rows, on_call, now, since)
        since = now
    return clocks.to_dict(400.0), clocks.looked


class _CountingTime(AgentTime):
    def __init__(self) -> None:
        super().__init__()
        self.looked = 0

    def _observe(
        self, user: PbxUser, on_call: OnCall, now: float, since: float, watched: bool
    ) -> None:
        self.looked += 1
        super()._observe(user, on_call, now, since, watched)


def test_agent_clocks_look_only_at_changed_agents_and_count_the_same() -> None:
    for seed in range(5):
        reused, looked = _agents_day(seed, fresh=False)
        every, looked_every = _agents_day(seed, fresh=True)
        assert reused == every
        assert looked_every == 150 * 40 and looked < looked_every / 2
