"""The wallboard: read from across a room, touched by nobody.

Big tiles for the numbers that matter, the trend of the last hour, who waits in which
queue and how each queue's day went, and the agents by state (available, on a call,
away). No cursor, no lookup, personal data excluded. Every region grows with the screen
(see wallboard.tcss); on a wide screen too short for them, the big digits, the trend
and the tall band give way to one line each (:mod:`rtdash.ui.widgets.short_screen`).

The queue table's day (SL %, abandons) is today's service level, read again when the
calls change or the day's totals do (an outcome confirmed later, a hub's state): not
every second, where the table's waits alone move.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import OnCall, count_agents
from rtdash.core.metrics import Metrics
from rtdash.core.queues import queue_days
from rtdash.core.service_metrics import DEFAULT_SL_SECONDS
from rtdash.core.service_report import ServiceStats
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.ui.widgets.agent_grid import AgentGrid
from rtdash.ui.widgets.live_view import LiveView
from rtdash.ui.widgets.metrics_bar import (
    AVAILABLE,
    LONGEST,
    TALKING,
    WAITING,
    MetricsBar,
    TileSpec,
    service_specs,
)
from rtdash.ui.widgets.palette import counts_text
from rtdash.ui.widgets.queue_summary import QueueSummaryPanel
from rtdash.ui.widgets.short_screen import COMPACT, wallboard_compact
from rtdash.ui.widgets.unwatched import UnwatchedLine

WALL_TILES: tuple[TileSpec, ...] = (WAITING, LONGEST, TALKING, AVAILABLE)


class BoardMain(Horizontal):
    """The board's queues and agents. The queue table is as tall as the rows it drew,
    so its own size says nothing of its room; this row's does: when it changes (the
    screen resized, a band shown or taken down above it) the table counts again what
    fits, paused too, rather than lose its last lines under the agents."""

    def on_resize(self) -> None:
        self.query_one(QueueSummaryPanel).tick()


class Wallboard(LiveView):
    PAUSED_BAND = True

    #: today's totals the queue table was last drawn with (None: not drawn with any)
    _today_drawn: ServiceStats | None = None

    def compose(self) -> ComposeResult:
        yield self.make_banner()
        yield self.make_paused_banner()
        keeper = self.keeper
        service = service_specs(keeper.tiles()) if keeper is not None else ()
        # a narrow terminal's one line keeps every number (a supervisor on SSH reads the
        # board there), in shorter words; a tall screen draws today's tiles as a second
        # row under the live ones. The headline, the queues and the agents draw one
        # moment, the feed clock's (the tick's), never a second apart; stale, the
        # calls' times and the agents' each stop with their own data (FeedClock)
        self.headline = MetricsBar(
            clock=self.clock.calls,
            thresholds=self.thresholds,
            history=self.history,
            tiles=WALL_TILES,
            today=service,
            id="wall-metrics",
        )
        yield self.headline
        yield UnwatchedLine(id="wall-gaps")
        with BoardMain(id="wall-main"):
            with Vertical(id="wall-queues"):
                yield Label("Queues", classes="wall-heading")
                yield QueueSummaryPanel(
                    clock=self.clock.calls,
                    thresholds=self.thresholds,
                    service=keeper.options.thresholds if keeper is not None else None,
                )
            with Vertical(id="wall-agents"):
                yield Label("Agents", classes="wall-heading", id="agents-heading")
                yield AgentGrid(clock=self.clock.agents, starts=self.feed.starts)
        yield self.make_status_bar()

    def on_resize(self) -> None:
        width, height = self.app.size
        self.set_class(wallboard_compact(width, height), COMPACT)

    def _on_call(self) -> OnCall | None:
        if self.calls is None:
            return None
        return self.calls.on_call()

    def show_calls(self, snapshot: CallsSnapshot) -> None:
        self._show_queues(snapshot)
        on_call = self._on_call()
        if on_call is not None:
            self.query_one(AgentGrid).show_on_call(on_call)
        self._show_heading()

    def show_users(self, snapshot: UsersSnapshot) -> None:
        self.query_one(AgentGrid).show_users(snapshot.dashboard_users)
        if self.calls is not None:
            self.show_calls(self.calls)
        self._show_heading()

    def _show_queues(self, snapshot: CallsSnapshot) -> None:
        """Each queue now and today, as the dashboard's queues view reads them."""
        agents = self.users.dashboard_users if self.users is not None else None
        keeper = self.keeper
        report = keeper.service.report("today") if keeper is not None else None
        self._today_drawn = report.total if report is not None else None
        sl_seconds = report.sl_seconds if report is not None else DEFAULT_SL_SECONDS
        panel = self.query_one(QueueSummaryPanel)
        panel.show_queues(queue_days(snapshot, agents, report), sl_seconds)

    def _show_heading(self) -> None:
        if self.users is None:
            return
        users = self.users.dashboard_users
        on_call = self._on_call()
        counts = count_agents(users, None) if on_call is None else agent_counts(self.users, on_call)
        heading = Text(f"Agents — {len(users)} on the dashboard:  ")
        heading.append_text(counts_text(counts))
        self.query_one("#agents-heading", Label).update(heading)

    def show_metrics(self, metrics: Metrics) -> None:
        bar = self.query_one(MetricsBar)
        keeper = self.keeper
        if keeper is not None:
            bar.show_service(keeper.tiles())
            self.query_one(UnwatchedLine).show(keeper.service.metrics.gaps, self.zone)
            today = keeper.service.metrics.total("today")
            if self.calls is not None and today != self._today_drawn:
                self._show_queues(self.calls)
        bar.update_metrics(metrics, stale=self.feed.stale)

    def show_alerts(self, active: set[str], flashing: set[str]) -> None:
        self.query_one(MetricsBar).show_alerts(active, flashing)

    def tick_view(self) -> None:
        self.query_one(QueueSummaryPanel).tick()
        self.query_one(AgentGrid).refresh()
