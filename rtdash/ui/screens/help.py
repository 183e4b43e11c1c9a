"""The ``?`` screen: every command from the one registry, with its current key."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from rtdash.core.agents import agent_legend
from rtdash.logs import log_path


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
            table.add_row(key, explanation)
        # the dialog itself scrolls (Up/Down, PageUp/PageDown, Home/End, the wheel): 15 keys
        # and the note do not fit a small terminal; the docked title stays in view
        # the title is on the border, not a docked line: PageDown scrolls by the
        # dialog's height, and a docked line would hide one line of every page
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "rtdash — keys"
            yield Static(table, id="help-table")
            yield Static(
                "Times tick every second between polls. Wait times turn amber (▲) and red (‼) "
                f"at the thresholds in your config. {agent_legend()}.\nLog file: {log_path()}",
                id="help-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
