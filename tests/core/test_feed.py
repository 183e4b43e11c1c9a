"""The live feed, driven by a scripted source and a frozen clock: no Textual, no network."""

from __future__ import annotations

from datetime import datetime

import pytest

from rtdash.api.models import CallState, UserState
from rtdash.core.clock import FrozenClock
from rtdash.core.feed import (
    FeedChange,
    FeedConsumer,
    FeedOptions,
    LiveFeed,
    is_stale,
)
from rtdash.core.metrics import Metrics
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.recording_consumer import RecordingConsumer
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import Source
from rtdash.core.thresholds import Level, Thresholds

from .rows import T0, call, user

QUEUEING, BRIDGED = CallState.QUEUEING, CallState.BRIDGED


class ScriptedSource:
    """A source whose deliveries the test makes: it pushes what it is told to."""

    def __init__(self, sink: LiveFeed, clock: FrozenClock, interval: float = 2.0) -> None:
        self.sink = sink
        self.clock = clock
        self.interval = interval
        self._paused = False
        self.refreshes = 0
        self.stopped = False

    @property
    def paused(self) -> bool:
        return self._paused

    async def run(self) -> None:
        return None

    def pause(self) -> None:
        self._paused = True
        self.status()

    def resume(self) -> None:
        self._paused = False
        self.status()

    def refresh_now(self) -> None:
        self.refreshes += 1

    def stop(self) -> None:
        self.stopped = True

    # --- what the test scripts ---------------------------------------------------------

    def calls(self, *rows: object) -> CallsSnapshot:
        snapshot = CallsSnapshot.build(list(rows), self.clock.now())
        self.sink.on_calls(snapshot)
        return snapshot

    def users(self, *rows: object) -> UsersSnapshot:
        snapshot = UsersSnapshot.build(list(rows), self.clock.now())
        self.sink.on_users(snapshot)
        return snapshot

    def status(self, last: datetime | None = None, phase: Phase | None = None) -> PollerStatus:
        health = RouteHealth(last_success=last or self.clock.now())
        status = PollerStatus(
            phase=phase or (Phase.PAUSED if self._paused else Phase.LIVE),
            interval=self.interval,
            routes=dict.fromkeys(Route, health),
        )
        self.sink.on_status(status)
        return status

    def poll(self, calls: list[object], users: list[object]) -> None:
        """One successful poll of both routes, as the poller delivers it."""
        self.calls(*calls)
        self.users(*users)
        self.status()


class Log(FeedConsumer):
    def __init__(self) -> None:
        self.snapshots: list[CallsSnapshot | UsersSnapshot] = []
        self.statuses: list[PollerStatus] = []
        self.changes: list[FeedChange] = []

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        self.snapshots.append(snapshot)

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        self.statuses.append(status)

    def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
        self.changes.append(change)


def rig(**options: object) -> tuple[LiveFeed, ScriptedSource, FrozenClock, Log]:
    clock = FrozenClock(T0)
    feed = LiveFeed(FeedOptions(clock=clock, thresholds=Thresholds(), **options))  # type: ignore[arg-type]
    source = ScriptedSource(feed, clock)
    feed.attach(source)
    log = Log()
    feed.subscribe(log)
    return feed, source, clock, log


AGENTS = [user("1"), user("2"), user("3", UserState.UNAVAILABLE)]


def test_a_scripted_source_is_a_source() -> None:
    feed, source, _, _ = rig()
    assert isinstance(source, Source)
    assert feed.source is source
    assert not feed.paused
    source.pause()
    assert feed.paused


def test_no_data_is_no_numbers_and_no_alert() -> None:
    feed, _, _, _ = rig()
    feed.tick()
    assert feed.metrics == Metrics()
    assert feed.alerts.active == set()
    assert feed.health() is Level.WARN
    assert not feed.stale


def test_snapshots_make_the_metrics_from_both_routes() -> None:
    feed, source, _, log = rig()
    source.poll([call("q", QUEUEING, -30, -30), call("b", BRIDGED, -5)], AGENTS)
    assert (feed.metrics.waiting, feed.metrics.talking) == (1, 1)
    assert (feed.metrics.agents_available, feed.metrics.agents_unavailable) == (2, 1)
    assert feed.metrics.longest_wait(T0) == 30
    assert [c for c in log.changes if c.calls or c.users] == [
        FeedChange(calls=True),
        FeedChange(users=True),
    ]
    # a users snapshot keeps the calls' numbers (each route recomputes its own part)
    source.users(user("1"))
    assert (feed.metrics.waiting, feed.metrics.agents_available) == (1, 1)
    assert feed.health() is Level.ALERT  # one agent available is below the floor of 2


