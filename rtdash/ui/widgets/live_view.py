"""One installation's view: draws what its live feed says, nothing more.

The dashboard and the wallboard are two ways of drawing the same
:class:`~rtdash.core.feed.LiveFeed`, so both derive from :class:`LiveView`. The feed
holds the snapshots, metrics, history, alerts and staleness; the view subscribes to
it, turns its news into messages (a newer snapshot replaces an older one still
queued), skips drawing a snapshot whose rows it already drew, rings the bell when the
feed says a breach began, runs the feed's source as a worker and ticks the feed once a
second. Stale data shows a DISCONNECTED band over the view and is dimmed; so is a paused
view that shows its pause as a band (the wallboard, read from across a room: the
dashboard's Footer and status line say paused to the one who pressed the key).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import on
from textual.containers import Vertical

from rtdash.api.client import InfinityClient
from rtdash.core.alerts import AlertTracker
from rtdash.core.feed import FeedChange, FeedConsumer, LiveFeed
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.poller import Poller
from rtdash.core.poller_status import Phase, PollerStatus
from rtdash.core.service_feed import ServiceKeeper
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import Source
from rtdash.core.thresholds import Level
from rtdash.ui.commands import key_label
from rtdash.ui.messages import CallsUpdated, StalenessChanged, StatusUpdated, UsersUpdated
from rtdash.ui.text_caches import trim_width_cache
from rtdash.ui.widgets.banners import DisconnectedBanner, PausedBanner
from rtdash.ui.widgets.status_bar import StatusBar
from rtdash.ui.widgets.view_options import LiveSource, ViewOptions
from rtdash.warmup import collect_for, collection_paused, resume_collection

if TYPE_CHECKING:
    from rtdash.core.service_report import ServiceReport
    from rtdash.core.service_tiles import TileSource
    from rtdash.ui.widgets.metrics_bar import MetricsBar


class _ViewConsumer(FeedConsumer):
    """The view's subscription: the feed's news, as messages to the view."""

    def __init__(self, view: LiveView) -> None:
        self.view = view

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        # every snapshot, unchanged ones too: the view keeps the newest stamp and draws
        # only rows it has not drawn; a queued one is replaced by the next (can_replace)
        if isinstance(snapshot, CallsSnapshot):
            self.view.post_message(CallsUpdated(snapshot))
        else:
            self.view.post_message(UsersUpdated(snapshot))

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        self.view.post_message(StatusUpdated(status))

    def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
        if change.began and feed.options.bell:
            self.view.ring()
        if change.stale_changed and not change.tick:
            self.view.post_message(StalenessChanged())


class LiveView(Vertical):
    #: a pause shown as a band over the view, its numbers dimmed (as stale ones are):
    #: where the view is read from across a room, not by the one at its keyboard
    PAUSED_BAND = False

    def __init__(
        self,
        feed: LiveFeed,
        *,
        label: str,
        zone: ZoneInfo,
        options: ViewOptions,
        client: InfinityClient | None = None,
        **kwargs: object,
    ) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.feed = feed
        self.label = label
        self.zone = zone
        self.options = options
        #: the lookup's way to the service; None in replay
        self.client = client
        #: the clock durations are drawn with: it stops at the data's time when stale
        self.clock = feed.clock
        self.thresholds = options.thresholds
        self.exclude_pii = options.exclude_pii
        #: the snapshots this view last drew (the feed's may be newer, still queued):
        #: an unchanged one draws nothing
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None
        self.bells = 0
        #: new rows were drawn since the last status: show its "data as of" with them
        self._data_drawn = False
        self._stale_shown = False
        self._held_shown = False
        #: paused as the Footer last heard ("p Pause" or "p Resume")
        self._paused_shown = False
        #: told when the installation's level changes (the installation bar, when
        #: there are several); the level it was last told
        self.level_listener: Callable[[], None] | None = None
        self.level: Level | None = None
        #: the headline, once composed: a tab's mark sums up what it shows
        self.headline: MetricsBar | None = None
        self._unsubscribe = feed.subscribe(_ViewConsumer(self))

    # --- what the feed holds, read through the view ----------------------------------

    @property
    def source(self) -> Source:
        return self.feed.source

    @property
    def poller(self) -> LiveSource:
        """The live view's source (the poller, or the hub's subscriber with ``--hub``,
        which answers the same controls); only a live view has one."""
        source = self.feed.source
        if not isinstance(source, LiveSource):
            raise TypeError("this view is not fed by a live source")
        return source

    @property
    def metrics(self) -> Metrics:
        return self.feed.metrics

    @property
    def keeper(self) -> ServiceKeeper | None:
        """Today's service level, when the feed has one (a replay has none)."""
        return self.feed.find(ServiceKeeper)

    @property
    def service_tiles(self) -> TileSource | None:
        """Where the headline's service tiles come from: today's service level, or in
        a replay the totals the recording kept (None: no service tiles)."""
        keeper = self.keeper
        if keeper is not None:
            return keeper
        # a replay's: imported here, so a live view's start does not load it
        from rtdash.core.recorded_service import RecordedService

        return self.feed.find(RecordedService)

    def service_report(self) -> ServiceReport | None:
        """What an export writes of the service level: today's, or in a replay the
        totals the recording kept at the player's position (None: none to write)."""
        keeper = self.keeper
        if keeper is not None:
            return keeper.service.report("today")
        from rtdash.core.recorded_service import RecordedService

        recorded = self.feed.find(RecordedService)
        return recorded.report() if recorded is not None else None

    @property
    def history(self) -> History:
        return self.feed.history

    @property
    def alerts(self) -> AlertTracker:
        return self.feed.alerts

    # --- what subclasses draw -------------------------------------------------------

    def show_calls(self, snapshot: CallsSnapshot) -> None:
        """Draw a changed calls snapshot."""

    def show_users(self, snapshot: UsersSnapshot) -> None:
        """Draw a changed users snapshot."""

    def show_metrics(self, metrics: Metrics) -> None:
        """Draw the headline numbers (also called once a second, for the longest wait)."""

    def show_alerts(self, active: set[str], flashing: set[str]) -> None:
        """Mark breached numbers; ``flashing`` blinks on alternate seconds."""

    def tick_view(self) -> None:
        """Once a second: redraw what ticks (times in state)."""

    # --- lifecycle ------------------------------------------------------------------

    def on_mount(self) -> None:
        # the first frame is drawn before the first poll returns: the source starts here
        source = self.feed.source
        name = "poller" if isinstance(source, Poller) else "source"
        self.run_worker(source.run(), name=name, group="poll", exit_on_error=False)
        for task in self.feed.tasks:  # saving today's totals, confirming outcomes
            self.run_worker(task(), group="feed-tasks", exit_on_error=False)
        self.set_interval(1.0, self.tick, name="tick")

    def on_unmount(self) -> None:
        self._unsubscribe()
        self.feed.source.stop()

    def ring(self) -> None:
        self.bells += 1
        self.app.bell()

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def banner(self) -> DisconnectedBanner:
        return self.query_one(DisconnectedBanner)

    def make_banner(self) -> DisconnectedBanner:
        """The DISCONNECTED banner, for a subclass to compose at the top of the view,
        where a room looks (not in the status line at the bottom); hidden until the
        data goes stale."""
        return DisconnectedBanner(id="disconnected")

    def make_paused_banner(self) -> PausedBanner:
        """The PAUSED band, for a view with :attr:`PAUSED_BAND` to compose beside the
        DISCONNECTED one (the data is never stale while paused: one shows at a time)."""
        return PausedBanner(id="paused")

    def make_status_bar(self) -> StatusBar:
        return StatusBar(
            clock=self.options.clock,
            zone=self.zone,
            installation=self.label,
            badge=self.options.badge,
            id="status",
        )

    # --- data -----------------------------------------------------------------------

    @on(CallsUpdated)
    def _calls_updated(self, message: CallsUpdated) -> None:
        message.stop()
        previous, self.calls = self.calls, message.snapshot
        collect_for(sum(map(len, message.snapshot.groups.values())))
        self._redraw_if_changed(previous, message.snapshot, self.show_calls)

    @on(UsersUpdated)
    def _users_updated(self, message: UsersUpdated) -> None:
        message.stop()
        previous, self.users = self.users, message.snapshot
        self._redraw_if_changed(previous, message.snapshot, self.show_users)

    def _redraw_if_changed(self, previous: Any, snapshot: Any, draw: Callable[[Any], None]) -> None:
        """An unchanged poll (the common case on a quiet centre) costs no drawing at all."""
        if snapshot.same_rows(previous):
            return
        self._data_drawn = True  # the status that follows says "data as of" at once
        with self.app.batch_update():
            draw(snapshot)
            self.show_metrics(self.feed.metrics)
            self._show_alerts()
            self._show_level()
        if collection_paused() and self.calls is not None and self.users is not None:
            # the start is over: collect garbage again once this data is on screen
            self.app.call_after_refresh(resume_collection)

    @on(StatusUpdated)
    def _status_updated(self, message: StatusUpdated) -> None:
        message.stop()
        routine = self._routine(message.status)
        self._data_drawn = False
        self.status_bar.update_status(message.status, draw=not routine)
        self._show_staleness()
        self._show_level()
        paused = message.status.phase is Phase.PAUSED
        if paused != self._paused_shown:
            # however it was paused (a key, the palette, a replay's end), the Footer
            # and palette offer the other: Pause or Resume; and its tab says it is
            # paused, whatever its level (a red tab stays red when paused)
            self._paused_shown = paused
            self.screen.refresh_bindings()
            if self.level_listener is not None:
                self.level_listener()

    @on(StalenessChanged)
    def _staleness_changed(self, message: StalenessChanged) -> None:
        message.stop()
        self._show_staleness()
        self.show_metrics(self.feed.metrics)
        self._show_alerts()
        self._show_level()

    def _routine(self, status: PollerStatus) -> bool:
        """A quiet poll whose only news is a newer "data as of": the tick draws it
        within the second. Drawn at once, it would be a second frame every second
        for one line (about a tenth of a quiet dashboard's CPU); anything else a
        status can say (a failure, a pause, new data, unreadable rows, a STALE
        warning to clear) is drawn at once."""
        shown = self.status_bar.status
        text = self.status_bar.text
        return (
            not self._data_drawn
            and shown is not None
            and text is not None
            and not text.stale
            and shown.phase is Phase.LIVE
            and status.phase is Phase.LIVE
            and (shown.interval, shown.slow, shown.unreadable)
            == (status.interval, status.slow, status.unreadable)
        )

    def _show_alerts(self) -> None:
        """Stale, no number is marked breached: the banner is the one alarm (see
        :meth:`MetricsBar.values`)."""
        feed = self.feed
        self.show_alerts(set() if feed.stale else feed.alerts.active, feed.flashing)

    def shown_level(self) -> Level:
        """The installation's level as its screen shows it: the feed's (breaches,
        warnings, the connection) and the worst of today's tiles on the headline. The
        feed judges only the tiles the wallboard is configured to show (they alone
        ring), and a tab must not read calm under an amber SL on the dashboard's
        headline."""
        level = self.feed.health()
        if self.headline is not None:
            level = max(level, self.headline.service_level())
        return level

    def _show_level(self) -> None:
        """Whoever shows the installation's level (a tab's mark) hears of a change as
        the view draws what changed it, so the mark and the numbers it sums up change
        in one frame; a level that stays the same costs no redraw."""
        if self.level_listener is None:
            return
        level = self.shown_level()
        if level != self.level:
            self.level = level
            self.level_listener()

    def _show_staleness(self) -> None:
        """The bands and the dimming follow the feed; a band's age moves on."""
        stale = self.feed.stale
        if stale != self._stale_shown:
            self._stale_shown = stale
            self.set_class(stale, "-stale")
        now = self.options.clock.now()
        self.banner.show_age(self.feed.data_time if stale else None, now, self.zone)
        if self.PAUSED_BAND:
            self._show_held(now)

    def _show_held(self, now: datetime) -> None:
        """A paused live view's band, with the key that resumes as bound now."""
        held = self.feed.paused and self.options.live
        if held != self._held_shown:
            self._held_shown = held
            self.set_class(held, "-paused")
        band = self.query_one(PausedBanner)
        if not held:
            band.say(None)
            return
        keys: dict[str, str] = getattr(self.app, "current_keys", dict)()
        key = key_label(keys.get("pause", "p").split(",")[0].strip())
        band.show_held(self.feed.data_time, now, self.zone, key)

    def tick(self) -> None:
        """Once a second: the feed's tick (staleness, history, alerts: a hidden
        installation still rings and still marks the installation bar), then the
        status; ticking cells only while on screen. Paused, the view holds still and
        only the age of the data moves."""
        self.feed.tick()
        trim_width_cache()  # the texts measured each second are not held all day
        if self.feed.paused and self.options.live:
            self.status_bar.tick()
            self._show_staleness()
            self._show_level()
            return
        with self.app.batch_update():
            self._show_alerts()
            self.status_bar.tick()
            self._show_staleness()
            if self.display:
                self.tick_view()
                self.show_metrics(self.feed.metrics)
            # a wait past its threshold, data grown old; after the headline's redraw,
            # whose service tiles it reads
            self._show_level()
