"""A status line whose numbers only tick keeps the installation in one form: as a retry's
countdown lost a digit, the line had room for the whole name one second and not the
next, and it read `… · #1 · UTC` then `… · installation 1 · UTC`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from textual.app import App, ComposeResult

from rtdash.api import errors
from rtdash.core.clock import FrozenClock
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.ui.widgets.status_bar import StatusBar

NOW = datetime(2026, 5, 1, 9, 0, 5, tzinfo=UTC)
#: the bar's width: "retrying in 12 s" leaves no room for "installation 1", "9 s" does
WIDTH = 70


class OneBar(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar(clock=FrozenClock(NOW), zone=ZoneInfo("UTC"), installation="installation 1")


def retrying(next_try: float) -> PollerStatus:
    health = RouteHealth(
        last_success=NOW - timedelta(seconds=5),
        failures=2,
        error=errors.ConnectionFailed("cannot connect to h"),
        next_try=next_try,
    )
    return PollerStatus(
        phase=Phase.RETRYING,
        interval=2.0,
        routes=dict.fromkeys(Route, health),
        made_at=asyncio.get_running_loop().time(),
    )


async def test_the_installation_keeps_its_form_while_a_countdown_loses_a_digit() -> None:
    app = OneBar()
    async with app.run_test(size=(WIDTH, 3)) as pilot:
        bar = app.query_one(StatusBar)
        firsts = []
        for wait in (12.5, 11.5, 10.5, 9.5, 8.5):
            bar.update_status(retrying(asyncio.get_running_loop().time() + wait))
            await pilot.pause()
            assert bar._line is not None
            firsts.append(bar._line.plain.splitlines()[0])
    assert firsts[0].startswith("retrying in 13 s · data as of 09:00:00 (5 s ago)"), firsts
    assert firsts[-1].startswith("retrying in 9 s · data as of 09:00:00 (5 s ago)"), firsts
    tails = {line.rsplit(" · ", 2)[1] for line in firsts}
    assert tails == {"#1"}, firsts
