"""Today's service state on disk, per installation, so a restart continues the day.

One JSON file per installation in the user state folder (platformdirs), named by the
service's host and the igrp, so a simulator on loopback never mixes with a real
account. It is written whole to a temporary file in the same folder and moved over the
old one (``os.replace``), so a crash mid-write leaves the previous state, never half of
one; and at most every few seconds, so a 1 s poll interval does not mean a disk write
a second. A file from another day is ignored: the day starts again at zero.

What is written is kept part by part between saves (:mod:`rtdash.core.daysave`): a save
encodes the calls and agents that changed since the last, not the day.

The feed's trend travels in the same file (``"trend"``, :meth:`History.kept`): the
minutes it was watched are those its totals were, so a restart puts both back or
neither, and the one process that writes the day (:mod:`rtdash.core.day_lock`) writes
its trend. A trend entry that cannot be read costs the trend only, never the totals.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import msgspec

from rtdash.core.day_lock import DayLock
from rtdash.core.daysave import DayParts, SavedDay
from rtdash.core.history import History
from rtdash.core.service import ServiceLevel

#: the least time between two writes of one installation's state
SAVE_EVERY = 5.0

#: JSON as ``json.dumps(state, separators=(",", ":"))`` writes it, in C: a big centre's
#: day is tens of thousands of calls and agents, and ``json.dump`` to a file encodes in
#: Python, holding the interpreter lock the event loop needs
_encode = msgspec.json.Encoder().encode


def state_dir() -> Path:
    from platformdirs import user_state_path

    return user_state_path("rtdash") / "service"


def state_key(base_url: str, igrp: int) -> str:
    """``api.infinitycloud.com-1234``: the host (no port: a simulator's port changes on
    every run) and the installation id, as a safe file name."""
    host = urlsplit(base_url).hostname or "local"
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{host}-{igrp}")


def demo_key(igrp: int) -> str:
    """``--demo``'s totals: a key of their own, never a real account's nor that of a
    dashboard pointed at ``rtdash sim`` on loopback. A demo writes it (so ``rtdash stats
    --demo`` has a day to print) but never continues from it: each demo is a new
    simulated centre, and yesterday's demo calls are not today's."""
    return f"demo-{igrp}"


def state_path(key: str, folder: Path | None = None) -> Path:
    return (folder if folder is not None else state_dir()) / f"{key}.json"


def read_state(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when there is none or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def upstream_now(state: dict[str, Any], wall: float) -> float:
    """The upstream's clock at ``wall`` (ours), by the offset ``state`` was counted
    with: its day is the upstream's, and an upstream whose clock is a few minutes off
    ours can be on the other side of midnight. No poll has measured the offset yet
    when a saved day is looked at, so the last one measured stands for it."""
    tracker = state.get("tracker")
    skew = tracker.get("skew") if isinstance(tracker, dict) else None
    try:
        return wall + float(skew or 0.0)
    except (TypeError, ValueError):
        return wall


def same_day(state: dict[str, Any], wall: float, zone: ZoneInfo) -> bool:
    """Whether ``state`` is of the day the upstream's clock is in at ``wall`` (our
    clock), in ``zone``: the day is compared on the clock it was counted on."""
    metrics = state.get("metrics")
    day_start = metrics.get("day_start") if isinstance(metrics, dict) else None
    if day_start is None:
        return False
    probe = ServiceLevel(zone)
    return probe.metrics.midnight(upstream_now(state, wall)) == float(day_start)


def write_state(path: Path, state: dict[str, Any] | SavedDay) -> None:
    """Write atomically: a temporary file beside ``path``, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(state, SavedDay):
                out.writelines(state.chunks())
            else:
                out.write(_encode(state))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class DayStore:
    """Saves one installation's :class:`ServiceLevel` now and then, and restores it."""

    def __init__(
        self,
        path: Path,
        *,
        every: float = SAVE_EVERY,
        monotonic: Callable[[], float] = time.monotonic,
        trend: History | None = None,
    ) -> None:
        self.path = path
        #: the feed's trend, saved and restored with the day (None: the totals alone)
        self.trend = trend
        #: the trend's revision last taken: a new bucket is worth a save on its own,
        #: or a quiet centre's last hour would never reach the file
        self._trend_taken = trend.revision if trend is not None else 0
        self.every = every
        self._monotonic = monotonic
        self._last: float | None = None
        #: the last write failed: said once, then retried quietly
        self.error: str | None = None
        #: another rtdash on this machine saves this installation's day (see
        #: :mod:`rtdash.core.day_lock`): this one keeps its totals in memory meanwhile
        self.lock = DayLock(path)
        self.saved_elsewhere = False
        #: what was written last, kept part by part: the next save encodes the changes
        self.parts = DayParts()

    def load(self, service: ServiceLevel, now: float | None = None) -> bool:
        """Restore today's state into ``service``, and the trend's buckets of the hour
        before ``now`` into :attr:`trend`; False when there is none for today (the
        upstream's today: ``now`` is our clock, see :func:`same_day`)."""
        state = read_state(self.path)
        when = time.time() if now is None else now
        if state is None or not same_day(state, when, service.zone):
            return False
        try:
            service.restore(state)
        except (ValueError, TypeError, KeyError):
            return False
        if self.trend is not None:
            self.trend.restore(state.get("trend"), datetime.fromtimestamp(when, UTC))
            self._trend_taken = self.trend.revision
        return True

    def maybe_save(self, service: ServiceLevel, *, force: bool = False) -> bool:
        """Write if something changed and the last write is ``every`` seconds old (or
        ``force``, on the way out); True if it wrote."""
        state = self.due(service, force=force)
        return state is not None and self.write(state)

    def due(self, service: ServiceLevel, *, force: bool = False) -> SavedDay | None:
        """The state to write now, or None when nothing changed or it is too soon.
        Taken on the thread that feeds ``service`` (it is not thread-safe), encoding
        what changed since the last; the :meth:`write` that follows, which joins the
        parts and writes them, may run on another."""
        trend = self.trend
        moved = trend is not None and trend.revision != self._trend_taken
        if not service.dirty and not moved and not force and self.error is None:
            return None  # (a failed write is tried again)
        now = self._monotonic()
        if not force and self._last is not None and now - self._last < self.every:
            return None
        self._last = now
        service.dirty = False
        if trend is not None:
            self._trend_taken = trend.revision
        return self.parts.take(service, trend)

    def write(self, state: SavedDay | dict[str, Any]) -> bool:
        """Disk I/O only: safe off the event loop (``asyncio.to_thread``). False, and
        nothing written, while another process holds the day's lock."""
        try:
            if not self.lock.take():
                self.saved_elsewhere = True
                return False
            self.saved_elsewhere = False
            write_state(self.path, state)
        except OSError as exc:
            self.error = f"cannot save today's totals to {self.path}: {exc.strerror or exc}"
            return False
        self.error = None
        return True


def open_day(
    zone: ZoneInfo,
    *,
    base_url: str,
    igrp: int,
    sl_seconds: float,
    short_abandon: float,
    persist: bool = True,
    folder: Path | None = None,
    now: float | None = None,
) -> tuple[ServiceLevel, DayStore | None]:
    """One installation's service level, carrying on from today's saved state if there
    is one, and the store to save it to (None when ``persist`` is off)."""
    service = ServiceLevel(zone, sl_seconds=sl_seconds, short_abandon=short_abandon)
    if not persist:
        return service, None
    store = DayStore(state_path(state_key(base_url, igrp), folder))
    store.load(service, now)
    return service, store
