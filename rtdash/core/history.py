"""A bounded history of headline numbers, for sparklines.

Fed from the snapshots already polled (no extra requests). Samples go into fixed-width
time buckets, so memory is flat however long a wallboard runs: an hour at 30-second
buckets is 120 numbers per series.

A trend covers a fixed window ending now (:meth:`History.window`): a slot nobody
observed (before the start, or while polling failed) is ``None``, so a chart can show
it empty instead of stretching two minutes of samples across an hour.

The buckets go into the day's saved state (:meth:`History.kept`, written with today's
totals by :mod:`rtdash.core.daystate`), so a screen restarted the same day draws the
last hour it saw (:meth:`History.restore`) rather than an hour of dots beside a line
that says those minutes were watched.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

#: the form :meth:`History.kept` writes; a saved trend of another is not put back
KEPT_VERSION = 1


@dataclass(slots=True)
class _Bucket:
    start: float
    waiting: int
    available: int


class History:
    def __init__(self, minutes: float = 60.0, bucket_seconds: float = 30.0) -> None:
        self.bucket_seconds = bucket_seconds
        self.size = max(2, int(minutes * 60 / bucket_seconds))
        self._buckets: deque[_Bucket] = deque(maxlen=self.size)
        #: goes up whenever a bucket is added or changed: a saver compares it with the
        #: one it last wrote, so a quiet centre's trend is still kept
        self.revision = 0

    def __len__(self) -> int:
        return len(self._buckets)

    def add(self, when: datetime, *, waiting: int, available: int) -> None:
        """Record one observation; within a bucket the worst value (most waiting, fewest
        available) wins, so a short spike still shows on the line."""
        stamp = when.timestamp()
        start = stamp - stamp % self.bucket_seconds
        if self._buckets and self._buckets[-1].start == start:
            last = self._buckets[-1]
            if waiting > last.waiting or available < last.available:
                last.waiting = max(last.waiting, waiting)
                last.available = min(last.available, available)
                self.revision += 1
            return
        if self._buckets and start < self._buckets[-1].start:
            return  # a sample from the past (clock stepped back): ignore it
        self._buckets.append(_Bucket(start, waiting, available))
        self.revision += 1

    def clear(self) -> None:
        """Forget every sample (a replay jumped back in time)."""
        self._buckets.clear()
        self.revision += 1

    def kept(self) -> dict[str, Any]:
        """The buckets as plain data, for the day's saved state: small (an hour is a
        few kilobytes), so taking it on the event loop at every save costs nothing."""
        return {
            "version": KEPT_VERSION,
            "bucket_seconds": self.bucket_seconds,
            "buckets": [[each.start, each.waiting, each.available] for each in self._buckets],
        }

    def restore(self, kept: object, now: datetime) -> int:
        """Put back :meth:`kept`'s buckets that fall in the window ending ``now``, into
        a history that holds none yet; the number put back. The file is only as
        trustworthy as the disk it sat on: anything not in the form :meth:`kept`
        writes (another version, other bucket widths, a torn or edited entry) puts
        nothing back, and the minutes stay dotted as never seen. A bucket after
        ``now`` (our clock stepped back since) is left out too: kept, it would make
        every new sample look older than the newest and be ignored."""
        buckets = _read_kept(kept, self.bucket_seconds)
        if buckets is None or self._buckets:
            return 0
        stamp = now.timestamp()
        last = stamp - stamp % self.bucket_seconds
        first = last - (self.size - 1) * self.bucket_seconds
        shown = [bucket for bucket in buckets if first <= bucket.start <= last]
        self._buckets.extend(shown)
        if shown:
            self.revision += 1
        return len(shown)

    def window(self, now: datetime) -> tuple[list[int | None], list[int | None]]:
        """(waiting, available) for each bucket of the window ending with the bucket of
        ``now``, oldest first; ``None`` where nothing was observed."""
        stamp = now.timestamp()
        last = stamp - stamp % self.bucket_seconds
        first = last - (self.size - 1) * self.bucket_seconds
        waiting: list[int | None] = [None] * self.size
        available: list[int | None] = [None] * self.size
        for bucket in self._buckets:
            slot = round((bucket.start - first) / self.bucket_seconds)
            if 0 <= slot < self.size:
                waiting[slot] = bucket.waiting
                available[slot] = bucket.available
        return waiting, available

    def waiting(self) -> list[int]:
        return [bucket.waiting for bucket in self._buckets]

    def available(self) -> list[int]:
        return [bucket.available for bucket in self._buckets]

    @property
    def span_minutes(self) -> float:
        return self.size * self.bucket_seconds / 60


def _read_kept(kept: object, bucket_seconds: float) -> list[_Bucket] | None:
    """:meth:`History.kept`'s buckets, oldest first; None unless every one is as it
    writes them."""
    if not isinstance(kept, dict) or kept.get("version") != KEPT_VERSION:
        return None
    if kept.get("bucket_seconds") != bucket_seconds or not isinstance(kept.get("buckets"), list):
        return None
    buckets: list[_Bucket] = []
    for item in kept["buckets"]:
        if not isinstance(item, list) or len(item) != 3:
            return None
        start, waiting, available = item
        if not _is_number(start) or not math.isfinite(start):
            return None
        if not (_is_count(waiting) and _is_count(available)):
            return None
        if buckets and start <= buckets[-1].start:
            return None
        buckets.append(_Bucket(float(start), waiting, available))
    return buckets


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
