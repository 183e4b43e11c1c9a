"""The clock an installation's screens draw their durations with: the moment the
screens last drew their times for, which stands still where the dashboard's times
stopped.

Live, that moment moves with each tick and each poll that brings new rows, and every
screen of the installation reads it: asked apart within one tick, a headline and a
table showed one wait a second apart, and a lookup opened mid-second counted a second
past the row it was opened from.

Stale data: at the moment it became stale (:attr:`LiveFeed.frozen_at`), not at the
data's own time. A wait counted on past that would be invented, and one that went back
as the banner came up would mislead.

Paused: at the last moment the dashboard's times were drawn for (its last tick, or the
last poll that brought new rows). The tables hold the times they drew; a screen that
reads the time afterwards (a lookup opened on the paused dashboard, whose answer the
service gives for the present) must count to the same moment, or the lookup's call
duration and the row it was opened from would disagree by however long the pause has
lasted. A poll taken while paused (a refresh, or one under way at the pause) is drawn
for the moment it came, and the clock stands there next.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rtdash.core.feed import LiveFeed


class FeedClock:
    """See the module docstring."""

    def __init__(self, feed: LiveFeed) -> None:
        self._feed = feed
        #: the moment the screens last drew their times for
        self._drawn_for: datetime | None = None

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
        """The time while nothing is paused: stale data's, else the real one."""
        frozen = self._feed.frozen_at
        return frozen if frozen is not None else self._feed.options.clock.now()

    def monotonic(self) -> float:
        return self._feed.options.clock.monotonic()

    def drawn(self) -> None:
        """The screens draw their times now (a tick that moves them, new rows): a pause
        holds the clock here until the next."""
        self._drawn_for = self._moving()
