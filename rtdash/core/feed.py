"""One installation's live state, fed by a source and read by every consumer.

A :class:`LiveFeed` is the :class:`~rtdash.core.source.SnapshotSink` of one source (the
poller, the replay player, later the hub subscriber). It keeps what is derived from the
snapshots — the current snapshots, the headline metrics, the history for sparklines,
threshold alerts, the bell and the flash, and whether the data is stale — so that the
screens, the recorder, a hub publisher or a service-metrics tracker all read one truth
instead of each deriving its own. It knows nothing of Textual: tests drive it with a
scripted source and a frozen clock.

Consumers subscribe (:meth:`LiveFeed.subscribe`) with a :class:`FeedListener`; derive
from :class:`FeedConsumer` to implement only the calls you need. A listener that
raises is logged and skipped: one broken consumer must not starve the others.

Stale data (older than :data:`~rtdash.core.status.STALE_INTERVALS` intervals) is frozen:
:attr:`LiveFeed.clock` stops each route's times with that route's data, so durations and
the longest wait stop counting up (they would be invented), and no new alert or bell can
begin from it. A
pause stops the clock too, where the screens last drew their times
(:mod:`rtdash.core.feed_clock`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from rtdash.core.alerts import AlertTracker
from rtdash.core.clock import Clock
from rtdash.core.feed_clock import FeedClock
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.poller_status import Phase, PollerStatus, Route
from rtdash.core.shown_starts import ShownStarts
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import Source
from rtdash.core.status import describe
from rtdash.core.thresholds import Level, Thresholds

log = logging.getLogger(__name__)

L = TypeVar("L")

#: seconds between ticks when the feed runs its own ticker (:meth:`LiveFeed.run`)
TICK_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """How a feed judges what it holds; the same for every installation of one run."""

    clock: Clock
    thresholds: Thresholds
    bell: bool = True
    flash: bool = True
    flash_seconds: float = 10.0
    #: False in replay: a recording stores changes only, so a quiet stretch of a
    #: recording is not an outage and must not freeze or say DISCONNECTED
    judge_staleness: bool = True
    #: False in replay: the recording's clock is its position, which its pause stops
    #: and a seek moves; a live pause holds the feed's clock (see FeedClock)
    hold_when_paused: bool = True
    #: the window the trend covers
    trend_minutes: float = 60.0


@dataclass(frozen=True, slots=True)
class FeedChange:
    """What a step of the feed changed, for a consumer to redraw only that."""

    #: the calls snapshot has new rows (an unchanged poll is not a change)
    calls: bool = False
    users: bool = False
    #: breaches that began at this step (the bell rang for them if it is on)
    began: frozenset[str] = frozenset()
    #: the data went stale, or fresh again, at this step
    stale_changed: bool = False
    #: the once-a-second tick (times in state, flash, the age of the data)
    tick: bool = False


class FeedListener(Protocol):
    """A consumer of a feed. Called on the loop that runs the source; must return
    quickly (queue or post any slow work)."""

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        """Every snapshot delivered, unchanged ones included (a recorder or a hub
        publisher keeps every poll), before the feed derives anything from it."""

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        """The source's status, after the feed took it in."""

    def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
        """Derived state changed: read it from ``feed``."""


class FeedConsumer:
    """A listener that ignores everything: override what you need."""

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        return None

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        return None

    def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
        return None


