"""Metrics from snapshots, and their levels against the thresholds."""

from __future__ import annotations

import pytest

from rtdash.api.models import CallState, UserState
from rtdash.core.metrics import Metrics, seconds_since
from rtdash.core.queues import summarize_queues
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Level, Thresholds

from .rows import T0, at, call, user

RINGING, QUEUEING, BRIDGED = CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED
OK, WARN, ALERT = Level.OK, Level.WARN, Level.ALERT


def calls_snap(*rows) -> CallsSnapshot:
    return CallsSnapshot.build(rows, fetched_at=T0)


def users_snap(*rows) -> UsersSnapshot:
    return UsersSnapshot.build(rows, fetched_at=T0)


def test_waiting_counts_every_unanswered_call_ringing_included() -> None:
    m = Metrics.compute(
        calls_snap(
            call("r1", RINGING, 1),
            call("q1", QUEUEING, 1),
            call("q2", QUEUEING, 2),
            call("q3", QUEUEING, 3),
            call("b1", BRIDGED, 1),
            call("b2", BRIDGED, 1),
        ),
        None,
    )
    # a ringing caller is still waiting for an answer: 3 queueing + 1 ringing
    assert (m.waiting, m.ringing, m.talking) == (4, 1, 2)


def test_headline_and_queue_table_agree_on_waiting_and_longest_wait() -> None:
    """One snapshot, two views of it: the queues' waiting add up to the headline, and
    the oldest queue's longest wait is the headline's, ringing calls included."""
    snapshot = calls_snap(
        call("r-billing", RINGING, state_start=3, call_start=3, queue="billing"),
        call("r-sales", RINGING, state_start=6, call_start=6, queue="sales"),
        call("q-sales", QUEUEING, state_start=20, call_start=20, queue="sales"),
        call("b-sales", BRIDGED, state_start=0, call_start=-50, queue="sales"),
        call("b-support", BRIDGED, state_start=1, call_start=1, queue="support"),
    )
    m = Metrics.compute(snapshot, None)
    queues = summarize_queues(snapshot)
    assert m.waiting == sum(q.waiting for q in queues) == 3
    assert {q.queue: q.waiting for q in queues} == {"billing": 1, "sales": 2, "support": 0}
    oldest = min(q.longest_wait_since for q in queues if q.longest_wait_since is not None)
    assert m.longest_wait_since == oldest == at(3)
    assert m.talking == sum(q.talking for q in queues) == 2


def test_nothing_known_is_none_not_zero() -> None:
    """Before the first snapshot nothing is measured: no count reads as zero and no
    threshold is crossed (an unknown number of free agents is not "none free")."""
    m = Metrics.compute(None, None)
    assert m == Metrics()
    assert (m.waiting, m.ringing, m.talking) == (None, None, None)
    assert (m.agents_available, m.agents_unavailable) == (None, None)
    assert m.longest_wait(at(100)) is None
    assert set(m.levels(Thresholds(agents_available_min=2), at(100)).values()) == {OK}


def test_calls_known_and_users_not_yet_known_are_told_apart() -> None:
    m = Metrics.compute(calls_snap(call("b", BRIDGED, 0)), None)
    assert (m.waiting, m.talking) == (0, 1), "calls arrived: an empty queue is a real zero"
    assert m.agents_available is None
    assert m.levels(Thresholds(agents_available_min=2), at(0))["agents_available"] is OK
    users_only = Metrics.compute(None, users_snap())
    assert users_only.agents_available == 0 and users_only.waiting is None
    assert users_only.levels(Thresholds(agents_available_min=2), at(0))["agents_available"] is ALERT


def test_longest_wait_is_the_oldest_call_start_among_ringing_and_queueing() -> None:
    m = Metrics.compute(
        calls_snap(
            # rang from 0 s, queued from 40 s: one wait, from the call's start
            call("q-rang-first", QUEUEING, state_start=40, call_start=0),
            call("q-direct", QUEUEING, state_start=10, call_start=10),
            call("r", RINGING, state_start=20, call_start=20),
        ),
        None,
    )
    assert m.longest_wait_since == at(0)
    assert m.longest_wait(at(75)) == 75.0


