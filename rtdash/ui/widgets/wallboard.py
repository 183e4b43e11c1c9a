"""The wallboard: read from across a room, touched by nobody.

Big tiles for the four numbers that matter, the trend of the last hour, who waits in
which queue, and a tile per agent. No cursor, no lookup, personal data excluded.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from rtdash.core.metrics import Metrics
from rtdash.core.queues import summarize_queues
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.ui.widgets.agent_grid import AgentGrid
from rtdash.ui.widgets.live_view import LiveView
from rtdash.ui.widgets.metrics_bar import MetricsBar
from rtdash.ui.widgets.queue_summary import QueueSummaryPanel

WALL_TILES = (
    ("waiting", "Calls waiting"),
    ("longest_wait", "Longest wait"),
    ("talking", "Talking"),
    ("agents_available", "Agents available"),
)


class Wallboard(LiveView):
    def compose(self) -> ComposeResult:
        yield self.make_banner()
        yield MetricsBar(
            clock=self.clock,
            thresholds=self.thresholds,
            history=self.history,
            tiles=WALL_TILES,
            id="wall-metrics",
        )
        with Horizontal(id="wall-main"):
            with Vertical(id="wall-queues"):
                yield Label("Queues", classes="wall-heading")
                yield QueueSummaryPanel(clock=self.clock, thresholds=self.thresholds)
            with Vertical(id="wall-agents"):
                yield Label("Agents", classes="wall-heading", id="agents-heading")
                yield AgentGrid(clock=self.clock)
        yield self.make_status_bar()

    def show_calls(self, snapshot: CallsSnapshot) -> None:
        self.query_one(QueueSummaryPanel).show_queues(summarize_queues(snapshot))

    def show_users(self, snapshot: UsersSnapshot) -> None:
        self.query_one(AgentGrid).show_users(snapshot.dashboard_users)
        self.query_one("#agents-heading", Label).update(
            f"Agents — {len(snapshot.dashboard_users)} on the dashboard"
        )

    def show_metrics(self, metrics: Metrics) -> None:
        self.query_one(MetricsBar).update_metrics(metrics)

    def show_alerts(self, active: set[str], flashing: set[str]) -> None:
        self.query_one(MetricsBar).show_alerts(active, flashing)

    def tick_view(self) -> None:
        self.query_one(QueueSummaryPanel).tick()
        self.query_one(AgentGrid).refresh()
