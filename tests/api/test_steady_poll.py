"""A steady poll does no set-up work: it imports nothing and parses no URL.

A dashboard polls the same two queries every second all day, so any per-request cost
that is really a one-off (a module looked up on ``sys.path``, a URL parsed from text)
is paid 170,000 times a day. These tests use the simulator over real loopback HTTP.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from importlib.abc import MetaPathFinder

import httpx
import pytest

from rtdash.api import client as client_module
from rtdash.api import request_url as request_url_module
from rtdash.api.client import Credentials, InfinityClient
from rtdash.sim import SimConfig, Simulator
from tests.support import loopback_sim

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")


class _ImportRecorder(MetaPathFinder):
    """Notes every module the import system had to go looking for in this thread (the
    simulator serves from threads of its own, whose imports are not the client's)."""

    def __init__(self) -> None:
        self.searched: list[str] = []
        self._thread = threading.get_ident()

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if threading.get_ident() == self._thread:
            self.searched.append(fullname)
        return None  # let the real finders answer (or fail)


@pytest.fixture
def imports() -> Iterator[_ImportRecorder]:
    recorder = _ImportRecorder()
    sys.meta_path.insert(0, recorder)
    try:
        yield recorder
    finally:
        sys.meta_path.remove(recorder)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with loopback_sim(SimConfig(seed=7, realtime=False)) as sim:
        yield sim


def _client(sim: Simulator) -> InfinityClient:
    return InfinityClient(
        igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
    )


async def test_a_steady_poll_imports_nothing(sim: Simulator, imports: _ImportRecorder) -> None:
    async with _client(sim) as client:
        await client.active_calls(exclude_pii=True)  # the first poll may import lazily
        await client.user_status()
        imports.searched.clear()
        for _ in range(3):
            calls = await client.active_calls(exclude_pii=True)
            users = await client.user_status()
    assert calls.rows and users.rows
    # httpcore looks for sniffio on every request: missing, it was 4 sys.path scans each
    assert imports.searched == []


async def test_each_query_is_parsed_into_a_url_once(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []

    def counting(url: str, params: list[tuple[str, str]]) -> request_url_module.RequestUrl:
        if "/igrps/" in url:
            built.append(url)
        return request_url_module.request_url(url, params)

    async with _client(sim) as client:
        monkeypatch.setattr(client_module, "request_url", counting)
        for _ in range(3):
            await client.active_calls(exclude_pii=True)
            await client.user_status()
    assert len(built) == 2, built  # one per query, not one per request


async def test_httpx_s_lane_parses_each_query_once(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An injected httpx client (a shared pool) gets each polled URL parsed by httpx
    once, as the lane gets its request bytes made once."""
    built: list[str] = []
    original = httpx.URL.__init__

    def counting(self: httpx.URL, url: object = "", **kwargs: object) -> None:
        if isinstance(url, str) and "/igrps/" in url:
            built.append(url)
        original(self, url, **kwargs)  # type: ignore[arg-type]  # httpx's own arguments

    async with (
        httpx.AsyncClient() as http,
        InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, sim.password),
            base_url=sim.url,
            http=http,
        ) as client,
    ):
        assert client._transport.lane is None
        monkeypatch.setattr(httpx.URL, "__init__", counting)
        for _ in range(3):
            calls = await client.active_calls(exclude_pii=True)
            await client.user_status()
    assert calls.rows
    assert len(built) == 2, built  # one per query, not one per request


async def test_a_lookup_by_number_keeps_no_url(sim: Simulator) -> None:
    """Polled queries keep their parsed URL; a caller's number is personal data and a
    lookup is a one-off, so its URL is not kept."""
    async with _client(sim) as client:
        await client.active_calls()
        await client.caller_details(src_number="+442079460999")
        kept = " ".join(str(url) for url in client._urls.values())
    assert "pbxActiveCalls" in kept
    assert "2079460999" not in kept and "activeCall?" not in kept
