"""``sl_15m`` and ``sl_60m`` tiles: the SL % of the last 15 and 60 minutes, each the
service's own window, judged and alerting as today's ``sl`` is."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rtdash.config import ServiceSettings
from rtdash.core.outcome_events import Abandoned, Answered, Event, Offered
from rtdash.core.service import ServiceLevel
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.core.thresholds import Level

from .test_service_alerts import _day

NOON = datetime(2024, 3, 5, 12, 0, tzinfo=UTC).timestamp()
LIMITS = ServiceThresholds(sl_warn=80, sl_alert=60)


def _calls(minutes_ago: float, count: int, *, answered: bool, now: float) -> list[Event]:
    """``count`` calls offered ``minutes_ago`` before ``now``: each answered after 5 s,
    or abandoned after 30 s."""
    events: list[Event] = []
    for n in range(count):
        ref, at = f"{minutes_ago}-{n}", now - minutes_ago * 60 + n
        events.append(Offered(ref, "sales", at))
        if answered:
            events.append(Answered(ref, "sales", at + 5, 5.0, "a.one"))
        else:
            events.append(Abandoned(ref, "sales", at + 30, 30.0))
    return events


def _a_bad_morning_then_worse() -> ServiceLevel:
    """Thirty calls answered in time two hours ago, twelve forty minutes ago, then
    twelve abandons in the last five minutes: today, the hour and the quarter differ."""
    service = ServiceLevel(ZoneInfo("UTC"), sl_seconds=20)
    service.metrics.advance(NOON)
    for minutes, count, answered in ((120, 30, True), (40, 12, True), (5, 12, False)):
        service.metrics.handle_all(_calls(minutes, count, answered=answered, now=NOON))
    return service


def test_window_tiles_read_the_services_own_windows_and_alert_as_sl_does() -> None:
    service = _a_bad_morning_then_worse()
    options = ServiceOptions(
        persist=False, thresholds=LIMITS, wallboard_tiles=("sl", "sl_15m", "sl_60m")
    )
    keeper = ServiceKeeper(service, options)
    tiles = {tile.key: tile for tile in keeper.tiles()}
    percents = {w: service.metrics.total(w).sl_percent for w in ("today", "15m", "60m")}
    assert len(set(percents.values())) == 3, percents
    for key, window in (("sl", "today"), ("sl_15m", "15m"), ("sl_60m", "60m")):
        assert tiles[key].value == percents[window]
        assert tiles[key].text == f"{percents[window]:.0f}%"
        assert tiles[key].level is LIMITS.sl(percents[window], 12)
    assert tiles["sl_15m"].label == "SL 20s last 15 min"
    assert tiles["sl_60m"].label == "SL 20s last 60 min"
    # today's SL % is only amber after the morning; the last quarter's is red, and says so
    assert keeper.levels() == {"sl": Level.WARN, "sl_15m": Level.ALERT, "sl_60m": Level.ALERT}


def test_only_a_configured_window_tile_breaches(tmp_path: Path) -> None:
    assert _day(tmp_path, ("sl_15m",))[:3] == ({"sl_15m"}, 1, 1)
    assert _day(tmp_path, ("answered", "sl_60m"))[:3] == ({"sl_60m"}, 1, 1)


@pytest.mark.parametrize("tiles", [["sl_15m"], ["sl", "sl_60m"]])
def test_the_config_accepts_the_window_tiles(tiles: list[str]) -> None:
    assert ServiceSettings(wallboard_tiles=tiles).wallboard_tiles == tiles
