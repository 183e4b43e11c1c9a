"""Today's service level as a consumer of the live feed: found by kind, alerting through
the feed's breaches (never on stale data), saved off the loop, the demo never continued."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

from rtdash.core.clock import FrozenClock
from rtdash.core.daystate import DayStore, demo_key, read_state, state_key, state_path
from rtdash.core.feed import FeedOptions, LiveFeed
from rtdash.core.service import ServiceLevel
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions, attach_service
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.core.thresholds import Thresholds

from .feed_rig import ScriptedSource
from .rows import T0
from .test_outcomes import bridged, waiting

UTC = ZoneInfo("UTC")
BASE = "https://api.example.com/reports/v2"


def _feed(tmp_path: Path, **options: object) -> tuple[LiveFeed, ScriptedSource, FrozenClock]:
    clock = FrozenClock(T0)
    feed = LiveFeed(
        FeedOptions(
            clock=clock,
            thresholds=Thresholds(agents_available_min=0, waiting_warn=50, waiting_alert=100),
        )
    )
    source = ScriptedSource(feed, clock)
    feed.attach(source)  # type: ignore[arg-type]  # why: a scripted stand-in for the poller
    return feed, source, clock


def _abandon_twelve(source: ScriptedSource, clock: FrozenClock) -> None:
    """Twelve callers wait, then all hang up after 30 s: abandon % is 100."""
    t = clock.now().timestamp() - T0.timestamp()
    source.calls(*(waiting(f"c{i}", t) for i in range(12)))
    source.status()
    clock.advance(30)
    source.status()  # fresh: the poll that finds them gone succeeded just now
    source.calls()
    source.status()


def test_found_by_kind_and_alerts_through_the_feed(tmp_path: Path) -> None:
    feed, source, clock = _feed(tmp_path)
    options = ServiceOptions(persist=False, thresholds=ServiceThresholds(abandon_alert=10))
    keeper = attach_service(feed, options, zone=UTC, base_url=BASE, igrp=1)
    assert feed.find(ServiceLevel) is keeper.service
    assert feed.find(ServiceKeeper) is keeper
    _abandon_twelve(source, clock)
    assert keeper.service.report().total.abandoned == 12
    assert {"abandoned", "sl"} <= feed.alerts.active  # the poll that counted them
    rung = feed.bells
    feed.tick()
    assert {"abandoned", "sl"} <= feed.alerts.active
    assert feed.bells == rung, "one bell per breach, not one per second"
    assert "abandoned" in feed.alerts.flashing(clock.now(), 10)
    tiles = {tile.key: tile for tile in keeper.tiles()}
    assert (tiles["answered"].text, tiles["abandoned"].text, tiles["sl"].text) == ("0", "12", "0%")


def test_stale_data_raises_no_service_alert(tmp_path: Path) -> None:
    feed, source, clock = _feed(tmp_path)
    attach_service(feed, ServiceOptions(persist=False), zone=UTC, base_url=BASE, igrp=1)
    t = 0.0
    source.calls(*(waiting(f"c{i}", t) for i in range(12)))
    source.status()
    clock.advance(30)
    source.calls()  # the abandons are counted…
    assert feed.stale
    clock.advance(600)  # …but the data is ten minutes old before anyone looks
    feed.tick()
    assert feed.stale
    assert not feed.alerts.active and feed.bells == 0


def test_restored_the_same_day_and_saved_off_the_loop(tmp_path: Path) -> None:
    feed, source, clock = _feed(tmp_path)
    options = ServiceOptions()
    now = T0.timestamp()
    keeper = attach_service(
        feed, options, zone=UTC, base_url=BASE, igrp=7, folder=tmp_path, now=now
    )
    assert keeper.run_saver in feed.tasks
    source.calls(waiting("c1", 0))
    clock.advance(10)
    source.calls(bridged("c1", 8, 0))
    assert asyncio.run(keeper.save()) is True
    path = state_path(state_key(BASE, 7), tmp_path)
    assert read_state(path)["metrics"]["day"]["total"]["answered"] == 1  # type: ignore[index]

    again, _, _ = _feed(tmp_path)
    restored = attach_service(
        again, options, zone=UTC, base_url=BASE, igrp=7, folder=tmp_path, now=now + 60
    )
    assert restored.service.report().total.answered == 1


def test_the_demo_writes_its_own_key_and_never_continues(tmp_path: Path) -> None:
    path = state_path(demo_key(1234), tmp_path)
    earlier = ServiceLevel(UTC)
    feed, source, clock = _feed(tmp_path)
    earlier_keeper = attach_service(
        feed, ServiceOptions(), zone=UTC, base_url=BASE, igrp=1234, demo=True, folder=tmp_path
    )
    source.calls(waiting("c1", 0))
    clock.advance(10)
    source.calls(bridged("c1", 8, 0))
    earlier_keeper.close()
    assert read_state(path) is not None
    assert not state_path(state_key(BASE, 1234), tmp_path).exists()
    DayStore(path).maybe_save(earlier, force=True)  # a file for today is there…
    second, _, _ = _feed(tmp_path)
    keeper = attach_service(
        second,
        ServiceOptions(),
        zone=UTC,
        base_url=BASE,
        igrp=1234,
        demo=True,
        folder=tmp_path,
        now=T0.timestamp(),
    )
    assert keeper.service.report().total.answered == 0  # …and a new demo starts at zero


def test_confirmer_runs_as_a_feed_task_only_when_asked(tmp_path: Path) -> None:
    feed, _, _ = _feed(tmp_path)

    async def lookup(ref: str) -> None:
        return None

    off = attach_service(
        feed, ServiceOptions(persist=False), zone=UTC, base_url=BASE, igrp=1, lookup=lookup
    )
    assert off.confirmer is None and feed.tasks == []
    other, _, _ = _feed(tmp_path)
    on = attach_service(
        other,
        ServiceOptions(persist=False, confirm_outcomes=True),
        zone=UTC,
        base_url=BASE,
        igrp=1,
        lookup=lookup,
    )
    assert on.confirmer is not None and other.tasks == [on.confirmer.run]
