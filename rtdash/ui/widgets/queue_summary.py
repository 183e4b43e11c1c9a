"""Per-queue rows for the wallboard: waiting, longest wait, talking, agents on a call.

Sorted by longest wait (the queue that needs attention first). Columns are sized to
their headers and values, never cut: the queue name takes what is left and ends in
"…" when cut. Where the full headers do not fit beside the whole names (the queues
beside the agents on a screen a little over 120 columns, a long queue name at 160),
the headers take the headline's shorter words (``On a call``, then ``On call``), so
every column stays and a name is cut only where even those leave it too little room;
only a panel too narrow even for those drops the least needed columns (agents on a
call, then talking), and a line under the table names them: a column gone without a
word reads as "not measured" (:mod:`.column_fit`, which the dashboard's queues view
fits its columns with too). Likewise a panel too short for every queue's row shows
the longest waits and counts the rest, and their calls, on its last line: a queue gone
without a word leaves the table short of the headline it is read against.
Cells are built as ``Text`` from data, never markup: a queue name is upstream text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from rtdash.core.clock import Clock
from rtdash.core.queues import QueueSummary
from rtdash.core.thresholds import Thresholds
from rtdash.ui.widgets.column_fit import ColumnHeaders, too_narrow_line
from rtdash.ui.widgets.column_fit import fit_columns as fit_any
from rtdash.ui.widgets.metrics_bar import LONGEST, ON_CALL, TALKING, WAITING
from rtdash.ui.widgets.palette import wait_cell

#: (key, headers roomiest first) in order of need: the later ones are dropped first
#: when even the shortest headers do not fit; the shorter words are the headline's own
COLUMNS: tuple[ColumnHeaders, ...] = (
    ("waiting", ("Waiting", WAITING.short, WAITING.terse)),
    ("longest", (LONGEST.label, LONGEST.short, LONGEST.terse)),
    ("talking", (TALKING.label, TALKING.short, TALKING.terse)),
    ("on_call", (ON_CALL.label, ON_CALL.short, ON_CALL.terse)),
)


def fit_columns(
    widths: dict[str, int], name_width: int, room: int
) -> tuple[list[tuple[str, str]], list[str]]:
    """The wallboard's columns that fit ``room`` (see :func:`.column_fit.fit_columns`)."""
    return fit_any(COLUMNS, widths, name_width, room)


class QueueSummaryPanel(Static):
    def __init__(self, *, clock: Clock, thresholds: Thresholds, **kwargs: object) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.thresholds = thresholds
        #: None until the first calls poll: no data is not "no calls"
        self.queues: list[QueueSummary] | None = None

    def show_queues(self, queues: list[QueueSummary]) -> None:
        self.queues = queues
        self.tick()

    def on_resize(self) -> None:
        self.tick()

    def tick(self) -> None:
        if self.queues is None:
            self.update(Text("no data yet", style="dim"))
            return
        if not self.queues:
            self.update(Text("No calls in any queue.", style="dim"))
            return
        now = self.clock.now()
        rows: list[dict[str, Text]] = []
        for queue in self.queues:
            wait = queue.longest_wait(now) if queue.waiting else None
            on_call = queue.agents_on_call
            rows.append(
                {
                    "queue": Text(queue.queue),
                    "waiting": Text(str(queue.waiting)),
                    "longest": wait_cell(wait, self.thresholds)
                    if wait is not None
                    else Text("–", style="dim"),
                    "talking": Text(str(queue.talking)),
                    "on_call": Text("–" if on_call is None else str(on_call)),
                }
            )
        width = self.size.width or 80
        widths = {key: max(row[key].cell_len for row in rows) for key, _ in COLUMNS}
        name_width = max(len("Queue"), *(row["queue"].cell_len for row in rows))
        columns, dropped = fit_columns(widths, name_width, width)
        kept = rows_that_fit(len(rows), self._line_room(), notes=1 if dropped else 0)
        more = [more_line(self.queues[kept:], width, alone=not kept)] if kept < len(rows) else []
        if not kept:
            self.update(Group(*more))  # a header over no rows would only take its line
            return
        table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
        table.add_column("Queue", no_wrap=True, overflow="ellipsis", ratio=1)
        for key, header in columns:
            column_width = max(widths[key], len(header))
            table.add_column(header, justify="right", no_wrap=True, min_width=column_width)
        for row in rows[:kept]:
            table.add_row(row["queue"], *(row[key] for key, _ in columns))
        note = [too_narrow_line(dropped)] if dropped else []
        self.update(Group(table, *more, *note))

    def _line_room(self) -> int | None:
        """The lines the panel has on screen (None: not laid out). The panel is as tall
        as what it draws, so its own height says nothing of its room: its box's does,
        or where the box too is as tall as its content (the queues over the agents on a
        narrow screen), the most the box may grow to."""
        box = self.parent
        if not isinstance(box, Widget) or not self.region or not box.content_region:
            return None
        styles = box.styles
        limit = box.content_size.height
        outer = box.parent
        grows = styles.height is not None and styles.height.is_auto
        if grows and styles.max_height is not None and isinstance(outer, Widget):
            most = styles.max_height.resolve(outer.content_size, self.app.size)
            limit = int(most) - styles.gutter.height
        return limit - (self.region.y - box.content_region.y)


def rows_that_fit(rows: int, room: int | None, *, notes: int) -> int:
    """How many queue rows to draw in ``room`` lines, under the header and over
    ``notes`` lines: every row where they all fit (or the room is not known yet), else
    as many as leave a line to count the rest (none: that line alone). A queue dropped
    without a word leaves the table short of the headline, and a quiet queue still
    holds calls talking."""
    if room is None or 1 + rows + notes <= room:
        return rows
    return max(0, room - 1 - notes - 1)


def more_line(rest: Sequence[QueueSummary], width: int, *, alone: bool = False) -> Text:
    """The queues with no row, counted with their calls: the rows and this line add up
    to the headline's waiting and talking. Where the words do not fit, the headline's
    shorter ones, so the numbers stay. ``alone``: no queue has a row, so these are all
    the queues, not "more"."""
    count, waiting, talking = len(rest), sum(q.waiting for q in rest), sum(q.talking for q in rest)
    queues = "queue" if count == 1 else "queues"
    more = f"{count}" if alone else f"+{count} more"
    forms = (
        f"{more} {queues}: {waiting} {WAITING.short.lower()}, {talking} {TALKING.short.lower()}",
        f"{more}: {WAITING.terse} {waiting}  {TALKING.terse} {talking}",
    )
    words = next((form for form in forms if cell_len(form) <= width), forms[-1])
    return Text(words, style="dim", no_wrap=True, overflow="ellipsis")
