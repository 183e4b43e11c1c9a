"""The ``?`` screen: every command from the one registry, with its current key."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from rtdash.api.sanitise import clean
from rtdash.core.agents import agent_legend
from rtdash.logs import log_path


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


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="help_close"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        """``rows``: (key, what it does) for the keys of the screen that asked, so the
        wallboard lists no lookup it cannot do and a replay lists its own keys."""
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 3))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, explanation in self.rows:
            table.add_row(Text(key), Text(explanation))
        # the dialog itself scrolls (Up/Down, PageUp/PageDown, Home/End, the wheel): 15 keys
        # and the note do not fit a small terminal; the docked title stays in view
        with _Pages(id="help-dialog"):
            yield Label("rtdash — keys", id="help-title")
            yield Static(table, id="help-table")
            yield Static(
                Text(
                    "Times tick every second between polls. Wait times turn amber (▲) and red "
                    f"(‼) at the thresholds in your config. {agent_legend()}.\n"
                    f"Log file: {clean(str(log_path()))}"
                ),
                id="help-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
