"""Snapshot tests: every screen at 80×24 (SSH) and 160×48, the wallboard up to 320×90
(in colour, under ``NO_COLOR`` and in a light theme), frozen clock.

The simulator does not move (``realtime=False``) and the app's clock is frozen at the
simulator's time, so the ticking times, the data age and the rows are the same on every
run. Regenerate on purpose with ``pytest tests/ui --snapshot-update`` and look at the
SVGs (``screenshots/make.py`` turns them into the README's images).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from rtdash.api.models import CallState
from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.lookup import LookupScreen
from rtdash.ui.widgets.metrics_bar import MetricTile
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    settings_for,
    wait_for_data,
    wait_for_footer_keys,
    wait_until,
    with_polling_paused,
)
from tests.ui.wall_helpers import filtered_svg

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


async def _ready(pilot: Pilot) -> None:
    board = await with_polling_paused(pilot)
    board.tick()
    await pilot.pause()


async def _paused_on_data(pilot: Pilot) -> None:
    await _ready(pilot)
    board = dashboard_of(pilot.app)
    board.grid.table(CallState.BRIDGED).focus()
    board.tick()
    await pilot.pause()
    # the pause and the focus each give the Footer new keys: a picture before their
    # layout shows none
    await wait_for_footer_keys(pilot)


async def _open_lookup_on_first_bridged(pilot: Pilot, outcome: str) -> None:
    await _paused_on_data(pilot)
    await pilot.press("enter")
    modal = pilot.app.screen
    assert isinstance(modal, LookupScreen)
    await wait_until(pilot, lambda: modal.outcome == outcome)
    await wait_for_footer_keys(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(sim, flash=False), terminal_size=size, run_before=_paused_on_data)


def test_dashboard_with_its_breaches_lit(snap_compare, sim: Simulator) -> None:
    """A flash's lit second: each breached tile black on the alert colour (set inline by
    the tile, not by the style sheet, so only a picture of it holds the look)."""

    async def run_before(pilot: Pilot) -> None:
        await _paused_on_data(pilot)
        breached = [t for t in pilot.app.screen.query(MetricTile) if t.has_class("level-alert")]
        assert breached, "the frozen centre has a breach to light"
        for tile in breached:
            tile.flash(True, True)
        await pilot.pause()

    assert snap_compare(make_app(sim, flash=False), terminal_size=(160, 48), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_lookup_advanced(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_lookup_on_first_bridged(pilot, "advanced")

    assert snap_compare(make_app(sim, flash=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_lookup_basic_mode(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    basic = next(i for i in sim.installations if i.mode == "basic")

    async def run_before(pilot: Pilot) -> None:
        await _open_lookup_on_first_bridged(pilot, "basic")

    assert snap_compare(
        make_app(sim, flash=False, igrp=basic.igrp), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_lookup_denied(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_lookup_on_first_bridged(pilot, "denied")

    app = make_app(sim, flash=False, username=sim.nopii_username, password=sim.nopii_password)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _paused_on_data(pilot)
        await pilot.press("question_mark")
        await wait_for_footer_keys(pilot)

    assert snap_compare(make_app(sim, flash=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_paused_for_a_while(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    """45 s on, a paused dashboard is the picture it paused on (test_dashboard's): no
    time moves over rows that do not."""
    app = make_app(sim, flash=False)

    async def run_before(pilot: Pilot) -> None:
        await _paused_on_data(pilot)
        app.clock.advance(45)  # type: ignore[attr-defined]
        dashboard_of(app).tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


WALL_SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 30), id="120x30"),
    pytest.param((160, 48), id="160x48"),
    pytest.param((240, 67), id="240x67"),
    pytest.param((320, 90), id="320x90"),
]


class FilteredApp(RtdashApp):
    """The app, photographed after its line filters (``NO_COLOR``): what a terminal gets."""

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        return filtered_svg(self, title)


def _wallboard_app(
    sim: Simulator, *, theme: str | None = None, no_color: bool = False
) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.flash = False
    if theme is not None:
        settings.display.theme = theme
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    kind = FilteredApp if no_color else RtdashApp
    return kind(settings, clock=FrozenClock(sim.now))


async def _wallboard_ready(pilot: Pilot) -> None:
    """Live data, held still: the pollers stop (not paused, which a wallboard would say
    on its tabs and status line: the README's images are of a live wall)."""
    app = pilot.app
    await wait_for_data(pilot)
    screen = app.screen
    for view in screen.views:  # type: ignore[attr-defined]
        view.poller.stop()
    await wait_until(pilot, lambda: not any(v.poller._tasks for v in screen.views))  # type: ignore[attr-defined]
    for view in screen.views:  # type: ignore[attr-defined]
        view.tick()
    screen.show_installations()  # type: ignore[attr-defined]
    await pilot.pause()


@pytest.mark.parametrize("size", WALL_SIZES)
def test_wallboard(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_wallboard_app(sim), terminal_size=size, run_before=_wallboard_ready)


async def _disconnected(pilot: Pilot) -> None:
    """The service stops answering (the poller ends, not paused) and two minutes pass."""
    await wait_for_data(pilot)
    screen = pilot.app.screen
    for view in screen.views:  # type: ignore[attr-defined]
        view.poller.stop()
    await wait_until(pilot, lambda: not any(v.poller._tasks for v in screen.views))  # type: ignore[attr-defined]
    pilot.app.clock.advance(125)  # type: ignore[attr-defined]
    for view in screen.views:  # type: ignore[attr-defined]
        view.tick()
    await pilot.pause()
    if screen.query("Footer"):  # the dashboard's; the wallboard has none
        await wait_for_footer_keys(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_disconnected_dashboard(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(sim, flash=False), terminal_size=size, run_before=_disconnected)


def test_disconnected_named_installations_at_80x24(snap_compare, sim: Simulator) -> None:
    """Two named installations over SSH at 80 columns, the data stale: the status line
    has no room for the name, so it keeps the id (``#1234``), and the tabs fit their
    line with both marks on it."""
    others = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = make_app(
        sim, flash=False, name="Northwind Contact Centre, Leeds and Bradford", more_igrps=others
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=_disconnected)


def test_wallboard_too_short_for_every_agent(snap_compare, sim: Simulator) -> None:
    """A wall screen short of room for every tile: the last line counts the agents
    without one by state, and a group with no room keeps its heading and count; the
    queue table, short of room for every queue, counts the rest and their calls."""
    assert snap_compare(_wallboard_app(sim), terminal_size=(80, 18), run_before=_wallboard_ready)


def test_disconnected_wallboard(snap_compare, sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.flash = False
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    assert snap_compare(app, terminal_size=(160, 48), run_before=_disconnected)


def test_disconnected_wallboard_on_a_tv(snap_compare, sim: Simulator) -> None:
    """A TV in a browser: a band taller than a line, digits faded to a trace."""
    assert snap_compare(_wallboard_app(sim), terminal_size=(240, 67), run_before=_disconnected)


async def _paused_for_three_minutes(pilot: Pilot) -> None:
    """``p`` on the wall's keyboard, its polls ended, and three minutes pass."""
    await wait_for_data(pilot)
    await pilot.press("p")
    view = pilot.app.screen.view  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: view.feed.paused and not view.poller._tasks)
    pilot.app.clock.advance(180)  # type: ignore[attr-defined]
    view.tick()
    await pilot.pause()


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), WALL_SIZES[3]])
def test_paused_wallboard(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    """A calm band says PAUSED, since when and the key that resumes; the digits dim."""
    app = _wallboard_app(sim)
    assert snap_compare(app, terminal_size=size, run_before=_paused_for_three_minutes)


@pytest.mark.parametrize("size", WALL_SIZES)
def test_wallboard_no_color(
    snap_compare, sim: Simulator, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without colour the symbols (● ◆ ○, ▲ ‼) and reverse video still say everything."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = _wallboard_app(sim, no_color=True)
    assert app.no_color
    assert snap_compare(app, terminal_size=size, run_before=_wallboard_ready)


@pytest.mark.parametrize("size", [pytest.param((160, 48), id="160x48")])
def test_wallboard_light_theme(snap_compare, sim: Simulator, size: tuple[int, int]) -> None:
    app = _wallboard_app(sim, theme="textual-light")
    assert snap_compare(app, terminal_size=size, run_before=_wallboard_ready)


def test_palette_on_exp(snap_compare, sim: Simulator) -> None:
    """The palette at 80x24, "exp" typed: Export first, its key as typed."""

    async def run_before(pilot: Pilot) -> None:
        from textual.command import CommandList, CommandPalette
        from textual.widgets import Input

        await _paused_on_data(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        await pilot.press(*"exp")
        palette = pilot.app.screen
        results = palette.query_one(CommandList)
        # the search is over (no busy indicator dimming the list) and Export highlighted
        await wait_until(
            pilot,
            lambda: (
                results.option_count > 0
                and results.highlighted == 0
                and palette._busy_timer is None  # type: ignore[attr-defined]
                and not palette._show_busy
            ),  # type: ignore[attr-defined]
        )
        # the typing cursor blinks on a timer: hold it still, or the picture depends on
        # which half-second the snapshot lands in
        palette.query_one(Input).cursor_blink = False
        await pilot.pause(0.3)

    assert snap_compare(make_app(sim, flash=False), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_replay(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """A recording at 10:14:03 of 10:02–11:30, ×4, paused: REPLAY and the position bar."""
    from rtdash.config import Settings
    from rtdash.core.replay import Player
    from rtdash.ui.screens.replay import ReplayApp, ReplayScreen
    from tests.ui.replay_helpers import POSITION, make_recording

    player = Player(make_recording(tmp_path / "day.rtrec"), paused=True, speed=4)
    player.seek_to(POSITION)
    app = ReplayApp(player, settings=Settings())

    async def run_before(pilot: Pilot) -> None:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.dashboard.status_bar.headline == "paused")  # type: ignore[attr-defined]
        await pilot.pause()
        await wait_for_footer_keys(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
