"""The hub owns the day's service state: it counts, publishes and keeps it in Redis;
viewers show it from the moment they join; a restarted hub or a standby continues it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.clock import SystemClock
from rtdash.core.feed import FeedOptions, LiveFeed
from rtdash.core.service import RESTART_GAP_SECONDS, ServiceLevel
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions, attach_service
from rtdash.core.service_metrics import ServiceStats
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.thresholds import Thresholds
from rtdash.hub import codec
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.publisher import InstallationPublisher
from rtdash.hub.subscriber import HubSubscriber
from rtdash.sim import Simulator
from tests.hub.conftest import RedisServer
from tests.hub.helpers import publisher, running, until

pytestmark = pytest.mark.asyncio


@pytest.fixture
def sim(quick_day_sim: Simulator) -> Simulator:
    """The quick day (tests/hub/conftest.py): its day is not ours, so the hub's day is
    judged on the upstream's clock."""
    return quick_day_sim


class Viewer:
    """A screen's feed on the hub, with today's service level attached as the app does."""

    def __init__(self, url: str, prefix: str, igrp: int) -> None:
        self.feed = LiveFeed(FeedOptions(clock=SystemClock(), thresholds=Thresholds()))
        self.source = HubSubscriber(connector(url), HubKeys(prefix, igrp), self.feed)
        self.feed.attach(self.source)
        self.keeper = attach_service(
            self.feed,
            # persist on: a viewer on the hub still writes nothing; its own SL seconds
            # give way to the hub's, so every screen shows the same SL %
            ServiceOptions(sl_seconds=30),
            zone=ZoneInfo("UTC"),
            base_url="http://127.0.0.1",
            igrp=igrp,
        )

    def total(self) -> ServiceStats:
        return self.keeper.service.report("today").total

    def run(self) -> object:
        return self.source.run()

    def stop(self) -> None:
        self.source.stop()


def _total(hub: InstallationPublisher) -> ServiceStats:
    assert hub.service is not None
    return hub.service.report("today").total


def _counted(stats: ServiceStats) -> int:
    return stats.answered + stats.abandoned


async def _stored(url: str, prefix: str, igrp: int) -> ServiceLevel:
    """The day's state as Redis holds it."""
    redis = connector(url)()
    try:
        raw = await redis.hget(HubKeys(prefix, igrp).latest, "day")
    finally:
        await redis.aclose()
    assert raw is not None, "the hub keeps the day's state in Redis"
    state = codec.decode(raw).service
    assert state is not None
    return ServiceLevel.from_dict(state)


