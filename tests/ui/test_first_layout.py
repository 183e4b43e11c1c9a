"""The first frame of both live screens, the dashboard and the wallboard: neither is
laid out while the app waits for the first answer (that layout would be thrown away:
the data changes the groups' heights and the tiles), and the first frame painted
carries the answer (``rtdash.ui.screens.first_frame``)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen

from rtdash.core.clock import FrozenClock
from rtdash.core.poller_status import Phase
from rtdash.sim import Simulator
from rtdash.ui import first_frame as app_module
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.wallboard import WallboardScreen
from tests.ui.helpers import settings_for, wait_for_data, wait_for_footer_keys, wait_until

SCREENS = {"dashboard": DashboardScreen, "wallboard": WallboardScreen}


def live_app(sim: Simulator, kind: str) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = kind == "wallboard"
    return RtdashApp(settings, clock=FrozenClock(sim.now))


def answered(screen: Any) -> bool:
    view = screen.view
    return view.calls is not None and view.users is not None


@pytest.mark.parametrize("kind", list(SCREENS))
async def test_a_live_screen_is_laid_out_first_with_its_first_answer(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(app_module, "FIRST_FRAME_WAIT", 60.0)  # only the answer ends it
    layouts: list[tuple[bool, bool]] = []  # (the app still waiting, the view answered)
    painted: list[tuple[bool, Phase | None]] = []
    lay_out = Screen._refresh_layout

    def recording_layout(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        if isinstance(screen, SCREENS[kind]):
            layouts.append((app.waiting_first_answer, answered(screen)))
        lay_out(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", recording_layout)
    app = live_app(sim, kind)
    display = app._display

    def recording_display(screen: Any, renderable: Any) -> None:
        if renderable is not None and not app._batch_count and isinstance(screen, SCREENS[kind]):
            status = screen.view.status_bar.status
            painted.append((answered(screen), status.phase if status is not None else None))
        display(screen, renderable)

    app._display = recording_display  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, lambda: bool(painted))
        assert isinstance(app.screen, SCREENS[kind])
        assert not app.holding_first_frame
    assert layouts, "the screen was laid out"
    assert layouts[0] == (False, True), "its first layout came with the first answer"
    assert all(not waiting for waiting, _ in layouts), "no layout while the answer was awaited"
    assert painted[0] == (True, Phase.LIVE), "its first frame has the data"


async def test_the_wallboard_starts_at_its_breakpoints(sim: Simulator) -> None:
    """The height's class (``-tall`` at 48 rows) is there before the first resize,
    which then restyles nothing."""
    app = live_app(sim, "wallboard")
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, WallboardScreen)
        assert screen.has_class("-tall") and not screen.has_class("-short")


async def test_the_first_frame_waits_for_neither_footer_keys_nor_the_filter_line(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Composed when the first frame is out (the keys) or first wanted (the filter):
    the Footer's line is there from the start, empty, so nothing above it moves."""
    from textual.widgets import Footer, Input
    from textual.widgets._footer import FooterKey

    monkeypatch.setattr(app_module, "FIRST_FRAME_WAIT", 60.0)
    app = live_app(sim, "dashboard")
    at_first_paint: list[tuple[int, int, int]] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if renderable is not None and isinstance(screen, DashboardScreen) and not at_first_paint:
            footer = screen.query_one(Footer)
            keys = len(footer.query(FooterKey))
            at_first_paint.append((keys, len(screen.query(Input)), footer.region.height))
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        assert at_first_paint == [(0, 0, 1)], "no keys, no filter, the Footer's line there"
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.screen.query("#filter").first(Input).has_focus)
        await pilot.press("4")
        assert app.screen.query_one("#filter", Input).value == "4"
