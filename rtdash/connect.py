"""The upstream client for one installation of the settings.

One place turns a ``[connection]`` (or a profile's) into an :class:`InfinityClient`, so
the dashboard, the hub and the data commands honour the same options: the plain-http
opt-in, the body limit, the timeout and the field mapping. A copy of this in each caller
is how the hub once polled without the body limit the dashboard had.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rtdash.api.client import InfinityClient
    from rtdash.api.mapping import FieldMapping
    from rtdash.config import ConnectionSettings
    from rtdash.head_start import HeadStart


def client_for(
    connection: ConnectionSettings,
    mapping: FieldMapping,
    *,
    head_start: HeadStart | None = None,
    make: Any = None,
    **transport: Any,
) -> InfinityClient:
    """``transport``: what only the caller knows (its shared ``http`` client, ``tls``,
    the clock's ``now``); ``head_start``: the first answers asked for before the app
    started (:mod:`rtdash.head_start`), taken by the client's first polls; ``make``: a
    subclass of the client to make instead (the head start's over plain http)."""
    from rtdash.api.client import InfinityClient  # httpx: only when a client is made

    if connection.igrp is None:
        raise ValueError("an installation id is needed to make a client")
    if make is None:
        make = InfinityClient
    if head_start is not None:
        from rtdash.head_start import HeadStartClient

        make = partial(HeadStartClient, head_start=head_start)
    return make(
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
