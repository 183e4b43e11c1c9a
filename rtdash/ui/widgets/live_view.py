"""One installation's live data: its poller, snapshots, history, alerts and status.

The dashboard and the wallboard are two ways of drawing the same live data, so both
derive from :class:`LiveView`: it owns the poller (one per installation), turns poller
callbacks into messages, skips all work when a snapshot did not change, records the
history for sparklines, rings the bell once per breach, and ticks once a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import on
from textual.containers import Vertical

from rtdash.api.client import InfinityClient
from rtdash.core.alerts import AlertTracker
from rtdash.core.clock import Clock
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.poller import Phase, Poller, PollerStatus
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Thresholds
from rtdash.ui.messages import CallsUpdated, StatusUpdated, UsersUpdated
from rtdash.ui.widgets.status_bar import StatusBar
from rtdash.warmup import collection_paused, resume_collection

if TYPE_CHECKING:
    from rtdash.core.recording import Recorder


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """How a live view behaves; the same for every installation of one run."""

    clock: Clock
    thresholds: Thresholds
    interval: float = 2.0
    max_backoff: float = 60.0
    exclude_pii: bool = False
    badge: str | None = None
    show_all_users: bool = False
    flash: bool = True
    flash_seconds: float = 10.0
    bell: bool = True
    #: False in replay: snapshots come from a recording, not a poller
    live: bool = True
    #: makes the view's source (sink, igrp) instead of a poller: the hub (``--hub``)
    source: Callable[[Any, int], Any] | None = None


class LiveView(Vertical):
    def __init__(
        self, client: InfinityClient, *, label: str, options: ViewOptions, **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.client = client
        self.label = label
        self.options = options
        self.clock = options.clock
        self.thresholds = options.thresholds
        self.exclude_pii = options.exclude_pii
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None
        self.metrics = Metrics()
        self.history = History()
        self.alerts = AlertTracker(options.thresholds)
        self.bells = 0
        self._flash_on = False
        #: new rows were drawn since the last status: show its "data as of" with them
        self._data_drawn = False
        #: appends every snapshot to a file (``--record``); set before mount
        self.recorder: Recorder | None = None
        if options.source is not None:
            sink = SimpleNamespace(
                on_calls=self._polled_calls,
                on_users=self._polled_users,
                on_status=lambda status: self.post_message(StatusUpdated(status)),
                on_trend=self._backfill,
            )
            self.poller = options.source(sink, client.igrp)
            return
        self.poller = Poller(
            client,
            on_calls=self._polled_calls,
            on_users=self._polled_users,
            on_status=lambda status: self.post_message(StatusUpdated(status)),
            interval=options.interval,
            max_backoff=options.max_backoff,
            exclude_pii=options.exclude_pii,
            clock=options.clock,
        )

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
        # the first frame is drawn before the first poll returns: the poller starts here
        if self.options.live:
            self.run_worker(self.poller.run(), name="poller", group="poll", exit_on_error=False)
        self.set_interval(1.0, self.tick, name="tick")

    def on_unmount(self) -> None:
        self.poller.stop()
        if self.recorder is not None:
            self.recorder.close()

    # --- from the poller --------------------------------------------------------------

    def _polled_calls(self, snapshot: CallsSnapshot) -> None:
        # recorded here, not in the message handler: a queued message may be replaced
        # by a newer one, and a recording keeps every poll
        self._record(self.recorder.record_calls if self.recorder else None, snapshot)
        self.post_message(CallsUpdated(snapshot))

    def _polled_users(self, snapshot: UsersSnapshot) -> None:
        self._record(self.recorder.record_users if self.recorder else None, snapshot)
        self.post_message(UsersUpdated(snapshot))

    def _backfill(self, points: list[Any]) -> None:
        """The hub's trend from before this screen started (each point carries one of
        the two counts: the latest of the other is paired with it)."""
        waiting = available = None
        for point in points:
            waiting = point.waiting if point.waiting is not None else waiting
            available = point.available if point.available is not None else available
            if waiting is not None and available is not None:
                self.history.add(point.when, waiting=waiting, available=available)

    def _record(self, write: Callable[[Any], bool] | None, snapshot: Any) -> None:
        if write is None:
            return
        # a recorder exists only with --record: its module stays off the start-up path
        from rtdash.core.recording import RecordingError

        try:
            write(snapshot)
        except RecordingError as exc:
            # say it once and stop recording; the dashboard itself carries on
            self.recorder = None
            self.app.notify(str(exc), title="Recording stopped", severity="error", timeout=30)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def zone(self) -> ZoneInfo:
        return self.client.zone

    def make_status_bar(self) -> StatusBar:
        return StatusBar(
            clock=self.clock,
            zone=self.client.zone,
            installation=self.label,
            badge=self.options.badge,
            id="status",
        )

    # --- data -----------------------------------------------------------------------

    @on(CallsUpdated)
    def _calls_updated(self, message: CallsUpdated) -> None:
        message.stop()
        previous, self.calls = self.calls, message.snapshot
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
            self._refresh_metrics()
        if collection_paused() and self.calls is not None and self.users is not None:
            # the start is over: collect garbage again once this data is on screen
            self.app.call_after_refresh(resume_collection)

    @on(StatusUpdated)
    def _status_updated(self, message: StatusUpdated) -> None:
        message.stop()
        routine = self._routine(message.status)
        self._data_drawn = False
        self.status_bar.update_status(message.status, draw=not routine)

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

    def _refresh_metrics(self) -> None:
        self.metrics = Metrics.compute(self.calls, self.users)
        self._observe(blink=False)
        self.show_metrics(self.metrics)

    def _observe(self, *, blink: bool) -> None:
        """History and alerts, from numbers already computed: no extra requests."""
        now = self.clock.now()
        waiting, available = self.metrics.waiting, self.metrics.agents_available
        if waiting is not None and available is not None:
            self.history.add(now, waiting=waiting, available=available)
        began = self.alerts.update(self.metrics, now)
        if began and self.options.bell:
            self.bells += 1
            self.app.bell()
        flashing = (
            self.alerts.flashing(now, self.options.flash_seconds) if self.options.flash else set()
        )
        self._flash_on = not self._flash_on if flashing else False
        self.show_alerts(self.alerts.active, flashing if self._flash_on else set())

    def tick(self) -> None:
        """Once a second: alerts and status always (a hidden installation still rings and
        still marks the installation bar); ticking cells only while on screen. Paused,
        the view holds still and only the age of the data moves."""
        if self.poller.paused and self.options.live:
            self.status_bar.tick()
            return
        with self.app.batch_update():
            self._observe(blink=True)
            self.status_bar.tick()
            if self.display:
                self.tick_view()
                self.show_metrics(self.metrics)
