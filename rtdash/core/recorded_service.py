"""Today's service level in a replay: the totals the dashboard had, as it recorded them.

A recording keeps the day's totals now and then (``service`` lines, about once a
minute); a replay cannot infer them again from the snapshots alone (the recording may
start mid-day, after calls it never saw). So a replay's headline shows the last totals
recorded at or before its position, as the live dashboard showed them then; before the
first, a dash, as before a live dashboard's first poll. The file is not trusted: a
``service`` line whose totals are not numbers where numbers belong is passed over.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rtdash.core.feed import FeedConsumer
from rtdash.core.service_report import ServiceReport, ServiceStats
from rtdash.core.service_tiles import ServiceThresholds, Tile, service_tiles

if TYPE_CHECKING:  # the recording package stays off the dashboard's start
    from rtdash.core.recording.codec import ServiceMark

#: a tile's text before the first recorded totals
NOT_YET = "–"
#: the window an export names for a replay's totals (live: "today")
RECORDED = "recorded"

_FIELDS = [field.name for field in dataclasses.fields(ServiceStats)]
_COUNTS = {"offered", "answered", "abandoned", "short_abandoned", "unknown"}
_COUNTS |= {"answered_unknown_wait", "answered_within_sl", "talked"}


def recorded_stats(mark: ServiceMark) -> tuple[ServiceStats, float] | None:
    """The installation's totals and SL seconds of one ``service`` line; None when the
    line is not what the dashboard writes."""
    total, sl_seconds = mark.service.get("total"), mark.service.get("sl_seconds")
    if not isinstance(total, dict) or not isinstance(sl_seconds, int | float):
        return None
    if not _number(sl_seconds) or sl_seconds <= 0:
        return None
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = total.get(name, None if name not in _COUNTS else 0)
        if name == "name":
            value = value if isinstance(value, str) else ""
        elif name in _COUNTS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return None
        elif value is not None and not _number(value):
            return None
        values[name] = value
    return ServiceStats(**values), float(sl_seconds)


def _since(mark: ServiceMark) -> datetime | None:
    """When the day of a ``service`` line began, if it says so as the dashboard writes
    it (an ISO time with its offset, not after the line itself)."""
    said = mark.service.get("since")
    if not isinstance(said, str):
        return None
    try:
        since = datetime.fromisoformat(said)
    except ValueError:
        return None
    if since.tzinfo is None or since > mark.t:
        return None
    return since


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


class RecordedService(FeedConsumer):
    """The headline's service tiles of a replay (as :class:`ServiceKeeper` gives a live
    view's), read from the recording at the player's position."""

    def __init__(
        self,
        readable: Sequence[tuple[datetime, tuple[ServiceStats, float]]],
        thresholds: ServiceThresholds,
        position: Callable[[], datetime],
        short_abandon: float = 5.0,
        since: Mapping[datetime, datetime] | None = None,
    ) -> None:
        """``readable``: (time, totals and SL seconds), oldest first, at least one;
        ``short_abandon``: the settings' (a recording does not keep it), for an export;
        ``since``: when each line's day began, by the line's time, where it says so."""
        self._times = [when for when, _ in readable]
        self._stats = [stats for _, stats in readable]
        self._since = since or {}
        self.thresholds = thresholds
        self._position = position
        self.short_abandon = short_abandon

    @classmethod
    def of(
        cls,
        marks: Sequence[ServiceMark],
        thresholds: ServiceThresholds,
        position: Callable[[], datetime],
        short_abandon: float = 5.0,
    ) -> RecordedService | None:
        """None for a recording with no readable totals (one made before they were
        recorded): its headline has no service tiles, as before."""
        readable = [(mark.t, stats) for mark in marks if (stats := recorded_stats(mark))]
        readable.sort(key=lambda pair: pair[0])
        if not readable:
            return None
        since = {mark.t: day for mark in marks if (day := _since(mark))}
        return cls(readable, thresholds, position, short_abandon, since)

    def report(self) -> ServiceReport | None:
        """The installation's totals at the player's position as an export writes them
        (a live export writes today's); None before the first recorded totals. A
        recording keeps no queue's totals, so there are none."""
        index = bisect.bisect_right(self._times, self._position()) - 1
        if index < 0:
            return None
        until = self._times[index]
        stats, sl_seconds = self._stats[index]
        since = self._since.get(until, until)
        return ServiceReport(RECORDED, since, until, sl_seconds, self.short_abandon, stats, ())

    def tiles(self, keys: tuple[str, ...] | list[str]) -> tuple[Tile, ...]:
        index = bisect.bisect_right(self._times, self._position()) - 1
        stats, sl_seconds = self._stats[max(index, 0)]
        tiles = service_tiles(stats, keys, self.thresholds, sl_seconds)
        if index < 0:  # before the first recorded totals: not known yet
            tiles = tuple(dataclasses.replace(tile, text=NOT_YET, value=None) for tile in tiles)
        return tiles
