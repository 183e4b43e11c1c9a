"""What the day's service tracking keeps per live call and per agent beside the rows
themselves: one slotted object per call (in one dict by callRef) and one slotted clock
per agent, and nothing more that grows with them (no second dict of the calls present,
no per-agent counts of calls, no dict of seconds per clock)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from rtdash.core import row_order
from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall, folded
from rtdash.core.outcomes import OutcomeTracker
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .rows import T0, at, call, sales_calls, user

N = 2000


def _calls() -> CallsSnapshot:
    rows = sales_calls(N, waiting_every=2, named=True)
    stamp = at(10)
    assert stamp is not None
    snapshot = CallsSnapshot.build(rows, stamp)
    snapshot.row_ids()  # the snapshot's own, made before the tracker looks
    return snapshot


def _held(make: Callable[[], object]) -> tuple[int, object]:
    """Bytes allocated and still held by ``make()``, and what it made. The timestamps
    of the rows' times that :func:`~rtdash.core.row_order.start_key` remembers are let
    go first: at most STARTS_HELD of them whatever the calls, not held per call."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        made = make()
        assert len(row_order._STARTS) <= row_order.STARTS_HELD
        row_order._STARTS.clear()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, made
    finally:
        tracemalloc.stop()


def test_the_tracker_keeps_one_slotted_object_per_call_and_one_dict_of_them() -> None:
    snapshot = _calls()

    def track() -> OutcomeTracker:
        tracker = OutcomeTracker()
        tracker.observe_calls(snapshot)
        return tracker

    held, made = _held(track)
    assert isinstance(made, OutcomeTracker)
    tracker = made
    assert len(tracker.calls) == N
    # the only attribute that grows with the calls is ``calls``; the rows are the
    # snapshot's own objects, not copies, and a first look holds no set of their ids
    sized = {
        name
        for name, value in vars(tracker).items()
        if isinstance(value, dict | list | set) and len(value) >= N // 2
    }
    assert sized == {"calls"}
    assert tracker._row_ids is None
    assert tracker._groups is snapshot.groups
    assert not hasattr(next(iter(tracker.calls.values())), "__dict__")
    # the answered half is on a call, counted from the calls when asked
    assert len(tracker.on_call) == N  # by operator ref and by name
    # a slotted call (11 slots), its wait's float and its entry in one dict; the
    # second dict of the calls present and the per-agent counts held ~45 B more
    assert held / N < 200, held / N


def test_agent_clocks_keep_their_seconds_in_slots() -> None:
    users = tuple(
        user(f"u{i}", "available", 0, name=f"Agent {i}", operator_ref=f"a{i}") for i in range(N)
    )
    for person in users:
        folded(person.display_name or "")  # shared with the screens: not the clocks' own

    def clock() -> AgentTime:
        clocks = AgentTime()
        clocks.observe(users, OnCall(), 10.0, 10.0)
        clocks.observe(users, OnCall(), 20.0, 10.0)
        return clocks

    held, made = _held(clock)
    assert isinstance(made, AgentTime)
    clocks = made
    one = clocks.clocks["a1"]
    assert not hasattr(one, "__dict__")
    assert not any(isinstance(getattr(one, name), dict) for name in type(one).__slots__)
    assert dict(one.totals) == {"call": 0.0, "available": 0.0, "away": 0.0}
    assert clocks.totals(30.0)["a1"] == ("Agent 1", {"call": 0.0, "available": 20.0, "away": 0.0})
    # a clock of seven slots and the indexes that find a user going on a call; a dict of
    # seconds per clock held ~170 B more
    assert held / N < 350, held / N


def test_the_clocks_share_the_users_snapshots_ids() -> None:
    people = [user(f"u{i}", "available", 0, name=f"Agent {i}") for i in range(50)]
    first = UsersSnapshot.build(people, at(10) or T0)
    moved = [*people[1:], user("u0", "unavailable", 12, name="Agent 0")]
    second = UsersSnapshot.build(moved, at(14) or T0, previous=first)
    # the build's own set of this poll's ids, kept for the next build and the clocks
    assert second.user_ids() == set(map(id, second.users))
    service = ServiceLevel(ZoneInfo("UTC"))
    service.observe_calls(CallsSnapshot.build([], at(10) or T0))  # the clocks start with it
    alone = AgentTime()
    for snapshot, since in ((first, 10.0), (second, 10.0)):
        service.observe_users(snapshot)
        now = snapshot.fetched_at.timestamp()
        alone.observe(snapshot.users, OnCall(), now, since)
    assert service.agents._ids is second.user_ids()
    end = second.fetched_at.timestamp() + 5
    assert service.agents.to_dict(end) == alone.to_dict(end)


def test_a_poll_with_handed_changes_makes_and_holds_no_set_of_every_rows_id() -> None:
    """A big centre's poll costs what changed: when the reader knows the new and gone
    rows, neither the snapshots nor the service level make a set of every row's id
    (one per route per poll at 50,000 calls was megabytes and milliseconds), and the
    count of distinct rows is carried by the changes, equal to counting them."""
    calls = [call(f"c{i}", "queueing", 100 - i, 0, queue="q") for i in range(40)]
    people = [user(f"u{i}", "available", i, name=f"Agent {i}") for i in range(30)]
    first = CallsSnapshot.build(calls, at(10) or T0, keyed=False)
    first_users = UsersSnapshot.build(people, at(10) or T0, keyed=False)
    service = ServiceLevel(ZoneInfo("UTC"))
    service.observe_calls(first)
    service.observe_users(first_users)
    gone, new = calls[:3], [call(f"n{i}", "ringing", 5, 5) for i in range(4)]
    left = calls[3:] + new
    second = CallsSnapshot.build(
        left, at(12) or T0, previous=first, keyed=False, changes=(new, gone)
    )
    moved = [user("u0", "unavailable", 11, name="Agent 0")]
    second_users = UsersSnapshot.build(
        people[1:] + moved,
        at(12) or T0,
        previous=first_users,
        keyed=False,
        changes=(moved, people[:1]),
    )
    service.observe_calls(second)
    service.observe_users(second_users)
    assert "ids" not in second._memo and "ids" not in second_users._memo
    assert service.tracker._row_ids is None and service.agents._ids is None
    assert second.distinct() == len(set(map(id, second.calls))) == 41
    assert second_users.distinct() == len(set(map(id, second_users.users))) == 30
    # and it counts what a service that found the changes itself counts
    alone = ServiceLevel(ZoneInfo("UTC"))
    for snapshot, users in ((first, first_users), (second, second_users)):
        alone.observe_calls(replace(snapshot, _memo={}))  # nothing handed on
        alone.observe_users(replace(users, _memo={}))
    assert alone.tracker.to_dict() == service.tracker.to_dict()
    end = second.fetched_at.timestamp() + 5
    assert alone.agents.to_dict(end) == service.agents.to_dict(end)
