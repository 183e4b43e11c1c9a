"""The wallboard's agent tiles: a small coloured square per dashboard user, with name,
state symbol and time in state, so a room can see who is free at a glance.

Drawn as one renderable rather than a widget per agent: a thousand child widgets
would cost far more to lay out than a thousand short lines of text.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widget import Widget

from rtdash.api.models import PbxUser, UserState
from rtdash.core.clock import Clock
from rtdash.core.format import duration
from rtdash.core.metrics import seconds_since
from rtdash.ui.widgets.palette import AVAILABLE, RINGING

TILE_STYLE = {
    UserState.AVAILABLE: f"bold #000000 on {AVAILABLE}",
    UserState.UNAVAILABLE: f"#000000 on {RINGING}",
}
SYMBOL = {UserState.AVAILABLE: "●", UserState.UNAVAILABLE: "○"}
WORD = {UserState.AVAILABLE: "free", UserState.UNAVAILABLE: "busy"}


class AgentGrid(Widget):
    """Tiles two lines high on a wide screen (name; state and time), one line on a
    narrow one; what does not fit is counted in a last line rather than cut silently."""

    DEFAULT_CSS = """
    AgentGrid { height: 1fr; }
    """

    def __init__(self, *, clock: Clock, **kwargs: object) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.users: tuple[PbxUser, ...] = ()

    def show_users(self, users: tuple[PbxUser, ...]) -> None:
        self.users = users
        self.refresh()

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        if not self.users:
            return Text("no agents on the dashboard", style="dim")
        tall = width >= 120 and height >= 8
        tile_width = 22 if width >= 120 else 19
        columns = max(1, (width + 1) // (tile_width + 1))
        lines_per_tile = 3 if tall else 1
        rows_fit = max(1, height // lines_per_tile)
        capacity = columns * rows_fit
        shown = self.users
        overflow = 0
        if len(shown) > capacity:
            shown = shown[: capacity - columns]
            overflow = len(self.users) - len(shown)
        now = self.clock.now()
        lines: list[Text] = []
        for first in range(0, len(shown), columns):
            row = shown[first : first + columns]
            # a tall tile is two coloured lines, and a blank one sets the rows apart
            for part in range(2 if tall else 1):
                line = Text(no_wrap=True, overflow="crop")
                for index, user in enumerate(row):
                    if index:
                        line.append(" ")
                    line.append(
                        _tile_line(user, part, tall, tile_width, now), TILE_STYLE[user.state]
                    )
                lines.append(line)
            if tall:
                lines.append(Text(""))
        if overflow:
            lines.append(Text(f"+{overflow} more agents (longest in state first)", style="dim"))
        return Text("\n").join(lines)


def _tile_line(user: PbxUser, line: int, tall: bool, width: int, now: datetime) -> str:
    elapsed = duration(seconds_since(user.state_start, now))
    if not tall:
        name_width = width - len(elapsed) - 4
        return f" {SYMBOL[user.state]} {user.label[:name_width]:<{name_width}} {elapsed} "[:width]
    if line == 0:
        return f" {SYMBOL[user.state]} {user.label}"[: width - 1].ljust(width)
    return f"   {WORD[user.state]} {elapsed}".ljust(width)