class LiveFeed:
    """The live state of one installation; see the module docstring."""

    def __init__(self, options: FeedOptions, *, source: Source | None = None) -> None:
        self.options = options
        self.thresholds: Thresholds = options.thresholds
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None
        self.status: PollerStatus | None = None
        self.metrics = Metrics()
        self.history = History(minutes=options.trend_minutes)
        self.alerts = AlertTracker(options.thresholds)
        #: when each agent's shown state began, where a call's start or end is later
        #: than the PBX's state start: followed at every calls poll, so a view that
        #: draws only some of them still times a hang-up from the poll before it
        self.starts = ShownStarts()
        #: times the bell rang (breaches begun while the bell is on and data is fresh)
        self.bells = 0
        #: the flashing breaches are lit this second (they blink on alternate ticks)
        self.flash_on = False
        self.stale = False
        #: the clock consumers draw durations with: it stands still while :attr:`stale`
        #: or paused, where the screens' times stopped
        self.clock = FeedClock(self)
        #: each route's last success as a status last gave it
        self._told_success: dict[Route, datetime] = {}
        self._source = source
        self._listeners: list[FeedListener] = []
        #: work that lives as long as the source runs (saving today's totals, confirming
        #: outcomes): whoever runs the source runs these beside it
        self.tasks: list[Callable[[], Coroutine[Any, Any, None]]] = []

    # --- the source ----------------------------------------------------------------

    @property
    def source(self) -> Source:
        if self._source is None:
            raise RuntimeError("no source attached to this feed")
        return self._source

    def attach(self, source: Source) -> None:
        """The source that delivers to this feed (built with this feed as its sink)."""
        self._source = source

    @property
    def paused(self) -> bool:
        return self._source is not None and self._source.paused

    async def run(self, sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        """Run the source, and tick once a second, until the source's run ends: for a
        consumer with no screen to drive :meth:`tick` (a hub publisher)."""
        ticker = asyncio.ensure_future(self._tick_forever(sleep))
        helpers = [asyncio.ensure_future(task()) for task in self.tasks]
        try:
            await self.source.run()
        finally:
            for future in (ticker, *helpers):
                future.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await future

    async def _tick_forever(self, sleep: Callable[[float], Awaitable[object]]) -> None:
        while True:
            await sleep(TICK_SECONDS)
            self.tick()

    # --- consumers -----------------------------------------------------------------

    def subscribe(self, listener: FeedListener) -> Callable[[], None]:
        """Add a consumer; returns the function that removes it again."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def find(self, kind: type[L]) -> L | None:
        """The first subscribed consumer of ``kind``: how a screen reaches what a
        consumer derives (a service-metrics tracker's numbers) without a second path."""
        return next((item for item in self._listeners if isinstance(item, kind)), None)

    def _tell(self, call: Callable[[FeedListener], None]) -> None:
        for listener in list(self._listeners):
            try:
                call(listener)
            except Exception:
                log.exception("a consumer of the live feed failed")

    # --- the sink ------------------------------------------------------------------

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self._tell(lambda listener: listener.feed_snapshot(self, snapshot))
        previous, self.calls = self.calls, snapshot
        # every poll, unchanged ones too: a hang-up seen next is timed from this one
        self.starts.follow(snapshot.on_call(), snapshot.fetched_at)
        if snapshot.same_rows(previous):
            return  # an unchanged poll (the common case on a quiet centre) costs nothing
        # only the calls' part of the headline numbers: the users' part still holds
        part = Metrics.compute(snapshot, None)
        self.metrics = replace(
            self.metrics,
            waiting=part.waiting,
            ringing=part.ringing,
            talking=part.talking,
            longest_wait_since=part.longest_wait_since,
        )
        if self.users is not None:  # who is on a call follows the bridged calls
            self.metrics = self.metrics.with_agents(self.users, snapshot)
        self._changed(FeedChange(calls=True))

    def on_users(self, snapshot: UsersSnapshot) -> None:
        self._tell(lambda listener: listener.feed_snapshot(self, snapshot))
        previous, self.users = self.users, snapshot
        if snapshot.same_rows(previous):
            return
        self.metrics = self.metrics.with_agents(snapshot, self.calls)
        self._changed(FeedChange(users=True))

    def on_status(self, status: PollerStatus) -> None:
        """Taken as the status of what this feed shows: a source that knows no success
        of a route whose data is still on screen (a hub started again while the
        upstream fails) must not make that data look fresh."""
        status = status.with_data_times(self._held_times(status))
        self.status = status
        flipped = self._judge_staleness()
        if flipped and not self.paused:
            self.clock.drawn()  # the screens redraw their times with the flip
        self._tell(lambda listener: listener.feed_status(self, status))
        if flipped:
            self._tell(lambda listener: listener.feed_changed(self, FeedChange(stale_changed=True)))

    def _held_times(self, status: PollerStatus) -> dict[Route, datetime]:
        """The time of the data held for each route, as the statuses gave it while they
        knew it (the moment the picture froze stays where it was), else the snapshot's."""
        for route, health in status.routes.items():
            if health.last_success is not None:
                self._told_success[route] = health.last_success
        held = {Route.CALLS: self.calls, Route.USERS: self.users}
        return {
            route: self._told_success.get(route, shot.fetched_at)
            for route, shot in held.items()
            if shot is not None
        }

    def _changed(self, change: FeedChange) -> None:
        flipped = self._judge_staleness()
        self.clock.drawn()  # new rows are drawn for now, paused or not
        began = self._observe()
        self._tell(
            lambda listener: listener.feed_changed(
                self, replace(change, began=began, stale_changed=flipped)
            )
        )

    # --- time ----------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: staleness, history and alerts (a hidden installation still
        rings), the flash. Paused, the picture holds still: only staleness moves."""
        flipped = self._judge_staleness()
        began: frozenset[str] = frozenset()
        if not self.paused:
            self.clock.drawn()  # the screens' times move to now with this tick
            began = self._observe()
            self.flash_on = not self.flash_on if self._flashing() else False
        self._tell(
            lambda listener: listener.feed_changed(
                self, FeedChange(began=began, stale_changed=flipped, tick=True)
            )
        )

    def _judge_staleness(self) -> bool:
        """Whether the data is stale now; True if that changed."""
        stale = self.options.judge_staleness and is_stale(self.status, self.options.clock.now())
        flipped = stale != self.stale
        self.stale = stale
        return flipped

    def _observe(self) -> frozenset[str]:
        """History and alerts, from numbers already computed; returns breaches begun.
        Stale data adds nothing: its numbers were true once, not now. Today's service
        level (the trackers' sources) breaches only once the calls have been polled:
        the totals restored at a start may breach, but a wallboard that starts while
        the service does not answer must not ring on them."""
        if self.stale:
            return frozenset()
        now = self.clock.now()
        waiting, available = self.metrics.waiting, self.metrics.agents_available
        if waiting is not None and available is not None:
            self.history.add(now, waiting=waiting, available=available)
        began = frozenset(
            self.alerts.update(self.metrics, now, with_sources=self.calls is not None)
        )
        if began and self.options.bell:
            self.bells += 1
        return began

    def _flashing(self) -> set[str]:
        if not self.options.flash or self.stale:
            return set()
        return self.alerts.flashing(self.options.clock.now(), self.options.flash_seconds)

    # --- what consumers read -------------------------------------------------------

    @property
    def frozen_at(self) -> datetime | None:
        """While the data is stale, the moment it became so (its time plus the age
        that makes it stale); None while it is fresh. The times counted on from the
        data until then, as a live screen showed them, and stop there: frozen at the
        data's own time, a longest wait that read 0:18 would drop to 0:13 as the
        banner came up (by three intervals: minutes at a slow pace)."""
        if not self.stale or self.status is None:
            return None
        last = self.status.last_success
        if last is None:
            return None
        return last + timedelta(seconds=self.status.stale_after)

    def data_times(self) -> dict[Route, datetime]:
        """When each route's data on screen was fetched: a snapshot comes before the
        status that tells of it, and its rows are drawn at once."""
        times = dict(self._told_success)
        for route, shot in ((Route.CALLS, self.calls), (Route.USERS, self.users)):
            if shot is not None:
                told = times.get(route)
                times[route] = shot.fetched_at if told is None else max(told, shot.fetched_at)
        return times

    @property
    def data_time(self) -> datetime | None:
        """When the oldest of the data shown was fetched (None before any)."""
        return self.status.last_success if self.status is not None else None

    @property
    def flashing(self) -> set[str]:
        """The breaches to draw lit this second (empty on the flash's dark seconds)."""
        return self._flashing() if self.flash_on else set()

    def stale_for(self) -> float:
        """Seconds since the data's time (0 while there is none)."""
        last = self.data_time
        if last is None:
            return 0.0
        return max(0.0, (self.options.clock.now() - last).total_seconds())

    def health(self) -> Level:
        """One level for the installation: a breach, an outage or stale data is an
        alert; a number past its warning level, connecting, paused or no data yet a
        warning. A tab shows it, and help reads a calm tab as nothing past a threshold."""
        if self.alerts.active or self.stale:
            return Level.ALERT
        if self.status is None:
            return Level.WARN
        text = describe(self.status, self.options.clock.now(), self.status.made_at, UTC_ZONE)
        warned = Level.WARN if self.alerts.warned else Level.OK
        return max(text.connection_level, text.age_level, warned)

    def rewind(self) -> None:
        """Time ran backwards (a replay seek): the trend and alerts start again."""
        self.history.clear()
        self.starts.clear()
        self._told_success.clear()
        self.alerts.active.clear()
        self.alerts.warned.clear()
        self.alerts.since.clear()
        self.flash_on = False


def is_stale(status: PollerStatus | None, now: datetime) -> bool:
    """The status bar's rule: data older than :data:`STALE_INTERVALS` intervals is stale.
    Paused, the picture is one the user asked to hold: old, but not an outage."""
    if status is None or status.phase is Phase.PAUSED:
        return False
    last = status.last_success
    if last is None:
        return False
    return (now - last).total_seconds() > status.stale_after


UTC_ZONE = ZoneInfo("UTC")
