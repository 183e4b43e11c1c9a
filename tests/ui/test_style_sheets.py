"""Each mode parses only its own style sheets at start, and a dialog's rules come with
the first dialog (``rtdash.ui.shell.MODE_STYLES`` and ``MODAL_STYLES``): fewer rules to
parse and to match against every widget of the first frame, the same look."""

from __future__ import annotations

from textual.app import App
from textual.widget import Widget

from rtdash.config import Settings
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.help import HelpScreen
from rtdash.ui.screens.wallboard import WallboardScreen
from rtdash.ui.screens.welcome import WelcomeScreen
from tests.ui.helpers import make_app, settings_for, wait_for_data, wait_until


def sheets(app: App[object]) -> set[str]:
    """The style files the app has read so far, by name."""
    return {path.rsplit("/", 1)[-1] for path, _ in app.stylesheet.source if path.endswith(".tcss")}


async def test_the_dashboard_reads_the_dialogs_rules_with_its_first_dialog(
    sim: Simulator,
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        assert sheets(app) == {"app.tcss", "dashboard.tcss"}, "no wallboard, no dialogs"
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert "modals.tcss" in sheets(app)
        dialog = app.screen.query_one("#help-dialog", Widget)
        assert dialog.styles.border.top[0] == "thick", "modals.tcss styles the dialog"
        assert dialog.region.width <= 100, "its max-width applies"


async def test_the_wallboard_reads_its_own_rules(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.wallboard = True
    app = RtdashApp(settings)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        assert isinstance(app.screen, WallboardScreen)
        assert sheets(app) == {"app.tcss", "dashboard.tcss", "wallboard.tcss"}


async def test_the_welcome_screen_is_styled_as_before(sim: Simulator) -> None:
    settings = Settings()  # no installation: the welcome screen
    app = RtdashApp(settings, simulator=sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.pause()
        welcome = app.screen.query_one("#welcome", Widget)
        assert (welcome.styles.padding.top, welcome.styles.padding.left) == (1, 2)
