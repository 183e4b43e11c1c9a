"""The Textual application: connects settings, clients and screens.

Start-up stays light: the simulator is imported only in demo mode, the first frame is
drawn before the first poll returns, and the garbage collector the command paused
(:mod:`rtdash.warmup`) resumes once the first data is drawn. Each installation gets
its own client and poller; the dashboard or the wallboard shows them as switchable views.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import signal
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from rtdash.api.client import InfinityClient
from rtdash.config import ConfigError, Installation, Settings, config_path
from rtdash.core.clock import Clock, SystemClock
from rtdash.core.thresholds import Thresholds
from rtdash.ui.commands import COMMANDS
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.views import INSTALLATION_KEYS
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.live_view import LiveView, ViewOptions
from rtdash.warmup import collection_paused, freeze_imports, resume_collection, tls_context

if TYPE_CHECKING:
    from rtdash.core.recording import Recorder
    from rtdash.core.replay import Player
    from rtdash.sim import Simulator

log = logging.getLogger(__name__)

STYLE_FILES = ("app.tcss", "dashboard.tcss", "wallboard.tcss", "modals.tcss")

#: the shell's code for "ended by SIGHUP" (128 + 1)
HANGUP_EXIT = 129
#: and for "ended by SIGTERM" (128 + 15), kept so a supervisor sees why it ended
TERMINATED_EXIT = 143

#: seconds after mount when the garbage collector resumes even if no data was drawn
#: (the welcome screen, a slow or failing service): the start is over by then
COLLECTION_PAUSE_LIMIT = 5.0

#: ids of bindings outside the command registry that a keymap may also remap
EXTRA_BINDING_IDS = {
    "lookup_close",
    "lookup_copy",
    "lookup_new",
    "help_close",
    "welcome_demo",
    "welcome_quit",
    *(str(binding.id) for binding in INSTALLATION_KEYS),
}
_KEY = re.compile(r"^[a-z0-9_+-]+(,[a-z0-9_+-]+)*$")


def style_paths() -> list[Path]:
    """The TCSS files: ``rtdash/styles`` in an installed wheel, ``styles/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    folder = package / "styles"
    if not (folder / STYLE_FILES[0]).is_file():
        folder = package.parent / "styles"
    return [folder / name for name in STYLE_FILES]


def check_ui_settings(settings: Settings) -> None:
    """Theme and keymap, checked before the screen is taken over: ConfigError if bad."""
    theme = settings.display.theme
    if theme not in BUILTIN_THEMES:
        known = ", ".join(sorted(BUILTIN_THEMES))
        raise ConfigError(f"display.theme: unknown theme {theme!r} (known: {known})")
    known_ids = {command.id for command in COMMANDS} | EXTRA_BINDING_IDS
    for binding_id, keys in settings.keymap.items():
        if binding_id not in known_ids:
            ids = ", ".join(sorted(command.id for command in COMMANDS))
            raise ConfigError(f"keymap.{binding_id}: unknown command (commands: {ids})")
        if not isinstance(keys, str) or not _KEY.match(keys.replace(" ", "")):
            raise ConfigError(
                f'keymap.{binding_id}: {keys!r} is not a key such as "ctrl+l" or "f5"'
            )
    clash = _dashboard_key_clash(settings.keymap)
    if clash:
        raise ConfigError(clash)


def _dashboard_key_clash(keymap: dict[str, str]) -> str | None:
    """Two of the dashboard's commands on one key: one of them could never be used (a
    remapped lookup on ``q`` took quit's key and the footer lost Quit)."""
    defaults = {command.id: command.key for command in COMMANDS}
    defaults.update({str(binding.id): binding.key for binding in INSTALLATION_KEYS})
    owner: dict[str, str] = {}
    for binding_id, default in defaults.items():
        for key in keymap.get(binding_id, default).replace(" ", "").split(","):
            if key in owner:
                return (
                    f"keymap: {key!r} is the key of both {owner[key]} and {binding_id}; "
                    "give one of them another key"
                )
            owner[key] = binding_id
    return None


