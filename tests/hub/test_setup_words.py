"""What a hub viewer's status line says when the hub is set up wrong, missing or gone:
at 80 columns (a supervisor over SSH), what to do in plain words, with the
installation's id kept. A mistake in the hub's URL is no passing outage: no Redis
words cut mid-word, no "reconnecting in 3 s". Pilot, real redis-servers, the simulator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis as redis_sync
from textual.pilot import Pilot

from rtdash.sim import SimConfig, Simulator
from rtdash.ui.app import RtdashApp
from tests.hub.conftest import RedisServer
from tests.hub.helpers import viewer_settings
from tests.support import a_password
from tests.ui.helpers import screen_text, wait_until

pytestmark = pytest.mark.asyncio

#: an outage's words, which a mistake in the settings must not read as
PASSING = ("reconnecting in", "hub unreachable", "upstream connecting")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    sim = Simulator(SimConfig(seed=5, agents=12, load=10, start=datetime.now(UTC))).start()
    yield sim
    sim.stop()


def status_lines(app: RtdashApp, headline: str) -> tuple[str, str]:
    """The status line that starts with ``headline`` and the line under it (its causes,
    at 80 columns), each without the spaces at its end."""
    lines = [line.rstrip() for line in screen_text(app).splitlines() if line.strip()]
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith(headline))
    return lines[at], lines[at + 1]


def shown(app: RtdashApp, headline: str, cause: str | re.Pattern[str]) -> bool:
    try:
        _, under = status_lines(app, headline)
    except StopIteration:
        return False
    if isinstance(cause, str):
        return under.strip() == cause
    return cause.fullmatch(under.strip()) is not None


async def wait_for_words(
    pilot: Pilot[int], app: RtdashApp, headline: str, cause: str | re.Pattern[str], timeout: float
) -> None:
    """Wait for the status line to say ``headline`` with ``cause`` under it; what it
    said instead is the failure's message."""
    try:
        await wait_until(pilot, lambda: shown(app, headline, cause), timeout)
    except AssertionError:
        rows = [row.rstrip() for row in screen_text(app).splitlines() if row.strip()]
        raise AssertionError(f"the status line said {rows[-3:-1]}") from None


def assert_said_at_80(app: RtdashApp, headline: str, igrp: int) -> None:
    """The line keeps the installation's id, nothing passes the edge, and nothing on
    screen reads as an outage that will pass."""
    line, _ = status_lines(app, headline)
    assert re.search(rf"(#|\(|installation ){igrp}\b", line), line
    text = screen_text(app)
    assert all(len(row.rstrip()) <= 80 for row in text.splitlines()), text
    assert not [word for word in PASSING if word in text], text


@pytest.mark.parametrize(
    ("url", "said"),
    [
        # "cannot connect to … (DB index is out of range); reconnecting in …", as if
        # Redis were down for a while
        (
            "redis://127.0.0.1:{port}/99",
            "no database 99 on 127.0.0.1:{port}: pick another in the hub's URL",
        ),
        # "(Timeout connecting to server); reconnecting…"
        (
            "rediss://127.0.0.1:{port}/0",
            "no TLS answer from 127.0.0.1:{port}: use redis:// if it does not serve TLS",
        ),
    ],
    ids=["no-such-database", "tls-at-plain-redis"],
)
async def test_a_url_that_does_not_fit_its_redis_says_what_to_fix(
    url: str, said: str, redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    port = redis_up.port
    app = RtdashApp(viewer_settings(url.format(port=port), prefix, sim))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_words(pilot, app, "hub misconfigured", said.format(port=port), 10)
        assert_said_at_80(app, "hub misconfigured", sim.igrp)


async def test_a_redis_that_wants_a_password_says_so_and_is_picked_up_once_fixed(
    locked: tuple[RedisServer, str], prefix: str, sim: Simulator
) -> None:
    """No password in the URL read "cannot connect to … (HELLO must be called with
    the client alread…", cut mid-word, and retried as an outage; a Redis set right
    (the password dropped) is then read without a restart."""
    server, password = locked
    app = RtdashApp(viewer_settings(server.url, prefix, sim))
    said = "Redis wants a password: put it in RTDASH_HUB_URL or [hub] url"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_words(pilot, app, "hub misconfigured", said, 10)
        assert_said_at_80(app, "hub misconfigured", sim.igrp)
        db = redis_sync.Redis.from_url(server.url, password=password)
        db.config_set("requirepass", "")
        db.close()
        await wait_until(pilot, lambda: "waiting for a hub" in screen_text(app), 15)
        assert "misconfigured" not in screen_text(app)


async def test_a_password_redis_refuses_is_said_without_redis_words(
    locked: tuple[RedisServer, str], prefix: str, sim: Simulator
) -> None:
    server, _ = locked
    url = f"redis://:{a_password()}@127.0.0.1:{server.port}/0"
    app = RtdashApp(viewer_settings(url, prefix, sim))
    said = "Redis refused the user or password: check RTDASH_HUB_URL or [hub] url"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_words(pilot, app, "hub misconfigured", said, 10)
        assert_said_at_80(app, "hub misconfigured", sim.igrp)


async def test_a_screen_started_before_any_hub_says_it_waits_for_one_at_once(
    redis_up: RedisServer, prefix: str, sim: Simulator
) -> None:
    """It read "hub · upstream connecting…" for three intervals, as if a hub were
    there reaching the service, before "no hub publishes …"."""
    settings = viewer_settings(redis_up.url, prefix, sim)
    settings.polling.interval = 5.0  # three intervals: 15 s of "upstream connecting…"
    app = RtdashApp(settings)
    said = f"no hub publishes installation {sim.igrp} under prefix {prefix!r}"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "no data yet" in screen_text(app), 5)
        assert "upstream" not in screen_text(app)
        await wait_for_words(pilot, app, "waiting for a hub", said, 3)
        assert_said_at_80(app, "waiting for a hub", sim.igrp)
