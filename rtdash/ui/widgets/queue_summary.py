"""Per-queue rows for the wallboard: waiting, longest wait, today's SL % and abandons,
talking, agents on a call.

The rows are the dashboard's queues view's (:func:`rtdash.core.queues.queue_days`):
the queues with calls now, longest wait first (the queue that needs attention first),
then those with only outcomes today, whose SL % and abandons still count against the
day. Their cells are the view's too (:mod:`.queue_cells`), so a queue reads the same
on both screens, coloured and marked by the headline's thresholds.

Columns are sized to their headers and values, never cut: the queue name takes what is
left and ends in "…" when cut. Where the full headers do not fit beside the whole
names (the box beside the agents is narrower than the six columns' full headers on
most screens, a TV's too), the headers take the headline's shorter words (``On a
call``, then ``On call``), so every column stays and a name is cut only where even
those leave it too little room; only a panel too narrow even for those drops the least
needed columns (agents on a call, then talking, abandons, SL: what the agents beside
the table show goes first, what only this table says per queue last), and a line under
the table names them: a column gone without a word reads as "not measured"
(:mod:`.column_fit`, which the dashboard's queues view fits its columns with too).
Likewise a panel too short for every queue's row shows the longest waits and counts
the rest, and their calls, on its last line: a queue gone without a word leaves the
table short of the headline it is read against.

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
from rtdash.core.queues import QueueDay
from rtdash.core.service_metrics import DEFAULT_SL_SECONDS
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.core.thresholds import Thresholds
from rtdash.ui.widgets.column_fit import fit_columns as fit_any
from rtdash.ui.widgets.column_fit import too_narrow_line
from rtdash.ui.widgets.metrics_bar import TALKING, WAITING
from rtdash.ui.widgets.queue_cells import COLUMN_ORDER, queue_cells, queue_columns


def fit_columns(
    widths: dict[str, int], name_width: int, room: int, sl_seconds: float = DEFAULT_SL_SECONDS
) -> tuple[list[tuple[str, str]], list[str]]:
    """The wallboard's columns that fit ``room`` (see :func:`.column_fit.fit_columns`)."""
    return fit_any(queue_columns(sl_seconds), widths, name_width, room)


class QueueSummaryPanel(Static):
    def __init__(
        self,
        *,
        clock: Clock,
        thresholds: Thresholds,
        service: ServiceThresholds | None = None,
        **kwargs: object,
    ) -> None:
        """``service``: the thresholds today's SL % and abandons are judged by (the
        headline's; the service's defaults where there are none)."""
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.thresholds = thresholds
        self.service = service or ServiceThresholds()
        #: None until the first calls poll: no data is not "no calls"
        self.queues: list[QueueDay] | None = None
        self.sl_seconds: float = DEFAULT_SL_SECONDS

    def show_queues(self, queues: list[QueueDay], sl_seconds: float = DEFAULT_SL_SECONDS) -> None:
        """``sl_seconds``: within how long an answer counts, for the SL column's header."""
        self.queues = queues
        self.sl_seconds = sl_seconds
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
        rows = [queue_cells(queue, now, self.thresholds, self.service) for queue in self.queues]
        width = self.size.width or 80
        widths = {key: max(row[key].cell_len for row in rows) for key in rows[0]}
        name_width = max(len("Queue"), widths["queue"])
        columns, dropped = fit_columns(widths, name_width, width, self.sl_seconds)
        note = [too_narrow_line(dropped)] if dropped else []
        # several columns named may take more than a line: each counts against the rows
        note_lines = sum(len(line.wrap(self.app.console, width)) for line in note)
        kept = rows_that_fit(len(rows), self._line_room(), notes=note_lines)
        more = [more_line(self.queues[kept:], width, alone=not kept)] if kept < len(rows) else []
        if not kept:
            self.update(Group(*more))  # a header over no rows would only take its line
            return
        table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
        table.add_column("Queue", no_wrap=True, overflow="ellipsis", ratio=1)
        # left to right as the queues view: the queue now, then its day
        columns.sort(key=lambda column: COLUMN_ORDER.index(column[0]))
        for key, header in columns:
            column_width = max(widths[key], len(header))
            table.add_column(header, justify="right", no_wrap=True, min_width=column_width)
        for row in rows[:kept]:
            table.add_row(row["queue"], *(row[key] for key, _ in columns))
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


def more_line(rest: Sequence[QueueDay], width: int, *, alone: bool = False) -> Text:
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
