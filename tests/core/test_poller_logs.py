"""A poll failure's log line names the installation whose poll failed (and the process),
so the log of a dashboard with several installations says which one is in trouble."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from rtdash import logs
from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.poller import Poller


@pytest.fixture(autouse=True)
def state_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield
    logs.teardown_logging()


async def test_poll_failures_are_logged_with_the_igrp() -> None:
    path = logs.setup_logging("warning", to_stderr=False)
    transport = httpx.MockTransport(lambda request: httpx.Response(503, json="down"))
    pollers = []
    async with httpx.AsyncClient(transport=transport) as http:
        for igrp in (1234, 5678):
            client = InfinityClient(
                igrp=igrp, credentials=Credentials("u", "p"), base_url="http://h/r", http=http
            )
            pollers.append(Poller(client, on_calls=print, on_users=print, on_status=lambda s: None))
        tasks = [asyncio.create_task(p.run()) for p in pollers]
        for _ in range(200):
            text = path.read_text() if path.exists() else ""
            if "igrp=1234" in text and "igrp=5678" in text:
                break
            await asyncio.sleep(0.05)
        for poller in pollers:
            poller.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
    lines = path.read_text().splitlines()
    for igrp in (1234, 5678):
        mine = [line for line in lines if f"pid={os.getpid()} igrp={igrp} " in line]
        assert mine and all("poll failed" in line for line in mine)
