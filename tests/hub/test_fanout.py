"""One hub, many viewers, against the simulator and a real redis-server."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from rtdash.core.status import describe
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.lease import Lease
from rtdash.hub.subscriber import STALE_INTERVALS
from rtdash.sim import SimConfig, Simulator
from tests.hub.conftest import RedisServer
from tests.hub.helpers import Screen, publisher, running, subscriber, until

pytestmark = pytest.mark.asyncio


@pytest.fixture
def sim():
    sim = Simulator(SimConfig(seed=3, agents=12, load=10, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


def _requests(sim: Simulator) -> dict[str, int]:
    return dict(sim.stats()["requests"])  # type: ignore[arg-type]


async def test_viewers_see_the_hubs_snapshots_and_the_upstream_sees_one_poller(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    hub = publisher(redis_up.url, prefix, sim)
    screens = [Screen() for _ in range(5)]
    viewers = [subscriber(redis_up.url, prefix, sim.igrp, screen) for screen in screens]
    async with running(hub, *viewers):
        assert await until(lambda: all(len(s.calls) >= 3 for s in screens), 10)
        sim.requests.reset()
        started = time.monotonic()
        await asyncio.sleep(4.2)
        counts = _requests(sim)
        elapsed = time.monotonic() - started
        # one poller at 1 s: about one request per route per second, whatever the viewers
        for route in ("pbxActiveCalls", "pbxUserStatus"):
            assert elapsed - 1.5 <= counts[route] <= elapsed + 1.5, (route, counts)
        assert counts["activeCall"] == 0
        # every viewer holds the very rows the hub saw last (same frame, same rows)
        await asyncio.sleep(0.3)
        last = screens[0].calls[-1]
        assert last.calls, "the simulator has live calls"
        for screen in screens[1:]:
            assert screen.calls[-1].groups == last.groups
            assert screen.users[-1].users == screens[0].users[-1].users
        # the hub polls with excludePiiData by default: no caller numbers published
        numbers = [call.src_number or "" for call in last.calls]
        assert all("*" in n or not n.startswith("+") for n in numbers), numbers
        status = screens[0].status
        text = describe(status, datetime.now(UTC), asyncio.get_running_loop().time(), UTC)
        assert text.headline == "hub · upstream live"
        assert text.age.startswith("data as of ")
        assert hub.role == "leader"


async def test_a_late_viewer_gets_the_first_screen_and_the_trend_at_once(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    hub = publisher(redis_up.url, prefix, sim)
    async with running(hub):
        assert await until(lambda: hub.published >= 12, 15)
        hub.stop()  # nothing new arrives from here on: what the viewer shows came from Redis
        await asyncio.sleep(0.3)
        screen = Screen()
        viewer = subscriber(redis_up.url, prefix, sim.igrp, screen)
        async with running(viewer):
            assert await until(lambda: bool(screen.calls and screen.users), 2)
            assert viewer.frames == 0, "delivered from the latest state, not from pub/sub"
            assert len(screen.trend) >= 6
            assert all(p.waiting is not None or p.available is not None for p in screen.trend)
            waits = [p.waiting for p in screen.trend if p.waiting is not None]
            assert waits[-1] == sum(
                screen.calls[-1].count(state)
                for state in screen.calls[-1].groups
                if state.value != "bridged"
            )


async def test_fencing_refuses_an_old_leader_after_a_takeover(
    redis_up: RedisServer, prefix: str
) -> None:
    keys = HubKeys(prefix, 1234)
    redis = connector(redis_up.url)()
    old = Lease(redis, keys, "old", ttl=0.3)
    new = Lease(redis, keys, "new", ttl=5)
    assert await old.acquire()
    assert not await new.acquire(), "one lease at a time"
    await asyncio.sleep(0.45)  # the old holder is paused past its lease
    assert await new.acquire()
    assert new.token == (old.token or 0) + 1
    held = old.value
    assert not await old.renew(), "a lapsed lease cannot be renewed over its successor"
    from rtdash.hub.lease import PUBLISH

    publish = redis.register_script(PUBLISH)
    refused = await publish(
        keys=[keys.lease, keys.latest, keys.history, keys.trend, keys.channel],
        args=[held, "status", b"x", 1000, "", "1", "", "status"],
    )
    assert refused == 0
    assert await redis.hget(keys.latest, "status") is None
    assert await redis.xlen(keys.history) == 0
    await old.release()  # releases nothing of the new holder's
    assert (await redis.get(keys.lease)).decode() == new.value
    await redis.aclose()


async def test_standby_takes_over_within_two_intervals_and_the_old_leader_cannot_publish(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    first = publisher(redis_up.url, prefix, sim, holder="hub-a")
    second = publisher(redis_up.url, prefix, sim, holder="hub-b")
    screen = Screen()
    viewer = subscriber(redis_up.url, prefix, sim.igrp, screen)
    leading = asyncio.create_task(first.run())
    try:
        async with running(viewer):
            assert await until(lambda: first.role == "leader" and len(screen.calls) >= 2, 10)
            async with running(second):
                await asyncio.sleep(1.5)
                assert second.role == "standby", "exactly one poller"
                # the leader dies without handing over: its lease stays until it expires
                leading.cancel()
                loop = asyncio.get_running_loop()
                died = loop.time()
                assert await until(lambda: second.role == "leader", 2 * first.interval + 0.5)
                assert loop.time() - died <= 2 * first.interval
                seen = len(screen.calls)
                assert await until(lambda: len(screen.calls) > seen, 3)
                assert screen.status.via_problem == ""
                # the screens never went stale: the first snapshot of the new leader came
                # less than the stale limit after the old leader's last one
                last = [s for s in screen.calls[:seen] if not s.unchanged][-1]
                gap = (screen.calls[seen].fetched_at - last.fetched_at).total_seconds()
                assert gap < STALE_INTERVALS * first.interval, gap
    finally:
        leading.cancel()
