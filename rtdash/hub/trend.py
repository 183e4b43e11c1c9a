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
    """One snapshot's counts; a count not known yet (its route not polled) is None."""

    when: datetime
    waiting: int | None = None
    available: int | None = None


def entry(calls: CallsSnapshot | None, users: UsersSnapshot | None, fetched_at: datetime) -> str:
    """The counts as a screen holding ``calls`` and ``users`` (the latest of each) has
    them: agents available are counted with the bridged calls taken out, as a running
    screen's own trend counts them, so a screen that joins late draws the same line."""
    metrics = Metrics.compute(calls, users)
    counts: dict[str, int] = {}
    if metrics.waiting is not None:
        counts["w"] = metrics.waiting
    if metrics.agents_available is not None:
        counts["a"] = metrics.agents_available
    return json.dumps({"t": fetched_at.timestamp(), **counts}, separators=(",", ":"))


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
    ignores samples older than its newest). A point with one count only (from a hub
    older than this one, or before both routes answered) is paired with the latest of
    the other."""
    waiting: int | None = None
    available: int | None = None
    for item in points:
        waiting = item.waiting if item.waiting is not None else waiting
        available = item.available if item.available is not None else available
        if waiting is not None and available is not None:
            history.add(item.when, waiting=waiting, available=available)
