"""Replay: a recording played back in the same dashboard, for incident review.

The same :class:`Dashboard` draws it, fed from a
:class:`~rtdash.core.player.PlayerSource` instead of a poller, through the same live
feed; its clock is the player's position, so times in state, waits and "data as of"
read as they did at that moment. Keys move through time instead of polling (the
registry's replay mode). The status line says REPLAY and what the player is doing
(never "live"), and a line above the Footer shows where it is in the recording.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from rtdash.api.sanitise import clean
from rtdash.config import Settings
from rtdash.core.feed import FeedConsumer, LiveFeed
from rtdash.core.naming import label_for
from rtdash.core.player import PlayerSource
from rtdash.core.poller_status import PollerStatus
from rtdash.core.recorded_service import RecordedService
from rtdash.core.replay import Player, PlayerClock
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.core.thresholds import Thresholds
from rtdash.ui.command_help import help_rows
from rtdash.ui.commands import COMMANDS, REPLAY, bindings, key_label
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.shell import ShellApp
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.replay_bar import ReplayBar
from rtdash.ui.widgets.view_options import ViewOptions

#: the replay's own keys as the help screen lists them (from the one registry)
REPLAY_HELP = help_rows(REPLAY, {})[:6]


class _Position(FeedConsumer):
    """The status line says the replay's state (``REPLAY`` playing ×4, never "live"),
    and the position bar moves with the player."""

    def __init__(self, screen: ReplayScreen) -> None:
        self.screen = screen

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        screen = self.screen
        if not screen.is_mounted:
            return
        screen.dashboard.status_bar.headline = replay_state(screen.player)
        screen.query_one(ReplayBar).show()


def replay_state(player: Player) -> str:
    """The status line's word for the player: what it is doing, never "live"."""
    if player.at_end:
        return "at the end"
    if player.paused:
        return "paused"
    return f"playing ×{player.speed:g}"


#: the live dashboard's keys a recording cannot honour, and what each does here instead:
#: say why (a key learnt on the dashboard must not seem dead), out of the Footer
_LIVE_ONLY = {
    "lookup": "lookup_number",
    "lookup_selected": "lookup_selected",
    "refresh": "not_polled",
}


def _live_only_bindings() -> list[Binding]:
    return [
        Binding(command.key, _LIVE_ONLY[command.id], show=False, id=command.id)
        for command in COMMANDS
        if command.id in _LIVE_ONLY
    ]


class ReplayScreen(DashboardScreen, inherit_bindings=False):
    # the registry's replay keys; a recording has no service to poll or look up, and
    # the keys that would say so
    BINDINGS = [*Screen.BINDINGS, *bindings(REPLAY), *_live_only_bindings()]
    mode = REPLAY

    def __init__(self, dashboard: Dashboard, source: PlayerSource, **kwargs: object) -> None:
        # kwargs are the Screen's name/id/classes
        super().__init__([dashboard], **kwargs)  # type: ignore[arg-type]
        self.source = source
        self._unsubscribe = dashboard.feed.subscribe(_Position(self))

    @property
    def player(self) -> Player:
        return self.source.player

    def compose_bottom(self) -> ComposeResult:
        yield ReplayBar(self.player, self.dashboard.zone, id="replay-bar")

    def on_mount(self) -> None:
        super().on_mount()
        self.source.refresh_now()
        recording = self.player.recording
        if recording.truncated or recording.skipped:
            # else a file cut short plays as if the day had ended where the cut is
            skipped = f" ({recording.skipped} unreadable skipped)" if recording.skipped else ""
            self.notify(
                f"Part of {clean(recording.path.name)} could not be read{skipped}: the "
                "file was cut short or damaged, and it plays what could be read.",
                title="Recording incomplete",
                severity="warning",
                timeout=15,
                markup=False,  # a file name is data
            )

    def on_unmount(self) -> None:
        self._unsubscribe()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            # the tables' Enter looks a caller up, which a recording cannot: out of the
            # Footer; the key itself still reaches this screen's binding, which says why
            return False
        return super().check_action(action, parameters)

    # --- time keys instead of polling keys --------------------------------------------

    def action_toggle_pause(self) -> None:
        self.source.toggle_pause()

    def action_seek(self, seconds: float) -> None:
        self.source.seek(seconds)
        self.refresh_bindings()  # at the end: Play again

    def action_step(self, records: int) -> None:
        self.source.step(records)
        self.refresh_bindings()

    def action_seek_fraction(self, fraction: float) -> None:
        self.source.seek_fraction(fraction)
        self.refresh_bindings()

    # the speed is shown where it always is (the headline while playing, the position
    # line's end): a note saying it again pushed the installation's name off 80 columns

    def action_faster(self) -> None:
        self.source.faster()

    def action_not_polled(self) -> None:
        keys: dict[str, str] = getattr(self.app, "current_keys", dict)()
        back, forward, play = (
            key_label(keys.get(name, ""))
            for name in ("replay_previous", "replay_next", "replay_pause")
        )
        self.notify(
            f"A recording does not poll: {back} and {forward} step through its changes, "
            f"{play} plays it.",
            severity="warning",
            markup=False,  # key names such as [ are not markup
        )

    def action_slower(self) -> None:
        self.source.slower()


class ReplayApp(ShellApp):
    """The dashboard's shell, with one recording instead of installations."""

    TITLE = "rtdash replay"

    def __init__(self, player: Player, *, settings: Settings) -> None:
        """Raises ConfigError for a bad theme or keymap, as the dashboard does."""
        super().__init__(settings, mode=REPLAY, clock=PlayerClock(player))
        self.player = player

    def on_mount(self) -> None:
        self.exit_on_signals()
        header = self.player.recording.header
        options = ViewOptions(
            clock=self.clock,
            thresholds=Thresholds.from_settings(self.settings.thresholds),
            exclude_pii=bool(header.exclude_pii),
            badge="REPLAY",
            bell=False,
            flash=self.settings.display.flash,
            live=False,
        )
        feed = LiveFeed(options.feed_options())
        source = PlayerSource(self.player, feed, on_rewind=feed.rewind)
        feed.attach(source)
        recorded = RecordedService.of(
            self.player.recording.service,
            ServiceThresholds.from_settings(self.settings.service),
            lambda: self.player.position,
            self.settings.service.short_abandon,
        )
        if recorded is not None:  # the headline's SL % and abandons, as recorded
            feed.subscribe(recorded)
        label = header.installation or label_for(header.igrp, None)
        board = Dashboard(feed, label=label, zone=header.zone, options=options, id="view-replay")
        self.push_screen(ReplayScreen(board, source, export_dir=self.settings.display.export_dir))
