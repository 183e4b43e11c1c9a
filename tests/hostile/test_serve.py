"""``rtdash serve`` answers only its own page: Host (DNS rebinding) and websocket Origin
are checked, and sessions are capped, in front of textual-serve. The real server, over
loopback, spoken to as a hostile page's browser would."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from rtdash.cli.serve_guard import Guard
from tests.e2e.procs import app_env, free_port, rtdash_command, start, stop, wait_port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """``rtdash serve --demo`` with ``[serve] max_sessions = 1``; yields its port."""
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text("[serve]\nmax_sessions = 1\n", encoding="utf-8")
    server = start(
        rtdash_command("serve", "--port", str(port), "--demo", "--config", str(config)),
        tmp_path / "serve.log",
        env=app_env(tmp_path / "home"),
    )
    try:
        wait_port(port, 20, server)
        yield port
    finally:
        stop(server)


async def status_of(port: int, path: str, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession(skip_auto_headers=["Host"]) as session,
        session.get(f"http://127.0.0.1:{port}{path}", headers=headers) as response,
    ):
        return response.status


def test_requests_for_another_host_are_refused(served: int) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: refused."""
    assert asyncio.run(status_of(served, "/", {"Host": f"127.0.0.1:{served}"})) == 200
    assert asyncio.run(status_of(served, "/", {"Host": f"localhost:{served}"})) == 200
    assert asyncio.run(status_of(served, "/", {"Host": f"evil.example:{served}"})) == 421
    assert asyncio.run(status_of(served, "/static/js/textual.js", {"Host": "evil.example"})) == 421


def test_a_websocket_from_another_origin_is_refused_and_the_cap_holds(served: int) -> None:
    own = {"Host": f"127.0.0.1:{served}", "Origin": f"http://127.0.0.1:{served}"}

    async def scenario() -> tuple[int, int, int, str]:
        evil = await status_of(served, "/ws", {**own, "Origin": "http://evil.example"})
        missing = await status_of(served, "/ws", {"Host": own["Host"]})
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{served}/ws?width=80&height=24"
            async with session.ws_connect(url, headers={"Origin": own["Origin"]}) as ws:
                # the one session allowed is open: the page says it is busy
                async with session.get(f"http://127.0.0.1:{served}/") as page:
                    busy, text = page.status, await page.text()
                await ws.close()
        return evil, missing, busy, text

    evil, missing, busy, text = asyncio.run(scenario())
    assert (evil, missing) == (403, 403)
    assert busy == 503
    assert "already open in 1 browser tab, the most it serves at once" in text


def test_the_guard_accepts_the_public_url_and_loopback_names() -> None:
    guard = Guard.for_server("127.0.0.1", 8000, "https://wall.example", 3)
    assert guard.host_ok("wall.example") and guard.host_ok("WALL.example:443")
    assert guard.host_ok("127.0.0.1:8000") and guard.host_ok("localhost:8000")
    assert not guard.host_ok("wall.example.evil:443") and not guard.host_ok(None)
    assert guard.origin_ok("https://wall.example") and guard.origin_ok("http://localhost:8000")
    assert not guard.origin_ok("http://wall.example") and not guard.origin_ok("null")
    exposed = Guard.for_server("0.0.0.0", 8000, "https://wall.example", 3)
    assert not exposed.host_ok("127.0.0.1:8000")  # not bound to loopback: only its name
