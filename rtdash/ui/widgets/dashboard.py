"""The supervisor's view of one installation: metrics, calls grid, users, status.

On a wide terminal too short for the headline's tiles beside a few calls, the tiles
give way to the one-line headline (:mod:`rtdash.ui.widgets.short_screen`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Container
from textual.widget import Widget

from rtdash.api.models import CallState
from rtdash.core.agents import OnCall
from rtdash.core.metrics import Metrics
from rtdash.core.queues import filtered_queue
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.ui.widgets.calls_grid import CallsGrid
from rtdash.ui.widgets.live_view import LiveView
from rtdash.ui.widgets.metrics_bar import TILES, MetricsBar, service_specs
from rtdash.ui.widgets.short_screen import COMPACT, dashboard_compact
from rtdash.ui.widgets.unwatched import UnwatchedLine
from rtdash.ui.widgets.user_panel import UserPanel

#: today's service level on the dashboard's headline (the wallboard's are configurable)
DASHBOARD_SERVICE = ("sl", "abandoned")


class Panes(Container):
    """The calls and the users. They take the lines the rest of the view leaves, so
    their height changes whenever any of the rest does (the screen resized, a band
    shown or taken down, the status line folding an outage's causes onto more lines):
    then the view weighs its headline again."""

    def on_resize(self) -> None:
        view = self.parent
        if isinstance(view, Dashboard):
            view.fit_headline()


class Dashboard(LiveView):
    #: told after each calls snapshot is drawn: the screen takes down what it said of
    #: the calls before it ("Ringing has no calls now" once a call rings there)
    calls_shown: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield self.make_banner()
        source = self.service_tiles
        service = (
            service_specs(source.tiles(DASHBOARD_SERVICE), suffix="") if source is not None else ()
        )
        self.headline = MetricsBar(
            clock=self.clock.calls,
            thresholds=self.thresholds,
            history=self.history,
            tiles=TILES + service,
            id="metrics",
        )
        yield self.headline
        # the headline's SL and abandoned are today's totals: what they miss is said
        yield UnwatchedLine(id="gaps")
        with Panes(id="panes"):
            yield CallsGrid(
                clock=self.clock.calls,
                thresholds=self.thresholds,
                pii_excluded=self.exclude_pii,
                id="calls",
            )
            yield UserPanel(
                clock=self.clock.agents,
                starts=self.feed.starts,
                show_all=self.options.show_all_users,
                id="users",
            )
        yield self.make_status_bar()

    def on_resize(self) -> None:
        # the grid's share of a stacked layout follows the height it can have
        self.grid.fit_groups()

    def fit_headline(self) -> None:
        """Tiles where the view holds them beside a few calls, else one line; weighed
        with what is on screen now, none of which depends on the choice, so a choice
        made stays made until one of them changes."""
        height = self.size.height
        if not height:
            return  # another installation's tab is shown
        fixed = self.status_bar.outer_size.height
        fixed += self.query_one(UnwatchedLine).outer_size.height
        compact = dashboard_compact(
            self.app.size.width, height, banner=self.banner.text is not None, fixed=fixed
        )
        if compact != self.has_class(COMPACT):
            self.set_class(compact, COMPACT)
            self.grid.share_header()

    def on_descendant_focus(self) -> None:
        # the table Tab moved to keeps a few rows in view, and its group is marked
        self.grid.fit_groups()
        self.grid.mark_focus()
        self.user_panel.mark_focus()

    def on_descendant_blur(self) -> None:
        self.grid.mark_focus()
        self.user_panel.mark_focus()

    @property
    def grid(self) -> CallsGrid:
        return self.query_one(CallsGrid)

    @property
    def user_panel(self) -> UserPanel:
        return self.query_one(UserPanel)

    @property
    def metrics_bar(self) -> MetricsBar:
        return self.query_one(MetricsBar)

    def set_filter(self, text: str, default_region: str | None = None) -> None:
        """The calls and the users filtered by ``text`` (``default_region`` reads a
        number typed in national form)."""
        self.grid.set_filter(text, default_region)
        self._filter_users()

    def _filter_users(self) -> None:
        """The users panel's part of the filter: the users its words match, and the
        agents of the calls it shows (who is on the sales calls, who talks to that
        caller), found again each calls poll. None for a queue's filter: the PBX does
        not say which queues a user serves, so every user stays listed."""
        text = self.grid.filter_text
        if not text or filtered_queue(text) is not None:
            self.user_panel.set_filter("")
            return
        agents = OnCall.from_calls(self.grid.shown(CallState.BRIDGED))
        self.user_panel.set_filter(text, agents)

    def show_calls(self, snapshot: CallsSnapshot) -> None:
        self.grid.update_snapshot(snapshot)
        self.user_panel.show_on_call(snapshot.on_call())
        self._filter_users()
        if self.calls_shown is not None:
            self.calls_shown()

    def show_users(self, snapshot: UsersSnapshot) -> None:
        self.user_panel.update_snapshot(snapshot)

    def show_metrics(self, metrics: Metrics) -> None:
        source = self.service_tiles
        if source is not None:
            self.metrics_bar.show_service(source.tiles(DASHBOARD_SERVICE))
        keeper = self.keeper
        if keeper is not None:
            day = keeper.service.metrics
            self.query_one(UnwatchedLine).show(day.gaps, self.zone, lone_start_unsaid=day.day_start)
        self.metrics_bar.update_metrics(metrics, stale=self.feed.stale)

    def show_alerts(self, active: set[str], flashing: set[str]) -> None:
        self.metrics_bar.show_alerts(active, flashing)

    def tick_view(self) -> None:
        self.grid.tick()
        self.user_panel.tick()

    def focus_first_table(self) -> Widget:
        """The first call group with calls shown; where a filter shows no call but some
        users (it matched only an agent's name), the users; else the first group (not
        the users at the start, before the first calls poll has filled the groups)."""
        table: Widget = self.grid.tables[0]
        for candidate in self.grid.tables:
            if candidate.row_count:
                table = candidate
                break
        else:
            if self.grid.filter_text and self.user_panel.table.row_count:
                table = self.user_panel.table
        # now, not a turn of the loop later: Down and Enter typed with the Enter that
        # closed the filter go to the table (see rtdash.ui.typeahead)
        self.screen.set_focus(table)
        self.grid.cursor_chosen = False  # put there for the user, not by them
        return table
