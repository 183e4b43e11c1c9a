"""The Textual application: connects settings, clients and screens.

Start-up stays light: the simulator is imported only in demo mode, the first frame is
drawn once, with the first answer in it (:mod:`rtdash.ui.first_frame`), and the
garbage collector the command paused (:mod:`rtdash.warmup`) resumes once the first
data is drawn. Each installation gets its own client, live feed, source and view
(:mod:`rtdash.ui.live_views`); the dashboard or the wallboard shows them as switchable
views.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from rtdash.api.credentials import Secret
from rtdash.api.sanitise import clean
from rtdash.config import Settings, config_path
from rtdash.core.clock import Clock
from rtdash.core.credentials import missing_credentials
from rtdash.core.naming import InstallationNames
from rtdash.ui.commands import LIVE, WALL
from rtdash.ui.first_frame import FIRST_FRAME_WAIT
from rtdash.ui.live_views import LiveViewsApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.shell import HANGUP_EXIT, STYLE_FILES, TERMINATED_EXIT, style_paths
from rtdash.ui.stdin_watch import stop_watching
from rtdash.ui.ui_settings import EXTRA_BINDING_IDS, check_ui_settings
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.live_view import LiveView
from rtdash.warmup import (
    collection_paused,
    freeze_imports,
    resume_collection,
    warm_phone_numbers,
)

if TYPE_CHECKING:
    import httpx
    from textual.app import App

    from rtdash.core.replay import Player
    from rtdash.head_start import HeadStart
    from rtdash.sim import Simulator

log = logging.getLogger(__name__)

__all__ = [
    "EXTRA_BINDING_IDS",
    "FIRST_FRAME_WAIT",
    "HANGUP_EXIT",
    "STYLE_FILES",
    "TERMINATED_EXIT",
    "RtdashApp",
    "check_ui_settings",
    "exit_code",
    "run_dashboard",
    "run_replay",
    "style_paths",
]

#: seconds after mount when the garbage collector resumes even if no data was drawn
#: (the welcome screen, a slow or failing service): the start is over by then
COLLECTION_PAUSE_LIMIT = 5.0


class RtdashApp(LiveViewsApp):
    """The live modes: the dashboard, or the wallboard (``display.wallboard``)."""

    TITLE = "rtdash"

    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        http: httpx.AsyncClient | None = None,
        simulator: Simulator | None = None,
        record: Path | None = None,
        head_start: HeadStart | None = None,
    ) -> None:
        super().__init__(settings, mode=WALL if settings.display.wallboard else LIVE, clock=clock)
        self.demo = demo
        self._http = http
        self.head_start = None if demo else head_start
        self.simulator = simulator
        self._owns_simulator = False
        self.clients = []
        self.record = record
        self.recorders = []
        self.keepers = []
        self.names = InstallationNames()
        self.names.subscribe(self._renamed)
        self._hub_sources = None

    def first_answers_taken(self) -> None:
        if self.head_start is not None:
            self.head_start.forget()  # every first poll has taken its answer by now

    # --- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.exit_on_signals()
        if collection_paused():  # a live view resumes it sooner, once data is drawn
            self.set_timer(COLLECTION_PAUSE_LIMIT, resume_collection, name="collection")
        for warning in self.settings.warnings:
            self.notify(clean(warning), severity="warning", timeout=15, markup=False)
        if self.demo:
            self._hold_first_frame()
            self.action_start_demo()
        elif self._can_connect():
            if not self.wallboard:  # the wallboard shows no caller's number
                warm_phone_numbers()
            self._hold_first_frame()
            self._open(badge=None)
        else:
            from rtdash.ui.screens.welcome import WelcomeScreen  # Markdown is slow to import

            self.push_screen(WelcomeScreen(str(config_path()), self._missing()))

    def before_hang_up(self) -> None:
        """Recordings are closed: they are the only thing this process holds that matters."""
        for recorder in self.recorders:
            recorder.close()
        self._close_keepers()

    def _close_keepers(self) -> None:
        for keeper in self.keepers:
            try:
                keeper.close()
            except OSError as exc:  # a full disk must not stop the way out
                log.warning("cannot save today's totals: %s", exc)
        self.keepers.clear()

    def _can_connect(self) -> bool:
        if self.settings.profiles:
            return True
        connection = self.settings.connection
        if self.settings.hub.view:  # credentials are needed for lookups only
            return connection.igrp is not None
        return connection.igrp is not None and connection.credentials().usable

    def _missing(self) -> str | None:
        connection = self.settings.connection
        if connection.igrp is None and not connection.credentials().usable:
            return None
        if connection.igrp is None:
            return "Credentials found, but no installation id (igrp)."
        missing = missing_credentials(
            username=bool(connection.username),
            password=bool(connection.password),
            api_key=bool(connection.api_key),
        )
        return f"Installation set, but {missing}."

    def action_start_demo(self) -> None:
        """Run on the built-in simulator (started here, so the demo needs no account).

        Every simulated installation opens, as tabs, unless ``--igrp`` named one.
        """
        if self.simulator is None:
            from rtdash.sim import demo_simulator

            self.simulator = demo_simulator().start(port=0)
            self._owns_simulator = True
        sim = self.simulator
        served = [installation.igrp for installation in sim.installations]
        connection = self.settings.connection
        connection.base_url = sim.url
        if connection.igrp not in served:
            connection.igrp = served[0]
            connection.more_igrps = served[1:]
        connection.more_igrps = [igrp for igrp in connection.more_igrps if igrp in served]
        connection.username = sim.username
        connection.password = Secret(sim.password)
        connection.api_key = None
        self.settings.profiles = {}
        self.demo = True
        if type(self.screen).__name__ == "WelcomeScreen":
            self.pop_screen()
        self._open(badge="DEMO")

    def _open(self, *, badge: str | None) -> None:
        installations = self.settings.installations()
        options = self.view_options(badge)
        if self.wallboard:
            from rtdash.ui.screens.wallboard import WallboardScreen
            from rtdash.ui.widgets.wallboard import Wallboard

            boards = [self._view(Wallboard, item, options) for item in installations]
            self._await_first_answers(boards)
            self.push_screen(
                WallboardScreen(boards, rotate_seconds=self.settings.display.rotate_seconds)
            )
            return
        dashboards = [self._view(Dashboard, item, options) for item in installations]
        self._await_first_answers(dashboards)
        self.push_screen(
            DashboardScreen(
                dashboards,
                default_region=self.settings.connection.default_region,
                export_dir=self.settings.display.export_dir,
            )
        )

    # --- focus: poll slower while nobody is looking ------------------------------------

    def watch_app_focus(self, focused: bool) -> None:
        """The terminal reports focus changes; while nobody looks, poll more slowly."""
        if self.wallboard or self.is_web:
            # a wallboard is never "focused" and must stay live; in a browser tab the
            # terminal only learns of focus once clicked, so blur there means nothing
            return
        slow = None if focused else self.settings.polling.unfocused_interval
        for screen in self.screen_stack:
            for view in screen.query(LiveView):
                view.poller.set_slow(slow)

    async def on_unmount(self) -> None:
        for recorder in self.recorders:
            recorder.close()
        self._close_keepers()
        for client in self.clients:
            await client.aclose()
        if self._owns_simulator and self.simulator is not None:
            self.simulator.stop()


def run_dashboard(settings: Settings, *, demo: bool = False, record: Path | None = None) -> int:
    """Raises ConfigError for a bad theme or keymap before the terminal is taken over."""
    if collection_paused():  # the command's start-up: see rtdash.warmup
        freeze_imports()
    from rtdash.head_start import claim

    app = RtdashApp(settings, demo=demo, record=record, head_start=claim(settings))
    return exit_code(app, app.run())


def run_replay(player: Player, *, settings: Settings) -> int:
    """Play a recording back in the same dashboard (no network, no lookups)."""
    from rtdash.ui.screens.replay import ReplayApp

    app = ReplayApp(player, settings=settings)  # ConfigError for a bad theme or keymap
    return exit_code(app, app.run())


def exit_code(app: App[int], result: int | None) -> int:
    """The command's exit code: an error the app could not handle ends it with
    Textual's traceback on the terminal and must not exit 0, or a wallboard's restart
    loop or a supervisor's script would take the crash for a quit."""
    stop_watching()  # the app has ended: no hang-up to watch for any more
    return app.return_code or result or 0
