"""Per-queue rows for the wallboard: waiting, longest wait, talking, agents on a call.

Sorted by longest wait (the queue that needs attention first). Columns are sized to
their headers and values, never cut while there is room: the queue name takes what is
left, and on a narrow screen the least needed columns go first (agents on a call,
then talking) rather than every header being cut. Cells are built as ``Text`` from
data, never markup: a queue name is upstream text.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rtdash.core.agents import AgentState
from rtdash.core.clock import Clock
from rtdash.core.queues import QueueSummary
from rtdash.core.thresholds import Thresholds
from rtdash.ui.widgets.palette import wait_cell

#: (header, key) in order of need: the later ones are dropped first when narrow
COLUMNS = (
    ("Waiting", "waiting"),
    ("Longest wait", "longest"),
    ("Talking", "talking"),
    (f"Agents {AgentState.ON_CALL.word}", "on_call"),
)
#: the fewest cells the queue name keeps before a column is dropped
NAME_MIN = 10


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
        columns = list(COLUMNS)
        widths = {
            key: max(len(header), *(row[key].cell_len for row in rows)) for header, key in columns
        }
        name_width = max(len("Queue"), *(row["queue"].cell_len for row in rows))

        def needed(cols: list[tuple[str, str]]) -> int:
            return min(name_width, NAME_MIN) + sum(widths[key] + 2 for _, key in cols)

        while len(columns) > 2 and needed(columns) > width:
            columns.pop()
        table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
        table.add_column("Queue", no_wrap=True, overflow="ellipsis", ratio=1)
        for header, key in columns:
            table.add_column(header, justify="right", no_wrap=True, min_width=widths[key])
        for row in rows:
            table.add_row(row["queue"], *(row[key] for _, key in columns))
        self.update(table)