class RtdashApp(App[int]):
    TITLE = "rtdash"
    CSS_PATH = style_paths()  # type: ignore[assignment]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        http: httpx.AsyncClient | None = None,
        simulator: Simulator | None = None,
        record: Path | None = None,
    ) -> None:
        check_ui_settings(settings)
        super().__init__()
        self.settings = settings
        self.demo = demo
        self.wallboard = settings.display.wallboard
        self.clock = clock or SystemClock()
        self._http = http
        self.simulator = simulator
        self._owns_simulator = False
        self.clients: list[InfinityClient] = []
        self.record = record
        self.theme = settings.display.theme
        if settings.keymap:
            self.set_keymap(settings.keymap)

    # --- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self._exit_on_hangup()
        if collection_paused():  # a live view resumes it sooner, once data is drawn
            self.set_timer(COLLECTION_PAUSE_LIMIT, resume_collection, name="collection")
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", timeout=15)
        if self.demo:
            self.action_start_demo()
        elif self._can_connect():
            self._open(badge=None)
        else:
            from rtdash.ui.screens.welcome import WelcomeScreen  # Markdown is slow to import

            self.push_screen(WelcomeScreen(str(config_path()), self._missing()))

    def _exit_on_hangup(self) -> None:
        """The terminal went away (an SSH drop): exit. Handled even when SIGHUP was
        ignored at start (nohup), or the input thread spins on the dead terminal.
        SIGTERM (a service manager, ``kill``) quits as ``q`` does: the terminal is
        still there and gets its screen, cursor and mouse back."""
        with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self.hang_up)
            loop.add_signal_handler(signal.SIGTERM, self.terminate)

    def terminate(self) -> None:
        log.warning("terminated (SIGTERM): quitting")
        self.exit(return_code=TERMINATED_EXIT)

    def hang_up(self) -> None:
        """Leave at once: there is no terminal to restore, and an orderly shutdown can
        block for good writing to it (Textual's writer queue, seen here). Recordings
        are closed first: they are the only thing this process holds that matters."""
        for screen in self.screen_stack:
            for view in screen.query(LiveView):
                if view.recorder is not None:
                    view.recorder.close()
        log.warning("the terminal went away: exiting")
        logging.shutdown()
        os._exit(HANGUP_EXIT)

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
        return "Installation set, but no credentials in the environment or config."

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
        connection.password = sim.password  # type: ignore[assignment]
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
            self.push_screen(
                WallboardScreen(boards, rotate_seconds=self.settings.display.rotate_seconds)
            )
            return
        dashboards = [self._view(Dashboard, item, options) for item in installations]
        self.push_screen(
            DashboardScreen(
                dashboards,
                default_region=self.settings.connection.default_region,
                export_dir=self.settings.display.export_dir,
            )
        )

    def view_options(self, badge: str | None) -> ViewOptions:
        settings = self.settings
        return ViewOptions(
            clock=self.clock,
            thresholds=Thresholds.from_settings(settings.thresholds),
            interval=settings.polling.interval,
            max_backoff=settings.polling.max_backoff,
            # the wallboard never asks for personal data: it is on a screen anyone can read
            exclude_pii=settings.connection.exclude_pii or self.wallboard,
            badge=badge,
            show_all_users=settings.display.show_all_users,
            flash=settings.display.flash,
            flash_seconds=settings.display.flash_seconds,
            bell=settings.thresholds.bell,
            source=self._hub_source(),
        )

    def _hub_source(self) -> Any:
        """``--hub``: every view reads the hub instead of polling."""
        if not self.settings.hub.view:
            return None
        from rtdash.hub.viewer import source_factory

        return source_factory(self.settings)

    def _view(
        self, kind: type[LiveView], installation: Installation, options: ViewOptions
    ) -> LiveView:
        client = self.make_client(installation)
        self.clients.append(client)
        view = kind(
            client,
            label=self.installation_label(installation),
            options=options,
            id=f"view-{installation.key}",
        )
        # a profile may exclude personal data for its installation alone
        excluded = options.exclude_pii or installation.connection.exclude_pii
        view.exclude_pii = view.poller.exclude_pii = excluded
        if self.record is not None:
            view.recorder = self._recorder(installation, client, view.label, excluded)
        return view

    def _recorder(
        self, installation: Installation, client: InfinityClient, label: str, excluded: bool
    ) -> Recorder | None:
        """One file per installation: ``FILE`` alone, ``FILE-<igrp>`` for several."""
        from rtdash.core.recording import Recorder, RecordingError

        assert self.record is not None
        path = self.record
        if len(self.settings.installations()) > 1:
            suffixes = "".join(path.suffixes)
            path = path.with_name(f"{path.name.removesuffix(suffixes)}-{client.igrp}{suffixes}")
        try:
            return Recorder(
                path,
                installation=label,
                igrp=client.igrp,
                tz=client.tz,
                exclude_pii=excluded,
                started=self.clock.now(),
            )
        except RecordingError as exc:
            self.notify(str(exc), title="Not recording", severity="error", timeout=30)
            return None

    def make_client(self, installation: Installation) -> InfinityClient:
        connection = installation.connection
        assert connection.igrp is not None
        return InfinityClient(
            igrp=connection.igrp,
            credentials=connection.credentials(),
            base_url=connection.base_url,
            tz=connection.timezone,
            mapping=installation.mapping,
            timeout=connection.timeout,
            http=self._http,
            tls=None if self._http else tls_context(),
            now=self.clock.now,
        )

    def installation_label(self, installation: Installation) -> str:
        igrp = installation.connection.igrp
        name = installation.connection.name
        if name is None and self.simulator is not None:
            name = next((i.name for i in self.simulator.installations if i.igrp == igrp), None)
        return f"{name} ({igrp})" if name else f"installation {igrp}"

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

    # --- commands -------------------------------------------------------------------

    def current_keys(self) -> dict[str, str]:
        """Command id -> key as bound now (after any keymap)."""
        keymap = dict(getattr(self, "_keymap", {}))
        return {command.id: keymap.get(command.id, command.key) for command in COMMANDS}

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, DashboardScreen):
            return
        for command in COMMANDS:
            if not command.palette:
                continue
            action = getattr(screen, f"action_{command.action}", None)
            if action is not None:
                yield SystemCommand(command.explanation, f"key: {command.key}", action)

    async def on_unmount(self) -> None:
        for client in self.clients:
            await client.aclose()
        if self._owns_simulator and self.simulator is not None:
            self.simulator.stop()


def run_dashboard(settings: Settings, *, demo: bool = False, record: Path | None = None) -> int:
    """Raises ConfigError for a bad theme or keymap before the terminal is taken over."""
    if collection_paused():  # the command's start-up: see rtdash.warmup
        freeze_imports()
    app = RtdashApp(settings, demo=demo, record=record)
    return exit_code(app, app.run())


def run_replay(player: Player, *, settings: Settings) -> int:
    """Play a recording back in the same dashboard (no network, no lookups)."""
    from rtdash.ui.screens.replay import ReplayApp

    app = ReplayApp(player, settings=settings)
    return exit_code(app, app.run())


def exit_code(app: App[int], result: int | None) -> int:
    """The command's exit code: an error the app could not handle ends it with
    Textual's traceback on the terminal and must not exit 0, or a wallboard's restart
    loop or a supervisor's script would take the crash for a quit."""
    return app.return_code or result or 0