async def test_a_late_viewer_shows_the_hubs_day_totals_at_once(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    hub = publisher(redis_up.url, prefix, sim, service=True)
    async with running(hub):
        assert await until(lambda: hub.service is not None and _counted(_total(hub)) >= 4, 20)
        viewer = Viewer(redis_up.url, prefix, sim.igrp)
        assert viewer.keeper.tiles()[0].text == "–", "nothing shown before the hub's state"
        async with running(viewer):
            # at once: the latest state is read on joining, before any frame is taken
            # from the channel (a connection counts once that read is done), so the day
            # is there as soon as the viewer is connected, not a publish later
            assert await until(lambda: viewer.source.connections >= 1, 10)
            assert viewer.keeper.service.metrics.now is not None
            joined = viewer.total()
            assert viewer.keeper.sl_seconds == 20, "counted by the hub's rules"
            assert _counted(joined) >= 4, "the day so far, not a day that starts now"
            tiles = {tile.key: tile.text for tile in viewer.keeper.tiles()}
            assert tiles["answered"] == str(joined.answered)
            # and it stays the hub's: after each calls poll, the very same totals, queues
            # and agents (the hub's counts move only with a calls poll, which publishes)
            for _ in range(3):
                seen = viewer.keeper.service.metrics.now

                def caught_up(seen: float | None = seen) -> bool:
                    assert hub.service is not None
                    now = viewer.keeper.service.metrics.now
                    return now != seen and now == hub.shown_now

                assert await until(caught_up, 5)
                assert hub.service is not None
                mine, hubs = viewer.keeper.service.report(), hub.service.report()
                assert mine.total == hubs.total
                assert mine.queues == hubs.queues
                assert [a.answered for a in mine.agents] == [a.answered for a in hubs.agents]
            # the viewer infers nothing of its own, saves nothing, confirms nothing
            assert viewer.feed.find(ServiceKeeper) is viewer.keeper
            assert viewer.keeper.store is None and not viewer.feed.tasks
            assert not viewer.keeper.service.tracker.calls, "the hub's calls in flight stay there"


async def test_a_restarted_hub_continues_the_day_from_redis(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    first = publisher(redis_up.url, prefix, sim, service=True, holder="hub-a")
    async with running(first):
        assert await until(lambda: first.service is not None and _counted(_total(first)) >= 4, 20)
    before = (await _stored(redis_up.url, prefix, sim.igrp)).report("today").total
    assert _counted(before) >= 4
    assert before == _total(first), "a clean stop leaves the day's state as of its last poll"
    # the hub is down a while (longer than a restart that goes unmarked): calls end unseen
    await asyncio.sleep(RESTART_GAP_SECONDS + 1.0)
    second = publisher(redis_up.url, prefix, sim, service=True, holder="hub-b")
    viewer = Viewer(redis_up.url, prefix, sim.igrp)
    async with running(second, viewer):
        assert await until(lambda: second.service is not None, 5)
        assert second.service is not None
        assert await until(lambda: second.service is not None and second.published >= 4, 10)
        after = _total(second)
        # continued, not reset: every count at least what the first hub had
        assert after.offered >= before.offered
        assert after.answered >= before.answered
        assert after.abandoned >= before.abandoned
        # and the time it was down is marked as not watched
        assert second.service.metrics.gaps, "the restart's gap is marked"
        assert await until(lambda: viewer.total() == _total(second), 5)
        assert viewer.keeper.service.metrics.gaps == second.service.metrics.gaps


async def test_a_demo_hub_starts_its_own_day_not_an_earlier_demos(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """``rtdash hub --demo`` runs a simulator of its own, a new centre each time: the
    day an earlier demo left in Redis is not this centre's (its call refs even repeat),
    so the new demo counts from its own first poll, and what it publishes replaces it."""
    first = publisher(redis_up.url, prefix, sim, service=True, holder="hub-a")
    async with running(first):
        assert await until(lambda: first.service is not None and _counted(_total(first)) >= 8, 30)
    before = (await _stored(redis_up.url, prefix, sim.igrp)).report("today").total
    second = publisher(redis_up.url, prefix, sim, service=True, holder="hub-b", fresh_day=True)
    async with running(second):
        # its first day state published: only calls seen to end since it started count
        assert await until(lambda: second.shown_now is not None, 10)
        assert second.service is not None
        started = _total(second)
        assert _counted(started) < _counted(before), (started, before)
        assert started.offered < before.offered, (started, before)
        stored = await _stored(redis_up.url, prefix, sim.igrp)
        assert stored.metrics.now is not None and stored.metrics.now >= second.shown_now
        assert _counted(stored.report("today").total) < _counted(before)


async def test_a_standby_continues_the_day_when_the_leader_dies(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    first = publisher(redis_up.url, prefix, sim, service=True, holder="hub-a")
    second = publisher(redis_up.url, prefix, sim, service=True, holder="hub-b")
    viewer = Viewer(redis_up.url, prefix, sim.igrp)
    leading = asyncio.create_task(first.run())
    try:
        async with running(viewer):
            assert await until(
                lambda: first.service is not None and _counted(_total(first)) >= 4, 20
            )
            async with running(second):
                await asyncio.sleep(1.0)
                assert second.role == "standby" and second.service is None
                leading.cancel()  # dies without handing over
                shown = viewer.total()
                assert await until(lambda: second.role == "leader", 3)
                assert await until(lambda: second.published >= 3, 5)
                taken_over = _total(second)
                assert taken_over.offered >= shown.offered
                assert taken_over.answered >= shown.answered
                assert await until(lambda: viewer.total() == _total(second), 5)
                assert _counted(viewer.total()) >= _counted(shown)
    finally:
        leading.cancel()
        await asyncio.gather(leading, return_exceptions=True)


def _counted_state(ours: datetime, upstream: datetime) -> dict[str, object]:
    """A day's state counted from two polls whose bodies say the upstream's clock is at
    ``upstream`` when ours is at ``ours``: one call waiting, then answered."""
    service = ServiceLevel(ZoneInfo("UTC"))
    start = upstream - timedelta(seconds=60)
    rows = (
        ActiveCall(call_ref="c1", state=CallState.QUEUEING, state_start=start, call_start=start),
        ActiveCall(
            call_ref="c1",
            state=CallState.BRIDGED,
            state_start=upstream,
            call_start=start,
            agent_ref="a.one",
        ),
    )
    for n, row in enumerate(rows):
        later = timedelta(seconds=n)
        service.observe_calls(CallsSnapshot.build([row], ours + later, server_now=upstream + later))
    assert service.report().total.answered == 1
    return service.to_dict()


@pytest.mark.parametrize("continued", [True, False])
async def test_a_new_leader_judges_the_day_on_the_upstreams_clock(
    redis_up: RedisServer, prefix: str, sim: Simulator, continued: bool
) -> None:
    """The day in Redis was counted on the upstream's clock, which may be on another
    day than ours: a day ahead, its day (not ours) is today and goes on; counted on our
    day while the upstream was a day ahead of us, it is yesterday's and is dropped."""
    now, day = datetime.now(UTC), timedelta(days=1)
    # counted at noon on the upstream's clock, whatever the time here (a day's time
    # near midnight would make it a test of the time it runs at): the day after
    # tomorrow's, the upstream two days ahead, and the state is its today; or our
    # today's, counted a day ago on our clock, the upstream a day ahead, and the
    # state is its yesterday
    noon = datetime.combine(now.date(), time(12), UTC)
    ours, upstream = (now, noon + 2 * day) if continued else (now - day, noon)
    state = _counted_state(ours, upstream)
    service = await _opened_from_redis(redis_up.url, prefix, sim, state, now)
    assert service.report().total.answered == (1 if continued else 0)


async def test_a_hub_carries_its_day_on_when_redis_restarts_empty(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """Redis restarted without persistence: the hub still holds the day it counted, so
    the screens keep today's totals (and the time nobody published is marked), rather
    than every count starting again from nought."""
    hub = publisher(redis_up.url, prefix, sim, service=True)
    async with running(hub):
        assert await until(lambda: hub.service is not None and _counted(_total(hub)) >= 4, 20)
        before, counted, published = _total(hub), hub.service, hub.published
        redis_up.stop()
        await asyncio.sleep(RESTART_GAP_SECONDS + 1.0)
        redis_up.start()
        # leading again with a service level of its new lease (the old one's frames
        # counted before the outage do not say it is back)
        assert await until(
            lambda: (
                hub.role == "leader"
                and hub.service is not counted
                and hub.published >= published + 3
            ),
            30,
        )
        after = _total(hub)
        assert after.offered >= before.offered
        assert after.answered >= before.answered
        assert after.abandoned >= before.abandoned
        assert hub.service is not None and hub.service.metrics.gaps, "the outage is marked"
        stored = (await _stored(redis_up.url, prefix, sim.igrp)).report("today").total
        assert stored.offered >= before.offered


def _talked_state(ours: datetime, upstream: datetime) -> dict[str, object]:
    """A day's state with one call talked: waiting, answered a second after the first
    poll, seen bridged by the next two, gone at the fourth. The offset to the upstream's
    clock, measured from rows in whole seconds, puts the polls half a second past each
    second: it ended halfway between the last two, 2 s after its answer."""
    service = ServiceLevel(ZoneInfo("UTC"))
    start = upstream - timedelta(seconds=60)
    answered = upstream + timedelta(seconds=1)
    waiting = ActiveCall(
        call_ref="c1", state=CallState.QUEUEING, state_start=start, call_start=start
    )
    talking = ActiveCall(
        call_ref="c1",
        state=CallState.BRIDGED,
        state_start=answered,
        call_start=start,
        agent_ref="a.one",
    )
    for n, rows in enumerate([[waiting], [talking], [talking], []]):
        later = timedelta(seconds=n)
        server_now = upstream + later
        service.observe_calls(CallsSnapshot.build(rows, ours + later, server_now=server_now))
    assert service.report().total.talked == 1
    return service.to_dict()


def _without_talk(state: object) -> object:
    """``state`` as a hub before talk was counted kept it: no talk in any tally."""
    if isinstance(state, dict):
        talk = {"talked", "talk_sum", "longest_talk"}
        return {k: _without_talk(v) for k, v in state.items() if k not in talk}
    if isinstance(state, list):
        return [_without_talk(v) for v in state]
    return state


@pytest.mark.parametrize("old", [False, True], ids=["with talk", "written before talk"])
async def test_a_leader_carries_the_talk_on_from_redis_in_either_shape(
    redis_up: RedisServer, prefix: str, sim: Simulator, old: bool
) -> None:
    """The day's state in Redis carries the talk; one a hub wrote before talk was
    counted still loads, with no talk for what came before it."""
    now = datetime.now(UTC)
    noon = datetime.combine(now.date(), time(12), UTC) + timedelta(days=2)
    state = _talked_state(now, noon)
    if old:
        state = _without_talk(state)  # type: ignore[assignment]
        assert "talk" not in json.dumps(state)
    service = await _opened_from_redis(redis_up.url, prefix, sim, state, now)
    total = service.report().total
    assert total.answered == 1
    if old:
        assert (total.talked, total.avg_talk, total.longest_talk) == (0, None, None)
    else:
        assert (total.talked, total.avg_talk, total.longest_talk) == (1, 2.0, 2.0)


async def _opened_from_redis(
    url: str, prefix: str, sim: Simulator, state: Any, now: datetime
) -> ServiceLevel:
    """The service level a leader opens from ``state`` stored as the hub's day."""
    keys = HubKeys(prefix, sim.igrp)
    hub = publisher(url, prefix, sim, service=True)
    try:
        await hub.redis.hset(keys.latest, "day", codec.encode_service(state, now.timestamp()))
        service = await hub._open_service()
    finally:
        await hub.redis.aclose()
    assert service is not None
    return service
