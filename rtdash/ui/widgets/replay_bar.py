"""Where a replay is: ``▶ 10:14:03 ━━━━━━●──────── 10:02:00–11:30:00 ×4``.

The status line says REPLAY and the data's age; this line says the position in the
recording, its span and the speed, with a bar as wide as the screen allows.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from rtdash.core.format import clock_time
from rtdash.core.replay import Player

#: the narrowest bar still worth drawing; below it the line is words alone
MIN_BAR = 6


def position_line(player: Player, zone: ZoneInfo, width: int) -> Text:
    """The line for ``width`` cells: state, position, bar, span, speed."""
    if player.at_end:
        state = "■"
    elif player.paused:
        state = "‖"  # not ⏸, which many terminal fonts lack
    else:
        state = "▶"
    head = f"{state} {clock_time(player.position, zone)} "
    tail = f" {clock_time(player.start, zone)}–{clock_time(player.end, zone)} ×{player.speed:g}"
    if player.at_end:
        tail += " end"
    room = width - len(head) - len(tail) - 1
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(" " + head, style="bold")
    if room >= MIN_BAR:
        knob = min(room - 1, round(player.fraction * (room - 1)))
        line.append("━" * knob, style="bold")
        line.append("●", style="bold")
        line.append("─" * (room - 1 - knob), style="dim")
    line.append(tail)
    return line


class ReplayBar(Static):
    DEFAULT_CSS = """
    ReplayBar {
        height: 1;
        width: 100%;
        background: $panel;
    }
    """

    def __init__(self, player: Player, zone: ZoneInfo, **kwargs: object) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.player = player
        self.zone = zone
        self._line: Text | None = None

    def show(self) -> None:
        """Redraw if the line changed (the position moves a few times a second)."""
        if not self.size.width:
            return
        line = position_line(self.player, self.zone, self.size.width)
        if line != self._line:
            self._line = line
            self.update(line, layout=False)

    def on_resize(self) -> None:
        self.show()
