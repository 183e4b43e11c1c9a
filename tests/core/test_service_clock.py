"""The day's clock is the upstream's from the very first poll: against a simulator whose
clock is 45 minutes behind ours (and still on yesterday), "today" and the rolling
windows move with every poll, not only once the upstream's clock caught up with ours."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.client import InfinityClient
from rtdash.api.credentials import Credentials, Secret
from rtdash.core.clock import FrozenClock
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.users_snapshot import UsersSnapshot
from rtdash.sim import SimConfig, Simulator

#: our clock, 20 minutes into a day, and the upstream's 45 minutes behind (the day before)
LOCAL = datetime(2026, 5, 2, 0, 20, tzinfo=UTC)
BEHIND = timedelta(minutes=45)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    config = SimConfig(seed=7, realtime=False, load=30, agents=20, start=LOCAL - BEHIND)
    with Simulator(config) as sim:
        yield sim


async def test_an_upstream_clock_behind_ours_moves_the_day_from_the_first_poll(
    sim: Simulator,
) -> None:
    ours = FrozenClock(LOCAL)
    credentials = Credentials(username=sim.username, password=Secret(sim.password))
    async with InfinityClient(
        igrp=sim.igrp, credentials=credentials, base_url=sim.url, now=ours.now
    ) as client:
        service = ServiceLevel(ZoneInfo("UTC"))
        # the users' poll may land first, as the poller's two routes race
        users = await client.user_status()
        service.observe_users(UsersSnapshot.build(users.rows, users.fetched_at))
        for _ in range(12):
            calls = await client.active_calls()
            snapshot = CallsSnapshot.build(
                calls.rows, calls.fetched_at, calls.unreadable, server_now=calls.server_now
            )
            service.observe_calls(snapshot)
            upstream = sim.now.timestamp()
            assert service.metrics.now is not None
            assert abs(service.metrics.now - upstream) <= 1.0, "the day's clock is the upstream's"
            sim.advance(60)
            ours.advance(60)
    # twelve minutes on, still well before our clock's time of the first poll: the
    # windows moved all along, and today is the upstream's day
    today, fifteen = service.report("today"), service.report("15m")
    assert today.since.date() == date(2026, 5, 1)
    assert abs(today.until.timestamp() - (sim.now.timestamp() - 60)) <= 1.0
    assert fifteen.until.timestamp() < LOCAL.timestamp() - 30 * 60
    assert fifteen.total.answered > 0, "the calls answered show in the moving window"
