"""One installation's side of ``rtdash hub``: hold the lease, poll, publish.

Standby, the publisher tries for the lease a few times an interval, and each time reads
on in the trend stream (so that it holds the hour to put back should it lead a Redis
that lost it, :mod:`rtdash.hub.trend_kept`). Holding the lease, it runs the ordinary
poller with a sink that encodes each snapshot and status once and queues it; a single
loop publishes the queue in order through the fenced script, renews the lease, and
re-publishes the status every interval as a heartbeat (a poller backing off from a
failing upstream may say nothing for a minute, and viewers must still tell "hub alive,
upstream failing" from "nobody publishing"). A refused publish or renewal, or Redis
going away, stops the poller at once: polling that cannot be published is load on the
upstream for nothing.

Timing, in poll intervals (i): the lease lasts 1.25 i and is renewed four times an
interval, so the leader rides out a stall of up to 1 i (a slow Redis, a long parse)
without losing it; a standby tries five times an interval, so it holds the lease at
most 1.45 i after the leader's death and polls at once. The data a viewer holds is then
at most about 1 i (the leader's last poll) + 1.45 i + one poll's time old when the
standby's first frame lands: under the 3 i after which a screen says its data is
stale, with half an interval to spare.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError

from rtdash.core.daystate import same_day
from rtdash.core.naming import clean_name
from rtdash.core.poller import Poller
from rtdash.core.poller_status import PollerStatus
from rtdash.core.service import ServiceLevel
from rtdash.core.source import SnapshotSink
from rtdash.hub import codec
from rtdash.hub.connect import dropped, setup_mistake, unreachable
from rtdash.hub.keys import HubKeys
from rtdash.hub.lease import PUBLISH, Lease
from rtdash.hub.outbox import SERVICE_EVERY, Item, QueueSink, status_item
from rtdash.hub.trend_kept import LOST, KeptTrend

log = logging.getLogger(__name__)

DEFAULT_RETENTION = 24 * 3600.0
#: frames waiting for Redis; past this the oldest go (the newest state matters most)
QUEUE_LIMIT = 256
#: the lease's length, renewals of it and a standby's tries for it, per interval
LEASE_INTERVALS = 1.25
RENEWALS = 4
STANDBY_TRIES = 5


class InstallationPublisher:
    """Lease, poll and publish for one installation, until :meth:`stop`."""

    def __init__(
        self,
        redis: Any,
        keys: HubKeys,
        poller_factory: Callable[[SnapshotSink], Poller],
        *,
        interval: float,
        holder: str,
        retention: float = DEFAULT_RETENTION,
        on_role: Callable[[str, str], None] | None = None,
        service: Callable[[], ServiceLevel] | None = None,
        name: str | None = None,
        fresh_day: bool = False,
    ) -> None:
        self.redis = redis
        #: what the installation is called (config, the demo's simulator): published
        #: with every status, because a viewer without credentials cannot look it up.
        #: Settable while running (a name learnt later goes out with the next status).
        self.name = clean_name(name)
        self.keys = keys
        self.poller_factory = poller_factory
        self.interval = interval
        self.retention_ms = int(retention * 1000)
        self.lease = Lease(redis, keys, holder, ttl=LEASE_INTERVALS * interval)
        self._publish = redis.register_script(PUBLISH)
        #: the trend this process published, and read while standby, kept across
        #: leaderships: what it puts back when Redis lost it, whoever published it
        self.trend = KeptTrend(redis, keys, self.retention_ms)
        self._on_role = on_role
        #: makes the installation's service level, which the leader keeps (continuing
        #: the day from the state in Redis) and publishes: the hub owns the day's state
        self._make_service = service
        #: ``rtdash hub --demo``: the centre is this process's own simulator, new with
        #: it, so a day in Redis is an earlier demo's: carried on, its totals would be
        #: another centre's (whose call refs this one's repeat)
        self._fresh_day = fresh_day
        #: the service level while leading (tests and the benchmark read it)
        self.service: ServiceLevel | None = None
        self._stopped = False
        self._wake = asyncio.Event()
        self.role = "standby"
        self._why = ""
        #: frames Redis accepted / refused (a refusal: this process no longer leads)
        self.published = 0
        self.refused = 0
        self._last_status: PollerStatus | None = None
        self._sink: QueueSink | None = None

    @property
    def shown_now(self) -> float | None:
        """The time of the day state last published to the screens (tests, benchmark)."""
        return self._sink.shown_now if self._sink is not None else None

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.5
        while not self._stopped:
            try:
                if await self.lease.acquire():
                    backoff = 0.5
                    await self._lead()
                else:
                    self._set_role("standby", "another hub polls")
                    await self.trend.follow()
                    await self._sleep(self.interval / STANDBY_TRIES)
            except (RedisError, OSError) as exc:
                # said as a screen says it (and never the URL, which may hold a password):
                # a leader's connection that drops was lost, not refused, and so was a
                # standby's open one that Redis closed as it stopped
                mistake = setup_mistake(self.redis, exc)
                if mistake is not None:
                    why = mistake  # what to fix, not an outage
                elif self.role == "leader" or dropped(exc):
                    why = unreachable(self.redis, exc, lost=True, subject="Redis")
                else:
                    why = f"Redis: {unreachable(self.redis, exc, lost=False)}"
                self._set_role("standby", why)
                await self._sleep(backoff * random.uniform(0.8, 1.2))
                backoff = min(backoff * 2, 10.0)
            except Exception as exc:  # a bug must not end polling for good: said, retried
                log.exception("igrp %s: publishing failed", self.keys.igrp)
                self._set_role("standby", f"internal error ({_one_line(exc)})")
                await self._sleep(backoff * random.uniform(0.8, 1.2))
                backoff = min(backoff * 2, 10.0)
        with contextlib.suppress(RedisError, OSError):
            await self.lease.release()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):  # (see _next: not wait_for)
                await self._wake.wait()

    async def _lead(self) -> None:
        # what the last leader published since this process last read the stream: the
        # copy to put back if Redis loses the trend later has no gap at the handover
        await self.trend.follow()
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Item] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self.service = await self._open_service()
        sink = QueueSink(
            queue,
            self._remember,
            self.service,
            SERVICE_EVERY * self.interval,
            name=lambda: self.name,
        )
        self._sink = sink
        poller = self.poller_factory(sink)
        polling = asyncio.create_task(poller.run())
        self._set_role("leader", f"lease {self.lease.token}")
        renew_every = self.interval / RENEWALS
        next_renew = loop.time() + renew_every
        next_beat = loop.time() + self.interval
        try:
            while not self._stopped:
                item = await _next(queue, min(next_renew, next_beat) - loop.time())
                if item is not None:
                    if item.field == "status":
                        next_beat = loop.time() + self.interval
                    if not await self._send(item):
                        return
                now = loop.time()
                if now >= next_renew:
                    if not await self.lease.renew():
                        self._set_role("standby", "lease lost")
                        return
                    next_renew = now + renew_every
                if now >= next_beat:
                    next_beat = now + self.interval
                    beat = status_item(poller.status(), keep=False, name=self.name)
                    if not await self._send(beat):
                        return
        finally:
            poller.stop()
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await polling
            with contextlib.suppress(Exception):
                await poller.client.aclose()
            if self._stopped and self.lease.value is not None:
                # a clean stop (SIGTERM, Ctrl-C): what is queued, and the day's state as
                # it is now, go out before the lease is handed over, so the next leader
                # continues from the last poll
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._flush(queue, sink), timeout=2.0)

    async def _flush(self, queue: asyncio.Queue[Item], sink: QueueSink) -> None:
        await asyncio.sleep(0)  # counting deferred after the last frames runs first
        if sink.service is not None:
            sink._service_due(force=True)
        while not queue.empty():
            if not await self._send(queue.get_nowait()):
                return

    async def _open_service(self) -> ServiceLevel | None:
        """A new leader's service level, carrying on from the day's state the last
        leader published (this process before a restart, or another hub), else from
        the one this process counted when it led before; a state of another day, or
        one this version cannot read, is not continued; nor, for a demo, one it did
        not count itself. The day is the upstream's, judged on its clock by the offset
        the state was counted with (:func:`~rtdash.core.daystate.same_day`), not on
        ours: the two can be either side of midnight."""
        if self._make_service is None:
            return None
        held, service = self.service, self._make_service()
        raw = None if self._fresh_day else await self.redis.hget(self.keys.latest, "day")
        if raw is None:
            # nothing in Redis (it restarted without persistence, or failed over to an
            # empty replica) while this process kept the day it counted: carried on
            # from that, as from a saved state (so the time not polled is marked)
            if held is not None and held.metrics.now is not None:
                kept = held.to_dict()
                if same_day(kept, time.time(), service.zone):
                    service.restore(kept)
                    log.info(
                        "igrp %s: Redis held no service state: continuing this hub's own",
                        self.keys.igrp,
                    )
            return service
        try:
            state = codec.decode(raw).service
            if state is not None and same_day(state, time.time(), service.zone):
                service.restore(state)
                log.info("igrp %s: continuing today's service state", self.keys.igrp)
        except (codec.FrameError, ValueError, TypeError, KeyError) as exc:
            log.warning("igrp %s: today's service state not continued: %s", self.keys.igrp, exc)
            service = self._make_service()
        return service

    async def _send(self, item: Item) -> bool:
        value = self.lease.value
        if value is None:
            return False
        keys = self.keys
        done = await self._publish(
            keys=[keys.lease, keys.latest, keys.history, keys.trend, keys.channel],
            args=[
                value,
                item.field,
                item.frame,
                self.retention_ms,
                item.trend,
                "1" if item.keep else "0",
                item.drop_field,
                item.kind,
                "1" if item.publish else "0",
                item.wire,
                item.kept,
                "1" if self.trend.held else "0",
            ],
        )
        if done and item.trend:
            if done == LOST:
                log.info(
                    "igrp %s: Redis lost the trend: putting back %d entries",
                    keys.igrp,
                    len(self.trend),
                )
                done = await self.trend.restore(value, item.trend)
            else:
                self.trend.keep(done, item.trend)
        if not done:
            self.refused += 1
            self.lease.value = None
            self._set_role("standby", "lease taken over: publish refused")
            return False
        self.published += 1
        return True

    def _remember(self, status: PollerStatus) -> None:
        self._last_status = status

    def _set_role(self, role: str, why: str) -> None:
        """Say each change of role or of its reason once (a standby retries often)."""
        if (role, why) == (self.role, self._why):
            return
        changed = role != self.role
        self.role, self._why = role, why
        log.info("igrp %s: %s (%s)", self.keys.igrp, role, why)
        if self._on_role is not None:
            self._on_role(role, why)
        if changed and role == "standby":
            self._last_status = None


async def _next(queue: asyncio.Queue[Item], wait: float) -> Item | None:
    """The next queued frame, or None after ``wait`` seconds; a frame already queued is
    taken at once even when the wait is over (``wait_for`` with no time left would
    give up on it, and a busy queue would then never drain)."""
    if not queue.empty():
        return queue.get_nowait()
    if wait <= 0:
        return None
    # asyncio.timeout, not wait_for: on Python 3.11 wait_for returns the frame when
    # it arrives as the task is cancelled, and the cancel is lost (a hub told to stop
    # went on leading)
    try:
        async with asyncio.timeout(wait):
            return await queue.get()
    except TimeoutError:
        return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
