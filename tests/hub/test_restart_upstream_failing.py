"""A hub started again while the upstream fails knows no data of its own: its status
says "no data yet". A viewer still shows the data from before the hub stopped, and
must keep showing it as stale (DISCONNECTED, frozen times, no alert or bell from it)
until a hub publishes a good poll again, while its status line says what the hub
reports. Real redis-server, the simulator over loopback, Pilot for the screen."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rtdash.core.clock import SystemClock
from rtdash.core.feed import FeedOptions, LiveFeed
from rtdash.core.poller_status import Phase
from rtdash.core.status import describe
from rtdash.core.thresholds import Thresholds
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber
from rtdash.hub.trouble import NOBODY
from rtdash.sim import SimConfig, Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.app import RtdashApp
from tests.hub.conftest import RedisServer
from tests.hub.helpers import publisher, running, until
from tests.hub.test_viewer_app import viewer_settings
from tests.ui.helpers import dashboard_of, screen_text, wait_until

pytestmark = pytest.mark.asyncio

UPSTREAM_DOWN = Fault(kind="status", status=503, times=None)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    sim = Simulator(SimConfig(seed=5, agents=10, load=8, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


async def _kill(task: asyncio.Task[None]) -> None:
    """A hub killed: no hand-over, nothing more published."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _hub_says_retrying(feed: LiveFeed) -> bool:
    """The new hub is heard, and reports the upstream failing."""
    status = feed.status
    return status is not None and status.phase is Phase.RETRYING and not status.via_problem


async def test_old_data_stays_stale_and_frozen_after_a_hub_restart_until_a_good_poll(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    feed = LiveFeed(FeedOptions(clock=SystemClock(), thresholds=Thresholds()))
    viewer = HubSubscriber(connector(redis_up.url), HubKeys(prefix, sim.igrp), feed, interval=1.0)
    feed.attach(viewer)
    hub = publisher(redis_up.url, prefix, sim)
    hub_task = asyncio.create_task(hub.run())
    async with running(viewer):
        assert await until(lambda: feed.calls is not None and feed.users is not None, 10)
        assert await until(lambda: feed.status is not None and feed.status.last_success, 5)
        assert not feed.stale
        await _kill(hub_task)
        assert await until(lambda: feed.stale and feed.status.via_problem == NOBODY, 8)
        frozen, held = feed.frozen_at, feed.clock.now()
        # the times stop at the newest data's limit: the routes polled a moment apart
        assert frozen is not None and frozen <= held < frozen + timedelta(seconds=1)
        shown = feed.calls
        sim.faults.add(UPSTREAM_DOWN)
        again = publisher(redis_up.url, prefix, sim, holder="hub-c")
        async with running(again):
            assert await until(lambda: _hub_says_retrying(feed), 10)
            assert feed.calls is shown, "the data from before is what is shown"
            assert feed.stale, "data from before the restart is not fresh"
            assert feed.frozen_at == frozen and feed.clock.now() == held
            bells = feed.bells
            feed.tick()
            assert feed.bells == bells and feed.clock.now() == held
            loop_now = asyncio.get_running_loop().time()
            text = describe(feed.status, datetime.now(UTC), loop_now, UTC)
            # the hub's word on the upstream, and the age of what is shown
            assert text.headline == "hub · upstream retrying"
            assert text.brief.startswith("hub · upstream retrying in ")
            assert text.causes
            assert text.stale and text.age.startswith("STALE: data as of ")
            # the upstream back: the hub's good poll makes the data fresh again
            sim.faults.clear()
            assert await until(lambda: not feed.stale and feed.status.phase is Phase.LIVE, 10)
            assert feed.frozen_at is None and feed.calls is not shown


async def test_a_viewer_keeps_the_disconnected_banner_through_a_hub_restart_upstream_down(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    hub = publisher(redis_up.url, prefix, sim)
    hub_task = asyncio.create_task(hub.run())
    assert await until(lambda: hub.published >= 4, 10)
    app = RtdashApp(viewer_settings(redis_up.url, prefix, sim))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen_stack[1:]), 5)
        board = dashboard_of(app)
        feed = board.feed
        await wait_until(pilot, lambda: board.calls is not None and board.users is not None, 5)
        await _kill(hub_task)
        await wait_until(pilot, lambda: "DISCONNECTED — data from" in screen_text(app), 8)
        sim.faults.add(UPSTREAM_DOWN)
        again = publisher(redis_up.url, prefix, sim, holder="hub-c")
        async with running(again):
            await wait_until(pilot, lambda: _hub_says_retrying(feed), 10)
            await wait_until(pilot, lambda: "hub · upstream retrying" in screen_text(app), 5)
            shown = screen_text(app)
            assert "DISCONNECTED — data from" in shown
            assert "STALE: data as of" in shown
            assert "no data yet" not in shown
            sim.faults.clear()
            await wait_until(pilot, lambda: "hub · upstream live" in screen_text(app), 10)
            # the hub's "live" may come a frame before its first data: then the banner goes
            await wait_until(pilot, lambda: "DISCONNECTED" not in screen_text(app), 10)
