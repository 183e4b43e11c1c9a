"""A bounded history of headline numbers, for sparklines.

Fed from the snapshots already polled (no extra requests). Samples go into fixed-width
time buckets, so memory is flat however long a wallboard runs: an hour at 30-second
buckets is 120 numbers per series.

A trend covers a fixed window ending now (:meth:`History.window`): a slot nobody
observed (before the start, or while polling failed) is ``None``, so a chart can show
it empty instead of stretching two minutes of samples across an hour.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime


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

    def __len__(self) -> int:
        return len(self._buckets)

    def add(self, when: datetime, *, waiting: int, available: int) -> None:
        """Record one observation; within a bucket the worst value (most waiting, fewest
        available) wins, so a short spike still shows on the line."""
        stamp = when.timestamp()
        start = stamp - stamp % self.bucket_seconds
        if self._buckets and self._buckets[-1].start == start:
            last = self._buckets[-1]
            last.waiting = max(last.waiting, waiting)
            last.available = min(last.available, available)
            return
        if self._buckets and start < self._buckets[-1].start:
            return  # a sample from the past (clock stepped back): ignore it
        self._buckets.append(_Bucket(start, waiting, available))

    def clear(self) -> None:
        """Forget every sample (a replay jumped back in time)."""
        self._buckets.clear()

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
