"""A viewer's source of snapshots in hub mode: Redis instead of the upstream.

It keeps the :class:`~rtdash.core.source.Source` contract, so a screen cannot tell it
from the poller. On each connection it subscribes first (so nothing published while it
reads is lost); on the first, it reads the trend of the last hour (handed to
``on_trend``, which backfills a viewer's history); then the latest state (so the first
screen appears at once); then it delivers every frame as it arrives.

What its status says: the hub's own poller status (the upstream failing, as the hub
reports it), or the trouble between this viewer and the hub (:mod:`rtdash.hub.trouble`:
Redis unreachable or set up wrong, no hub publishing). The last data stays on screen
through any of them (and turns stale by the usual rule), and it reconnects with backoff.

The status it delivers is the hub's poller status with ``via = "hub"`` (the status line
then reads ``hub · upstream live · data as of …``) and any trouble in
``via_problem``/``via_detail``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from redis.exceptions import RedisError

from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import SnapshotSink
from rtdash.hub import codec, trend
from rtdash.hub.connect import setup_mistake, unreachable
from rtdash.hub.keys import HubKeys
from rtdash.hub.latest import read_latest
from rtdash.hub.trouble import Trouble

log = logging.getLogger(__name__)

#: no frame for this many intervals: no poller is publishing
STALE_INTERVALS = 3
MAX_BACKOFF = 10.0
#: frames remembered as taken: more than one poll's (users, calls, two statuses, service)
TAKEN = 8


class HubSubscriber:
    """Snapshots and status of one installation from the hub, to one sink."""

    def __init__(
        self,
        connect: Callable[[], Any],
        keys: HubKeys,
        sink: SnapshotSink,
        *,
        interval: float = 2.0,
        trend_minutes: float = trend.WINDOW_MINUTES,
        on_trend: Callable[[list[trend.TrendPoint]], None] | None = None,
    ) -> None:
        self.connect = connect
        self.keys = keys
        self.sink = sink
        #: given the trend from before this viewer started, once, before any snapshot
        self.on_trend = on_trend
        self.interval = interval
        self.trend_minutes = trend_minutes
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None
        self.hub_status: PollerStatus | None = None
        self.trend: list[trend.TrendPoint] = []
        self._paused = False
        self._paused_status: PollerStatus | None = None
        self._stopped = False
        self._reload = False
        self._wake = asyncio.Event()
        self.trouble = Trouble()
        self._last_frame: float | None = None
        #: whether any hub has ever published the installation: one that has not is
        #: waited for, not given the intervals a hub that stopped is
        self._published = False
        self._trend_loaded = False
        #: frames received and delivered, frames decoded, reloads and reconnections: for
        #: tests and the benchmark
        self.frames = 0
        self.decoded = 0
        #: deltas on a frame not held, each answered by reading the latest state
        self.reloads = 0
        self.connections = 0
        #: the last few frames taken, as they came: the same bytes again (a status or
        #: the day's state read from the latest state after it came by pub/sub, or the
        #: other way round) are a frame this viewer has, and are not decoded again
        self._taken: deque[bytes] = deque(maxlen=TAKEN)
        #: the kinds of frame taken while paused, shown on resuming
        self._held_back: set[codec.Kind] = set()
        self.on_frame: Callable[[codec.Frame], None] | None = None
        #: the hub's latest day state of the service level (``ServiceLevel.to_dict``)
        self.service: dict[str, Any] | None = None
        #: given each day state as it arrives (the latest one first, at once on joining):
        #: a viewer's service level follows it instead of inferring its own
        self.on_service: Callable[[dict[str, Any]], None] | None = None
        #: the installation's name as the hub's statuses give it (None: the hub, perhaps
        #: an older one, sends none), and who is told when it changes: a viewer without
        #: credentials has no other way to learn it
        self.name: str | None = None
        self.on_name: Callable[[str], object] | None = None
        self._service_at = -math.inf

    # --- Source ---------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        self._paused = True
        # the picture held has the hub's status of its time: the frames that come
        # while paused must not move its "data as of"
        self._paused_status = self.hub_status
        self._emit()

    def resume(self) -> None:
        self._paused = False
        self._show_held()
        self.refresh_now()

    def _show_held(self) -> None:
        """What came while paused was taken and held, not shown: show it now."""
        held, self._held_back = self._held_back, set()
        if codec.Kind.USERS in held and self.users is not None:
            self.sink.on_users(self.users)
        if codec.Kind.CALLS in held and self.calls is not None:
            self.sink.on_calls(self.calls)
        if codec.Kind.SERVICE in held and self.service is not None and self.on_service:
            self.on_service(self.service)

    def refresh_now(self) -> None:
        """The hub polls on its own schedule: a refresh re-reads its latest state (and
        retries a lost connection at once). Paused, it shows once the newest the hub
        sent meanwhile and stays paused, as a paused poller's refresh polls once."""
        self._reload = True
        self.trouble.retry_now()
        self._wake.set()
        if self._paused:
            self._paused_status = self.hub_status
            self._show_held()
            self._emit()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    # --- the poller's other controls, which a screen may call: the hub owns the schedule

    #: the hub decides what to ask the upstream; kept for the screens that set it
    exclude_pii = True
    #: the hub keeps the day's service state and publishes it (``on_service``): a feed
    #: fed by this source shows that state and infers none of its own
    owns_day_state = True

    def toggle_pause(self) -> bool:
        if self._paused:
            self.resume()
        else:
            self.pause()
        return self._paused

    def set_interval(self, seconds: float) -> float:
        """The hub polls at its own interval; the answer says which."""
        return self.interval

    def set_slow(self, seconds: float | None) -> None:
        """Nothing to slow down: frames cost the upstream nothing."""

    async def run(self) -> None:
        failures = 0
        self._emit()
        while not self._stopped:
            redis = self.connect()
            connected = self.connections
            try:
                await self._session(redis)
            except (RedisError, OSError) as exc:
                failures += 1
                delay = min(MAX_BACKOFF, 0.5 * 2 ** min(failures - 1, 8))
                delay *= random.uniform(0.8, 1.2)
                self._failed(redis, exc, delay, lost=self.connections > connected)
                await self._wait_retry()
            else:
                failures = 0
            finally:
                with contextlib.suppress(Exception):
                    await redis.aclose()

    # --- one connection ------------------------------------------------------------------

    async def _session(self, redis: Any) -> None:
        pubsub = redis.pubsub()
        try:
            await pubsub.subscribe(self.keys.channel)
            if not self._trend_loaded:
                # before the latest state: a feed's history takes no sample older than
                # its newest, and the latest state gives it one at once
                await self._load_trend(redis)
            await self._load_latest(redis)
            self.connections += 1
            self.trouble.connected()
            self._check_stale()
            self._emit()
            next_check = self._now() + self.interval
            heard = self.frames
            while not self._stopped:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
                if message is not None and message.get("type") == "message":
                    self._take(message["data"])
                if self._reload:
                    self._reload = False
                    await self._load_latest(redis)
                now = self._now()
                if now >= next_check:
                    if self.frames == heard:
                        # pub/sub alone cannot tell a frozen Redis from a quiet one (a
                        # frame since the last check says it is neither)
                        async with asyncio.timeout(max(2.0, 2 * self.interval)):
                            await redis.ping()  # (asyncio.timeout: a cancel is never lost)
                    heard = self.frames
                    next_check = now + self.interval
                    self._check_stale()
                    self._emit()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def _load_latest(self, redis: Any) -> None:
        latest = await read_latest(redis, self.keys)
        for field in (b"users", b"users:same", b"calls", b"calls:same", b"status", b"service"):
            if field in latest.fields:
                self._take(latest.fields[field], count=False)
        if latest.quiet is not None:
            self._published = True
            self._last_frame = self._now() - latest.quiet
        elif self._last_frame is None:
            self._last_frame = self._now()
        self._check_stale()

    async def _load_trend(self, redis: Any) -> None:
        seconds, _ = await redis.time()
        since = (int(seconds) - int(self.trend_minutes * 60)) * 1000
        entries = await redis.xrange(self.keys.trend, min=since, max="+")
        points = [trend.point(fields.get(b"v", b"")) for _, fields in entries]
        self.trend = [p for p in points if p is not None]
        self._trend_loaded = True
        if self.on_trend is not None and self.trend:
            self.on_trend(list(self.trend))

    # --- frames ------------------------------------------------------------------------

    def _take(self, raw: bytes, *, count: bool = True) -> None:
        if raw in self._taken:
            if count:
                self._heard()
            return
        try:
            frame = codec.decode(
                raw,
                loop_now=self._now(),
                wall_now=time.time(),
                base_calls=self.calls,
                base_users=self.users,
                base_service=None if self.service is None else (self._service_at, self.service),
            )
        except codec.NeedBase:
            self._reload = True  # joined or missed a frame: the latest state is whole
            self.reloads += 1
            return
        except codec.FrameError as exc:
            log.warning("hub frame skipped: %s", exc)
            return
        self.decoded += 1
        self._published = True
        self._taken.append(raw)
        if count:
            self._heard()
        if self._paused:
            self._held_back.add(frame.kind)
        if frame.kind is codec.Kind.SERVICE:
            if frame.at < self._service_at:
                return  # published while the latest state was read: that one is newer
            self._service_at = frame.at
            self.service = frame.service
            if not self._paused and self.on_service is not None and frame.service is not None:
                self.on_service(frame.service)
        elif frame.kind is codec.Kind.STATUS:
            self.hub_status = frame.status
            if frame.status is not None:
                self.interval = frame.status.interval
            if frame.name is not None and frame.name != self.name:
                self.name = frame.name
                if self.on_name is not None:
                    self.on_name(frame.name)
            self._emit()
        elif frame.kind is codec.Kind.CALLS:
            calls = self._newer(self.calls, frame)
            if isinstance(calls, CallsSnapshot):
                self.calls = calls
                if not self._paused:
                    self.sink.on_calls(calls)
        else:
            users = self._newer(self.users, frame)
            if isinstance(users, UsersSnapshot):
                self.users = users
                if not self._paused:
                    self.sink.on_users(users)
        if self.on_frame is not None:
            self.on_frame(frame)

    def _heard(self) -> None:
        """A frame came by pub/sub: a poller is publishing."""
        self.frames += 1
        self._last_frame = self._now()
        self.trouble.heard()

    @staticmethod
    def _newer(
        held: CallsSnapshot | UsersSnapshot | None, frame: codec.Frame
    ) -> CallsSnapshot | UsersSnapshot | None:
        """The frame's snapshot if it is newer than the one held (a frame published
        while the latest state was read arrives twice)."""
        held_at = held.fetched_at.timestamp() if held is not None else -math.inf
        if frame.at < held_at:
            return None
        if frame.same:
            if held is None or frame.when is None or frame.at == held_at:
                return None
            return held.again(frame.when)
        return frame.snapshot

    # --- status ------------------------------------------------------------------------

    def _failed(self, redis: Any, exc: BaseException, delay: float, *, lost: bool) -> None:
        """Redis could not be read: an outage, or a URL that does not fit its Redis
        (tried again all the same: a Redis put right is picked up), said once."""
        mistake = setup_mistake(redis, exc)
        said = mistake or unreachable(redis, exc, lost=lost)
        if mistake is None:
            log.warning("hub unreachable (%s); retrying in %.1f s", said, delay)
        elif said != self.trouble.detail:
            log.warning("hub misconfigured: %s", said)
        self.trouble.failed(said, self._now() + delay, mistake=mistake is not None)

    def _check_stale(self) -> None:
        if self._last_frame is None:
            return
        quiet = self._now() - self._last_frame
        stale_after = STALE_INTERVALS * self.interval
        self.trouble.judge(
            self.keys, published=self._published, quiet=quiet, stale_after=stale_after
        )

    def status(self) -> PollerStatus:
        now = self._now()
        base = (self._paused_status if self._paused else self.hub_status) or PollerStatus(
            phase=Phase.CONNECTING,
            interval=self.interval,
            routes={route: RouteHealth() for route in Route},
            made_at=now,
        )
        problem, detail = self.trouble.words(now)
        phase = Phase.PAUSED if self._paused else base.phase
        return replace(base, phase=phase, via="hub", via_problem=problem, via_detail=detail)

    def _emit(self) -> None:
        try:
            self.sink.on_status(self.status())
        except Exception:
            log.exception("status sink failed")

    async def _wait_retry(self) -> None:
        """Wait out the backoff, saying each second how long is left."""
        while not self._stopped and self.trouble.retry_at is not None:
            self._emit()
            left = self.trouble.retry_at - self._now()
            if left <= 0:
                break
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(1.0, left)):  # a cancel is never lost
                    await self._wake.wait()

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()
