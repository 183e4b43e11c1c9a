"""The dashboard's queues view (``Q``): each queue now and today, one line each.

Per queue: callers waiting and the longest wait, calls talking, the dashboard's agents
on a call of it, and today's SL % and abandons; on a terminal wide enough, today's
average talk too (at 80 columns the other columns fill the dialog, and a talk column
there would cut the queue names, which say what a row is). The PBX does not say which
queues an agent serves, so "available" is one number for the installation, over the
table,
not a per-queue figure rtdash would have to invent. Enter on a queue closes the view
and filters the calls grid to it (``queue:NAME`` in the filter; Esc clears it).

Queue names are upstream text: every cell is a ``Text``, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from rtdash.api.models import CallState
from rtdash.core.agents import AgentState, OnCall, count_agents
from rtdash.core.format import duration
from rtdash.core.queues import QueueDay, queue_days
from rtdash.core.service_tiles import ServiceThresholds, counted
from rtdash.core.thresholds import Level
from rtdash.ui.shell import MODAL_STYLES
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.palette import LEVEL_MARK, LEVEL_STYLE, wait_cell

DASH = "–"
KEYS = "Enter shows that queue's calls · Esc closes"
#: the terminal width from which the average talk has its column: the dialog is then
#: wide enough for it beside queue names as long as the 80-column view shows whole
TALK_MIN_WIDTH = 96


class QueuesScreen(ModalScreen[str | None]):
    """Dismissed with the chosen queue's name, or None (Esc, ``Q``)."""

    CSS_PATH = MODAL_STYLES  # read when the first dialog opens

    BINDINGS = [
        Binding("escape,Q,q", "close", "Close", id="queues_close"),
    ]

    def __init__(self, board: Dashboard) -> None:
        super().__init__()
        self.board = board
        self.rows: list[QueueDay] = []

    def compose(self) -> ComposeResult:
        # the agents available head the view, as the headline heads the dashboard, and
        # the view keeps to the top of the screen (modals.tcss): a toast (an export's,
        # for 10 s) sits at the bottom right, over the table's last queues, which wait
        # least, and mostly over nothing
        with Vertical(id="queues-dialog"):
            yield Label(self._title(), id="queues-title")
            yield Static(id="queues-available")
            table: DataTable[Text] = DataTable(id="queues-table", cursor_type="row")
            yield table
            yield Static(Text("No calls in any queue yet today.", style="dim"), id="queues-note")
        # on the screen's last line, where a footer is: a toast (an export's, for 10 s)
        # sits above that line, and at the dialog's foot it covered these keys
        yield Static(Text(KEYS, style="dim"), id="queues-keys")

    def _title(self) -> str:
        keeper = self.board.keeper
        sl = f"SL {keeper.sl_seconds:g}s" if keeper is not None else "SL"
        return f"Queues — now, and today's {sl} and abandons"

    def on_mount(self) -> None:
        self._add_columns()
        self.refresh_rows()
        self.set_interval(1.0, self.refresh_rows, name="queues")
        self.query_one(DataTable).focus()

    @property
    def shows_talk(self) -> bool:
        """Whether the average talk has a column: only where it fits beside the rest."""
        return self.app.size.width >= TALK_MIN_WIDTH

    def _add_columns(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        sl = self.board.keeper.sl_seconds if self.board.keeper is not None else 20
        columns = [
            ("Queue", "queue"),
            ("Waiting", "waiting"),
            ("Longest", "longest"),
            ("Talking", "talking"),
            ("On call", "on_call"),
            (f"SL {sl:g}s", "sl"),
            ("Abandoned", "abandoned"),
        ]
        if self.shows_talk:
            columns.append(("Avg talk", "talk"))
        for label, key in columns:
            table.add_column(label, key=key)

    def on_resize(self) -> None:
        """A terminal resized across :data:`TALK_MIN_WIDTH` gains or loses the column."""
        table: DataTable[Text] = self.query_one(DataTable)
        if self.shows_talk != ("talk" in table.columns):
            cursor = table.cursor_row  # the queue the supervisor was on stays chosen
            table.clear(columns=True)
            self._add_columns()
            self.refresh_rows(cursor)

    # --- drawing ----------------------------------------------------------------------

    def refresh_rows(self, cursor: int | None = None) -> None:
        """The rows again, the cursor kept on its row (``cursor``: where it was before
        the table was cleared another way)."""
        board = self.board
        keeper = board.keeper
        report = keeper.service.report("today") if keeper is not None else None
        agents = board.users.dashboard_users if board.users is not None else None
        self.rows = queue_days(board.calls, agents, report)
        table: DataTable[Text] = self.query_one(DataTable)
        if cursor is None:
            cursor = table.cursor_row
        table.clear()
        thresholds = keeper.options.thresholds if keeper is not None else ServiceThresholds()
        now = board.clock.now()
        talk = "talk" in table.columns
        for row in self.rows:
            live, today = row.now, row.today
            wait = live.longest_wait(now) if live is not None and live.waiting else None
            on_call = live.agents_on_call if live is not None else None
            sl_text = abandoned_text = talk_text = Text(DASH, style="dim")
            if today is not None:
                if today.avg_talk is not None:
                    talk_text = Text(duration(round(today.avg_talk)))
                n = counted(today)
                sl = today.sl_percent
                sl_text = _level(DASH if sl is None else f"{sl:.0f}%", thresholds.sl(sl, n))
                abandoned = today.abandoned - today.short_abandoned
                level = thresholds.abandon(today.abandon_percent, n)
                abandoned_text = _level(str(abandoned), level)
            longest = Text(DASH, style="dim")
            if wait is not None:
                longest = wait_cell(wait, board.thresholds)
                longest.justify = "left"
            cells = [
                Text(str(row.waiting)),
                longest,
                Text(str(row.talking)),
                Text(DASH if on_call is None else str(on_call)),
                sl_text,
                abandoned_text,
            ]
            if talk:
                cells.append(talk_text)
            table.add_row(Text(row.queue), *cells, key=row.queue)
        if self.rows:
            table.move_cursor(row=min(max(cursor, 0), len(self.rows) - 1))
        self.query_one("#queues-available", Static).update(self._available())
        self.query_one("#queues-note", Static).display = not self.rows

    def _available(self) -> Text:
        board = self.board
        if board.users is None:
            return Text()
        on_call = (
            OnCall.from_calls(board.calls.groups[CallState.BRIDGED])
            if board.calls is not None
            else None
        )
        available = count_agents(board.users.dashboard_users, on_call)[AgentState.AVAILABLE]
        line = Text()
        line.append(f"{AgentState.AVAILABLE.symbol} {available} available", style="bold")
        line.append(" for any queue (the PBX does not say who serves which)")
        return line

    # --- keys -------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(str(event.row_key.value))

    def action_close(self) -> None:
        self.dismiss(None)


def _level(text: str, level: Level) -> Text:
    return Text(text + LEVEL_MARK[level], style=LEVEL_STYLE[level])
