"""Redis lost the trend (a restart without persistence, a key evicted or deleted): the
hub puts back what it published, and a viewer that joins afterwards draws the trend
from before the loss."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from rtdash.hub import trend
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.lease import Lease
from rtdash.hub.trend_kept import KeptTrend
from rtdash.sim import SimConfig, Simulator
from tests.hub.conftest import RedisServer
from tests.hub.helpers import Screen, publisher, running, subscriber, until

pytestmark = pytest.mark.asyncio


@pytest.fixture
def sim():
    sim = Simulator(SimConfig(seed=7, agents=10, load=10, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


async def _stored(url: str, keys: HubKeys) -> list[tuple[bytes, trend.TrendPoint]]:
    """The trend stream as Redis holds it: each entry's id and its counts."""
    redis = connector(url)()
    try:
        entries = await redis.xrange(keys.trend)
    finally:
        await redis.aclose()
    out = []
    for entry_id, fields in entries:
        point = trend.point(fields[b"v"])
        assert point is not None
        out.append((entry_id, point))
    return out


async def _stored_once(
    url: str, keys: HubKeys, check: Callable[[list[tuple[bytes, trend.TrendPoint]]], bool]
) -> list[tuple[bytes, trend.TrendPoint]]:
    """The stream once ``check`` holds of it (or as it is after 15 s)."""
    stored = await _stored(url, keys)
    for _ in range(150):
        if check(stored):
            break
        await asyncio.sleep(0.1)
        stored = await _stored(url, keys)
    return stored


async def _run_id(url: str) -> str:
    """The server process's id: a new one after a restart."""
    redis = connector(url)()
    try:
        return str((await redis.info("server"))["run_id"])
    finally:
        await redis.aclose()


async def test_a_redis_restart_loses_no_trend_a_later_viewer_draws(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    keys = HubKeys(prefix, sim.igrp)
    hub = publisher(redis_up.url, prefix, sim, interval=0.5)
    async with running(hub):
        before = await _stored_once(redis_up.url, keys, lambda got: len(got) >= 8)
        server = await _run_id(redis_up.url)
        assert len(before) >= 8
        assert any(p.waiting is not None for _, p in before)
        assert any(p.available is not None for _, p in before)
        # a real restart on the same port, with nothing kept (no RDB, no AOF)
        redis_up.restart()
        assert await _run_id(redis_up.url) != server
        # the hub takes the lease again and publishes on
        newest = before[-1][1].when
        after = await _stored_once(
            redis_up.url, keys, lambda got: any(point.when > newest for _, point in got)
        )
        assert any(point.when > newest for _, point in after), "the hub publishes on"
        # every point from before the restart is back, with its counts and its place
        assert after[: len(before)] == before
        ids = [entry_id for entry_id, _ in after]
        assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split(b"-"))))

        # a viewer started now draws the trend from before the restart
        await _a_viewer_draws(redis_up.url, prefix, sim, before)


