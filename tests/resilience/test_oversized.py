"""A 10 MB body is refused while it streams: never read whole, never held in memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest

from rtdash.api import errors
from rtdash.api.client import DEFAULT_MAX_BODY, Credentials, InfinityClient
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault

TEN_MB = 10_000_000
CHUNK = 64 * 1024
ROW = b'{"igrp":"1234","callRef":"c-bulk","callState":"queueing"}\n'


class Chunked:
    """A 10 MB NDJSON body sent chunked (no Content-Length), counting what was pulled."""

    def __init__(self) -> None:
        self.pulled = 0

    async def body(self) -> AsyncIterator[bytes]:
        while self.pulled < TEN_MB:
            chunk = ROW * (CHUNK // len(ROW))  # a new object each time, as off a socket
            self.pulled += len(chunk)
            yield chunk

    def handler(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=self.body())


def client_for(http: httpx.AsyncClient, max_body: int = DEFAULT_MAX_BODY) -> InfinityClient:
    return InfinityClient(
        igrp=1234,
        credentials=Credentials("demo", "demo-secret"),
        base_url="https://upstream.test/reports/v2",
        max_body=max_body,
        http=http,
    )


@pytest.mark.parametrize("max_body", [DEFAULT_MAX_BODY, 1024 * 1024])
async def test_a_chunked_10mb_body_is_refused_after_about_max_body(max_body: int) -> None:
    upstream = Chunked()
    async with httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler)) as http:
        client = client_for(http, max_body)
        tracemalloc.start()
        try:
            with pytest.raises(errors.ResponseTooLarge) as caught:
                await client.active_calls()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # it stopped reading one chunk past the limit, far short of the 10 MB
    assert max_body < upstream.pulled <= max_body + CHUNK
    # what it held at most: the chunks up to the limit, never a 10 MB body or string
    assert peak < max_body + 2 * 1024 * 1024
    limit_kib = max_body // 1024
    assert str(caught.value) == (
        f"response too large (more than {upstream.pulled // 1024} KiB; "
        f"the limit is {limit_kib} KiB)"
    )


async def test_a_declared_10mb_body_is_refused_before_reading_it(sim: Simulator) -> None:
    """Over real HTTP: the simulator declares Content-Length, so not a byte is read."""
    sim.faults.add(Fault("huge_body", route="pbxActiveCalls", size=TEN_MB))
    async with InfinityClient(
        igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
    ) as client:
        tracemalloc.start()
        try:
            with pytest.raises(errors.ResponseTooLarge) as caught:
                await client.active_calls()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # the connection was dropped, not drained: the next request is answered at once
        calls = await client.active_calls()
    assert str(caught.value) == "response too large (9765 KiB; the limit is 8192 KiB)"
    assert peak < 1024 * 1024
    assert calls.rows and calls.unreadable == 0
    assert sim.faults.stats == {"huge_body": 1}
