"""What a live view is set up with: how it behaves (:class:`ViewOptions`, the same for
every installation of a run) and the controls its source answers (:class:`LiveSource`).

Apart from :mod:`~rtdash.ui.widgets.live_view` because they are the contract between
a run's start (the app, the replay) and the views, not the drawing: they import no
Textual, so whoever builds a run's views reads them without loading the widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rtdash.constants import MAX_BACKOFF
from rtdash.core.clock import Clock
from rtdash.core.feed import FeedOptions
from rtdash.core.source import Source
from rtdash.core.thresholds import Thresholds


@runtime_checkable
class LiveSource(Source, Protocol):
    """A source with the live screens' controls: the poller, or the hub subscriber
    (which keeps the hub's own schedule and says so through these)."""

    @property
    def interval(self) -> float: ...

    def set_interval(self, seconds: float) -> float: ...

    def set_slow(self, seconds: float | None) -> None: ...

    def toggle_pause(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """How a live view behaves; the same for every installation of one run."""

    clock: Clock
    thresholds: Thresholds
    interval: float = 2.0
    max_backoff: float = MAX_BACKOFF
    exclude_pii: bool = False
    badge: str | None = None
    show_all_users: bool = False
    flash: bool = True
    flash_seconds: float = 10.0
    bell: bool = True
    #: False in replay: snapshots come from a recording, not a poller
    live: bool = True
    #: the window the trend sparklines cover
    trend_minutes: float = 60.0

    def feed_options(self) -> FeedOptions:
        return FeedOptions(
            clock=self.clock,
            thresholds=self.thresholds,
            bell=self.bell,
            flash=self.flash,
            flash_seconds=self.flash_seconds,
            judge_staleness=self.live,
            hold_when_paused=self.live,
            trend_minutes=self.trend_minutes,
        )
