"""Wallboard, alerts, history, several installations, keymap, theme and focus."""

from __future__ import annotations

import pytest
from textual import events
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Footer

from rtdash.config import ConfigError
from rtdash.core.clock import FrozenClock
from rtdash.core.queues import summarize_queues
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.app import RtdashApp, check_ui_settings
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.lookup import LookupScreen
from rtdash.ui.screens.wallboard import WallboardScreen
from rtdash.ui.widgets.agent_grid import AgentGrid
from rtdash.ui.widgets.metrics_bar import MetricTile
from rtdash.ui.widgets.trend import Trend
from tests.ui.grid_helpers import cut_marks
from tests.ui.helpers import make_app, rendered_text, settings_for, wait_for_data, wait_until


def wallboard_app(sim: Simulator, **display: object) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = True
    for key, value in display.items():
        setattr(settings.display, key, value)
    return RtdashApp(settings, clock=FrozenClock(sim.now))


async def test_wallboard_is_read_only_and_excludes_personal_data(sim: Simulator) -> None:
    requests: list[str] = []
    sim.stop()  # the request log is set before the server starts
    sim.log = requests.append
    sim.start(port=sim.port)
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, WallboardScreen)
        assert not screen.query(Footer), "no footer on a wallboard"
        view = screen.view
        assert view.poller.exclude_pii
        await pilot.press("enter", "l")
        assert not isinstance(app.screen, LookupScreen), "no lookup on a wallboard"
        calls_requests = [line for line in requests if "pbxActiveCalls" in str(line)]
        assert calls_requests and all("excludePiiData=1" in str(r) for r in calls_requests)
        grid = view.query_one(AgentGrid)
        assert [u.user_id for u in grid.users] == [u.user_id for u in view.users.dashboard_users]
        shown = rendered_text(view.query_one("QueueSummaryPanel"), width=80)
        for queue in summarize_queues(view.calls):
            assert queue.queue in shown


@pytest.mark.parametrize("size", [(240, 67), (300, 80)])
async def test_agent_tiles_fit_sixty_agents_on_a_tv(size: tuple[int, int]) -> None:
    from rtdash.sim import SimConfig

    with Simulator(SimConfig(seed=3, agents=72, load=40, realtime=False)).start(port=0) as sim:
        app = wallboard_app(sim)
        async with app.run_test(size=size) as pilot:
            await wait_for_data(pilot)
            grid = app.screen.view.query_one(AgentGrid)
            assert len(grid.users) >= 60
            text = rendered_text(grid, width=grid.size.width)
            assert max(len(line) for line in text.splitlines()) <= grid.size.width
            assert not cut_marks(text), text
            assert all(user.label[:12] in text for user in grid.users)


LEVELS = {"level-warn", "level-alert"}


def _drawn_lit(tile: MetricTile) -> bool:
    """Whether the tile's label and number are drawn as the flash's lit look: black on
    the theme's alert colour, every cell with text in it."""
    alert = Color.parse(tile.app.theme_variables["level-alert"]).rich_color
    black = Color(0, 0, 0).rich_color
    looks = set()
    for child in tile.children:
        width, height = child.size
        for strip in child.render_lines(Region(0, 0, width, height)):
            for text, style, _ in strip:
                if text.strip() and style is not None:
                    looks.add((style.color == black, style.bgcolor == alert))
    assert looks, "the tile draws text"
    return looks == {(True, True)}


