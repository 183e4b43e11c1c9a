"""Replay: a recording played back in the same dashboard, for incident review.

The same :class:`Dashboard` draws it, fed from a :class:`~rtdash.core.replay.Player`
instead of a poller; its clock is the player's position, so times in state, waits and
"data as of" read as they did at that moment. Keys move through time instead of
polling; a REPLAY badge says so on every frame.
"""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.binding import Binding

from rtdash.api.client import Credentials, InfinityClient
from rtdash.config import Settings
from rtdash.core.replay import Player, PlayerClock, replay_status
from rtdash.core.thresholds import Thresholds
from rtdash.ui.messages import CallsUpdated, StatusUpdated, UsersUpdated
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.live_view import ViewOptions

#: how often the player moves and the screen follows (seconds of real time)
STEP = 0.25

#: priority: the tables' own cursor keys (left, right, home, end) must not take them
REPLAY_KEYS = [
    Binding("space", "toggle_pause", "Play/pause", id="replay_pause", priority=True),
    Binding("right", "seek(10)", "+10 s", id="replay_forward", priority=True),
    Binding("left", "seek(-10)", "-10 s", id="replay_back", priority=True),
    Binding(
        "shift+right", "seek(60)", "+1 min", show=False, id="replay_forward_more", priority=True
    ),
    Binding("shift+left", "seek(-60)", "-1 min", show=False, id="replay_back_more", priority=True),
    Binding("full_stop", "step(1)", "Next change", show=False, id="replay_next"),
    Binding("comma", "step(-1)", "Previous change", show=False, id="replay_previous"),
    Binding("home", "seek_fraction(0)", "Start", show=False, id="replay_start", priority=True),
    Binding("end", "seek_fraction(1)", "End", show=False, id="replay_end", priority=True),
    *(
        Binding(str(n), f"seek_fraction({n / 10})", show=False, id=f"replay_{n}0_percent")
        for n in range(10)
    ),
]


#: the replay's own keys as the help screen lists them
REPLAY_HELP = [
    ("space, p", "Play or pause"),
    ("←, →", "10 s back or forward (shift: a minute)"),
    (",  .", "The previous or next change"),
    ("+, -", "Faster or slower (¼× to 64×)"),
    ("0–9", "Jump to 0–90 % of the recording"),
    ("home, end", "The start or the end"),
]


class ReplayScreen(DashboardScreen):
    BINDINGS = REPLAY_KEYS
    #: polling, interval and lookup keys: a recording has no service behind it
    without = frozenset({"lookup_selected", "lookup", "pause", "refresh", "faster", "slower"})

    def __init__(self, dashboard: Dashboard, player: Player, **kwargs: object) -> None:
        super().__init__([dashboard], **kwargs)  # type: ignore[arg-type]
        self.player = player
        self._shown: tuple[object, object] = (None, None)
        self._last: float | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(STEP, self.play, name="play")
        self.show_position()

    def play(self) -> None:
        now = asyncio.get_running_loop().time()
        elapsed = 0.0 if self._last is None else now - self._last
        self._last = now
        self.player.advance(elapsed)
        self.show_position()

    def show_position(self) -> None:
        """Push the state at the player's position; an unchanged one costs nothing."""
        board = self.dashboard
        calls, users = self.player.state_at()
        if calls is not None and calls is not self._shown[0]:
            board.post_message(CallsUpdated(calls))
        if users is not None and users is not self._shown[1]:
            board.post_message(UsersUpdated(users))
        self._shown = (calls, users)
        loop_now = asyncio.get_running_loop().time()
        board.post_message(StatusUpdated(replay_status(self.player, made_at=loop_now)))
        board.status_bar.badge = self.player.label(board.zone)
        board.status_bar.tick()

    def help_rows(self, keys: dict[str, str]) -> list[tuple[str, str]]:
        return [*REPLAY_HELP, *super().help_rows(keys)]

    # --- time keys instead of polling keys --------------------------------------------

    def action_toggle_pause(self) -> None:
        if self.player.at_end and self.player.paused is False:
            self.player.seek_fraction(0)
        self.player.toggle_pause()
        self.show_position()

    def action_seek(self, seconds: float) -> None:
        before = self.player.position
        self.player.seek(seconds)
        self._moved(before)

    def action_step(self, records: int) -> None:
        before = self.player.position
        self.player.step(records)
        self._moved(before)

    def action_seek_fraction(self, fraction: float) -> None:
        before = self.player.position
        self.player.seek_fraction(fraction)
        self._moved(before)

    def _moved(self, before: object) -> None:
        if self.player.position < before:  # type: ignore[operator]
            # time ran backwards: the trend and alerts start again from here
            board = self.dashboard
            board.history = type(board.history)()
            board.alerts.active.clear()
            board.alerts.since.clear()
        self.show_position()

    def action_faster(self) -> None:
        self.dashboard.status_bar.set_note(f"speed ×{self.player.faster():g}")
        self.show_position()

    def action_slower(self) -> None:
        self.dashboard.status_bar.set_note(f"speed ×{self.player.slower():g}")
        self.show_position()

    def action_refresh(self) -> None:
        self.show_position()

    def action_lookup_selected(self) -> None:
        self.notify("Caller lookup needs the live service; it is off in replay.")

    def action_lookup_number(self) -> None:
        self.action_lookup_selected()


class ReplayApp(App[int]):
    """The dashboard app's look, with one recording instead of installations."""

    TITLE = "rtdash replay"

    def __init__(self, player: Player, *, settings: Settings) -> None:
        from rtdash.ui.app import RtdashApp, style_paths

        self.CSS_PATH = style_paths()
        self.HORIZONTAL_BREAKPOINTS = RtdashApp.HORIZONTAL_BREAKPOINTS
        super().__init__()
        self.player = player
        self.settings = settings
        self.theme = settings.display.theme

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from rtdash.ui.widgets.palette import THEME_VARIABLES

        return {**super().get_theme_variable_defaults(), **THEME_VARIABLES}

    def on_mount(self) -> None:
        header = self.player.recording.header
        client = InfinityClient(
            igrp=header.igrp or 0, credentials=Credentials(), tz=header.tz or "UTC"
        )
        options = ViewOptions(
            clock=PlayerClock(self.player),
            thresholds=Thresholds.from_settings(self.settings.thresholds),
            exclude_pii=bool(header.exclude_pii),
            badge="REPLAY",
            bell=False,
            flash=self.settings.display.flash,
            live=False,
        )
        label = header.installation or f"installation {header.igrp}"
        board = Dashboard(client, label=label, options=options, id="view-replay")
        self.push_screen(
            ReplayScreen(board, self.player, export_dir=self.settings.display.export_dir)
        )

    def current_keys(self) -> dict[str, str]:
        from rtdash.ui.commands import COMMANDS

        return {command.id: command.key for command in COMMANDS}
