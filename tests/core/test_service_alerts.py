"""A breach of today's service level is raised only for a tile the configuration
shows (``[service] wallboard_tiles``): a number nobody chose to watch never rings the
bell, marks the installation in alert or counts as a breach."""

from __future__ import annotations

from pathlib import Path

from rtdash.core.service_feed import ServiceOptions, attach_service
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.core.thresholds import Level

from .test_service_feed import BASE, UTC, _abandon_twelve, _feed


def _day(tmp_path: Path, tiles: tuple[str, ...]) -> tuple[set[str], int, int, Level]:
    """Twelve abandons (SL 0 %, abandon 100 %) with ``tiles`` configured: the breaches
    active, bells rung, breaches counted, and the installation's health."""
    feed, source, clock = _feed(tmp_path)
    options = ServiceOptions(
        persist=False, thresholds=ServiceThresholds(abandon_alert=10), wallboard_tiles=tiles
    )
    keeper = attach_service(feed, options, zone=UTC, base_url=BASE, igrp=1)
    _abandon_twelve(source, clock)
    feed.tick()
    assert keeper.service.report().total.abandoned == 12  # the numbers are there
    return set(feed.alerts.active), feed.bells, feed.alerts.total, feed.health()


def test_no_service_tile_configured_raises_no_service_alert(tmp_path: Path) -> None:
    active, bells, total, health = _day(tmp_path, ("answered", "offered"))
    assert active == set() and bells == 0 and total == 0
    assert health is not Level.ALERT


def test_only_the_configured_tiles_breach(tmp_path: Path) -> None:
    assert _day(tmp_path, ("answered", "abandoned"))[:3] == ({"abandoned"}, 1, 1)
    assert _day(tmp_path, ("sl",))[:3] == ({"sl"}, 1, 1)
    assert _day(tmp_path, ("abandon_percent",))[:3] == ({"abandon_percent"}, 1, 1)


def test_the_default_tiles_breach_once_each(tmp_path: Path) -> None:
    active, bells, total, health = _day(tmp_path, ServiceOptions().wallboard_tiles)
    # SL and abandoned are shown; abandon % (not shown by default) adds no breach
    assert (active, bells, total, health) == ({"sl", "abandoned"}, 1, 2, Level.ALERT)


def test_totals_restored_at_a_start_raise_no_alert_until_the_first_calls_poll(
    tmp_path: Path,
) -> None:
    """A start while the service does not answer: today's restored totals breach, but
    nothing rings or flashes before the installation's first calls poll."""
    feed, source, clock = _feed(tmp_path)
    options = ServiceOptions(persist=False, thresholds=ServiceThresholds(abandon_alert=10))
    keeper = attach_service(feed, options, zone=UTC, base_url=BASE, igrp=1)
    _abandon_twelve(source, clock)
    assert {"abandoned", "sl"} <= feed.alerts.active
    saved = keeper.service.to_dict()

    again, source, clock = _feed(tmp_path)
    restored = attach_service(again, options, zone=UTC, base_url=BASE, igrp=1)
    restored.service.restore(saved)
    assert restored.service.report().total.abandoned == 12
    for _ in range(3):
        again.tick()
        clock.advance(1)
    assert again.alerts.active == set() and again.bells == 0 and again.alerts.total == 0
    assert again.health() is not Level.ALERT
    source.calls()  # the first poll answers: the breaches are real now
    source.status()
    assert {"abandoned", "sl"} <= again.alerts.active and again.bells == 1
