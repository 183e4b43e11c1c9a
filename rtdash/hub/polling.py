"""The hub's poller for one installation: the same client and poller the dashboard uses,
delivering to the publisher's sink instead of a screen's live feed."""

from __future__ import annotations

from rtdash.api.client import InfinityClient
from rtdash.config import Installation
from rtdash.core.poller import Poller
from rtdash.core.source import SnapshotSink


def make_client(installation: Installation) -> InfinityClient:
    connection = installation.connection
    assert connection.igrp is not None
    return InfinityClient(
        igrp=connection.igrp,
        credentials=connection.credentials(),
        base_url=connection.base_url,
        tz=connection.timezone,
        mapping=installation.mapping,
        timeout=connection.timeout,
    )


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
