"""The hub's poller for one installation: the same client and poller the dashboard uses,
delivering to the publisher's sink instead of a screen's live feed."""

from __future__ import annotations

from rtdash.api.client import InfinityClient
from rtdash.config import Installation
from rtdash.connect import client_for
from rtdash.core.poller import Poller
from rtdash.core.source import SnapshotSink


def make_client(installation: Installation) -> InfinityClient:
    return client_for(installation.connection, installation.mapping)


def make_poller(
    client: InfinityClient,
    sink: SnapshotSink,
    *,
    interval: float,
    max_backoff: float,
    exclude_pii: bool,
) -> Poller:
    return Poller(
        client,
        sink,
        interval=interval,
        max_backoff=max_backoff,
        exclude_pii=exclude_pii,
    )
