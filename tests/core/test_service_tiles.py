"""Wallboard tiles of today's service level: texts, and levels that need enough calls."""

from __future__ import annotations

from dataclasses import replace

from rtdash.config import SERVICE_TILES, ServiceSettings
from rtdash.core.service_metrics import ServiceStats
from rtdash.core.service_tiles import MIN_CALLS, ServiceThresholds, service_tiles
from rtdash.core.thresholds import Level

STATS = ServiceStats(
    name="",
    offered=130,
    answered=100,
    abandoned=25,
    short_abandoned=5,
    unknown=0,
    answered_unknown_wait=0,
    answered_within_sl=84,
    sl_percent=70.0,
    abandon_percent=100 * 20 / 120,
    asa=75.4,
    longest_answer=200.0,
    longest_wait=260.0,
    talked=90,
    avg_talk=187.4,
    longest_talk=905.0,
)
LIMITS = ServiceThresholds.from_settings(ServiceSettings())


def test_every_configurable_tile_is_drawn_in_config_order() -> None:
    windows = {"15m": replace(STATS, sl_percent=90.0), "60m": replace(STATS, sl_percent=75.0)}
    tiles = service_tiles(STATS, list(reversed(SERVICE_TILES)), LIMITS, 20, windows)
    assert [t.key for t in tiles] == list(reversed(SERVICE_TILES))
    text = {t.key: (t.label, t.text) for t in tiles}
    assert text == {
        "sl": ("SL 20s", "70%"),
        "answered": ("Answered", "100"),
        "abandoned": ("Abandoned", "20"),  # short abandons apart
        "offered": ("Offered", "130"),
        "asa": ("Avg answer", "1:15"),
        "longest_wait": ("Longest wait", "4:20"),
        "abandon_percent": ("Abandon %", "17%"),
        "talk": ("Avg talk", "3:07"),
        "sl_15m": ("SL 20s last 15 min", "90%"),
        "sl_60m": ("SL 20s last 60 min", "75%"),
    }


def test_levels_fall_for_sl_and_rise_for_abandons() -> None:
    def levels(stats: ServiceStats) -> dict[str, Level]:
        tiles = service_tiles(stats, ["sl", "abandoned", "answered"], LIMITS, 20)
        return {t.key: t.level for t in tiles}

    assert levels(STATS) == {"sl": Level.WARN, "abandoned": Level.ALERT, "answered": Level.OK}
    good = replace(STATS, sl_percent=85.0, abandon_percent=4.0)
    assert levels(good)["sl"] is Level.OK and levels(good)["abandoned"] is Level.OK
    bad = replace(STATS, sl_percent=50.0, abandon_percent=7.0)
    assert levels(bad)["sl"] is Level.ALERT and levels(bad)["abandoned"] is Level.WARN
    # the first late answer of the morning is not an alarm
    early = replace(STATS, answered=1, abandoned=0, short_abandoned=0, sl_percent=0.0)
    assert MIN_CALLS > 1 and levels(early)["sl"] is Level.OK
    # no calls yet: a dash, never 0 %
    empty = replace(STATS, sl_percent=None, asa=None)
    tiles = service_tiles(empty, ["sl", "asa"], LIMITS, 20)
    assert [t.text for t in tiles] == ["–", "–"]


def test_the_talk_tile_is_asked_for_not_shown_by_default() -> None:
    assert "talk" not in ServiceSettings().wallboard_tiles
    chosen = ServiceSettings(wallboard_tiles=["sl", "talk"]).wallboard_tiles
    assert chosen == ["sl", "talk"]
    # no answered call has ended yet: a dash, never 0:00
    (tile,) = service_tiles(replace(STATS, talked=0, avg_talk=None), ["talk"], LIMITS, 20)
    assert (tile.text, tile.value, tile.level) == ("–", None, Level.OK)
