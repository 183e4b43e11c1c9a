"""Headline counts per snapshot: the trend a viewer that joins late draws at once.

The hub keeps one small entry per snapshot in a stream beside the full history, so a
viewer reads an hour of trend as a few kilobytes instead of decoding every snapshot.
The counts are the ones the dashboard's own trend uses (:class:`Metrics`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

#: how far back a joining viewer reads the trend, and so how much of it every hub keeps
#: to put back when Redis loses it (:mod:`rtdash.hub.trend_kept`)
WINDOW_MINUTES = 60.0


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One snapshot's counts; the count of the other route is None."""

    when: datetime
    waiting: int | None = None
    available: int | None = None


def entry(snapshot: CallsSnapshot | UsersSnapshot) -> str:
    if isinstance(snapshot, CallsSnapshot):
        metrics = Metrics.compute(snapshot, None)
        counts = {"w": metrics.waiting}
    else:
        metrics = Metrics.compute(None, snapshot)
        counts = {"a": metrics.agents_available}
    return json.dumps({"t": snapshot.fetched_at.timestamp(), **counts}, separators=(",", ":"))


def point(raw: str | bytes) -> TrendPoint | None:
    """An entry back; None for one this version cannot read (skipped, not fatal)."""
    try:
        data = json.loads(raw)
        return TrendPoint(
            when=datetime.fromtimestamp(float(data["t"]), UTC),
            waiting=_count(data.get("w")),
            available=_count(data.get("a")),
        )
    except (ValueError, TypeError, KeyError):
        return None


def _count(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def backfill(history: History, points: list[TrendPoint]) -> None:
    """A viewer's history from the hub's trend, before its own samples begin (a history
    ignores samples older than its newest). Each point carries one of the two counts:
    the latest of the other is paired with it."""
    waiting: int | None = None
    available: int | None = None
    for item in points:
        waiting = item.waiting if item.waiting is not None else waiting
        available = item.available if item.available is not None else available
        if waiting is not None and available is not None:
            history.add(item.when, waiting=waiting, available=available)
