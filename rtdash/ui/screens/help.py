"""The ``?`` screen: every command from the one registry, with its current key."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from rtdash.api.sanitise import clean
from rtdash.core.agents import ORDER, AgentState
from rtdash.logs import log_path
from rtdash.ui.shell import MODAL_STYLES


class _Pages(VerticalScroll):
    """PageDown/PageUp move by the lines in view under the docked title: a page of the
    full height skipped the line the title covers (a key went unseen at 40x15)."""

    def _page(self) -> int:
        docked = sum(w.outer_size.height for w in self.children if w.styles.dock == "top")
        return max(1, self.scrollable_content_region.height - docked)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page())

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self._page())


#: every mark the screens draw, and what it means
MARKERS: tuple[tuple[str, str], ...] = (
    (
        "▲",
        "past its warning threshold (amber): a wait, SL %, abandons, agents; on a tab, "
        "that installation",
    ),
    (
        "‼",
        "past its alert threshold (red, reversed): a wait, SL %, abandons, agents; on a "
        "tab, that installation",
    ),
    *((state.symbol, f"agent {state.word}") for state in ORDER),
    (
        AgentState.UNAVAILABLE.symbol,
        f"agent {AgentState.UNAVAILABLE.word}, while the calls cannot be read: on a call "
        "or away, no one can tell",
    ),
    ("● on a tab", "that installation has nothing past a threshold"),
    (
        "dim SL % in a queue's row",
        "fewer than 10 of its calls have an outcome today: too few to judge, so never "
        "coloured (its abandons too)",
    ),
    ("↑ ↓", "the column a table is sorted by: ↑ smallest, earliest or A first; ↓ the reverse"),
    ("▸", "before a call group's or the users' title: where the focus is"),
    ("STALE", "no new data for three polls: times stop counting"),
    (
        "no answer",
        "the status line's word while STALE with no poll failing: a request has not "
        "come back (or a sleeping machine sent none)",
    ),
    ("DISCONNECTED", "the banner over stale data, with the time of the last data"),
    (
        "PAUSED",
        "the band over a paused wallboard, with the time of its data and the key that "
        "resumes it; the numbers under it are dimmed",
    ),
    ("paused", "polling paused by its key, which resumes it; the picture holds still"),
    ("‖ on a tab", "that installation is paused: its picture holds still while others move"),
    (
        "·",
        "in a trend: time not observed yet; after a user's name (all users shown): not on "
        "the dashboard; between words, a separator",
    ),
    ("REPLAY", "a recording played back: position, start–end and speed"),
)


def marker_legend() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(Text("Mark"), Text("What it means"), style="dim")
    for mark, meaning in MARKERS:
        table.add_row(Text(mark), Text(meaning))
    return table


#: below this width the ids go under each explanation instead of in a column of their own
IDS_COLUMN_FROM = 60


class KeyTable:
    """The keys, what they do and their ``[keymap]`` ids, laid out for the width it gets:
    at 40 columns a third column would leave the explanations no room."""

    def __init__(self, rows: list[tuple[str, str]], ids: dict[str, str]) -> None:
        self.rows = rows
        self.ids = ids

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= IDS_COLUMN_FROM
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        if wide:
            # an id is one word: a group's ids wrap between them, not inside one
            table.add_column(style="dim", max_width=19)
            table.add_row(Text("Key"), Text("What it does"), Text("[keymap] id"), style="dim")
        else:
            table.add_row(Text("Key"), Text("What it does ([keymap] id)"), style="dim")
        for key, explanation in self.rows:
            ids = self.ids.get(explanation, "")
            if wide:
                table.add_row(Text(key), Text(explanation), Text(ids))
            else:
                text = Text(explanation)
                if ids:
                    text.append(f"\n{ids}", style="dim")
                table.add_row(Text(key), text)
        yield table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = MODAL_STYLES  # read when the first dialog opens
    BINDINGS = [
        # one binding, so the Footer shows its first key only: its label names all
        # three (a keymap that moves it drops the label and shows its own key)
        Binding("escape,q,question_mark", "close", "Close", id="help_close", key_display="Esc q ?"),
    ]

    def __init__(self, rows: list[tuple[str, str]], ids: dict[str, str] | None = None) -> None:
        """``rows``: (key, what it does) for the keys of the screen that asked, so the
        wallboard lists no lookup it cannot do and a replay lists its own keys;
        ``ids``: what a row does -> the command ids ``[keymap]`` remaps it by."""
        super().__init__()
        self.rows = rows
        self.ids = ids or {}

    def compose(self) -> ComposeResult:
        table = KeyTable(self.rows, self.ids)
        # the dialog itself scrolls (Up/Down, PageUp/PageDown, Home/End, the wheel): 15 keys
        # and the note do not fit a small terminal; the docked title stays in view
        with _Pages(id="help-dialog"):
            yield Label("rtdash — keys", id="help-title")
            yield Static(table, id="help-table")
            yield Static(marker_legend(), id="help-markers")
            yield Static(
                Text(
                    "Times tick every second between polls. Remap a key in the config: "
                    '[keymap] lookup = "ctrl+l".\n'
                    f"Log file: {clean(str(log_path()))}"
                ),
                id="help-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
