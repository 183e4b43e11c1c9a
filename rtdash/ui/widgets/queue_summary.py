"""Per-queue waiting and longest wait, for the wallboard."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from rtdash.core.clock import Clock
from rtdash.core.queues import QueueSummary
from rtdash.core.thresholds import Thresholds
from rtdash.ui.widgets.palette import wait_cell


class QueueSummaryPanel(Static):
    def __init__(self, *, clock: Clock, thresholds: Thresholds, **kwargs: object) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.thresholds = thresholds
        self.queues: list[QueueSummary] = []

    def show_queues(self, queues: list[QueueSummary]) -> None:
        self.queues = queues
        self.tick()

    def tick(self) -> None:
        if not self.queues:
            self.update(Text("No calls in any queue.", style="dim"))
            return
        now = self.clock.now()
        table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
        table.add_column("Queue", ratio=3, no_wrap=True)
        table.add_column("Waiting", justify="right", ratio=1)
        table.add_column("Longest", justify="right", ratio=2)
        table.add_column("Talking", justify="right", ratio=1)
        for queue in self.queues:
            wait = queue.longest_wait(now) if queue.waiting else None
            table.add_row(
                Text(queue.queue),  # upstream text: never markup
                str(queue.waiting),
                wait_cell(wait, self.thresholds) if wait is not None else Text("–", style="dim"),
                str(queue.talking),
            )
        self.update(table)