def test_an_unchanged_snapshot_changes_nothing_but_still_reaches_consumers() -> None:
    feed, source, clock, log = rig()
    first = source.calls(call("q", QUEUEING, 0))
    metrics = feed.metrics
    changes = len(log.changes)
    clock.advance(2)
    again = first.again(clock.now())
    feed.on_calls(again)
    assert feed.calls is again  # the newest stamp is kept
    assert feed.metrics is metrics  # nothing recomputed
    assert len(log.changes) == changes  # nothing to redraw
    assert log.snapshots[-1] is again  # a recorder still gets every poll


def test_a_breach_rings_the_bell_once_and_clears() -> None:
    feed, source, clock, log = rig()
    source.poll([call(str(n), QUEUEING, 0, 0) for n in range(10)], AGENTS)
    assert feed.alerts.active == {"waiting"}
    assert feed.bells == 1
    assert any(change.began == {"waiting"} for change in log.changes)
    for _ in range(3):
        clock.advance(1)
        source.status()
        feed.tick()
    assert feed.bells == 1, "once per breach, not once per poll or tick"
    source.calls(call("0", QUEUEING, 0, 0))
    assert feed.alerts.active == set()
    source.calls(*[call(str(n), QUEUEING, 0, 0) for n in range(10)])
    assert feed.bells == 2


def test_the_bell_can_be_off_while_the_alert_still_shows() -> None:
    feed, source, _, _ = rig(bell=False)
    source.poll([call(str(n), QUEUEING, 0, 0) for n in range(10)], AGENTS)
    assert feed.alerts.active == {"waiting"} and feed.bells == 0


def test_the_longest_wait_breaches_as_time_passes_on_ticks() -> None:
    feed, source, clock, _ = rig()
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    assert feed.alerts.active == set()
    for _ in range(121):
        clock.advance(1)
        source.status()  # polls keep coming: the data is fresh
        feed.tick()
    assert feed.alerts.active == {"longest_wait"}
    assert feed.bells == 1


def test_a_new_breach_flashes_on_alternate_ticks_then_holds() -> None:
    feed, source, clock, _ = rig(flash_seconds=4.0)
    source.poll([call(str(n), QUEUEING, 0, 0) for n in range(10)], AGENTS)
    lit = []
    for _ in range(6):
        clock.advance(1)
        source.status()
        feed.tick()
        lit.append(bool(feed.flashing))
    assert lit == [True, False, True, False, False, False]


def test_history_samples_each_change_and_tick() -> None:
    feed, source, clock, _ = rig()
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    assert feed.history.waiting() == [1]
    clock.advance(30)
    source.status()
    feed.tick()
    assert feed.history.waiting() == [1, 1]
    assert feed.history.available() == [2, 2]


def test_stale_data_freezes_times_and_raises_no_new_alert() -> None:
    feed, source, clock, log = rig()
    source.poll([call("q", QUEUEING, -100, -100)], AGENTS)
    assert feed.metrics.longest_wait(feed.clock.now()) == 100
    assert not feed.stale and feed.frozen_at is None
    # the upstream goes away: no more polls, only time
    for _ in range(6):
        clock.advance(1)
        feed.tick()
    assert not feed.stale, "3 intervals of 2 s is the limit, not past it"
    clock.advance(1)
    feed.tick()
    assert feed.stale, "past 3 intervals of 2 s"
    assert feed.frozen_at == T0 and feed.data_time == T0
    assert feed.clock.now() == T0, "durations are drawn at the data's time"
    assert any(change.stale_changed for change in log.changes)
    assert feed.health() is Level.ALERT
    # two minutes later: the wait would have crossed the 120 s alert, but it is invented
    for _ in range(120):
        clock.advance(1)
        feed.tick()
    assert feed.metrics.longest_wait(feed.clock.now()) == 100
    assert feed.alerts.active == set() and feed.bells == 0
    assert not feed.flashing
    assert feed.stale_for() == pytest.approx(127)
    # recovery: a fresh poll clears staleness, and the breach (now real) rings
    source.poll([call("q", QUEUEING, -100, -100)], AGENTS)
    assert not feed.stale and feed.frozen_at is None
    assert feed.clock.now() == clock.now()
    feed.tick()
    assert feed.alerts.active == {"longest_wait"} and feed.bells == 1


def test_an_alert_active_when_the_data_went_stale_stays_but_no_bell_rings_again() -> None:
    feed, source, clock, _ = rig()
    source.poll([call(str(n), QUEUEING, 0, 0) for n in range(10)], AGENTS)
    assert feed.bells == 1
    clock.advance(10)
    feed.tick()
    assert feed.stale
    assert feed.alerts.active == {"waiting"}, "it was true at the data's time"
    assert feed.bells == 1


