"""Stale means frozen and obvious, on the wallboard as on the dashboard: once the data is
older than three intervals its times stop, no breach begins and no bell rings from it,
and a DISCONNECTED banner says so in the main area; fresh data clears it. Under
``NO_COLOR`` a breach is bold and reverse, never dimmer than a normal number."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from rtdash.core.clock import FrozenClock
from rtdash.core.format import duration
from rtdash.core.metrics import seconds_since
from rtdash.core.poller_status import Route
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Level
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.metrics_bar import MetricsBar, MetricTile
from rtdash.ui.widgets.palette import LEVEL_STYLE
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    screen_text,
    settings_for,
    wait_for_data,
    wait_until,
)

#: the service's name of each route, as the simulator's faults take it
ROUTE_PATHS = {Route.CALLS: "pbxActiveCalls", Route.USERS: "pbxUserStatus"}


def wallboard_app(sim: Simulator) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = True
    return RtdashApp(settings, clock=FrozenClock(sim.now))


async def test_the_wallboard_freezes_stale_data_and_rings_nothing(sim: Simulator) -> None:
    """The incident: two minutes after the service died the wallboard counted the
    longest wait into its alert colour and rang the bell, from a call last seen then."""
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: view.feed.status is not None)
        tile = view.query_one("#tile-longest_wait", MetricTile)
        wait_before = tile._value
        assert "longest_wait" not in view.alerts.active  # under two minutes so far
        bells = view.bells
        app.clock.advance(125)  # type: ignore[attr-defined]  # no await: no poll lands
        view.tick()
        assert view.feed.stale
        assert view.banner.display and view.banner.text is not None
        assert view.banner.text.startswith("DISCONNECTED — data from ")
        assert view.banner.text.endswith("(2 min ago)")
        # the longest wait stopped where it was when the data became stale, three
        # intervals after it: what the live board showed then, never counted back
        frozen = view.feed.frozen_at
        assert frozen == view.feed.data_time + timedelta(seconds=view.feed.status.stale_after)
        shown = view.query_one(MetricsBar).values()["longest_wait"][0]
        assert shown == duration(view.feed.metrics.longest_wait(frozen))
        assert _seconds(shown) == _seconds(wait_before) + view.feed.status.stale_after
        app.clock.advance(60)  # type: ignore[attr-defined]
        view.tick()
        assert view.query_one(MetricsBar).values()["longest_wait"][0] == shown
        assert "longest_wait" not in view.alerts.active, "no breach from invented time"
        assert view.bells == bells
        await wait_until(pilot, lambda: not view.feed.stale)
        await wait_until(pilot, lambda: not view.banner.display)


async def test_a_paused_dashboard_is_old_but_not_disconnected(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        await pilot.press("p")
        await wait_until(pilot, lambda: view.feed.paused)
        app.clock.advance(300)  # type: ignore[attr-defined]
        view.tick()
        assert not view.feed.stale and not view.banner.display


async def test_no_color_breaches_are_bold_reverse_never_dim(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = wallboard_app(sim)
    assert app.no_color
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for_data(pilot)
            view = app.screen.view  # type: ignore[attr-defined]
            breached = [tile for tile in view.query(MetricTile) if tile.has_class("level-alert")]
            assert breached, "the simulated centre has a breach to look at"
            style = breached[0].query_one(".tile-value").styles.text_style
            assert style.bold and style.reverse
            assert LEVEL_STYLE[Level.ALERT] == "bold reverse"
    finally:
        monkeypatch.delenv("NO_COLOR")
        RtdashApp(settings_for(sim))  # the next app sets the colour styles back
    assert LEVEL_STYLE[Level.ALERT].endswith("#D55E00")


def _seconds(shown: str) -> int:
    minutes, seconds = shown.split(":")
    return int(minutes) * 60 + int(seconds)


@pytest.mark.parametrize("failing", [Route.USERS, Route.CALLS])
async def test_one_route_back_under_the_banner_is_drawn_for_its_own_time(
    sim: Simulator, failing: Route
) -> None:
    """The incident: as an outage ended the calls came back a poll before the users,
    and under the banner two callers waiting read "Longest 0:00" (their waits counted
    only to the moment the older users' data went stale, before they called) and
    "Available 1 ‼" (fresh calls taken from stale users) raised an alarm no fresh
    picture gave. The other way round, agents in a state the fresh users say began
    minutes ago read "0:00"."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = dashboard_of(app)
        await wait_until(pilot, lambda: view.feed.status is not None)
        sim.faults.add(Fault(kind="status", status=503, route=ROUTE_PATHS[failing], times=None))
        # both routes silent for five minutes: the callers waiting now all came since
        sim.advance(300)
        app.clock.advance(300)  # type: ignore[attr-defined]  # no await: no poll lands
        view.tick()
        assert view.feed.stale
        back = Route.CALLS if failing is Route.USERS else Route.USERS
        before = _held(view, back).fetched_at
        view.poller.refresh_now()
        await wait_until(pilot, lambda: _held(view, back).fetched_at > before)
        await wait_until(pilot, lambda: view.feed.status.routes[failing].error is not None)
        view.tick()
        assert view.feed.stale, "one route's data is five minutes old: the banner stays"
        assert view.banner.display
        headline = view.query_one(MetricsBar).values()
        calls_time = view.calls.fetched_at
        if back is Route.USERS:  # the calls are the old ones: their times stay stopped
            calls_time += timedelta(seconds=view.feed.status.stale_after)
        data_says = duration(view.feed.metrics.longest_wait(calls_time))
        assert view.feed.metrics.waiting, "callers wait in this centre"
        assert headline["longest_wait"][0] == data_says, (
            f"the calls on screen say the longest wait is {data_says}, "
            f"the headline reads {headline['longest_wait'][0]}"
        )
        if back is Route.USERS:
            _agents_timed_at(app, view, view.users.fetched_at)
        marked = {key: level for key, (_, level) in headline.items() if level is not Level.OK}
        assert not marked, f"threshold marks from stale data: {marked}"
        assert not any(
            tile.has_class("level-warn", "level-alert", "breached")
            for tile in view.query(MetricTile)
        )
        sim.faults.clear()
        await wait_until(pilot, lambda: not view.feed.stale, timeout=20)


def _held(view: Any, route: Route) -> CallsSnapshot | UsersSnapshot:
    shot = view.calls if route is Route.CALLS else view.users
    assert shot is not None
    return shot  # type: ignore[no-any-return]


def _agents_timed_at(app: RtdashApp, view: Any, fresh: datetime) -> None:
    """Each agent the users panel shows reads the time in state its data says at
    ``fresh``, the users' own time."""
    lines = screen_text(app).splitlines()
    checked = 0
    for user in view.user_panel.shown_users():
        row = next((line for line in lines if user.display_name in line), None)
        if row is None:  # below the panel's fold
            continue
        panel = row.rsplit("▏", 1)[-1]
        expected = duration(seconds_since(view.feed.starts.start(user), fresh))
        assert panel.split()[0] == expected, f"{user.display_name}: {panel.strip()!r}"
        checked += 1
    assert checked >= 5, "the panel shows agents to check"
