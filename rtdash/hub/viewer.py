"""What a screen in hub mode needs: a source per installation that reads the hub.

The screens take a *source factory* (sink, igrp → source) instead of building a poller,
so this is the one place that knows the hub's keys and URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rtdash.config import Settings
from rtdash.core.source import SnapshotSink
from rtdash.hub.connect import connector, hub_url
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber


def source_factory(settings: Settings) -> Callable[[SnapshotSink, int], Any]:
    """Raises HubNotConfigured when no Redis URL is set."""
    connect = connector(hub_url(settings))
    prefix = settings.hub.prefix
    interval = settings.polling.interval

    def make(sink: SnapshotSink, igrp: int) -> HubSubscriber:
        return HubSubscriber(connect, HubKeys(prefix, igrp), sink, interval=interval)

    return make
