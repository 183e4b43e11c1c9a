"""A recording played back as a :class:`~rtdash.core.source.Source`.

:class:`PlayerSource` moves a :class:`~rtdash.core.replay.Player` (a position on a
recording) with real time, and delivers the snapshots in force at each position to a
sink, the same way the poller delivers what it fetched: so a replay is drawn by the
same feed and the same views as the live service, with no client and no poller.

Its controls are the Source's (pause, resume, refresh, stop) plus moving through time
(seek, step, speed). Moving back in time calls ``on_rewind`` (the feed's
:meth:`~rtdash.core.feed.LiveFeed.rewind`): a trend and alerts from the future would
be nonsense.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from rtdash.core.poller_status import PollerStatus
from rtdash.core.replay import Player, replay_status
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import SnapshotSink

#: how often the position moves and the sink hears of it (seconds of real time)
STEP = 0.25


class PlayerSource:
    def __init__(
        self,
        player: Player,
        sink: SnapshotSink,
        *,
        on_rewind: Callable[[], None] | None = None,
        step: float = STEP,
        loop_time: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.player = player
        self.sink = sink
        self.step_seconds = step
        self._on_rewind = on_rewind
        self._loop_time = loop_time or (lambda: asyncio.get_running_loop().time())
        self._sleep = sleep
        self._stopped = False
        self._last: float | None = None
        self._shown: tuple[CallsSnapshot | None, UsersSnapshot | None] = (None, None)
        #: the last status delivered, for a screen to read between deliveries
        self.status: PollerStatus | None = None

    # --- the Source protocol ----------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.player.paused

    async def run(self) -> None:
        self.deliver()
        while not self._stopped:
            await self._sleep(self.step_seconds)
            if self._stopped:
                break
            now = self._loop_time()
            elapsed = 0.0 if self._last is None else now - self._last
            self._last = now
            self.player.advance(elapsed)
            self.deliver()

    def pause(self) -> None:
        self.player.pause()
        self.deliver()

    def resume(self) -> None:
        """Play on; at the end, from the start again."""
        before = self.player.position
        self.player.resume()
        self._moved(before)

    def toggle_pause(self) -> bool:
        if self.player.paused:
            self.resume()
        else:
            self.pause()
        return self.player.paused

    def refresh_now(self) -> None:
        self.deliver()

    def stop(self) -> None:
        self._stopped = True

    # --- moving through time ----------------------------------------------------------

    def seek(self, seconds: float) -> datetime:
        before = self.player.position
        self.player.seek(seconds)
        return self._moved(before)

    def step(self, records: int) -> datetime:
        before = self.player.position
        self.player.step(records)
        return self._moved(before)

    def seek_fraction(self, fraction: float) -> datetime:
        before = self.player.position
        self.player.seek_fraction(fraction)
        return self._moved(before)

    def faster(self) -> float:
        speed = self.player.faster()
        self.deliver()
        return speed

    def slower(self) -> float:
        speed = self.player.slower()
        self.deliver()
        return speed

    def _moved(self, before: datetime) -> datetime:
        if self.player.position < before and self._on_rewind is not None:
            self._on_rewind()
        self.deliver()
        return self.player.position

    # --- delivering -------------------------------------------------------------------

    def deliver(self) -> None:
        """The snapshots in force at the position (a snapshot already delivered is not
        delivered again), then the status. At the end playing stops: the player is
        paused there, so play is what is offered next (and starts again)."""
        if self.player.at_end and not self.player.paused:
            self.player.pause()
        calls, users = self.player.state_at()
        if calls is not None and calls is not self._shown[0]:
            self.sink.on_calls(calls)
        if users is not None and users is not self._shown[1]:
            self.sink.on_users(users)
        self._shown = (calls, users)
        made_at = 0.0
        with contextlib.suppress(RuntimeError):  # no running loop (a test): 0
            made_at = self._loop_time()
        self.status = replay_status(self.player, made_at=made_at)
        self.sink.on_status(self.status)
