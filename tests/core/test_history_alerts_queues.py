"""History for sparklines, alert breaches and the per-queue summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.alerts import AlertTracker
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.queues import NO_QUEUE, summarize_queues
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.thresholds import Thresholds

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_history_buckets_keep_the_worst_value_and_stay_bounded() -> None:
    history = History(minutes=2, bucket_seconds=30)
    assert history.size == 4
    history.add(T0, waiting=1, available=5)
    history.add(T0 + timedelta(seconds=10), waiting=4, available=2)
    history.add(T0 + timedelta(seconds=20), waiting=2, available=3)
    assert history.waiting() == [4] and history.available() == [2]
    for minute in range(1, 20):
        history.add(T0 + timedelta(seconds=30 * minute), waiting=minute, available=0)
    assert len(history) == 4, "an hour-long run holds a fixed number of buckets"
    assert history.waiting() == [16, 17, 18, 19]


def test_history_ignores_a_clock_that_steps_back() -> None:
    history = History(minutes=5, bucket_seconds=30)
    history.add(T0, waiting=3, available=1)
    history.add(T0 - timedelta(minutes=5), waiting=9, available=0)
    assert history.waiting() == [3]


def test_a_breach_begins_once_until_it_clears() -> None:
    tracker = AlertTracker(Thresholds(waiting_alert=3, agents_available_min=1))
    calm = Metrics(waiting=1, agents_available=2)
    busy = Metrics(waiting=5, agents_available=2)
    assert tracker.update(calm, T0) == set()
    assert tracker.update(busy, T0 + timedelta(seconds=1)) == {"waiting"}
    assert tracker.update(busy, T0 + timedelta(seconds=2)) == set(), "no second bell"
    assert tracker.update(calm, T0 + timedelta(seconds=3)) == set()
    assert tracker.update(busy, T0 + timedelta(seconds=4)) == {"waiting"}, "a new breach"
    assert tracker.total == 2


def test_flashing_lasts_flash_seconds_then_the_breach_holds_steady() -> None:
    tracker = AlertTracker(Thresholds(wait_alert=60, wait_warn=30, agents_available_min=0))
    long_wait = Metrics(waiting=1, longest_wait_since=T0 - timedelta(seconds=90))
    tracker.update(long_wait, T0)
    assert tracker.flashing(T0 + timedelta(seconds=5), 10) == {"longest_wait"}
    assert tracker.flashing(T0 + timedelta(seconds=11), 10) == set()
    assert tracker.active == {"longest_wait"}


def test_no_user_data_is_not_an_agents_breach() -> None:
    tracker = AlertTracker(Thresholds(agents_available_min=2))
    assert tracker.update(Metrics(), T0) == set(), "no user data yet: nothing known"
    assert tracker.update(Metrics(agents_available=0), T0) == {"agents_available"}


def _call(ref: str, state: CallState, queue: str | None, waited: int) -> ActiveCall:
    start = T0 - timedelta(seconds=waited)
    return ActiveCall(call_ref=ref, state=state, queue=queue, call_start=start, state_start=start)


def test_queue_summary_counts_waits_and_talkers_longest_wait_first() -> None:
    snapshot = CallsSnapshot.build(
        [
            _call("a", CallState.QUEUEING, "sales", 40),
            _call("b", CallState.RINGING, "sales", 10),
            _call("c", CallState.QUEUEING, "support", 90),
            _call("d", CallState.BRIDGED, "support", 300),
            _call("e", CallState.BRIDGED, "billing", 100),
            _call("f", CallState.QUEUEING, None, 5),
        ],
        T0,
    )
    rows = summarize_queues(snapshot)
    assert [row.queue for row in rows] == ["support", "sales", NO_QUEUE, "billing"]
    support, sales, none, billing = rows
    assert (support.waiting, support.talking, support.longest_wait(T0)) == (1, 1, 90)
    assert (sales.waiting, sales.longest_wait(T0)) == (2, 40)
    assert none.waiting == 1
    assert (billing.waiting, billing.talking, billing.longest_wait_since) == (0, 1, None)
