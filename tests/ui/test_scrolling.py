"""The lookup modal, the help and the welcome screen at an SSH-sized 80×24 (and smaller):
what does not fit scrolls by keyboard and wheel, so nothing is out of reach.

Each test reads what the terminal shows (``screen_text``), not the widgets' content: the
bug was text that was rendered but clipped by its dialog, where no key could reach it.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from textual.widget import Widget

from rtdash.api.models import CallState
from rtdash.config import Settings
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.help import HelpScreen
from rtdash.ui.screens.lookup import LookupScreen
from rtdash.ui.screens.welcome import WelcomeScreen
from tests.support import a_password
from tests.ui.helpers import dashboard_of, make_app, screen_text, wait_for_data, wait_until


async def _press_and_settle(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.app.animator.wait_until_complete()
    await pilot.pause()


async def _wheel_down(pilot: Pilot, widget: Widget) -> None:
    """One notch of the mouse wheel over ``widget``, routed by the app like a real one."""
    x, y = widget.region.center
    event = events.MouseScrollDown(None, x, y, 0, 1, 0, False, False, False, screen_x=x, screen_y=y)
    pilot.app.post_message(event)
    await pilot.pause()
    await pilot.app.animator.wait_until_complete()
    await pilot.pause()


async def test_lookup_scrolls_to_every_section_at_80x24(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        dashboard_of(app).grid.table(CallState.BRIDGED).focus()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        details = modal.details
        assert details is not None and details.custom, "the seed-7 call has custom data"
        last_key = sorted(details.custom)[-1]
        dialog = modal.query_one("#lookup-dialog")

        shown = screen_text(app)
        assert "Attribution" in shown and "Channel" in shown
        assert "Custom data" not in shown and last_key not in shown, "does not fit 80×24"

        start = dialog.scroll_y
        await _press_and_settle(pilot, "down")
        assert dialog.scroll_y == start + 1
        await _press_and_settle(pilot, "pagedown")
        assert dialog.scroll_y > start + 1

        await _press_and_settle(pilot, "end")
        shown = screen_text(app)
        assert "Talk time" in shown and "Custom data" in shown and last_key in shown
        assert "Channel" not in shown, "the details scrolled, the dialog did not just grow"
        assert "Caller lookup" in shown, "the title stays in view"

        end = dialog.scroll_y
        assert end == dialog.max_scroll_y
        # one line back: the line saying what is below then takes the dialog's last line
        await _press_and_settle(pilot, "up")
        assert dialog.scroll_y == end - 1
        await _press_and_settle(pilot, "pageup")
        assert dialog.scroll_y < end - 1
        await _press_and_settle(pilot, "home")
        assert dialog.scroll_y == 0
        assert "Channel" in screen_text(app)

        await _wheel_down(pilot, dialog)
        assert dialog.scroll_y > 0, "the mouse wheel scrolls the details"

        # the dialog's own keys still work with the scrolling dialog focused
        await pilot.press("y")
        assert app.clipboard and last_key in app.clipboard
        await pilot.press("escape")
        assert not isinstance(app.screen, LookupScreen)


async def test_lookup_new_lookup_after_scrolling(sim: Simulator) -> None:
    """A guard for the layout, not a reproduction (the old modal passes it too): the
    title and input are docked, so ``n`` reaches an input that is still on screen."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        dashboard_of(app).grid.table(CallState.BRIDGED).focus()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        await _press_and_settle(pilot, "end")
        await pilot.press("n")
        assert modal.query_one("#lookup-input").has_focus
        assert "Phone number" in screen_text(app), "the input stays in view while scrolled"
        await pilot.press("escape")
        assert not isinstance(app.screen, LookupScreen)


async def test_help_scrolls_to_the_note_at_80x24(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Log file:" not in screen_text(app), "does not fit 80×24"
        await _press_and_settle(pilot, "end")
        shown = screen_text(app)
        assert "Log file:" in shown and "Times tick every second" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_shows_every_key_by_scrolling_at_40x15(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(40, 15)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        dialog = help_screen.query_one("#help-dialog")
        seen = screen_text(app)
        while dialog.scroll_y < dialog.max_scroll_y:
            before = dialog.scroll_y
            await _press_and_settle(pilot, "pagedown")
            assert dialog.scroll_y > before, "PageDown moves on"
            seen += screen_text(app)
        for explanation in ("Look up the selected", "Quit rtdash", "Command palette", "Log file"):
            assert explanation in seen
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_welcome_scrolls_to_the_demo_at_80x24(sim: Simulator) -> None:
    settings = Settings()
    settings.connection.username = "x"
    settings.connection.password = a_password()  # type: ignore[assignment]
    app = RtdashApp(settings, simulator=sim)  # no igrp: the welcome screen
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        assert "Credentials found" in screen_text(app)
        assert "Or try it now" not in screen_text(app), "does not fit 80×24"
        await _press_and_settle(pilot, "end")
        shown = screen_text(app)
        assert "Or try it now" in shown and "to start the demo" in shown
        await _press_and_settle(pilot, "home")
        assert "Welcome to rtdash" in screen_text(app)
        await pilot.press("d")
        await wait_until(pilot, lambda: not isinstance(app.screen, WelcomeScreen))