async def test_a_trend_key_lost_while_leading_is_put_back_once_on_the_next_publish(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """Evicted or deleted while the lease holds (no reconnection, no new lease): the
    next publish finds it gone; the publishes after it find it in place."""
    keys = HubKeys(prefix, sim.igrp)
    hub = publisher(redis_up.url, prefix, sim, interval=0.5)
    redis = connector(redis_up.url)()
    try:
        async with running(hub):
            before = await _stored_once(redis_up.url, keys, lambda got: len(got) >= 6)
            assert len(before) >= 6
            token = hub.lease.token
            await redis.delete(keys.trend)
            newest = before[-1][1].when
            after = await _stored_once(
                redis_up.url, keys, lambda got: sum(point.when > newest for _, point in got) >= 4
            )
            assert after[: len(before)] == before
            assert sum(point.when > newest for _, point in after) >= 4
            assert hub.lease.token == token, "the same lease throughout"
            assert hub.trend.restores == 1, "put back once, not on every publish"
    finally:
        await redis.aclose()


async def _a_viewer_draws(
    url: str, prefix: str, sim: Simulator, before: list[tuple[bytes, Any]]
) -> None:
    """A viewer started now draws ``before`` first, then the points published since."""
    screen = Screen()
    async with running(subscriber(url, prefix, sim.igrp, screen)):
        assert await until(lambda: len(screen.trend) > len(before), 10)
    assert screen.trend[: len(before)] == [point for _, point in before]


class _TwoHubs:
    """Hub A leading and hub B beside it, waiting as a standby; A may be stopped on its
    own (:meth:`stop_leader`), B runs to the end."""

    def __init__(self, url: str, prefix: str, sim: Simulator) -> None:
        self.leader = publisher(url, prefix, sim, interval=0.5, holder="hub-a")
        self.standby = publisher(url, prefix, sim, interval=0.5, holder="hub-b")
        self._leading: asyncio.Task[None] | None = None

    async def stop_leader(self) -> None:
        self.leader.stop()
        if self._leading is not None:
            await asyncio.wait_for(asyncio.gather(self._leading, return_exceptions=True), 10)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        self._leading = asyncio.create_task(self.leader.run())
        try:
            assert await until(lambda: self.leader.role == "leader", 10)
            async with running(self.standby):
                assert self.standby.role == "standby"
                yield
        finally:
            await self.stop_leader()


async def test_a_standby_that_takes_over_after_an_empty_restart_puts_the_trend_back(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """The leader goes with Redis (a power cut): the standby, which never published,
    leads the empty Redis and puts back the trend it read, with Redis's ids."""
    keys = HubKeys(prefix, sim.igrp)
    hubs = _TwoHubs(redis_up.url, prefix, sim)
    async with hubs.running():
        before = await _stored_once(redis_up.url, keys, lambda got: len(got) >= 8)
        assert len(before) >= 8
        assert hubs.standby.role == "standby", "it never published a point"
        # the standby has read at least that much of the stream
        await until(lambda: len(hubs.standby.trend) >= len(before), 10)
        # the leader goes while Redis is down; Redis comes back with nothing kept
        redis_up.stop()
        await hubs.stop_leader()
        redis_up.start()
        newest = before[-1][1].when
        after = await _stored_once(
            redis_up.url, keys, lambda got: any(point.when > newest for _, point in got)
        )
        assert hubs.standby.role == "leader"
        assert any(point.when > newest for _, point in after), "the standby publishes on"
        # every point from before the restart is back, with its counts and its id
        assert after[: len(before)] == before

        # a viewer started now draws the trend from before the restart
        await _a_viewer_draws(redis_up.url, prefix, sim, before)


async def test_a_standby_that_takes_over_a_redis_that_kept_the_trend_adds_nothing_back(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """A takeover with the stream in place: the new leader appends its own points only
    (what it read from the stream is there already)."""
    keys = HubKeys(prefix, sim.igrp)
    hubs = _TwoHubs(redis_up.url, prefix, sim)
    async with hubs.running():
        await _stored_once(redis_up.url, keys, lambda got: len(got) >= 8)
        await until(lambda: len(hubs.standby.trend) >= 8, 10)
        await hubs.stop_leader()
        # the leader has handed over: the stream as it is now is all of it from before
        # the takeover
        before = await _stored(redis_up.url, keys)
        assert len(before) >= 8
        newest = before[-1][1].when
        after = await _stored_once(
            redis_up.url, keys, lambda got: sum(point.when > newest for _, point in got) >= 4
        )
        assert hubs.standby.role == "leader"
        assert after[: len(before)] == before
        again = [point for _, point in after[len(before) :] if point.when <= newest]
        assert again == [], "nothing from before the takeover is added again"
        assert sum(point.when > newest for _, point in after) >= 4
        assert hubs.standby.trend.restores == 0


async def _leading(redis: Any, keys: HubKeys, holder: str) -> tuple[Lease, KeptTrend, int]:
    """A lease taken by ``holder``, an empty kept trend of an hour's retention, and
    Redis's clock now in ms (the stream ids' clock)."""
    lease = Lease(redis, keys, holder, ttl=5)
    assert await lease.acquire()
    assert lease.value is not None
    seconds, _ = await redis.time()
    return lease, KeptTrend(redis, keys, retention_ms=3_600_000), int(seconds) * 1000


async def test_a_stale_leader_puts_nothing_back(redis_up: RedisServer, prefix: str) -> None:
    keys = HubKeys(prefix, 4321)
    redis = connector(redis_up.url)()
    try:
        old, kept, now_ms = await _leading(redis, keys, "old")
        kept.keep(f"{now_ms - 5000}-0", '{"t":1,"w":3}')
        await redis.delete(keys.lease)
        assert await Lease(redis, keys, "new", ttl=5).acquire()
        assert await kept.restore(old.value, '{"t":2,"w":4}') is None
        assert await redis.exists(keys.trend) == 0
    finally:
        await redis.aclose()


async def test_a_long_trend_goes_back_whole_in_order_and_what_redis_would_trim_stays_out(
    redis_up: RedisServer, prefix: str
) -> None:
    keys = HubKeys(prefix, 4322)
    redis = connector(redis_up.url)()
    try:
        lease, kept, now_ms = await _leading(redis, keys, "hub")
        # older than the retention by Redis's clock: Redis would have trimmed it
        kept.keep(f"{now_ms - 3_700_000}-0", '{"t":0,"w":9}')
        # more than one script call's worth, two to a millisecond at times
        entries = [
            (f"{now_ms - 3_000_000 + i // 2}-{i % 2}", f'{{"t":{i},"w":{i}}}') for i in range(2500)
        ]
        for entry_id, entry in entries:
            kept.keep(entry_id, entry)
        new_id = await kept.restore(lease.value, '{"t":9999,"a":1}')
        assert new_id is not None
        stored = await redis.xrange(keys.trend)
        assert [(i.decode(), f[b"v"].decode()) for i, f in stored] == [
            *entries,
            (new_id.decode(), '{"t":9999,"a":1}'),
        ]
        # the leader keeps the hour a joining viewer reads, not the whole retention
        kept.keep(f"{now_ms + 3_600_000}-0", '{"t":10000,"w":0}')
        assert len(kept) == 2
    finally:
        await redis.aclose()


async def test_a_standby_keeps_the_last_hour_it_reads_once_and_puts_it_back_by_its_ids(
    redis_up: RedisServer, prefix: str
) -> None:
    keys = HubKeys(prefix, 4323)
    redis = connector(redis_up.url)()
    try:
        lease, _, now_ms = await _leading(redis, keys, "hub")
        # two hours of trend, more than one page of it in the last hour
        published = [
            (f"{now_ms - 7_200_000 + i * 3000}-0", f'{{"t":{i},"w":{i}}}') for i in range(2400)
        ]
        async with redis.pipeline(transaction=False) as pipe:
            for entry_id, entry in published:
                pipe.xadd(keys.trend, {"v": entry}, id=entry_id)
            await pipe.execute()
        kept = KeptTrend(redis, keys, retention_ms=3 * 3_600_000)
        assert not kept.held
        await kept.follow()
        newest_ms = _ms(published[-1][0])
        hour = [(i, e) for i, e in published if _ms(i) >= newest_ms - 3_600_000]
        assert len(kept) == len(hour)
        # read on: only what is new, nothing twice
        more = [(f"{newest_ms}-{seq}", f'{{"t":{2400 + seq},"a":{seq}}}') for seq in (1, 2, 3)]
        for entry_id, entry in more:
            await redis.xadd(keys.trend, {"v": entry}, id=entry_id)
        assert await kept.follow() == len(more)
        assert await kept.follow() == 0
        # the stream is lost: reading it again takes nothing away
        await redis.delete(keys.trend)
        assert await kept.follow() == 0
        new_id = await kept.restore(lease.value, '{"t":9999,"a":1}')
        assert new_id is not None
        stored = await redis.xrange(keys.trend)
        assert [(i.decode(), f[b"v"].decode()) for i, f in stored] == [
            *hour,
            *more,
            (new_id.decode(), '{"t":9999,"a":1}'),
        ]
    finally:
        await redis.aclose()


def _ms(entry_id: str) -> int:
    return int(entry_id.split("-")[0])
