"""One line naming each installation, the current one highlighted, with a marker that
turns red when a background installation has a breach or a failing connection, and a
pause mark on each installation whose polling is paused."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from rtdash.core.agents import AgentState
from rtdash.core.thresholds import Level
from rtdash.ui.label_fit import shortened
from rtdash.ui.widgets.palette import AGENT_COLOUR, LEVEL_STYLE

#: each tab's mark: the installation's worst level (help's legend lists them)
TAB_MARKS = {Level.OK: "●", Level.WARN: "▲", Level.ALERT: "‼"}

#: after a paused installation's mark: a symbol and a word, not a colour, so it reads
#: the same under NO_COLOR; ‖ rather than ⏸, which many terminal fonts lack
PAUSED_MARK = "‖"
PAUSED_WORDS = f"{PAUSED_MARK} paused"


class Tab(NamedTuple):
    label: str
    level: Level
    #: its polling is paused: pause (and the poll interval) is each installation's own,
    #: and a tab that looks like the others would hide that its picture is frozen
    paused: bool = False


class InstallationBar(Static):
    #: what the line shows now, and the width it was fitted to: the same again draws
    #: nothing
    _shown: tuple[tuple[Tab, ...], int, tuple[str, ...], int] | None = None

    def show(self, entries: list[Tab], current: int, notes: tuple[str, ...] = ()) -> None:
        """``notes``: what to say after the tabs, in fewer words each time; the first
        that fits is said, and at worst none."""
        width = self.content_size.width or self.app.size.width
        shown = (tuple(entries), current, notes, width)
        if shown == self._shown:
            return
        self._shown = shown
        self.update(fitted_line(entries, current, notes, width), layout=False)

    def on_resize(self) -> None:
        """What fits changed: the words of a pause or a note may come back, or give way."""
        if self._shown is not None:
            entries, current, notes, _ = self._shown
            self.show(list(entries), current, notes)


def fitted_line(entries: list[Tab], current: int, notes: tuple[str, ...], width: int) -> Text:
    """The first of the bar's ever shorter forms that fits ``width``. The names are
    what tells the tabs apart: a note gives way to fewer words ("rotating e…" said
    nothing at 80 columns), "paused" to its mark, then the names are cut for the note's
    fewest words, and only then does the note go. A pinned board that did not say so
    read as one that had stopped rotating by itself, while the mark alone still says a
    tab is frozen (help's legend says what it means)."""
    for words in (True, False):
        for note in notes:
            line = tab_line(entries, current, note, words=words)
            if line.cell_len <= width:
                return line
    noted = squeezed_tabs(entries, current, width, notes[-1]) if notes else None
    if noted is not None:
        return noted
    for words in (True, False):
        line = tab_line(entries, current, "", words=words)
        if line.cell_len <= width:
            return line
    return squeezed_tabs(entries, current, width) or tab_line(
        [tab._replace(label="") for tab in entries], current, "", words=False
    )


def squeezed_tabs(entries: list[Tab], current: int, width: int, note: str = "") -> Text | None:
    """The tabs in ``width`` cells with their labels shortened alike: the names cut
    with their ids kept, then the ids alone (:mod:`rtdash.ui.label_fit`), then, with no
    ``note``, no label but the tab's number. Cut at the line's end instead, the last
    tabs went, and with them the mark that says a background installation is in breach.
    None where even that does not fit, or where ``note`` would cost a tab its label (the
    tabs matter more than how the board rotates)."""
    longest = max(cell_len(tab.label) for tab in entries)
    for room in range(longest - 1, 0, -1):
        labels = [shortened(tab.label, room) for tab in entries]
        if note and None in labels:
            return None
        shorter = [
            tab._replace(label=label or "") for tab, label in zip(entries, labels, strict=True)
        ]
        line = tab_line(shorter, current, note, words=False)
        if line.cell_len <= width:
            return line
    return None


def tab_line(entries: list[Tab], current: int, note: str, *, words: bool) -> Text:
    """The tabs in one line: number, name and level mark, then the pause mark (with
    ``words``, "‖ paused"; else the symbol alone), then ``note``."""
    line = Text(no_wrap=True, overflow="ellipsis")
    for index, tab in enumerate(entries):
        if index:
            line.append(" │ ", style="dim")
        style = "bold reverse" if index == current else ""
        line.append(f" {index + 1} {tab.label} " if tab.label else f" {index + 1} ", style=style)
        line.append(
            TAB_MARKS[tab.level], style=LEVEL_STYLE[tab.level] or AGENT_COLOUR[AgentState.AVAILABLE]
        )
        if tab.paused:
            line.append(f" {PAUSED_WORDS if words else PAUSED_MARK}", style="bold")
    if note:
        line.append(f"  {note}", style="dim italic")
    return line
