"""One installation's side of ``rtdash hub``: hold the lease, poll, publish.

Standby, the publisher tries for the lease a few times an interval. Holding it, it runs
the ordinary poller with a sink that encodes each snapshot and status once and queues
it; a single loop publishes the queue in order through the fenced script, renews the
lease, and re-publishes the status every interval as a heartbeat (a poller backing off
from a failing upstream may say nothing for a minute, and viewers must still tell "hub
alive, upstream failing" from "nobody publishing"). A refused publish or renewal, or
Redis going away, stops the poller at once: polling that cannot be published is load
on the upstream for nothing.

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
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError

from rtdash.core.agent_time import AgentTime
from rtdash.core.daystate import same_day
from rtdash.core.poller import Poller, PollerStatus
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import SnapshotSink
from rtdash.hub import codec, trend
from rtdash.hub.keys import HubKeys
from rtdash.hub.lease import PUBLISH, Lease

log = logging.getLogger(__name__)

DEFAULT_RETENTION = 24 * 3600.0
#: frames waiting for Redis; past this the oldest go (the newest state matters most)
QUEUE_LIMIT = 256
#: the lease's length, renewals of it and a standby's tries for it, per interval
LEASE_INTERVALS = 1.25
RENEWALS = 4
STANDBY_TRIES = 5
#: the history keeps every this-many-th snapshot frame whole, the others as deltas
KEYFRAME_EVERY = 30
#: the day's service state is published when it changed, and at least this often (in
#: intervals) when it did not, so the viewers' last-15-minutes windows move on
SERVICE_EVERY = 5


@dataclass(frozen=True, slots=True)
class _Item:
    field: str
    frame: bytes
    kind: str
    trend: str = ""
    keep: bool = True
    drop_field: str = ""
    publish: bool = True
    #: published instead of ``frame`` (a delta), and kept in the history instead
    wire: bytes = b""
    kept: bytes = b""


class _QueueSink:
    """The poller's sink: encode once, queue for the publishing loop (no I/O here).
    With a service level, it is fed every snapshot here too, and its state queued after
    each calls frame that changed it (or every few intervals regardless): the whole of it
    stored for a next leader, the part screens show published."""

    def __init__(
        self,
        queue: asyncio.Queue[_Item],
        on_status: Callable[[PollerStatus], None],
        service: ServiceLevel | None = None,
        service_every: float = 10.0,
    ):
        self.queue = queue
        self._on_status = on_status
        self.service = service
        self.service_every = service_every
        self._service_at = -math.inf
        #: the snapshot last queued per kind: the base of the next delta
        self._base: dict[str, CallsSnapshot | UsersSnapshot] = {}
        self._kept = 0
        self._health: object = None
        #: the day state's ``now`` as last queued for the screens
        self.shown_now: float | None = None
        #: the screens' day state last queued, and its time: the base of the next delta
        self._shown: tuple[float, dict[str, Any]] | None = None

    def _put(self, item: _Item) -> None:
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            # a frame lost: the next delta's base may be the lost one, so no deltas
            # until a full frame has gone
            self._base.clear()
            self._shown = None
        self.queue.put_nowait(item)

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self._snapshot("calls", snapshot, codec.encode_calls(snapshot))
        if self.service is not None:
            # after the publishing loop has sent the frame: the screens wait for no count
            asyncio.get_running_loop().call_soon(self._count, snapshot)

    def on_users(self, snapshot: UsersSnapshot) -> None:
        self._snapshot("users", snapshot, codec.encode_users(snapshot))
        if self.service is not None:
            # agents' time today moves on here, and is published with the next calls
            asyncio.get_running_loop().call_soon(self._count, snapshot)

    def _count(self, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        service = self.service
        assert service is not None
        try:
            if isinstance(snapshot, CallsSnapshot):
                service.observe_calls(snapshot)
                self._service_due()
            else:
                service.observe_users(snapshot)
        except Exception:  # the live frames go on without today's totals
            log.exception("today's service level failed on a snapshot")

    def _service_due(self, *, force: bool = False) -> None:
        service = self.service
        assert service is not None
        now = time.monotonic()
        if not force and not service.dirty and now - self._service_at < self.service_every:
            return
        self._service_at = now
        service.dirty = False
        state, wall = service.to_dict(), time.time()
        self.shown_now = service.metrics.now
        # the whole state, for the next leader only; the part screens show, for everyone:
        # whole in the latest state, as changes to the one before on the wire
        screen = shown(state, service.agents)
        whole = codec.encode_service(state, wall)
        base, self._shown = self._shown, (wall, screen)
        wire = b"" if base is None else codec.encode_service_delta(screen, wall, base[1], base[0])
        self._put(_Item("day", whole, "service", keep=False, publish=False))
        self._put(
            _Item("service", codec.encode_service(screen, wall), "service", keep=False, wire=wire)
        )

    def _snapshot(self, kind: str, snapshot: CallsSnapshot | UsersSnapshot, frame: bytes) -> None:
        entry = trend.entry(snapshot)
        base = self._base.get(kind)
        self._base[kind] = snapshot
        if snapshot.unchanged:
            # the latest state keeps the full frame; the new time rides beside it
            self._put(_Item(f"{kind}:same", frame, kind, entry))
            return
        # the latest state keeps the full frame (a late viewer starts from it); viewers
        # that hold the base get the delta, and the history keeps deltas between keyframes
        wire = codec.encode_delta(snapshot, base) if base is not None else b""
        self._kept += 1
        kept = b"" if self._kept % KEYFRAME_EVERY == 1 or not wire else wire
        item = _Item(kind, frame, kind, entry, drop_field=f"{kind}:same", wire=wire, kept=kept)
        self._put(item)

    def on_status(self, status: PollerStatus) -> None:
        self._on_status(status)
        # every status goes to the viewers; the history keeps only those that say
        # something new about health (a poll's success time is in its snapshot already)
        health = (
            status.phase,
            status.slow,
            tuple(
                (route.value, h.failures, h.unreadable, type(h.error).__name__ if h.error else "")
                for route, h in sorted(status.routes.items())
            ),
        )
        keep, self._health = health != self._health, health
        self._put(status_item(status, keep=keep))


def shown(state: dict[str, Any], agents: AgentTime | None = None) -> dict[str, Any]:
    """What a screen shows of a day's state: today's counts, agents and gaps, without
    the calls in flight and the per-minute counts (a next leader's, to go on counting).

    With ``agents``, each agent's time goes as its clock (activity, since when, and the
    time before that), which :meth:`AgentTime.restore` takes as it takes the totals up
    to now, and which changes only when the agent's activity does: so the changes from
    one state to the next are a few counters and agents, not every agent."""
    out = {**state, "tracker": {}, "metrics": {**state["metrics"], "minutes": {}}}
    if agents is not None:
        out["agents"] = {
            key: [clock.name, clock.activity, clock.since, dict(clock.totals)]
            for key, clock in agents.clocks.items()
        }
    return out


def status_item(status: PollerStatus, *, keep: bool) -> _Item:
    return _Item("status", codec.encode_status(status, _wall(status)), "status", keep=keep)


def _wall(status: PollerStatus) -> float:
    """The wall clock at the status's loop time."""
    loop_now = asyncio.get_running_loop().time()
    return time.time() - (loop_now - status.made_at)


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
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.poller_factory = poller_factory
        self.interval = interval
        self.retention_ms = int(retention * 1000)
        self.lease = Lease(redis, keys, holder, ttl=LEASE_INTERVALS * interval)
        self._publish = redis.register_script(PUBLISH)
        self._on_role = on_role
        #: makes the installation's service level, which the leader keeps (continuing
        #: the day from the state in Redis) and publishes: the hub owns the day's state
        self._make_service = service
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
        self._sink: _QueueSink | None = None

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
                    await self._sleep(self.interval / STANDBY_TRIES)
            except (RedisError, OSError) as exc:
                self._set_role("standby", f"Redis unreachable ({_one_line(exc)})")
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
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def _lead(self) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[_Item] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self.service = await self._open_service()
        sink = _QueueSink(queue, self._remember, self.service, SERVICE_EVERY * self.interval)
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
                    if not await self._send(status_item(poller.status(), keep=False)):
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

    async def _flush(self, queue: asyncio.Queue[_Item], sink: _QueueSink) -> None:
        await asyncio.sleep(0)  # counting deferred after the last frames runs first
        if sink.service is not None:
            sink._service_due(force=True)
        while not queue.empty():
            if not await self._send(queue.get_nowait()):
                return

    async def _open_service(self) -> ServiceLevel | None:
        """A new leader's service level, carrying on from the day's state the last
        leader published (this process before a restart, or another hub); a state of
        another day, or one this version cannot read, is not continued."""
        if self._make_service is None:
            return None
        service = self._make_service()
        raw = await self.redis.hget(self.keys.latest, "day")
        if raw is None:
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

    async def _send(self, item: _Item) -> bool:
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
            ],
        )
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


async def _next(queue: asyncio.Queue[_Item], wait: float) -> _Item | None:
    """The next queued frame, or None after ``wait`` seconds; a frame already queued is
    taken at once even when the wait is over (``wait_for`` with no time left would
    give up on it, and a busy queue would then never drain)."""
    if not queue.empty():
        return queue.get_nowait()
    if wait <= 0:
        return None
    try:
        return await asyncio.wait_for(queue.get(), timeout=wait)
    except TimeoutError:
        return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
