"""What a screen in hub mode needs: a source per installation that reads the hub.

The app builds each installation's live feed and asks this factory for the feed's source
instead of building a poller, so this is the one place that knows the hub's keys and URL.
"""

from __future__ import annotations

from collections.abc import Callable

from rtdash.config import Settings
from rtdash.core.feed import LiveFeed
from rtdash.hub import trend
from rtdash.hub.connect import connector, hub_url
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber


def source_factory(settings: Settings) -> Callable[[LiveFeed, int], HubSubscriber]:
    """Raises HubNotConfigured when no Redis URL is set."""
    connect = connector(hub_url(settings))
    prefix = settings.hub.prefix
    interval = settings.polling.interval

    def make(feed: LiveFeed, igrp: int) -> HubSubscriber:
        def backfill(points: list[trend.TrendPoint]) -> None:
            trend.backfill(feed.history, points)

        return HubSubscriber(
            connect, HubKeys(prefix, igrp), feed, interval=interval, on_trend=backfill
        )

    return make