def test_paused_is_not_stale_and_holds_still() -> None:
    feed, source, clock, _ = rig()
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    source.pause()
    clock.advance(600)
    feed.tick()
    assert feed.paused and not feed.stale
    assert len(feed.history) == 1, "paused, no samples are added"


def test_staleness_is_not_judged_in_replay() -> None:
    feed, source, clock, _ = rig(judge_staleness=False)
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    clock.advance(600)
    feed.tick()
    assert not feed.stale


def test_is_stale_is_the_status_bars_rule() -> None:
    health = RouteHealth(last_success=T0)
    status = PollerStatus(Phase.RETRYING, 2.0, dict.fromkeys(Route, health))
    from datetime import timedelta

    assert not is_stale(status, T0 + timedelta(seconds=6))
    assert is_stale(status, T0 + timedelta(seconds=6.01))
    assert not is_stale(None, T0)


def test_rewind_forgets_history_and_alerts() -> None:
    feed, source, _, _ = rig()
    source.poll([call(str(n), QUEUEING, 0, 0) for n in range(10)], AGENTS)
    history = feed.history
    feed.rewind()
    assert feed.history is history and len(history) == 0  # the same object, emptied
    assert feed.alerts.active == set() and feed.alerts.since == {}


def test_a_failing_consumer_does_not_starve_the_others() -> None:
    feed, source, _, log = rig()

    class Broken(FeedConsumer):
        def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
            raise RuntimeError("a widget bug")

    feed._listeners.insert(0, Broken())
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    assert feed.metrics.waiting == 1
    assert any(change.calls for change in log.changes)


def test_a_consumer_is_found_by_its_kind() -> None:
    feed, _, _, log = rig()
    assert feed.find(Log) is log
    assert feed.find(RecordingConsumer) is None


def test_unsubscribe_stops_delivery() -> None:
    feed, source, _, _ = rig()
    other = Log()
    unsubscribe = feed.subscribe(other)
    source.calls(call("q", QUEUEING, 0))
    unsubscribe()
    unsubscribe()  # idempotent
    source.calls(call("b", BRIDGED, 0))
    assert len(other.snapshots) == 1


class FakeRecorder:
    def __init__(self, fail_after: int | None = None) -> None:
        self.kinds: list[str] = []
        self.fail_after = fail_after
        self.closed = False

    def record_calls(self, snapshot: CallsSnapshot) -> bool:
        return self._write("calls")

    def record_users(self, snapshot: UsersSnapshot) -> bool:
        return self._write("users")

    def _write(self, kind: str) -> bool:
        from rtdash.core.recording import RecordingError

        if self.fail_after is not None and len(self.kinds) >= self.fail_after:
            raise RecordingError("disk full")
        self.kinds.append(kind)
        return True

    def close(self) -> None:
        self.closed = True


def test_the_recorder_is_a_consumer_that_keeps_every_poll() -> None:
    feed, source, clock, _ = rig()
    recorder = FakeRecorder()
    consumer = RecordingConsumer(recorder)
    feed.subscribe(consumer)
    first = source.calls(call("q", QUEUEING, 0))
    feed.on_calls(first.again(clock.now()))  # unchanged: recorded all the same
    source.users(*AGENTS)
    assert recorder.kinds == ["calls", "calls", "users"]
    consumer.close()
    assert recorder.closed


def test_a_failing_recorder_stops_once_and_says_so() -> None:
    feed, source, _, _ = rig()
    errors: list[str] = []
    recorder = FakeRecorder(fail_after=1)
    feed.subscribe(RecordingConsumer(recorder, on_error=errors.append))
    source.calls(call("q", QUEUEING, 0))
    source.calls(call("b", BRIDGED, 0))
    source.calls(call("c", BRIDGED, 0))
    assert errors == ["disk full"]
    assert recorder.kinds == ["calls"]
    assert feed.calls is not None and feed.metrics.talking == 1  # the feed carried on


async def test_run_drives_the_source_and_ticks() -> None:
    feed, source, _, log = rig()
    ticks: list[float] = []

    async def sleep(seconds: float) -> None:
        ticks.append(seconds)
        if len(ticks) > 3:
            import asyncio

            await asyncio.Event().wait()  # the source ends first

    async def run() -> None:
        import asyncio

        for _ in range(10):
            await asyncio.sleep(0)

    source.run = run  # type: ignore[method-assign]
    await feed.run(sleep=sleep)
    assert ticks == [1.0] * 4
    assert sum(change.tick for change in log.changes) == 3
