"""The hub's poller for one installation: the same client and poller the dashboard uses.

The one place that adapts the poller's constructor to a :class:`SnapshotSink`, so when
the poller takes a sink itself this is the only function to change.
"""

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
        on_calls=sink.on_calls,
        on_users=sink.on_users,
        on_status=sink.on_status,
        interval=interval,
        max_backoff=max_backoff,
        exclude_pii=exclude_pii,
    )
