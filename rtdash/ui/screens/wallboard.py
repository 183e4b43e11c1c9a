"""The wallboard screen: read-only, no Footer, rotating through installations.

A number key pins that installation: rotation stops (a supervisor who walked up to
the TV to look at the second site does not want it taken away 30 s later) and the
installation bar says so; ``0`` resumes the rotation.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from rtdash.ui.commands import WALL, bindings
from rtdash.ui.screens.first_frame import FirstFrameScreen
from rtdash.ui.screens.views import INSTALLATION_KEYS, ViewsScreen
from rtdash.ui.widgets.wallboard import Wallboard

RESUME_KEY = Binding("0", "resume_rotation", show=False, id="resume_rotation")


class WallboardScreen(FirstFrameScreen, ViewsScreen):
    BINDINGS = [*bindings(WALL), *INSTALLATION_KEYS, RESUME_KEY]
    mode = WALL
    #: a screen this tall draws today's service tiles as a second row of big numbers
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    def __init__(self, boards: list[Wallboard], *, rotate_seconds: float = 0.0) -> None:
        super().__init__(list(boards))
        self.start_at_breakpoints()
        self.rotate_seconds = rotate_seconds
        self.rotations = 0
        #: an installation chosen by its number key: rotation waits until ``0``
        self.pinned = False

    def compose(self) -> ComposeResult:
        yield from self.compose_views()

    def on_mount(self) -> None:
        super().on_mount()
        if self.rotating_at_all:
            self.set_interval(self.rotate_seconds, self.rotate, name="rotate")

    # --- rotation and pinning -----------------------------------------------------------

    @property
    def rotating_at_all(self) -> bool:
        return self.rotate_seconds > 0 and len(self.views) > 1

    def rotate(self) -> None:
        if self.pinned:
            return
        self.rotations += 1
        self.switch_to((self.current + 1) % len(self.views))

    def action_show_installation(self, index: int) -> None:
        if 0 <= index < len(self.views):
            self.pinned = self.rotating_at_all
            self.switch_to(index)

    def action_resume_rotation(self) -> None:
        if self.pinned:
            self.pinned = False
            self.show_installations()

    def installation_note(self) -> tuple[str, ...]:
        if not self.rotating_at_all:
            return ()
        if self.pinned:
            return ("pinned · 0 resumes rotation", "pinned · 0 resumes", "pinned")
        every = f"{self.rotate_seconds:g} s"
        return (f"rotating every {every}", f"rotating, {every}", "rotating")

    def help_rows(self, keys: dict[str, str]) -> list[tuple[str, str]]:
        rows = super().help_rows(keys)
        if self.rotating_at_all:
            rows = [
                (key, "Show that installation and pin it (rotation stops)")
                if text == "Show that installation"
                else (key, text)
                for key, text in rows
            ]
            rows.insert(-1, ("0", "Resume rotating through the installations"))
        return rows

    # --- polling ------------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        self.view.poller.toggle_pause()

    def action_refresh(self) -> None:
        self.view.poller.refresh_now()
