"""Today's service level as wallboard tiles: a label, the text to show, and a level.

The wallboard and the dashboard's metrics line draw these and nothing else, so which
tiles there are (``[service] wallboard_tiles``), how each reads and when it turns amber
or red is decided here, once, without Textual.

SL % falls as things get worse, so it warns *below* ``sl_warn``; abandon % rises, so it
warns *above* ``abandon_warn``. Neither judges a day on a handful of calls: until
:data:`MIN_CALLS` calls have an outcome, a 0 % from the first late answer of the morning
stays un-alarmed.

The recent windows (``sl_15m``, ``sl_60m``) are SL % as ``sl`` reads and judges it, over
the last 15 or 60 minutes: after a bad morning the day's figure hardly moves, and a
supervisor needs to see whether the service is better now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from rtdash.core.service_metrics import ServiceStats
from rtdash.core.thresholds import Level

#: calls with an outcome before SL % and abandon % may warn or alert
MIN_CALLS = 10
#: the recent windows' SL tiles, by the window each reads (:data:`.service_metrics.WINDOWS`)
WINDOW_TILES: dict[str, str] = {"sl_15m": "15m", "sl_60m": "60m"}


@dataclass(frozen=True, slots=True)
class ServiceThresholds:
    sl_warn: float = 80
    sl_alert: float = 60
    abandon_warn: float = 5
    abandon_alert: float = 10

    @classmethod
    def from_settings(cls, settings: object) -> ServiceThresholds:
        names = cls.__dataclass_fields__
        return cls(**{name: getattr(settings, name) for name in names})

    def sl(self, percent: float | None, counted: int) -> Level:
        if percent is None or counted < MIN_CALLS:
            return Level.OK
        if percent < self.sl_alert:
            return Level.ALERT
        return Level.WARN if percent < self.sl_warn else Level.OK

    def abandon(self, percent: float | None, counted: int) -> Level:
        if percent is None or counted < MIN_CALLS:
            return Level.OK
        if percent > self.abandon_alert:
            return Level.ALERT
        return Level.WARN if percent > self.abandon_warn else Level.OK


@dataclass(frozen=True, slots=True)
class Tile:
    key: str
    label: str
    text: str
    value: float | None
    level: Level = Level.OK


class TileSource(Protocol):
    """Where a headline's service tiles come from: today's service level on a live
    view, the recorded totals in a replay."""

    def tiles(self, keys: tuple[str, ...] | list[str]) -> tuple[Tile, ...]: ...


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _secs(value: float | None) -> str:
    if value is None:
        return "–"
    whole = round(value)
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole}s"


def counted(stats: ServiceStats) -> int:
    """Calls in the SL % denominator: answered (wait known) + abandoned − short."""
    return stats.answered - stats.answered_unknown_wait + stats.abandoned - stats.short_abandoned


def service_tiles(
    stats: ServiceStats,
    keys: list[str] | tuple[str, ...],
    thresholds: ServiceThresholds,
    sl_seconds: float,
    windows: Mapping[str, ServiceStats] | None = None,
) -> tuple[Tile, ...]:
    """The tiles named by ``keys`` (config order), for one queue or the installation.
    ``windows``: the recent windows' totals by window ("15m"), for their SL tiles; a
    window not given (a recording keeps none) is shown as not known."""
    n = counted(stats)
    abandoned = stats.abandoned - stats.short_abandoned
    made = {
        "sl": Tile(
            "sl",
            f"SL {sl_seconds:g}s",
            _pct(stats.sl_percent),
            stats.sl_percent,
            thresholds.sl(stats.sl_percent, n),
        ),
        "answered": Tile("answered", "Answered", str(stats.answered), float(stats.answered)),
        "abandoned": Tile(
            "abandoned",
            "Abandoned",
            str(abandoned),
            float(abandoned),
            thresholds.abandon(stats.abandon_percent, n),
        ),
        "offered": Tile("offered", "Offered", str(stats.offered), float(stats.offered)),
        "asa": Tile("asa", "Avg answer", _secs(stats.asa), stats.asa),
        "longest_wait": Tile(
            "longest_wait", "Longest wait", _secs(stats.longest_wait), stats.longest_wait
        ),
        "abandon_percent": Tile(
            "abandon_percent",
            "Abandon %",
            _pct(stats.abandon_percent),
            stats.abandon_percent,
            thresholds.abandon(stats.abandon_percent, n),
        ),
        # no threshold: how long calls take is no alarm on its own
        "talk": Tile("talk", "Avg talk", _secs(stats.avg_talk), stats.avg_talk),
    }
    for key, window in WINDOW_TILES.items():
        if key in keys:
            made[key] = _window_sl(key, window, (windows or {}).get(window), thresholds, sl_seconds)
    return tuple(made[key] for key in keys if key in made)


def _window_sl(
    key: str,
    window: str,
    stats: ServiceStats | None,
    thresholds: ServiceThresholds,
    sl_seconds: float,
) -> Tile:
    """A recent window's SL %, judged as the day's is (no alarm on a handful of calls)."""
    label = f"SL {sl_seconds:g}s last {window.removesuffix('m')} min"
    if stats is None:
        return Tile(key, label, "–", None)
    percent = stats.sl_percent
    return Tile(key, label, _pct(percent), percent, thresholds.sl(percent, counted(stats)))
