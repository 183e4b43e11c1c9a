"""The live feed's test rig: a scripted source, a logging consumer and a frozen clock,
shared by the feed's tests and its recording consumer's."""

from __future__ import annotations

from datetime import datetime

from rtdash.api.models import CallState, UserState
from rtdash.core.clock import FrozenClock
from rtdash.core.feed import (
    FeedChange,
    FeedConsumer,
    FeedOptions,
    LiveFeed,
)
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.thresholds import Thresholds

from .rows import T0, user

QUEUEING, BRIDGED = CallState.QUEUEING, CallState.BRIDGED


class ScriptedSource:
    """A source whose deliveries the test makes: it pushes what it is told to."""

    def __init__(self, sink: LiveFeed, clock: FrozenClock, interval: float = 2.0) -> None:
        self.sink = sink
        self.clock = clock
        self.interval = interval
        self._paused = False
        self.refreshes = 0
        self.stopped = False

    @property
    def paused(self) -> bool:
        return self._paused

    async def run(self) -> None:
        return None

    def pause(self) -> None:
        self._paused = True
        self.status()

    def resume(self) -> None:
        self._paused = False
        self.status()

    def refresh_now(self) -> None:
        self.refreshes += 1

    def stop(self) -> None:
        self.stopped = True

    # --- what the test scripts ---------------------------------------------------------

    def calls(self, *rows: object) -> CallsSnapshot:
        snapshot = CallsSnapshot.build(list(rows), self.clock.now())
        self.sink.on_calls(snapshot)
        return snapshot

    def users(self, *rows: object) -> UsersSnapshot:
        snapshot = UsersSnapshot.build(list(rows), self.clock.now())
        self.sink.on_users(snapshot)
        return snapshot

    def status(self, last: datetime | None = None, phase: Phase | None = None) -> PollerStatus:
        health = RouteHealth(last_success=last or self.clock.now())
        status = PollerStatus(
            phase=phase or (Phase.PAUSED if self._paused else Phase.LIVE),
            interval=self.interval,
            routes=dict.fromkeys(Route, health),
        )
        self.sink.on_status(status)
        return status

    def poll(self, calls: list[object], users: list[object]) -> None:
        """One successful poll of both routes, as the poller delivers it."""
        self.calls(*calls)
        self.users(*users)
        self.status()


class Log(FeedConsumer):
    def __init__(self) -> None:
        self.snapshots: list[CallsSnapshot | UsersSnapshot] = []
        self.statuses: list[PollerStatus] = []
        self.changes: list[FeedChange] = []

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        self.snapshots.append(snapshot)

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        self.statuses.append(status)

    def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
        self.changes.append(change)


def rig(**options: object) -> tuple[LiveFeed, ScriptedSource, FrozenClock, Log]:
    clock = FrozenClock(T0)
    feed = LiveFeed(FeedOptions(clock=clock, thresholds=Thresholds(), **options))  # type: ignore[arg-type]
    source = ScriptedSource(feed, clock)
    feed.attach(source)
    log = Log()
    feed.subscribe(log)
    return feed, source, clock, log


AGENTS = [user("1"), user("2"), user("3", UserState.UNAVAILABLE)]
