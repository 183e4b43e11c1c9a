"""The Textual application: connects settings, the client and the screens.

Start-up stays light: the simulator is imported only in demo mode, and the first frame
is drawn before the first poll returns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from textual.app import App, SystemCommand
from textual.screen import Screen

from rtdash.api.client import Credentials, InfinityClient
from rtdash.config import Settings, config_path
from rtdash.core.clock import Clock, SystemClock
from rtdash.core.thresholds import Thresholds
from rtdash.ui.commands import COMMANDS
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.welcome import WelcomeScreen
from rtdash.ui.widgets.dashboard import Dashboard

if TYPE_CHECKING:
    from rtdash.sim import Simulator

log = logging.getLogger(__name__)

STYLE_FILES = ("app.tcss", "dashboard.tcss", "modals.tcss")


def style_paths() -> list[Path]:
    """The TCSS files: packaged as ``rtdash.styles`` in a wheel, ``styles/`` in a checkout."""
    try:
        folder = Path(str(resources.files("rtdash.styles")))
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parents[2] / "styles"
    if not (folder / STYLE_FILES[0]).is_file():
        folder = Path(__file__).resolve().parents[2] / "styles"
    return [folder / name for name in STYLE_FILES]


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
    ) -> None:
        super().__init__()
        self.settings = settings
        self.demo = demo
        self.clock = clock or SystemClock()
        self._http = http
        self.simulator = simulator
        self._owns_simulator = False
        self.client: InfinityClient | None = None
        if settings.display.theme in self.available_themes:
            self.theme = settings.display.theme

    # --- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.demo:
            self.action_start_demo()
        elif self._can_connect():
            self._open_dashboard(badge=None)
        else:
            self.push_screen(WelcomeScreen(str(config_path()), self._missing()))

    def _can_connect(self) -> bool:
        connection = self.settings.connection
        return connection.igrp is not None and connection.credentials().usable

    def _missing(self) -> str | None:
        connection = self.settings.connection
        if connection.igrp is None and not connection.credentials().usable:
            return None
        if connection.igrp is None:
            return "Credentials found, but no installation id (igrp)."
        return "Installation set, but no credentials in the environment or config."

    def action_start_demo(self) -> None:
        """Run on the built-in simulator (started here, so the demo needs no account)."""
        if self.simulator is None:
            from rtdash.sim import demo_simulator

            self.simulator = demo_simulator().start(port=0)
            self._owns_simulator = True
        sim = self.simulator
        connection = self.settings.connection
        connection.base_url = sim.url
        if connection.igrp not in {installation.igrp for installation in sim.installations}:
            connection.igrp = sim.igrp
        connection.username = sim.username
        connection.password = sim.password  # type: ignore[assignment]
        connection.api_key = None
        self.demo = True
        if isinstance(self.screen, WelcomeScreen):
            self.pop_screen()
        self._open_dashboard(badge="DEMO")

    def _open_dashboard(self, *, badge: str | None) -> None:
        self.client = self.make_client()
        self.push_screen(
            DashboardScreen(
                self.make_dashboard(self.client, badge=badge),
                default_region=self.settings.connection.default_region,
            )
        )

    def make_client(self) -> InfinityClient:
        connection = self.settings.connection
        assert connection.igrp is not None
        return InfinityClient(
            igrp=connection.igrp,
            credentials=Credentials(
                username=connection.username,
                password=connection.password,
                api_key=connection.api_key,
            ),
            base_url=connection.base_url,
            tz=connection.timezone,
            mapping=self.settings.field_mapping(),
            timeout=connection.timeout,
            http=self._http,
            now=self.clock.now,
        )

    def make_dashboard(self, client: InfinityClient, *, badge: str | None) -> Dashboard:
        polling = self.settings.polling
        return Dashboard(
            client,
            clock=self.clock,
            thresholds=Thresholds.from_settings(self.settings.thresholds),
            interval=polling.interval,
            max_backoff=polling.max_backoff,
            exclude_pii=self.settings.connection.exclude_pii,
            installation=self.installation_label(client.igrp),
            badge=badge,
            show_all_users=self.settings.display.show_all_users,
        )

    def installation_label(self, igrp: int) -> str:
        name = None
        if self.simulator is not None:
            name = next((i.name for i in self.simulator.installations if i.igrp == igrp), None)
        return f"installation {igrp}" + (f" {name}" if name else "")

    # --- commands -------------------------------------------------------------------

    def current_keys(self) -> dict[str, str]:
        """Command id -> key as bound now (after any keymap)."""
        keymap = dict(self._keymap) if hasattr(self, "_keymap") else {}
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
        if self.client is not None:
            await self.client.aclose()
        if self._owns_simulator and self.simulator is not None:
            self.simulator.stop()


def run_dashboard(settings: Settings, *, demo: bool = False) -> int:
    app = RtdashApp(settings, demo=demo)
    result = app.run()
    return result or 0
