"""The live feed, driven by a scripted source and a frozen clock: no Textual, no network."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rtdash.api.models import CallState
from rtdash.core.feed import (
    FeedChange,
    FeedConsumer,
    LiveFeed,
    is_stale,
)
from rtdash.core.metrics import Metrics
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.recording_consumer import RecordingConsumer
from rtdash.core.source import Source
from rtdash.core.thresholds import Level

from .feed_rig import AGENTS, Log, rig
from .rows import T0, call, user

QUEUEING, BRIDGED = CallState.QUEUEING, CallState.BRIDGED


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


def test_too_few_agents_breach_before_any_calls_poll() -> None:
    """Only today's service level waits for the calls to be polled: users polled while
    the calls route fails still raise the agents' breach."""
    feed, source, _, _ = rig()
    source.users(user("1"))
    feed.tick()
    assert feed.calls is None and feed.metrics.agents_available == 1
    assert feed.alerts.active == {"agents_available"}


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


def test_a_number_past_its_warning_level_is_the_installation_s_warning() -> None:
    """A tab shows the installation's health, and help reads a calm tab as nothing past
    a threshold: a wait in amber must make it a warning, not "all well"."""
    feed, source, _, _ = rig()
    source.poll([call("q", QUEUEING, -90, -90)], AGENTS)
    feed.tick()
    assert feed.metrics.levels(feed.alerts.thresholds, feed.clock.now())["longest_wait"] is (
        Level.WARN
    )
    assert feed.alerts.active == set() and feed.bells == 0
    assert feed.health() is Level.WARN
    # the caller is answered: nothing is past a threshold any more
    source.poll([call("q", BRIDGED, 0, -90)], AGENTS)
    feed.tick()
    assert feed.health() is Level.OK


def test_a_derived_number_past_its_warning_level_is_the_installation_s_warning() -> None:
    """Today's SL % in amber (a consumer's level, as the service level gives it) marks
    the installation as the headline's waits do."""
    feed, source, _, _ = rig()
    feed.alerts.sources.append(lambda: {"sl": Level.WARN})
    source.poll([], AGENTS)
    feed.tick()
    assert feed.alerts.active == set()
    assert feed.health() is Level.WARN


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
    # the times stop where they were when the data became stale (its time plus three
    # intervals of 2 s), as the screen showed them: never counted back
    assert feed.frozen_at == T0 + timedelta(seconds=6) and feed.data_time == T0
    assert feed.clock.now() == T0 + timedelta(seconds=6), "durations stop at staleness"
    assert any(change.stale_changed for change in log.changes)
    assert feed.health() is Level.ALERT
    # two minutes later: the wait would have crossed the 120 s alert, but it is invented
    for _ in range(120):
        clock.advance(1)
        feed.tick()
    assert feed.metrics.longest_wait(feed.clock.now()) == 106
    assert feed.alerts.active == set() and feed.bells == 0
    assert not feed.flashing
    assert feed.stale_for() == pytest.approx(127)
    # recovery: a fresh poll clears staleness, and the breach (now real) rings
    source.poll([call("q", QUEUEING, -100, -100)], AGENTS)
    assert not feed.stale and feed.frozen_at is None
    assert feed.clock.now() == clock.now()
    feed.tick()
    assert feed.alerts.active == {"longest_wait"} and feed.bells == 1


def test_data_on_screen_stays_stale_when_a_restarted_source_knows_no_success() -> None:
    """A hub started again while the upstream fails says "no data yet" for a route (or
    for both): the data from before, still shown, is as old as it was, not fresh."""
    feed, source, clock, _ = rig()
    source.poll([call("q", QUEUEING, -100, -100)], AGENTS)
    clock.advance(10)
    feed.tick()
    assert feed.stale and feed.frozen_at == T0 + timedelta(seconds=6)
    knows_nothing = PollerStatus(Phase.RETRYING, 2.0, dict.fromkeys(Route, RouteHealth()))
    feed.on_status(knows_nothing)
    assert feed.stale and feed.data_time == T0
    assert feed.frozen_at == T0 + timedelta(seconds=6), "the times stay frozen"
    # its users poll answers, its calls poll still fails: the calls shown are old
    users_only = {Route.USERS: RouteHealth(last_success=clock.now()), Route.CALLS: RouteHealth()}
    feed.on_status(PollerStatus(Phase.RETRYING, 2.0, users_only))
    assert feed.stale and feed.data_time == T0
    clock.advance(120)
    feed.tick()
    # the calls' times stop with the calls; the agents' with the users answered since
    assert feed.metrics.longest_wait(feed.clock.calls.now()) == 106
    assert feed.clock.agents.now() == T0 + timedelta(seconds=16)
    assert feed.alerts.active == set() and feed.bells == 0
    # a good poll of both makes it fresh again
    source.poll([call("q", QUEUEING, -100, -100)], AGENTS)
    assert not feed.stale and feed.frozen_at is None


def test_a_source_with_no_data_yet_is_not_stale() -> None:
    feed, _, _, _ = rig()
    feed.on_status(PollerStatus(Phase.RETRYING, 2.0, dict.fromkeys(Route, RouteHealth())))
    assert not feed.stale and feed.data_time is None


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


def test_paused_the_clock_stands_where_the_screens_last_drew_their_times() -> None:
    """A screen that reads the time on a paused dashboard (a lookup opened then) counts
    to the moment its rows were drawn for, not to the present; new rows taken while
    paused (a refresh) are drawn for when they came, and the clock stands there."""
    feed, source, clock, _ = rig()
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    clock.advance(3)
    feed.tick()
    drawn = clock.now()
    source.pause()
    clock.advance(600)
    feed.tick()
    assert feed.clock.now() == drawn and feed.clock.holding
    source.poll([call("q", QUEUEING, 0, 0), call("b", BRIDGED, -5)], AGENTS)
    assert feed.clock.now() == clock.now()
    clock.advance(30)
    feed.tick()
    assert feed.clock.now() == clock.now() - timedelta(seconds=30)
    source.resume()
    assert not feed.clock.holding
    feed.tick()  # the screens' times move on with the first tick after the pause
    assert feed.clock.now() == clock.now()


def test_a_replay_paused_keeps_its_own_clock() -> None:
    """A recording's clock is its position: a seek while paused moves it."""
    feed, source, clock, _ = rig(judge_staleness=False, hold_when_paused=False)
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    feed.tick()
    source.pause()
    clock.advance(60)
    assert feed.clock.now() == clock.now() and not feed.clock.holding


def test_staleness_is_not_judged_in_replay() -> None:
    feed, source, clock, _ = rig(judge_staleness=False)
    source.poll([call("q", QUEUEING, 0, 0)], AGENTS)
    clock.advance(600)
    feed.tick()
    assert not feed.stale


def test_is_stale_is_the_status_bars_rule() -> None:
    health = RouteHealth(last_success=T0)
    status = PollerStatus(Phase.RETRYING, 2.0, dict.fromkeys(Route, health))
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
