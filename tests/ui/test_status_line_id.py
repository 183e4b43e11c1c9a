"""The status line's installation keeps its id when the line is too narrow for its
label. Cut from its end, "installation 1234" came out "installation…" or, worse,
"installation 1…" (an installation that is not there), and "Northwind Contact Centre
(1234)" lost its id first: on a stale line at 80 columns, the one thing that says which
installation's data is stale was the thing cut away."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from rtdash.core.clock import FrozenClock
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.status_bar import StatusBar, fitted
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    screen_text,
    settings_for,
    wait_for_data,
    wait_until,
)

#: the first line of a stale status line, as the dashboard words it
STALE_HEAD = Text("retrying in 1 s · STALE: data as of 09:00:00 (2 min ago)")
LIVE_HEAD = Text("live · data as of 09:00:00 (0 s ago)")
#: the status line's width in an 80-column terminal (the bar's padding is not its)
BAR_AT_80 = 78
#: wide characters, two cells each: a cut counted in characters would overrun the line
CJK_NAME = "北京市朝阳区客户服务呼叫中心"


def _status_line(app: RtdashApp) -> str:
    return next(line for line in screen_text(app).splitlines() if "data as of" in line)


@pytest.mark.parametrize(
    ("label", "width", "shown"),
    [
        ("installation 1234", BAR_AT_80, "#1234"),
        ("Northwind Contact Centre (1234)", BAR_AT_80, "#1234"),
        ("Northwind Contact Centre (1234)", BAR_AT_80 + 1, "Northw… (1234)"),
        ("Northwind Contact Centre (1234)", BAR_AT_80 + 10, "Northwind Conta… (1234)"),
    ],
)
def test_a_stale_line_keeps_the_installations_id(label: str, width: int, shown: str) -> None:
    line = fitted(STALE_HEAD, label, "UTC", width)
    assert line.plain == f"{STALE_HEAD.plain} · {shown} · UTC"
    assert line.cell_len <= width


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (80, "北京市朝阳区客户服务呼叫中心 (1234)"),  # whole
        (79, "北京市朝阳区客户服务呼叫中… (1234)"),
        (78, "北京市朝阳区客户服务呼叫… (1234)"),  # an odd room: no half a character
        (59, "北京市… (1234)"),
        (58, "#1234"),  # a name's start shorter than that says nothing the id does not
        (50, "#1234"),
    ],
)
def test_a_wide_name_is_cut_by_cells_and_its_id_kept(width: int, shown: str) -> None:
    line = fitted(LIVE_HEAD, f"{CJK_NAME} (1234)", "UTC", width)
    assert line.plain == f"{LIVE_HEAD.plain} · {shown} · UTC"
    assert line.cell_len <= width


def test_a_label_of_no_known_shape_is_cut_from_its_end() -> None:
    """A recording's own words for its installation hold no id to keep."""
    line = fitted(LIVE_HEAD, "Northwind Contact Centre, night shift", "UTC", 70)
    assert line.plain == f"{LIVE_HEAD.plain} · Northwind Contact Centre… · UTC"


@pytest.mark.parametrize("name", [None, "Northwind Contact Centre"])
async def test_the_stale_status_line_at_80_columns_says_which_installation(
    sim: Simulator, name: str | None
) -> None:
    settings = settings_for(sim, name=name)
    settings.polling.interval = 1.0
    app = make_app(sim, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        sim.faults.add(Fault("status", status=500, times=None))
        board.poller.refresh_now()
        await wait_until(pilot, lambda: all(h.error for h in board.poller.status().routes.values()))
        app.clock.advance(125)
        board.tick()
        await wait_until(pilot, lambda: board.feed.stale)
        board.status_bar.tick()
        await pilot.pause()
        line = _status_line(app).rstrip()
        assert "STALE: data as of" in line, line
        assert line.endswith(f"· #{sim.igrp} · UTC"), line
        sim.faults.clear()


async def test_a_wide_name_at_80_columns_is_cut_and_keeps_its_id(sim: Simulator) -> None:
    app = make_app(sim, settings_for(sim, name=CJK_NAME))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        line = _status_line(app).rstrip()
        assert line.endswith(f"(0 s ago) · 北京市朝阳区客户服务呼叫… ({sim.igrp}) · UTC"), line


class OneBar(App[None]):
    """A status line alone, at the terminal's full width."""

    def compose(self) -> ComposeResult:
        clock = FrozenClock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
        yield StatusBar(clock=clock, zone=ZoneInfo("UTC"), installation="installation 1234")


async def test_causes_that_fit_only_without_the_id_go_on_their_own_line() -> None:
    """A hub's cause that left room for the line's head and the zone but not for the
    id took the id's place (a status line 160 columns wide without ``#1234``)."""
    cause = "cannot connect to redis.example.net:6379 (connection refused); reconnecting in 3 s"
    head = f"hub unreachable · no data yet · {cause}"
    width = len(f"{head} · UTC") + 1  # room for the zone, not for " · #1234"
    status = PollerStatus(
        phase=Phase.CONNECTING,
        interval=2.0,
        routes={route: RouteHealth() for route in Route},
        via="hub",
        via_problem="hub unreachable",
        via_detail=cause,
    )
    app = OneBar()
    async with app.run_test(size=(width, 4)) as pilot:
        bar = app.query_one(StatusBar)
        bar.update_status(status)
        await pilot.pause()
        lines = [line.rstrip() for line in screen_text(app).splitlines() if line.strip()]
        assert lines == ["hub unreachable · no data yet · installation 1234 · UTC", cause]
