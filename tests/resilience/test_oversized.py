"""A body over the limit is refused while it streams: never read whole, never held in
memory; the default limit has room for a 50,000-call body, and the limit is set in the
config."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest

from rtdash.api import errors
from rtdash.api.client import DEFAULT_MAX_BODY, Credentials, InfinityClient
from rtdash.config import ConnectionSettings
from rtdash.sim import SimConfig, Simulator
from rtdash.sim.faults import Fault
from tests.support import a_password, loopback_sim

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


EIGHT_MIB = 8 * 1024 * 1024


def client_for(http: httpx.AsyncClient, max_body: int = DEFAULT_MAX_BODY) -> InfinityClient:
    return InfinityClient(
        igrp=1234,
        credentials=Credentials("demo", a_password()),
        base_url="https://upstream.test/reports/v2",
        max_body=max_body,
        http=http,
    )


@pytest.mark.parametrize("max_body", [EIGHT_MIB, 1024 * 1024])
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
        igrp=sim.igrp,
        credentials=Credentials(sim.username, sim.password),
        base_url=sim.url,
        max_body=ConnectionSettings(max_body_mb=8).max_body,
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


def test_the_limit_is_set_in_mib_and_absurd_ones_are_refused() -> None:
    assert ConnectionSettings().max_body == DEFAULT_MAX_BODY == 64 * 1024 * 1024
    assert ConnectionSettings(max_body_mb=200).max_body == 200 * 1024 * 1024
    for absurd in (0, 4096):
        with pytest.raises(ValueError, match="max_body_mb"):
            ConnectionSettings(max_body_mb=absurd)


@pytest.mark.slow
async def test_50000_calls_from_the_simulator_are_read_whole() -> None:
    """Over real HTTP at the default limit: a 50,000-call body (past the old 8 MiB cap).

    The simulator takes seconds to write the 22 MB body, in this process, and on a
    loaded machine the whole request came near the client's default 10 s deadline and
    once past it: the deadline is not what is tested here, so it is a generous one."""
    with loopback_sim(
        SimConfig(seed=7, load=50_000, agents=17_000, realtime=False, warm_up=300)
    ) as sim:
        async with InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, sim.password),
            base_url=sim.url,
            timeout=120,
        ) as client:
            calls = await client.active_calls()
    assert len(calls.rows) > 45_000
    assert calls.unreadable == 0
    assert len({row.call_ref for row in calls.rows}) == len(calls.rows)
