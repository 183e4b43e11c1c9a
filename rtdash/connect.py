"""The upstream client for one installation of the settings.

One place turns a ``[connection]`` (or a profile's) into an :class:`InfinityClient`, so
the dashboard, the hub and the data commands honour the same options: the plain-http
opt-in, the body limit, the timeout and the field mapping. A copy of this in each caller
is how the hub once polled without the body limit the dashboard had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rtdash.api.client import InfinityClient
    from rtdash.api.mapping import FieldMapping
    from rtdash.config import ConnectionSettings


def client_for(
    connection: ConnectionSettings, mapping: FieldMapping, **transport: Any
) -> InfinityClient:
    """``transport``: what only the caller knows (its shared ``http`` client, ``tls``,
    the clock's ``now``)."""
    from rtdash.api.client import InfinityClient  # httpx: only when a client is made

    if connection.igrp is None:
        raise ValueError("an installation id is needed to make a client")
    return InfinityClient(
        igrp=connection.igrp,
        credentials=connection.credentials(),
        base_url=connection.base_url,
        tz=connection.timezone,
        mapping=mapping,
        timeout=connection.timeout,
        allow_insecure_http=connection.allow_insecure_http,
        max_body=connection.max_body,
        **transport,
    )
