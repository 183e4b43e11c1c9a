"""The names of an installation's Redis keys, in one place.

Everything of one installation shares ``{prefix}:{igrp}``; the braces make it one
Redis Cluster hash slot, so the publish script may touch every key at once.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PREFIX = "rtdash"


@dataclass(frozen=True, slots=True)
class HubKeys:
    prefix: str
    igrp: int

    @property
    def base(self) -> str:
        return f"{self.prefix}:{{{self.igrp}}}"

    @property
    def lease(self) -> str:
        """Who polls: ``<token>:<holder>``, with an expiry (the lease)."""
        return f"{self.base}:lease"

    @property
    def fence(self) -> str:
        """A counter: every new lease takes the next number (its fencing token)."""
        return f"{self.base}:fence"

    @property
    def latest(self) -> str:
        """A hash: the latest calls, users and status frames."""
        return f"{self.base}:latest"

    @property
    def channel(self) -> str:
        """Pub/sub: every frame as it is published."""
        return f"{self.base}:live"

    @property
    def history(self) -> str:
        """A stream of every frame, trimmed by time: recording and the day's state."""
        return f"{self.base}:history"

    @property
    def trend(self) -> str:
        """A stream of headline counts per snapshot, trimmed by time: the trend a late
        viewer draws at once without reading whole snapshots."""
        return f"{self.base}:trend"
