"""``rtdash --hub`` in the app: each installation's live feed is fed by the hub's
subscriber instead of a poller, its history starts with the hub's trend, and lookups
need the viewer's own credentials. Pilot, a real redis-server, the simulator."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
import redis as redis_sync
from textual.pilot import Pilot

from rtdash.api.credentials import Secret
from rtdash.config import Settings
from rtdash.core.service import RESTART_GAP_SECONDS
from rtdash.core.service_report import fmt_gaps
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber
from rtdash.sim import SimConfig, Simulator
from rtdash.ui.app import RtdashApp
from tests.hub.conftest import RedisServer
from tests.hub.helpers import publisher, running, until, viewer_settings
from tests.ui.helpers import dashboard_of, screen_text, wait_until

pytestmark = pytest.mark.asyncio

#: minutes ago of each trend point seeded before the viewer starts: one per bucket
SEEDED = [40, 36, 32, 28, 24, 20, 16, 12, 8, 4]


@pytest.fixture
def sim() -> Iterator[Simulator]:
    sim = Simulator(SimConfig(seed=5, agents=12, load=10, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


def seed_trend(url: str, prefix: str, igrp: int) -> list[tuple[int, int]]:
    """Trend entries from before anything was published (as a hub that ran all morning
    leaves them): (waiting, available) per point, oldest first."""
    keys = HubKeys(prefix, igrp)
    db = redis_sync.Redis.from_url(url)
    now = time.time()
    # 5 s into a 30 s history bucket, so each point's two entries share one bucket
    early_in_bucket = now - now % 30 + 5
    seeded = []
    for number, minutes in enumerate(SEEDED):
        at = early_in_bucket - minutes * 60
        waiting, available = number + 1, 20 - number
        ms = int(at * 1000)
        db.xadd(keys.trend, {"v": json.dumps({"t": at, "w": waiting})}, id=f"{ms}-0")
        db.xadd(keys.trend, {"v": json.dumps({"t": at + 0.5, "a": available})}, id=f"{ms}-1")
        seeded.append((waiting, available))
    db.close()
    return seeded


@contextlib.asynccontextmanager
async def viewing(
    url: str,
    prefix: str,
    sim: Simulator,
    settings: Settings | None = None,
    size: tuple[int, int] = (120, 40),
) -> AsyncIterator[tuple[RtdashApp, Pilot[int]]]:
    """A hub publishing the simulator's data (its first frames out) and a viewer app on
    it (``settings``: :func:`viewer_settings` by default), its first screen up."""
    hub = publisher(url, prefix, sim)
    async with running(hub):
        assert await until(lambda: hub.published >= 4, 10)
        app = RtdashApp(settings or viewer_settings(url, prefix, sim))
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, lambda: bool(app.screen_stack[1:]), 5)
            yield app, pilot


async def test_a_hub_viewer_shows_the_hubs_data_with_its_trend_and_polls_nothing(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    seeded = seed_trend(redis_up.url, prefix, sim.igrp)
    async with viewing(redis_up.url, prefix, sim) as (app, pilot):
        board = dashboard_of(app)
        feed = board.feed
        assert isinstance(feed.source, HubSubscriber)
        assert board.poller is feed.source, "the screens' controls reach the subscriber"
        await wait_until(pilot, lambda: board.calls is not None and board.users is not None)
        sim.requests.reset()
        # the first samples of the history are the hub's trend, one per bucket
        assert len(feed.history) >= len(SEEDED)
        got = list(zip(feed.history.waiting(), feed.history.available(), strict=True))
        assert got[: len(SEEDED)] == seeded
        # what the hub published last is what the feed holds (same rows)
        await wait_until(pilot, lambda: board.status_bar.text is not None, 5)
        text = board.status_bar.text
        assert text is not None and text.headline == "hub · upstream live"
        assert feed.calls is not None and feed.calls.calls
        await pilot.pause(2.2)
        counts = sim.stats()["requests"]
        # two seconds of the hub polling at 1 s, the viewer adding nothing
        assert counts["pbxActiveCalls"] <= 4  # type: ignore[index]  # a dict of counts
        assert counts["activeCall"] == 0  # type: ignore[index]  # as above
        # the hub keeps its own schedule, and the screen says whose it is
        app.screen.action_slower()  # type: ignore[attr-defined]  # DashboardScreen
        assert board.status_bar.note == "the hub polls every 1 s"
        assert feed.source.interval == 1.0
        # pausing holds the picture, and its time: the screen is paused, not the upstream
        await pilot.press("p")
        assert feed.source.paused
        frozen = feed.calls
        await wait_until(pilot, lambda: board.status_bar.text.headline == "hub · paused", 2)
        held = board.status_bar.text.age
        await pilot.pause(2.2)  # the hub's status frames go on coming, a second apart
        assert feed.calls is frozen
        assert board.status_bar.text.age == held, "the data's time holds while paused"
        # r while paused: the newest picture once, still paused, and the note goes
        await pilot.press("r")
        await wait_until(pilot, lambda: feed.calls is not frozen, 5)
        await wait_until(pilot, lambda: board.status_bar.note is None, 5)
        assert feed.source.paused and board.status_bar.text.age != held
        await pilot.press("p")
        await wait_until(pilot, lambda: feed.calls is not frozen, 5)


async def test_a_hub_viewer_reads_the_trend_of_its_own_window(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """``trend_minutes`` set to 10: the viewer reads the hub's last 10 minutes, not
    the 40 Redis holds, and its history starts with those."""
    seeded = seed_trend(redis_up.url, prefix, sim.igrp)
    settings = viewer_settings(redis_up.url, prefix, sim)
    settings.display.trend_minutes = 10
    async with viewing(redis_up.url, prefix, sim, settings) as (app, pilot):
        feed = dashboard_of(app).feed
        source = feed.source
        assert isinstance(source, HubSubscriber)
        await wait_until(pilot, lambda: feed.calls is not None)
        oldest = min(point.when.timestamp() for point in source.trend)
        assert oldest >= time.time() - 10 * 60, "nothing older than the window is read"
        within = [pair for pair, minutes in zip(seeded, SEEDED, strict=True) if minutes < 10]
        assert len(within) == 2
        got = list(zip(feed.history.waiting(), feed.history.available(), strict=True))
        assert got[: len(within)] == within


async def test_a_hub_viewer_without_credentials_is_told_lookups_need_them(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    async with viewing(redis_up.url, prefix, sim) as (app, pilot):
        board = dashboard_of(app)
        await wait_until(pilot, lambda: board.calls is not None)
        await pilot.press("l")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "DashboardScreen", "no lookup opened"
        messages = [(n.title, n.message) for n in app._notifications]
        assert any(
            title == "No credentials" and "RTDASH_USERNAME" in message
            for title, message in messages
        ), messages


async def test_a_hub_viewer_with_credentials_looks_up_directly(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    settings = viewer_settings(
        redis_up.url, prefix, sim, username=sim.username, password=Secret(sim.password)
    )
    async with viewing(redis_up.url, prefix, sim, settings) as (app, pilot):
        board = dashboard_of(app)
        await wait_until(pilot, lambda: board.calls is not None)
        await pilot.press("l")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LookupScreen", 3)
        # the lookup's client is the viewer's own, with the viewer's credentials
        assert app.screen.client is board.client  # type: ignore[attr-defined]  # LookupScreen
        assert board.client is not None and board.client.credentials.usable


async def test_a_hub_wallboard_draws_the_hubs_data(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """``rtdash --hub --wallboard``: the TV's view is fed by the hub like the dashboard's."""
    from rtdash.ui.screens.wallboard import WallboardScreen
    from rtdash.ui.widgets.agent_grid import AgentGrid

    settings = viewer_settings(redis_up.url, prefix, sim)
    settings.display.wallboard = True
    async with viewing(redis_up.url, prefix, sim, settings, (160, 48)) as (app, pilot):
        await wait_until(pilot, lambda: isinstance(app.screen, WallboardScreen), 5)
        screen = app.screen
        assert isinstance(screen, WallboardScreen)
        view = screen.view
        assert isinstance(view.feed.source, HubSubscriber)
        await wait_until(pilot, lambda: view.calls is not None and view.users is not None)
        assert view.users is not None
        grid = view.query_one(AgentGrid)
        assert [u.user_id for u in grid.users] == [u.user_id for u in view.users.dashboard_users]
        await wait_until(pilot, lambda: view.status_bar.text is not None, 5)
        assert view.status_bar.text is not None
        assert view.status_bar.text.headline == "hub · upstream live"


async def test_a_hub_viewers_dashboard_says_what_the_hub_did_not_watch(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """The hub stopped a while and came back: its day state marks the time nobody polled,
    and the dashboard says so in the wallboard's words, at the size an SSH session has."""
    first = publisher(redis_up.url, prefix, sim, service=True)
    leading = asyncio.create_task(first.run())
    try:
        assert await until(lambda: first.shown_now is not None, 10)
        app = RtdashApp(viewer_settings(redis_up.url, prefix, sim))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: bool(app.screen_stack[1:]), 5)
            board = dashboard_of(app)
            keeper = board.keeper
            assert keeper is not None
            await wait_until(pilot, lambda: board.calls is not None, 5)
            # the hub's day before its first poll: the hub watched none of it
            await wait_until(pilot, lambda: len(keeper.service.metrics.gaps) == 1, 5)
            ((midnight, first_poll),) = keeper.service.metrics.gaps
            assert f"{datetime.fromtimestamp(midnight, board.zone):%H:%M:%S}" == "00:00:00"
            night = "Today's totals: " + fmt_gaps(
                [
                    (
                        datetime.fromtimestamp(midnight, board.zone),
                        datetime.fromtimestamp(first_poll, board.zone),
                    )
                ]
            )
            # alone, not on the dashboard (a row the waiting calls need): with the outage
            await pilot.pause()
            assert "Today's totals" not in screen_text(app)
            # a clean stop (its last day state out), down longer than a restart that
            # goes unmarked, then another hub carries on the day
            first.stop()
            await asyncio.wait_for(leading, timeout=10)
            await pilot.pause(RESTART_GAP_SECONDS + 1.5)
            second = publisher(redis_up.url, prefix, sim, service=True, holder="hub-b")
            async with running(second):
                await wait_until(pilot, lambda: len(keeper.service.metrics.gaps) == 2, 10)
                assert second.service is not None
                assert keeper.service.metrics.gaps == second.service.metrics.gaps
                (start, end) = keeper.service.metrics.gaps[-1]
                assert end - start > RESTART_GAP_SECONDS
                said = "Today's totals: " + fmt_gaps(
                    [
                        tuple(datetime.fromtimestamp(t, board.zone) for t in gap)
                        for gap in keeper.service.metrics.gaps
                    ]
                )
                assert said.startswith(f"{night}, ")
                await pilot.pause(1.1)  # the once-a-second redraw
                lines = [ln.rstrip() for ln in screen_text(app).splitlines() if ln.strip()]
                # the line under the headline, above the calls
                assert lines[1] == said, lines[:3]
    finally:
        first.stop()
        leading.cancel()
        with contextlib.suppress(BaseException):
            await leading


