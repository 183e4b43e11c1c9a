"""Redis restarted, a hub killed: viewers keep their data, say what is wrong, recover."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest

from rtdash.core.status import describe
from rtdash.sim import SimConfig, Simulator
from tests.hub.conftest import RedisServer
from tests.hub.helpers import Screen, publisher, running, subscriber, until

pytestmark = pytest.mark.asyncio


@pytest.fixture
def sim():
    sim = Simulator(SimConfig(seed=5, agents=10, load=8, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


def _headline(screen: Screen) -> str:
    loop_now = asyncio.get_running_loop().time()
    return describe(screen.status, datetime.now(UTC), loop_now, UTC).headline


async def test_redis_restart_viewer_keeps_data_says_so_and_resumes_without_split_brain(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    hubs = [publisher(redis_up.url, prefix, sim, holder=h) for h in ("hub-a", "hub-b")]
    screen = Screen()
    viewer = subscriber(redis_up.url, prefix, sim.igrp, screen)
    async with running(*hubs, viewer):
        assert await until(lambda: len(screen.calls) >= 2, 10)
        held = screen.calls[-1]
        # every reason each hub gives from here on, as it says them
        said: list[str] = []
        for hub in hubs:
            hub._on_role = lambda role, why: said.append(why)
        redis_up.stop()
        assert await until(lambda: screen.status.via_problem == "hub unreachable", 5)
        assert _headline(screen) == "hub unreachable"
        assert "reconnecting in" in screen.status.via_detail
        # said as an upstream that cannot be reached is, not in Redis's own words
        refused = re.compile(
            r"cannot connect to 127\.0\.0\.1:\d+ \(connection refused\); reconnecting in \d+ s"
        )
        assert await until(lambda: refused.fullmatch(screen.status.via_detail) is not None, 5)
        assert viewer.calls is held, "the last data stays"
        # nobody polls what it cannot publish
        assert await until(lambda: all(hub.role == "standby" for hub in hubs), 2)
        # and each says why in the words a screen uses, not redis-py's ("Error 111 …")
        hub_refused = re.compile(
            r"Redis: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\)"
        )
        # (the first failure may be the open connection closing; the retries then
        # find the port refused)
        assert await until(lambda: all(hub_refused.fullmatch(hub._why) for hub in hubs), 10), [
            hub._why for hub in hubs
        ]
        # an open connection closing first (the leader's, or a standby's asking for the
        # lease) is said as lost, never as a connection that could not be made
        # ("cannot connect … (connection closed …)")
        lost = re.compile(
            r"lost Redis at 127\.0\.0\.1:\d+ "
            r"\(connection (refused|closed by the server|reset by peer)\)"
        )
        assert said and all(
            hub_refused.fullmatch(why) or lost.fullmatch(why) or why == "another hub polls"
            for why in said
        ), said
        await asyncio.sleep(1.0)
        redis_up.start()  # empty: the lease, the counter and the state are gone
        assert await until(lambda: viewer.connections >= 2 and len(screen.calls) > 2, 15)
        # the new leader's status ("connecting", then "live") is its own frame, and may
        # come just after its first snapshot
        assert await until(lambda: _headline(screen) == "hub · upstream live", 5)
        # exactly one hub polls again, and each hub's view agrees over a while
        for _ in range(10):
            assert sum(hub.role == "leader" for hub in hubs) <= 1
            await asyncio.sleep(0.2)
        assert sum(hub.role == "leader" for hub in hubs) == 1


async def test_hub_killed_viewer_shows_stale_within_three_intervals_then_continues(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    screen = Screen()
    viewer = subscriber(redis_up.url, prefix, sim.igrp, screen)
    hub = publisher(redis_up.url, prefix, sim)
    task = asyncio.create_task(hub.run())
    async with running(viewer):
        assert await until(lambda: len(screen.calls) >= 2, 10)
        task.cancel()  # killed: no hand-over
        loop = asyncio.get_running_loop()
        died = loop.time()
        assert await until(lambda: screen.status.via_problem == "no poller publishing", 6)
        # +1.6: the viewer checks once an interval, a check waiting up to 0.5 s on a frame
        # first, and until() looks every 0.05 s (the last frame came just before ``died``)
        assert loop.time() - died <= 3 * hub.interval + 1.6
        text = describe(screen.status, datetime.now(UTC), loop.time(), UTC)
        assert text.headline == "no poller publishing"
        await until(lambda: describe(screen.status, datetime.now(UTC), loop.time(), UTC).stale, 2)
        assert describe(screen.status, datetime.now(UTC), loop.time(), UTC).stale
        # a hub restarted (a new process) picks up where Redis is and viewers continue
        again = publisher(redis_up.url, prefix, sim, holder="hub-c")
        seen = len(screen.calls)
        async with running(again):
            assert await until(lambda: len(screen.calls) > seen, 5)
            assert await until(lambda: screen.status.via_problem == "", 3)
            # the hub's first word on the upstream follows its first poll
            assert await until(lambda: _headline(screen) == "hub · upstream live", 3)
