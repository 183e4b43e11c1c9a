"""Installation names through the hub: the hub publishes what it calls each
installation with its status, so a viewer without credentials (which can never look the
name up) names its tabs; a name in the viewer's own config still wins; a hub that sends
no name (an older one) leaves the tabs as they were. A real redis-server, the
simulator, Pilot."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from rtdash.config import Settings
from rtdash.core.poller_status import Phase, PollerStatus
from rtdash.hub import codec
from rtdash.hub.publisher import InstallationPublisher
from rtdash.sim import SimConfig, Simulator
from rtdash.ui.app import RtdashApp
from tests.hub.conftest import RedisServer
from tests.hub.helpers import Screen, publisher, running, subscriber, until
from tests.hub.test_viewer_app import viewer_settings
from tests.ui.helpers import screen_text, wait_until

NORTHWIND = "Northwind Contact Centre"
HARBOUR = "Harbour Lettings"
#: the simulator's second installation (its first is ``sim.igrp``, 1234)
SECOND = 5678


@pytest.fixture
def sim() -> Iterator[Simulator]:
    sim = Simulator(SimConfig(seed=5, agents=8, load=6, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


@contextlib.asynccontextmanager
async def two_tabs(
    url: str, prefix: str, sim: Simulator, names: dict[int, str | None], **connection: object
) -> AsyncIterator[tuple[RtdashApp, Pilot[int], list[InstallationPublisher]]]:
    """A hub publishing both of the simulator's installations under ``names`` and a
    viewer (no credentials) of both, its tabs up; and the hub's publishers, in the
    order of ``names``."""
    hubs = [publisher(url, prefix, sim, igrp=igrp, name=name) for igrp, name in names.items()]
    async with running(*hubs):
        assert await until(lambda: all(hub.published >= 2 for hub in hubs), 10)
        settings: Settings = viewer_settings(url, prefix, sim, **connection)
        settings.connection.more_igrps = [SECOND]
        app = RtdashApp(settings)
        async with app.run_test(size=(140, 30)) as pilot:
            await wait_until(pilot, lambda: bool(app.screen_stack[1:]), 5)
            yield app, pilot, hubs


@pytest.mark.asyncio
async def test_a_viewer_names_its_tabs_as_the_hub_does(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    names: dict[int, str | None] = {sim.igrp: NORTHWIND, SECOND: HARBOUR}
    async with two_tabs(redis_up.url, prefix, sim, names) as (app, pilot, _):
        want = f"{NORTHWIND} ({sim.igrp})"
        await wait_until(pilot, lambda: want in screen_text(app), 5)
        await wait_until(pilot, lambda: f"{HARBOUR} ({SECOND})" in screen_text(app), 5)
        assert f"installation {sim.igrp}" not in screen_text(app)


@pytest.mark.asyncio
async def test_a_name_the_hub_changes_is_the_tabs_new_name(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """The hub's config renamed (and the hub restarted, or a name learnt later): an
    open viewer's tab follows with the hub's next status, not the first name it saw."""
    names: dict[int, str | None] = {sim.igrp: NORTHWIND, SECOND: HARBOUR}
    async with two_tabs(redis_up.url, prefix, sim, names) as (app, pilot, hubs):
        await wait_until(pilot, lambda: f"{NORTHWIND} ({sim.igrp})" in screen_text(app), 5)
        hubs[0].name = "Northwind West"
        await wait_until(pilot, lambda: f"Northwind West ({sim.igrp})" in screen_text(app), 5)
        assert NORTHWIND not in screen_text(app)


@pytest.mark.asyncio
async def test_a_name_in_the_viewers_config_wins(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    names: dict[int, str | None] = {sim.igrp: NORTHWIND, SECOND: HARBOUR}
    async with two_tabs(redis_up.url, prefix, sim, names, name="Floor Two") as (app, pilot, _):
        # the other tab's name arriving says the hub's names have been read
        await wait_until(pilot, lambda: f"{HARBOUR} ({SECOND})" in screen_text(app), 5)
        await pilot.pause(1.2)  # another status each: the configured name holds
        text = screen_text(app)
        assert f"Floor Two ({sim.igrp})" in text
        assert NORTHWIND not in text
        assert app.names.name(sim.igrp) == "Floor Two"


@pytest.mark.asyncio
async def test_a_hub_that_sends_no_names_still_feeds_the_viewer(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    names: dict[int, str | None] = {sim.igrp: None, SECOND: None}
    async with two_tabs(redis_up.url, prefix, sim, names) as (app, pilot, _):
        views = app.screen.views  # type: ignore[attr-defined]  # DashboardScreen
        await wait_until(pilot, lambda: all(view.feed.calls is not None for view in views), 5)
        text = screen_text(app)
        assert f"installation {sim.igrp}" in text and f"installation {SECOND}" in text
        assert app.names.name(sim.igrp) is None


@pytest.mark.asyncio
async def test_a_name_from_redis_is_shown_as_text_never_as_markup(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    # the hub keeps the brackets (they are text) and drops what does not print
    hostile = "[b]North[/b]\x1b[2J\u202ewind"
    names: dict[int, str | None] = {sim.igrp: hostile, SECOND: HARBOUR}
    async with two_tabs(redis_up.url, prefix, sim, names) as (app, pilot, _):
        want = f"[b]North[/b] [2J wind ({sim.igrp})"
        await wait_until(pilot, lambda: want in screen_text(app), 5)
        assert "\x1b" not in screen_text(app)


@pytest.mark.asyncio
async def test_the_subscriber_is_told_a_name_once(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    told: list[str] = []
    screen = Screen()
    viewer = subscriber(redis_up.url, prefix, sim.igrp, screen)
    viewer.on_name = told.append
    async with running(publisher(redis_up.url, prefix, sim, name=NORTHWIND), viewer):
        assert await until(lambda: len(screen.statuses) >= 3, 10)
    assert told == [NORTHWIND]
    assert viewer.name == NORTHWIND


def _status() -> PollerStatus:
    return PollerStatus(phase=Phase.LIVE, interval=2.0, routes={}, made_at=0.0)


def test_a_status_without_a_name_is_as_an_older_hub_sends_it() -> None:
    status = _status()
    plain = codec.encode_status(status, 1000.0)
    assert codec.encode_status(status, 1000.0, None) == plain
    assert codec.decode(plain).name is None
    named = codec.decode(codec.encode_status(status, 1000.0, NORTHWIND))
    assert named.name == NORTHWIND
    # the rest of the status reads as it did without the name
    assert named.status == codec.decode(plain).status


def test_a_name_that_is_not_text_is_no_name() -> None:
    raw = codec.encode_status(_status(), 1000.0)
    body = codec._unpack(raw)
    for junk in (42, ["x"], {"a": 1}, "", "   "):
        frame = codec._pack({**body, "nm": junk})
        assert codec.decode(frame).name is None


def test_a_name_is_made_safe_where_a_viewer_reads_it() -> None:
    # whoever can write to Redis writes the name, not only a hub that cleaned it
    body = codec._unpack(codec.encode_status(_status(), 1000.0))
    frame = codec._pack({**body, "nm": "North\x1b]52;c;eA==\x07\u202ewind\r\n"})
    name = codec.decode(frame).name
    assert name is not None
    assert name.startswith("North\u241b]52;c;eA==") and name.endswith("wind\u21b5")
    assert all(ch.isprintable() for ch in name)


def test_the_demo_hub_names_the_simulators_installations() -> None:
    from rtdash.cli.hub import _every_demo_installation

    names = _every_demo_installation(Settings(), asked=False)
    assert names[1234] == NORTHWIND and names[SECOND] == HARBOUR
