"""One installation's live view: its poller, metrics, calls grid, users and status.

Everything for one installation lives in this one widget, so several installations are
several of these (in tabs), each with its own poller and status.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widget import Widget
from textual.worker import Worker

from rtdash.api.client import InfinityClient
from rtdash.core.clock import Clock
from rtdash.core.metrics import Metrics
from rtdash.core.poller import Poller
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Thresholds
from rtdash.ui.messages import CallsUpdated, StatusUpdated, UsersUpdated
from rtdash.ui.widgets.calls_grid import CallsGrid
from rtdash.ui.widgets.metrics_bar import MetricsBar
from rtdash.ui.widgets.status_bar import StatusBar
from rtdash.ui.widgets.user_panel import UserPanel


class Dashboard(Vertical):
    def __init__(
        self,
        client: InfinityClient,
        *,
        clock: Clock,
        thresholds: Thresholds,
        interval: float,
        max_backoff: float,
        exclude_pii: bool,
        installation: str,
        badge: str | None = None,
        show_all_users: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.client = client
        self.clock = clock
        self.thresholds = thresholds
        self.exclude_pii = exclude_pii
        self.installation = installation
        self.badge = badge
        self.show_all_users = show_all_users
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None
        self.poller = Poller(
            client,
            on_calls=lambda snapshot: self.post_message(CallsUpdated(snapshot)),
            on_users=lambda snapshot: self.post_message(UsersUpdated(snapshot)),
            on_status=lambda status: self.post_message(StatusUpdated(status)),
            interval=interval,
            max_backoff=max_backoff,
            exclude_pii=exclude_pii,
            clock=clock,
        )
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield MetricsBar(clock=self.clock, thresholds=self.thresholds, id="metrics")
        with Container(id="panes"):
            yield CallsGrid(
                clock=self.clock,
                thresholds=self.thresholds,
                pii_excluded=self.exclude_pii,
                id="calls",
            )
            yield UserPanel(clock=self.clock, show_all=self.show_all_users, id="users")
        yield StatusBar(
            clock=self.clock,
            zone=self.client.zone,
            installation=self.installation,
            badge=self.badge,
            id="status",
        )

    def on_mount(self) -> None:
        # first paint happens before the first poll returns: the poller starts after
        self._worker = self.run_worker(
            self.poller.run(), name="poller", group="poll", exit_on_error=False
        )
        self.set_interval(1.0, self.tick, name="tick")

    def on_unmount(self) -> None:
        self.poller.stop()

    # --- widgets --------------------------------------------------------------------

    @property
    def grid(self) -> CallsGrid:
        return self.query_one(CallsGrid)

    @property
    def user_panel(self) -> UserPanel:
        return self.query_one(UserPanel)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def metrics_bar(self) -> MetricsBar:
        return self.query_one(MetricsBar)

    # --- data -----------------------------------------------------------------------

    @on(CallsUpdated)
    def _calls_updated(self, message: CallsUpdated) -> None:
        message.stop()
        if message.snapshot.same_rows(self.calls):
            self.calls = message.snapshot
            return
        self.calls = message.snapshot
        with self.app.batch_update():
            self.grid.update_snapshot(message.snapshot)
            self._update_metrics()

    @on(UsersUpdated)
    def _users_updated(self, message: UsersUpdated) -> None:
        message.stop()
        if message.snapshot.same_rows(self.users):
            self.users = message.snapshot
            return
        self.users = message.snapshot
        with self.app.batch_update():
            self.user_panel.update_snapshot(message.snapshot)
            self._update_metrics()

    @on(StatusUpdated)
    def _status_updated(self, message: StatusUpdated) -> None:
        message.stop()
        self.status_bar.update_status(message.status)

    def _update_metrics(self) -> None:
        self.metrics_bar.update_metrics(Metrics.compute(self.calls, self.users))

    def tick(self) -> None:
        """Once a second: ticking cells on screen, the longest wait, the data age."""
        if not self.display:
            return
        with self.app.batch_update():
            self.grid.tick()
            self.user_panel.tick()
            self.metrics_bar.tick()
            self.status_bar.tick()

    @property
    def zone(self) -> ZoneInfo:
        return self.client.zone

    def focus_first_table(self) -> Widget:
        table = self.grid.tables[0]
        for candidate in self.grid.tables:
            if candidate.row_count:
                table = candidate
                break
        table.focus()
        return table
