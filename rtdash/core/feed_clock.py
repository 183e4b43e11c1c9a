"""The clock an installation's screens draw their durations with: the moment the
screens last drew their times for, which stands still where the dashboard's times
stopped.

Live, that moment moves with each tick and each poll that brings new rows, and every
screen of the installation reads it: asked apart within one tick, a headline and a
table showed one wait a second apart, and a lookup opened mid-second counted a second
past the row it was opened from.

Stale data: each route's data counts on to its own time plus the age that makes data
stale, and stops there, never at the data's own time (a longest wait that went back as
the banner came up would mislead). A wait counted past that would be invented; one
counted only to the older route's limit would be shorter than the data says: as an
outage ends one route answers a poll before the other, and the callers who came in
during the outage read "0:00" under the banner. So the calls' times
(:attr:`FeedClock.calls`: waits, the calls' time in state, the queues, a lookup) stop
with the calls, and the agents' (:attr:`FeedClock.agents`) with the users, but never
before the calls drawn on them: an agent's time on a call starts from the calls.
:meth:`FeedClock.now` is the newest of these, for what is about neither.

Paused: at the last moment the dashboard's times were drawn for (its last tick, or the
last poll that brought new rows). The tables hold the times they drew; a screen that
reads the time afterwards (a lookup opened on the paused dashboard, whose answer the
service gives for the present) must count to the same moment, or the lookup's call
duration and the row it was opened from would disagree by however long the pause has
lasted. A poll taken while paused (a refresh, or one under way at the pause) is drawn
for the moment it came, and the clock stands there next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rtdash.core.poller_status import Route

if TYPE_CHECKING:
    from rtdash.core.feed import LiveFeed


class FeedClock:
    """See the module docstring."""

    def __init__(self, feed: LiveFeed) -> None:
        self._feed = feed
        #: the moment the screens last drew their times for
        self._drawn_for: datetime | None = None
        self.calls = DataClock(self, calls_limit)
        self.agents = DataClock(self, agents_limit)

    @property
    def holding(self) -> bool:
        """Whether the time stands still: paused (a live source's pause; a recording's
        own clock stops when it is paused) or stale."""
        feed = self._feed
        return (feed.paused and feed.options.hold_when_paused) or feed.frozen_at is not None

    def now(self) -> datetime:
        drawn = self._drawn_for
        if drawn is None or (self._feed.paused and not self._feed.options.hold_when_paused):
            # nothing drawn yet; or a recording's pause, whose own clock stands still
            # and moves with a seek
            return self._moving()
        return drawn

    def _moving(self) -> datetime:
        """The time while nothing is paused: the real one, where stale data stands
        for no later moment than its newest route's limit."""
        real = self._feed.options.clock.now()
        limits = [calls_limit(self._feed), agents_limit(self._feed)]
        known = [limit for limit in limits if limit is not None]
        return min(real, max(known)) if known else real

    def monotonic(self) -> float:
        return self._feed.options.clock.monotonic()

    def drawn(self) -> None:
        """The screens draw their times now (a tick that moves them, new rows): a pause
        holds the clock here until the next."""
        self._drawn_for = self._moving()


class DataClock:
    """The feed's clock for the times drawn from one part of the data: it stops at that
    part's limit while the data is stale (see the module docstring)."""

    def __init__(self, clock: FeedClock, limit: Callable[[LiveFeed], datetime | None]) -> None:
        self._clock = clock
        self._limit = limit

    @property
    def holding(self) -> bool:
        return self._clock.holding

    def now(self) -> datetime:
        now = self._clock.now()
        limit = self._limit(self._clock._feed)
        return now if limit is None else min(now, limit)

    def monotonic(self) -> float:
        return self._clock.monotonic()


def _limit(feed: LiveFeed, route: Route) -> datetime | None:
    """While the data is stale, the last moment ``route``'s data stands for; None while
    it is fresh or not there."""
    if not feed.stale or feed.status is None:
        return None
    held = feed.data_times().get(route)
    return None if held is None else held + timedelta(seconds=feed.status.stale_after)


def calls_limit(feed: LiveFeed) -> datetime | None:
    return _limit(feed, Route.CALLS)


def agents_limit(feed: LiveFeed) -> datetime | None:
    """The users' limit, or the calls' own time where later: an agent's time on a call
    starts from a calls poll, and must not read shorter than that poll says."""
    users = _limit(feed, Route.USERS)
    calls = feed.data_times().get(Route.CALLS)
    if users is None or calls is None:
        return users
    return max(users, calls)
