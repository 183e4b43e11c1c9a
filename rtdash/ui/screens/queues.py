"""The dashboard's queues view (``Q``): each queue now and today, one line each.

Per queue: callers waiting and the longest wait, calls talking, the dashboard's agents
on a call of it, and today's SL % and abandons; on a terminal wide enough, the SL % of
the last 15 minutes and today's average talk too, and the installation's SL % of the
last 15 minutes in the title (at 80 columns the other columns fill the dialog, and more
there would cut the queue names, which say what a row is). After a bad morning the
day's SL % hardly moves: the last 15 minutes say whether the service is better now.
The PBX does not say which queues an agent serves, so "available" is one number for
the installation, over the table, not a per-queue figure rtdash would have to invent.
Enter on a queue closes the view and filters the calls grid to it (``queue:NAME`` in
the filter; Esc clears it).

The rows are in order of longest wait, which changes by the second: a cursor the user
moved stays on their queue, not on its row's place, or Enter would filter to a queue
they did not choose. The times are the dashboard's, on its feed's clock: paused or
stale, they stand where its headline stands. Narrower than its columns, the view gives
up room as the wallboard's queue table does (:mod:`rtdash.ui.widgets.column_fit`):
shorter headers, then cut queue names, then the least needed columns, named under the
table.

Queue names are upstream text: every cell is a ``Text``, never markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from rtdash.api.models import CallState
from rtdash.core.agents import AgentState, OnCall, count_agents
from rtdash.core.format import clock_time, duration
from rtdash.core.queues import QueueDay, queue_days
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.ui.shell import MODAL_STYLES
from rtdash.ui.widgets.calls_grid import CURSOR_KEYS
from rtdash.ui.widgets.column_fit import PADDING, fit_columns, too_narrow_line
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.queue_cells import (
    COLUMN_ORDER,
    DASH,
    queue_cells,
    queue_columns,
    sl_cell,
)

KEYS = "Enter shows that queue's calls · p pauses or resumes · Esc closes"
#: the terminal width from which the average talk and the last 15 minutes' SL % have
#: their columns: the dialog is then wide enough for them beside queue names as long
#: as the 80-column view shows whole
TALK_MIN_WIDTH = 96
#: the window of the recent SL % the wide view shows (:data:`.service_metrics.WINDOWS`)
RECENT = "15m"

#: a column's key, header and width (padding aside): what the table was laid out with
Layout = tuple[tuple[str, str, int], ...]


class QueuesScreen(ModalScreen[str | None]):
    """Dismissed with the chosen queue's name, or None (Esc, ``Q``)."""

    CSS_PATH = MODAL_STYLES  # read when the first dialog opens

    BINDINGS = [
        Binding("escape,Q,q", "close", "Close", id="queues_close"),
        # the view is read paused as often as live (its title says which): the
        # dashboard's own key, not one the user must close the view to reach
        Binding("p", "toggle_pause", "Pause", show=False),
    ]

    def __init__(self, board: Dashboard) -> None:
        super().__init__()
        self.board = board
        self.rows: list[QueueDay] = []
        #: the user moved the cursor (a key, a click): from then on it goes with their
        #: queue; the cursor the view opens with stays on the longest wait, as the
        #: dashboard's does on its groups
        self.cursor_chosen = False
        self._layout: Layout = ()

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
            yield Static(id="queues-dropped")
            yield Static(Text("No calls in any queue yet today.", style="dim"), id="queues-note")
        # on the screen's last line, where a footer is: a toast (an export's, for 10 s)
        # sits above that line, and at the dialog's foot it covered these keys
        yield Static(Text(KEYS, style="dim"), id="queues-keys")

    def _title(self) -> Text:
        """Says when the waits are from: "now" only while they move. Paused or stale,
        the view's waits stand still with the dashboard's under it, which this dialog
        covers with its status line; frozen waits under "now" read as live ones. Wide,
        it ends with the installation's SL % of the last 15 minutes, marked as the
        queues' are: the one number that says whether the service is better now."""
        board = self.board
        keeper = board.keeper
        sl = f"SL {keeper.sl_seconds:g}s" if keeper is not None else "SL"
        when = "now"
        if board.feed.clock.holding:
            held = clock_time(board.clock.calls.now(), board.zone)
            when = f"paused {held}" if board.feed.paused else f"as of {held}"
        title = Text(f"Queues — {when}, and today's {sl} and abandons")
        if keeper is not None and self.shows_talk:
            title.append(" · all queues, 15 min: ")
            recent = keeper.service.metrics.total(RECENT)
            title.append_text(sl_cell(recent, keeper.options.thresholds))
        return title

    def _sl_seconds(self) -> float:
        """The SL threshold the column is headed with (the service's default where
        there are no totals of today's to read it from)."""
        keeper = self.board.keeper
        return keeper.sl_seconds if keeper is not None else 20

    def on_mount(self) -> None:
        self.refresh_rows()
        self.set_interval(1.0, self.refresh_rows, name="queues")
        self.query_one(DataTable).focus()

    @property
    def shows_talk(self) -> bool:
        """Whether the average talk and the last 15 minutes' SL % have their columns:
        only where they fit beside the rest."""
        return self.app.size.width >= TALK_MIN_WIDTH

    def on_resize(self) -> None:
        """The columns are fitted to the new width at once, not a second later."""
        self.refresh_rows()

    def on_key(self, event: events.Key) -> None:
        if event.key in CURSOR_KEYS:
            self.cursor_chosen = True

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, DataTable):
            self.cursor_chosen = True

    # --- drawing ----------------------------------------------------------------------

    def refresh_rows(self) -> None:
        """The rows again, fitted to the width; the cursor on the queue the user moved
        it to wherever that queue is now (where it is gone, on the same place)."""
        table: DataTable[Text] = self.query_one(DataTable)
        position = table.cursor_row
        chosen = None
        if self.cursor_chosen and 0 <= position < len(self.rows):
            chosen = self.rows[position].queue
        board = self.board
        keeper = board.keeper
        report = keeper.service.report("today") if keeper is not None else None
        recent = None
        if keeper is not None and self.shows_talk:
            # the counters alone: the agents' day, which the service's report adds, is
            # not the window's
            recent = keeper.service.metrics.report(RECENT)
        agents = board.users.dashboard_users if board.users is not None else None
        self.rows = queue_days(board.calls, agents, report, recent)
        # the feed's clock: it stands where the dashboard's times stopped (paused, stale)
        now = board.clock.calls.now()
        cells = [self._cells(row, now) for row in self.rows]
        layout, dropped = self._fit(cells, table.scrollable_content_region.width)
        if layout != self._layout:
            self._layout = layout
            table.clear(columns=True)
            for key, header, width in layout:
                table.add_column(header, width=width, key=key)
        else:
            table.clear()
        for row, row_cells in zip(self.rows, cells, strict=True):
            table.add_row(*(row_cells[key] for key, _, _ in layout), key=row.queue)
        if self.rows:
            if chosen is not None and chosen in table.rows:
                position = table.get_row_index(chosen)
            table.move_cursor(row=min(max(position, 0), len(self.rows) - 1))
        said = self.query_one("#queues-dropped", Static)
        said.update(too_narrow_line(dropped) if dropped else Text())
        said.display = bool(dropped)
        self.query_one("#queues-title", Label).update(self._title())
        self.query_one("#queues-available", Static).update(self._available())
        self.query_one("#queues-note", Static).display = not self.rows

    def _fit(self, cells: list[dict[str, Text]], room: int) -> tuple[Layout, list[str]]:
        """The columns that fit ``room`` cells, under which headers, and the full
        headers of those left out. Before the first layout there is no width to fit:
        every column under its roomiest header, until the view is laid out."""
        wide = self.shows_talk
        columns = queue_columns(self._sl_seconds(), talk=wide, recent=wide)
        widths = {key: max((row[key].cell_len for row in cells), default=1) for key, _ in columns}
        names = max((row["queue"].cell_len for row in cells), default=0)
        name_width = max(len("Queue"), names)
        kept = [(key, heads[0]) for key, heads in columns]
        dropped: list[str] = []
        if room > 0:
            kept, dropped = fit_columns(columns, widths, name_width, room)
        shown = sorted(kept, key=lambda column: COLUMN_ORDER.index(column[0]))
        others = sum(max(widths[key], len(header)) + PADDING for key, header in shown)
        if room > 0:
            # names cut where the room is short, never wider than the longest
            name_width = max(len("Queue"), min(name_width, room - PADDING - others))
        layout = (
            ("queue", "Queue", name_width),
            *((key, header, max(widths[key], len(header))) for key, header in shown),
        )
        return layout, dropped

    def _cells(self, row: QueueDay, now: datetime) -> dict[str, Text]:
        """One queue's cells by column key, every column's (those shown are chosen
        from them by width): the wallboard's, and today's average talk."""
        keeper = self.board.keeper
        service = keeper.options.thresholds if keeper is not None else ServiceThresholds()
        cells = queue_cells(row, now, self.board.thresholds, service)
        longest = cells["longest"]
        if longest.plain != DASH:
            # a wait lines up on its left, its mark after its digits (the wallboard's
            # table lines its cells up on their right)
            longest.justify = "left"
        today = row.today
        talk = today.avg_talk if today is not None else None
        cells["talk"] = Text(DASH, style="dim") if talk is None else Text(duration(round(talk)))
        return cells

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

    def action_toggle_pause(self) -> None:
        """Pause or resume the installation shown, as ``p`` does on the dashboard; the
        title says so at once, and the dashboard's keys say the other word when the
        view closes."""
        self.board.poller.toggle_pause()
        self.refresh_rows()

    def action_close(self) -> None:
        self.dismiss(None)
