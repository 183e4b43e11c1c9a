"""At 80 columns (a supervisor over SSH) the cause of a failure is on screen: an outage's
causes were longer than the status line, which cut them at the edge, so the screen said
"retrying" and never why. Too long for the one line, they go on a line of their own."""

from __future__ import annotations

import httpx

from rtdash.core.poller_status import Route
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from tests.support import CALL_ROW_LINE as CALL_ROW
from tests.support import USER_ROW_LINE as USER_ROW
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    screen_text,
    settings_for,
    wait_for_data,
    wait_until,
)

WEB_PAGE = "the service sent a web page instead of data — a proxy or login page?"


class LoginPage:
    """Data, until a proxy in front of the service starts answering with its login
    page (HTML with a 200): the exact shape a proxy sends, hence a MockTransport."""

    def __init__(self) -> None:
        self.broken = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.broken:
            page = b"<html><body>Login</body></html>"
            return httpx.Response(200, headers={"Content-Type": "text/html"}, content=page)
        calls = request.url.path.endswith("pbxActiveCalls")
        return httpx.Response(200, content=CALL_ROW if calls else USER_ROW)


def _status_lines(shown: str) -> list[str]:
    """The status bar's lines: from the one with the data's age to the Footer's."""
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "data as of" in line)
    return lines[start:-1]


async def test_a_login_page_says_so_at_80_columns(sim: Simulator) -> None:
    upstream = LoginPage()
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler))
    settings = settings_for(sim)
    settings.polling.interval = 1.0
    app = make_app(sim, settings, app_options={"http": http})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        upstream.broken = True
        board.poller.refresh_now()
        await wait_until(pilot, lambda: all(h.error for h in board.poller.status().routes.values()))
        board.status_bar.tick()
        await pilot.pause()
        lines = _status_lines(screen_text(app))
        assert lines[0].startswith("retrying "), lines
        assert "data as of" in lines[0], lines
        # both routes sent the page: its words once, whole
        assert lines[1:] == [WEB_PAGE], lines
    await http.aclose()


async def test_an_http_500_says_so_at_80_columns(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.polling.interval = 1.0
    app = make_app(sim, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        sim.faults.add(Fault("status", route="pbxActiveCalls", status=500, times=None))
        board.poller.refresh_now()
        await wait_until(pilot, lambda: board.poller.status().routes[Route.CALLS].error is not None)
        board.status_bar.tick()
        await pilot.pause()
        lines = _status_lines(screen_text(app))
        assert lines[0].startswith("retrying "), lines
        # one route failing: named, and the status and the service's words in view
        assert lines[1:] == ['calls: upstream error (HTTP 500): "internal server error"'], lines
        sim.faults.clear()
