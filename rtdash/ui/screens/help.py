"""The ``?`` screen: every command from the one registry, with its current key."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from rtdash.logs import log_path
from rtdash.ui.commands import COMMANDS, key_label


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="help_close"),
    ]

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        super().__init__()
        #: command id -> key, after any [keymap] remapping
        self.keys = keys or {}

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 3))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for command in COMMANDS:
            table.add_row(key_label(self.keys.get(command.id, command.key)), command.explanation)
        table.add_row("Tab", "Move between the call groups and the users")
        table.add_row("ctrl+p", "Command palette")
        # the dialog itself scrolls (Up/Down, PageUp/PageDown, Home/End, the wheel): 15 keys
        # and the note do not fit a small terminal; the docked title stays in view
        with VerticalScroll(id="help-dialog"):
            yield Label("rtdash — keys", id="help-title")
            yield Static(table, id="help-table")
            yield Static(
                "Times tick every second between polls. Wait times turn amber (▲) and red (‼) "
                f"at the thresholds in your config.\nLog file: {log_path()}",
                id="help-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