def test_a_ringing_call_can_be_the_longest_wait() -> None:
    m = Metrics.compute(
        calls_snap(call("q", QUEUEING, 30, call_start=30), call("r", RINGING, 5, call_start=5)),
        None,
    )
    assert m.longest_wait_since == at(5)


def test_bridged_calls_never_count_as_waiting() -> None:
    m = Metrics.compute(
        calls_snap(call("b-ancient", BRIDGED, -9000, call_start=-9999), call("q", QUEUEING, 50)),
        None,
    )
    assert m.longest_wait_since == at(50)
    only_bridged = Metrics.compute(calls_snap(call("b", BRIDGED, 0, call_start=0)), None)
    assert only_bridged.longest_wait_since is None
    assert only_bridged.talking == 1


def test_state_start_stands_in_for_a_missing_call_start_and_unknowns_are_ignored() -> None:
    m = Metrics.compute(
        calls_snap(call("q-state-only", QUEUEING, state_start=12), call("q-unknown", QUEUEING)),
        None,
    )
    assert m.longest_wait_since == at(12)
    assert m.waiting == 2


def test_longest_wait_never_negative_when_the_upstream_clock_is_ahead() -> None:
    m = Metrics.compute(calls_snap(call("q", QUEUEING, 30, call_start=30)), None)
    assert m.longest_wait(at(10)) == 0.0
    assert seconds_since(None, at(10)) is None


def test_agents_counted_from_dashboard_users_only() -> None:
    m = Metrics.compute(
        None,
        users_snap(
            user("1", UserState.AVAILABLE),
            user("2", UserState.AVAILABLE),
            user("3", UserState.AVAILABLE, dashboard=False),
            user("4", UserState.UNAVAILABLE),
            user("5", UserState.UNAVAILABLE, dashboard=False),
        ),
    )
    assert (m.agents_available, m.agents_unavailable) == (2, 1)


# --- levels at the boundaries -------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "level"),
    [(None, OK), (0, OK), (59, OK), (59.999, OK), (60, WARN), (119, WARN), (120, ALERT)],
)
def test_wait_level_boundaries(seconds, level) -> None:
    assert Thresholds().wait(seconds) is level


@pytest.mark.parametrize(("count", "level"), [(0, OK), (4, OK), (5, WARN), (9, WARN), (10, ALERT)])
def test_waiting_level_boundaries(count, level) -> None:
    assert Thresholds().waiting(count) is level


@pytest.mark.parametrize(("count", "level"), [(0, ALERT), (1, ALERT), (2, OK), (7, OK)])
def test_agents_below_the_floor_alert(count, level) -> None:
    assert Thresholds(agents_available_min=2).agents_available(count) is level


def test_a_zero_floor_never_alerts_on_agents() -> None:
    assert Thresholds(agents_available_min=0).agents_available(0) is OK


@pytest.mark.parametrize(
    ("age", "level"), [(59, OK), (60, WARN), (119, WARN), (120, ALERT), (3600, ALERT)]
)
def test_levels_of_the_longest_wait_age_at_draw_time(age, level) -> None:
    m = Metrics.compute(calls_snap(call("q", QUEUEING, 0, call_start=0)), None)
    assert m.levels(Thresholds(), now=at(age))["longest_wait"] is level


def test_levels_from_computed_metrics() -> None:
    queue = [call(f"q{i}", QUEUEING, i, call_start=i) for i in range(5)]
    users = users_snap(user("1", UserState.AVAILABLE), user("2", UserState.UNAVAILABLE))
    m = Metrics.compute(calls_snap(*queue), users)
    assert m.levels(Thresholds(), now=at(30)) == {
        "waiting": WARN,  # 5 waiting
        "longest_wait": OK,  # 30 s
        "agents_available": ALERT,  # 1 < 2
    }


def test_custom_thresholds_move_the_boundaries() -> None:
    t = Thresholds(wait_warn=10, wait_alert=20, waiting_warn=1, waiting_alert=2)
    assert [t.wait(s) for s in (9, 10, 19, 20)] == [OK, WARN, WARN, ALERT]
    assert [t.waiting(n) for n in (0, 1, 2)] == [OK, WARN, ALERT]
