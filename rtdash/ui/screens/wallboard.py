"""The wallboard screen: read-only, no Footer, rotating through installations."""

from __future__ import annotations

from textual.app import ComposeResult

from rtdash.ui.commands import WALL, bindings
from rtdash.ui.screens.views import INSTALLATION_KEYS, ViewsScreen
from rtdash.ui.widgets.wallboard import Wallboard


class WallboardScreen(ViewsScreen):
    BINDINGS = [*bindings(WALL), *INSTALLATION_KEYS]
    mode = WALL

    def __init__(self, boards: list[Wallboard], *, rotate_seconds: float = 0.0) -> None:
        super().__init__(list(boards))
        self.rotate_seconds = rotate_seconds
        self.rotations = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_views()

    def on_mount(self) -> None:
        super().on_mount()
        if self.rotate_seconds > 0 and len(self.views) > 1:
            self.set_interval(self.rotate_seconds, self.rotate, name="rotate")

    def rotate(self) -> None:
        self.rotations += 1
        self.switch_to((self.current + 1) % len(self.views))

    def installation_note(self) -> str:
        if self.rotate_seconds > 0 and len(self.views) > 1:
            return f"rotating every {self.rotate_seconds:g} s"
        return ""

    def action_toggle_pause(self) -> None:
        self.view.poller.toggle_pause()

    def action_refresh(self) -> None:
        self.view.poller.refresh_now()

    def action_faster(self) -> None:
        self.view.poller.set_interval(self.view.poller.interval / 2)

    def action_slower(self) -> None:
        self.view.poller.set_interval(self.view.poller.interval * 2)
