"""A hub and its viewers in one event loop, against the simulator over loopback."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api.credentials import Secret
from rtdash.api.mapping import FieldMapping
from rtdash.config import ConnectionSettings, Installation, Settings
from rtdash.core.poller_status import PollerStatus
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import SnapshotSink
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.polling import make_client, make_poller
from rtdash.hub.publisher import InstallationPublisher
from rtdash.hub.subscriber import HubSubscriber
from rtdash.hub.trend import TrendPoint
from rtdash.sim import Simulator


class Screen:
    """A sink that keeps everything it is given, as a viewer's feed would."""

    def __init__(self) -> None:
        self.calls: list[CallsSnapshot] = []
        self.users: list[UsersSnapshot] = []
        self.statuses: list[PollerStatus] = []
        self.trend: list[TrendPoint] = []

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self.calls.append(snapshot)

    def on_users(self, snapshot: UsersSnapshot) -> None:
        self.users.append(snapshot)

    def on_status(self, status: PollerStatus) -> None:
        self.statuses.append(status)

    def on_trend(self, points: list[TrendPoint]) -> None:
        self.trend.extend(points)

    @property
    def status(self) -> PollerStatus:
        return self.statuses[-1]


def installation(sim: Simulator, igrp: int | None = None) -> Installation:
    """``igrp``: one of the simulator's installations (its first by default)."""
    igrp = sim.igrp if igrp is None else igrp
    connection = ConnectionSettings(
        base_url=sim.url,
        igrp=igrp,
        username=sim.username,
        password=Secret(sim.password),
    )
    return Installation(
        key=str(igrp), connection=connection, mapping=FieldMapping.from_overrides({})
    )


def publisher(
    url: str,
    prefix: str,
    sim: Simulator,
    *,
    interval: float = 1.0,
    holder: str = "hub-a",
    service: bool = False,
    igrp: int | None = None,
    name: str | None = None,
    fresh_day: bool = False,
) -> InstallationPublisher:
    """``service``: the hub keeps the day's service level (as ``rtdash hub`` does);
    ``igrp``: which of the simulator's installations (its first by default); ``name``:
    what the hub calls it (none: as a hub that knows no name, or an older one);
    ``fresh_day``: as ``rtdash hub --demo``, the day in Redis is not continued."""
    inst = installation(sim, igrp)

    def factory(sink: SnapshotSink) -> Any:
        return make_poller(
            make_client(inst), sink, interval=interval, max_backoff=interval, exclude_pii=True
        )

    return InstallationPublisher(
        connector(url)(),
        HubKeys(prefix, inst.connection.igrp or sim.igrp),
        factory,
        interval=interval,
        holder=holder,
        service=(lambda: ServiceLevel(ZoneInfo("UTC"))) if service else None,
        name=name,
        fresh_day=fresh_day,
    )


def subscriber(
    url: str, prefix: str, igrp: int, screen: Screen, interval: float = 1.0
) -> HubSubscriber:
    return HubSubscriber(
        connector(url), HubKeys(prefix, igrp), screen, interval=interval, on_trend=screen.on_trend
    )


async def until(check: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Wait for a condition on real time (the parts under test run on real time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if check():
            return True
        await asyncio.sleep(step)
    return check()


@contextlib.asynccontextmanager
async def running(*parts: Any) -> Any:
    tasks = [asyncio.create_task(part.run()) for part in parts]
    try:
        yield tasks
    finally:
        for part in parts:
            part.stop()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=10)


def viewer_settings(url: str, prefix: str, sim: Simulator, **connection: object) -> Settings:
    """A viewer's settings: the hub, the installation and no credentials unless given."""
    settings = Settings()
    settings.connection.base_url = sim.url
    settings.connection.igrp = sim.igrp
    for key, value in connection.items():
        setattr(settings.connection, key, value)
    settings.hub.url = Secret(url)
    settings.hub.prefix = prefix
    settings.hub.view = True
    settings.polling.interval = 1.0
    settings.display.flash = False
    return settings
