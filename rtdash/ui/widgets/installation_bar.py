"""One line naming each installation, the current one highlighted, with a marker that
turns red when a background installation has a breach or a failing connection."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from rtdash.core.thresholds import Level
from rtdash.ui.widgets.palette import AVAILABLE, LEVEL_STYLE

#: each tab's mark: the installation's worst level (help's legend lists them)
TAB_MARKS = {Level.OK: "●", Level.WARN: "▲", Level.ALERT: "‼"}


class InstallationBar(Static):
    #: what the line shows now: the same again draws nothing
    _shown: tuple[object, ...] | None = None

    def show(self, entries: list[tuple[str, Level]], current: int, note: str = "") -> None:
        shown = (tuple(entries), current, note)
        if shown == self._shown:
            return
        self._shown = shown
        line = Text(no_wrap=True, overflow="ellipsis")
        for index, (label, level) in enumerate(entries):
            if index:
                line.append(" │ ", style="dim")
            style = "bold reverse" if index == current else ""
            line.append(f" {index + 1} {label} ", style=style)
            line.append(TAB_MARKS[level], style=LEVEL_STYLE[level] or AVAILABLE)
        if note:
            line.append(f"  {note}", style="dim italic")
        self.update(line, layout=False)