#: a silent hub's cause, whole (at 80 columns it was cut: "nothing from t…"), with what
#: to do about it (it said only what had happened)
SILENT = re.compile(r"nothing from the hub for \d+ s: is `rtdash hub` running\?")


async def test_a_silent_hubs_cause_is_whole_at_80_columns(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """At 80 columns (a supervisor over SSH) the hub's silence was said after the
    data's age and cut at the edge; it goes on a line of its own, as an upstream
    failure's cause does."""
    hub = publisher(redis_up.url, prefix, sim)
    async with running(hub):
        assert await until(lambda: hub.published >= 4, 10)
        app = RtdashApp(viewer_settings(redis_up.url, prefix, sim))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "data as of" in screen_text(app), 10)
            hub.stop()  # a hub gone: no poller publishes
            await wait_until(pilot, lambda: bool(SILENT.search(screen_text(app))), 15)
            lines = [line for line in screen_text(app).splitlines() if line.strip()]
            status = next(i for i, line in enumerate(lines) if "data as of" in line)
            assert "no poller publishing" in lines[status], lines[status]
            assert SILENT.search(lines[status + 1]), lines[status : status + 2]
            assert all(len(line.rstrip()) <= 80 for line in lines)


async def test_a_viewer_of_an_installation_no_hub_publishes_says_so(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """``--igrp`` of an installation the hub does not poll looked like a hub gone
    quiet ("nothing from the hub for 10 s"): it is named, with the prefix, as
    ``rtdash stats --hub`` names it."""
    hub = publisher(redis_up.url, prefix, sim)
    async with running(hub):
        assert await until(lambda: hub.published >= 2, 10)
        app = RtdashApp(viewer_settings(redis_up.url, prefix, sim, igrp=4321))
        async with app.run_test(size=(80, 24)) as pilot:
            said = f"no hub publishes installation 4321 under prefix {prefix!r}"
            await wait_until(pilot, lambda: said in screen_text(app), 15)
            assert "nothing from the hub" not in screen_text(app)