async def test_a_threshold_crossing_flashes_the_tile_and_rings_once(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.thresholds.waiting_warn = 0
    settings.thresholds.waiting_alert = 1
    settings.thresholds.agents_available_min = 0
    # the flash's seconds pass with no poll: data that went stale in them would be
    # drawn calm (no tile breached under the DISCONNECTED banner)
    settings.polling.interval = 5.0
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        assert view.metrics.waiting >= 1
        tile = view.query_one("#tile-waiting", MetricTile)
        seen_flash = set()
        for _ in range(4):
            view.tick()
            await pilot.pause()
            seen_flash.add(tile.lit)
            assert _drawn_lit(tile) is tile.lit, "the tile draws what it says"
        assert tile.has_class("breached")
        assert seen_flash == {True, False}, "the tile blinks on alternate seconds"
        assert bells == [1], "one bell per breach, not per tick"
        # a tile of no alert level lit: its label's colour is no longer a contrast
        # (drawn with no wait between: a poll or a second's tick in one would show the
        # alerts again, and this tile, of no alert, unlit)
        calm = next(each for each in view.query(MetricTile) if not each.classes & LEVELS)
        calm.flash(True, True)
        assert _drawn_lit(calm)
        calm.flash(False, False)
        assert not _drawn_lit(calm)
        app.clock.advance(settings.display.flash_seconds + 1)  # type: ignore[attr-defined]
        view.tick()
        view.tick()
        await pilot.pause()
        assert not tile.lit and not _drawn_lit(tile) and tile.has_class("breached")


async def test_no_flash_keeps_the_alert_colour_without_blinking(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.thresholds.waiting_alert = 1
    settings.thresholds.waiting_warn = 0
    settings.display.flash = False
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        tile = view.query_one("#tile-waiting", MetricTile)
        for _ in range(3):
            view.tick()
            await pilot.pause()
            assert not tile.lit and not _drawn_lit(tile)
        assert tile.has_class("breached")


async def test_history_feeds_the_sparklines_without_extra_requests(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.polling.interval = 3600  # one poll per route, then none during the test
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        await wait_until(pilot, lambda: not view.poller._tasks)
        polls = view.poller.polls
        for _ in range(3):
            app.clock.advance(31)  # type: ignore[attr-defined]
            view.tick()
        assert len(view.history) >= 3
        trend = view.query_one("#trend-waiting", Trend)
        waiting, _ = view.history.window(app.clock.now())
        assert trend.values == waiting
        observed = [value for value in waiting if value is not None]
        assert observed == view.history.waiting() and len(observed) >= 3
        assert len(waiting) == 120, "the window is an hour of 30-s slots, observed or not"
        assert view.poller.polls == polls


async def test_installations_as_tabs_keep_their_own_data(sim: Simulator) -> None:
    settings = settings_for(sim)
    other = next(i.igrp for i in sim.installations if i.igrp != sim.igrp)
    settings.connection.more_igrps = [other]
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and len(screen.views) == 2
        first = screen.dashboard
        first_keys = {c.call_ref for c in first.calls.calls}
        await pilot.press("2")
        second = screen.dashboard
        assert second is not first and second.client.igrp == other
        assert {c.call_ref for c in second.calls.calls}.isdisjoint(first_keys)
        bar = rendered_text(screen.query_one("#installations"))
        assert str(other) in bar and str(sim.igrp) in bar
        await pilot.press("1")
        assert screen.dashboard is first
        assert {c.call_ref for c in first.calls.calls} == first_keys


async def test_wallboard_rotates_through_installations(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.rotate_seconds = 1
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, WallboardScreen)
        start, turns = screen.current, screen.rotations
        # each turn moves to the next installation; on a loaded machine two turns may
        # pass between two looks, so the position is checked against the turns taken
        await wait_until(pilot, lambda: screen.rotations >= turns + 1, timeout=8)
        assert screen.current == (start + screen.rotations - turns) % 2
        seen = screen.rotations
        await wait_until(pilot, lambda: screen.rotations >= seen + 1, timeout=8)
        assert screen.current == (start + screen.rotations - turns) % 2
        assert not screen.pinned


async def test_keymap_remaps_a_binding_by_id(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.keymap = {"pause": "x"}
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        await pilot.press("p")
        assert not view.poller.paused, "the old key no longer pauses"
        await pilot.press("x")
        assert view.poller.paused
        assert app.current_keys()["pause"] == "x"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"theme": "no-such-theme"}, "display.theme: unknown theme 'no-such-theme'"),
        ({"keymap": {"lookupp": "ctrl+l"}}, "keymap.lookupp: unknown command"),
        ({"keymap": {"lookup": "ctrl l!"}}, "keymap.lookup: 'ctrl l!' is not a key"),
    ],
)
def test_bad_theme_or_keymap_is_one_clear_line(
    sim: Simulator, change: dict[str, object], message: str
) -> None:
    settings = settings_for(sim)
    if "theme" in change:
        settings.display.theme = change["theme"]  # type: ignore[assignment]
    else:
        settings.keymap = change["keymap"]  # type: ignore[assignment]
    with pytest.raises(ConfigError) as caught:
        check_ui_settings(settings)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


async def test_any_textual_theme_applies(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.theme = "nord"
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)):
        assert app.theme == "nord"


async def test_losing_focus_polls_slower_and_says_so(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        normal = view.poller.interval
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert view.poller.interval == app.settings.polling.unfocused_interval > normal
        view.tick()
        assert "slow: every 10 s" in view.status_bar.text.connection
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert view.poller.interval == normal


async def test_wallboard_ignores_focus_changes(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert view.poller.interval == app.settings.polling.interval


async def test_a_wallboard_with_no_data_yet_says_so_not_no_calls(sim: Simulator) -> None:
    """While the service does not answer, the queues and the agents read "no data yet":
    a TV must not state "no calls in any queue" for an installation it cannot read."""
    sim.faults.add(Fault("status", status=503, times=None))
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        view = app.screen.view
        # both routes answered, and failed
        await wait_until(pilot, lambda: view.poller.failures >= 2, timeout=10)
        await pilot.pause()
        assert view.calls is None and view.users is None
        queues = rendered_text(view.query_one("QueueSummaryPanel"), width=80)
        agents = rendered_text(view.query_one(AgentGrid), width=80)
        assert queues.strip() == "no data yet" and agents.strip() == "no data yet"
        sim.faults.clear()
        await wait_until(
            pilot, lambda: view.calls is not None and view.users is not None, timeout=15
        )
        await pilot.pause()
        queues = rendered_text(view.query_one("QueueSummaryPanel"), width=80)
        assert "no data yet" not in queues
        assert "no data yet" not in rendered_text(view.query_one(AgentGrid), width=80)
