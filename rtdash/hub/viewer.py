"""What a screen in hub mode needs: a source per installation that reads the hub.

The app builds each installation's live feed and asks this factory for the feed's source
instead of building a poller, so this is the one place that knows the hub's keys and URL.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial

from rtdash.config import Settings
from rtdash.core.feed import LiveFeed
from rtdash.core.naming import InstallationNames
from rtdash.hub import codec, trend
from rtdash.hub.connect import connector, hub_url
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber


def source_factory(
    settings: Settings, names: InstallationNames | None = None
) -> Callable[[LiveFeed, int], HubSubscriber]:
    """Raises HubNotConfigured when no Redis URL is set. ``names``: the app's, told
    each name the hub publishes (a name in the viewer's own config still wins there)."""
    connect = connector(hub_url(settings))
    prefix = settings.hub.prefix
    interval = settings.polling.interval
    # the trend read on joining is the window the screen draws (``trend_minutes``): the
    # hub keeps more, which would cost the read and fill the history with what is never
    # drawn
    minutes = settings.display.trend_minutes

    def make(feed: LiveFeed, igrp: int) -> HubSubscriber:
        def backfill(points: list[trend.TrendPoint]) -> None:
            trend.backfill(feed.history, points)

        source = HubSubscriber(
            connect,
            HubKeys(prefix, igrp),
            feed,
            interval=interval,
            trend_minutes=minutes,
            on_trend=backfill,
        )
        if names is not None:
            source.on_name = partial(names.learn, igrp, latest=True)
        trace = os.environ.get(TRACE_ENV)
        if trace:
            source.on_frame = _tracer(trace)
        return source

    return make


#: a file to append, per calls snapshot handed to the screen, its fetch time and the
#: time it was handed over (epoch seconds): how ``bench.hub`` times real viewers in
#: terminals (the next write to the terminal is the screen showing it)
TRACE_ENV = "RTDASH_HUB_TRACE"


def _tracer(path: str) -> Callable[[codec.Frame], None]:
    out = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (open while the app runs)

    def trace(frame: codec.Frame) -> None:
        if frame.kind is codec.Kind.CALLS and frame.snapshot is not None:
            out.write(f"{frame.at:.6f} {time.time():.6f}\n")

    return trace
