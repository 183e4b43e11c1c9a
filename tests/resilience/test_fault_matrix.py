"""Every upstream fault through the running app, on each route: what stays on screen,
what the status bar says, and recovery by itself once the upstream behaves.

The simulator serves the faults over real loopback HTTP; polls run at the 1 s floor and
the clock is frozen, so "how old is the data" moves only when a test moves it.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.clock import FrozenClock
from rtdash.core.poller_status import Phase, Route
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.app import RtdashApp
from tests.resilience.conftest import (
    CALLS_ROUTE,
    USERS_ROUTE,
    RecordingFaultPlan,
    make_app,
    resilient_settings,
)
from tests.ui.helpers import dashboard_of, wait_for_data, wait_until

SIM_ROUTE = {Route.CALLS: CALLS_ROUTE, Route.USERS: USERS_ROUTE}
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Failing:
    """A fault that fails the poll: the route keeps its last rows and says why."""

    fault: dict
    #: the cause, as the status bar words it after "<route>: "
    cause: str
    #: slow faults run on one route only, to keep the file short
    routes: tuple[Route, ...] = (Route.CALLS, Route.USERS)
    settings: dict = field(default_factory=dict)


FAILING = {
    "403": Failing({"kind": "status", "status": 403}, 'permission denied (HTTP 403): "forbidden"'),
    "404": Failing({"kind": "status", "status": 404}, "installation 1234 not found (HTTP 404)"),
    "429": Failing(
        {"kind": "rate_limit", "retry_after": 2}, "rate limited (HTTP 429), retry after 2 s"
    ),
    "500": Failing(
        {"kind": "status", "status": 500}, 'upstream error (HTTP 500): "internal server error"'
    ),
    "503": Failing(
        {"kind": "status", "status": 503}, 'upstream error (HTTP 503): "service unavailable"'
    ),
    "slower-than-timeout": Failing(
        {"kind": "latency", "seconds": 1.5},
        f"no answer from {HOST} in time",
        routes=(Route.USERS,),
        settings={"timeout": 0.5},
    ),
    "reset-mid-body": Failing({"kind": "reset"}, f"connection to {HOST} dropped mid-response"),
    "dropped-without-answer": Failing(
        {"kind": "drop"}, f"connection to {HOST} dropped mid-response", routes=(Route.CALLS,)
    ),
    "bare-string-200": Failing(
        {"kind": "bare_string", "message": "service busy"},
        'the service sent a message instead of data: "service busy"',
    ),
    "100MB-body": Failing(
        {"kind": "huge_body", "size": 100_000_000},
        "response too large (97656 KiB; the limit is 65536 KiB)",
    ),
}


def shown_keys(app: RtdashApp, route: Route) -> list[str]:
    board = dashboard_of(app)
    if route is Route.CALLS:
        return [key for table in board.grid.tables for key in table.keys]
    return board.user_panel.table.keys


def other(route: Route) -> Route:
    return Route.USERS if route is Route.CALLS else Route.CALLS


async def stop_between_polls(pilot: Pilot, app: RtdashApp, sim: Simulator) -> None:
    """Stop the simulator while no poll is in flight. A response already sent as it
    stops is still read, after the test has moved the frozen clock, and so is stamped
    as new data: the outage must begin after the last poll, as the test says it did."""
    poller = dashboard_of(app).poller
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while any(health.next_try is None for health in poller.status().routes.values()):
        assert loop.time() < deadline, "a poll stayed in flight"
        await pilot.pause(0.01)
    sim.stop()  # no await since the check: no poll began in between


def plan(sim: Simulator) -> RecordingFaultPlan:
    assert isinstance(sim.faults, RecordingFaultPlan)
    return sim.faults


async def fail_and_recover(
    app: RtdashApp, pilot: Pilot, sim: Simulator, case: Failing, route: Route
) -> None:
    """One route under one fault, then the fault cleared: asserts all along the way."""
    board = dashboard_of(app)
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    before = {r: shown_keys(app, r) for r in Route}
    assert before[Route.CALLS] and before[Route.USERS]
    healthy = SIM_ROUTE[other(route)]
    polled = plan(sim).count(healthy)

    sim.faults.add(Fault(route=SIM_ROUTE[route], times=None, **case.fault))
    cause = re.escape(case.cause).replace(re.escape(HOST), re.escape(HOST) + r":\d+")
    expected = re.compile(rf"{route}: {cause}, retrying (in \d+ s|now)")
    await wait_until(
        pilot, lambda: expected.fullmatch(board.status_bar.text.connection) is not None, 6
    )
    assert board.poller.status().phase is Phase.RETRYING
    # the failing route's rows stay on screen; the other route is not blanked ...
    assert shown_keys(app, route) == before[route]
    assert shown_keys(app, other(route)) == before[other(route)]
    # ... and keeps polling, untroubled
    await wait_until(pilot, lambda: plan(sim).count(healthy) > polled)
    assert board.poller.status().routes[other(route)].error is None
    # the data age is the failing route's: it grows with the clock and turns STALE
    last = board.poller.status().routes[route].last_success
    assert last is not None
    clock.advance(3.5)  # past 3 intervals of 1 s
    board.tick()  # what the once-a-second timer does
    assert board.status_bar.text.age == f"STALE: data as of {last:%H:%M:%S} (3 s ago)"
    assert board.status_bar.text.stale

    sim.faults.clear()
    await wait_until(pilot, lambda: board.poller.status().phase is Phase.LIVE, 6)
    await wait_until(pilot, lambda: board.status_bar.text.connection == "live")
    health = board.poller.status().routes[route]
    assert health.error is None and health.failures == 0
    assert health.last_success == clock.now()
    # once the other route has polled since the clock jump too, the data is fresh again
    await wait_until(pilot, lambda: not board.status_bar.text.stale)
    assert board.status_bar.text.age == f"data as of {clock.now():%H:%M:%S} (0 s ago)"
    assert shown_keys(app, route) == before[route]


@pytest.mark.parametrize("name", list(FAILING))
async def test_a_failing_route_keeps_its_rows_says_why_and_recovers(
    sim: Simulator, name: str
) -> None:
    case = FAILING[name]
    app = make_app(sim, resilient_settings(sim, **case.settings))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        for route in case.routes:
            await fail_and_recover(app, pilot, sim, case, route)


@pytest.mark.parametrize("route", list(Route))
async def test_rejected_credentials_wait_their_backoff_or_r(sim: Simulator, route: Route) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        before = {r: shown_keys(app, r) for r in Route}
        sim.faults.add(Fault("status", route=SIM_ROUTE[route], status=401, times=None))
        await wait_until(pilot, lambda: board.poller.status().phase is Phase.AUTH_FAILED)
        await wait_until(pilot, lambda: not board.poller._tasks)  # any request in flight ends
        said = board.status_bar.text.connection
        assert re.fullmatch(r"credentials rejected, retrying in 0:[0-5][0-9]", said), said
        assert "and restart rtdash" in str(board.status_bar.content)
        counted = len(plan(sim).arrivals)
        await pilot.pause(2.2)  # over two intervals: proving an absence takes time
        assert len(plan(sim).arrivals) == counted, "no request before the backoff is up"
        assert {r: shown_keys(app, r) for r in Route} == before
        assert board.poller.status().phase is Phase.AUTH_FAILED

        sim.faults.clear()  # accepted again: r tries them without waiting the backoff
        await pilot.press("r")
        await wait_until(pilot, lambda: board.poller.status().phase is Phase.LIVE)
        await wait_until(pilot, lambda: len(plan(sim).arrivals) >= counted + 2)
        assert board.status_bar.text.connection == "live"


async def test_server_down_then_up(sim: Simulator) -> None:
    app = make_app(sim)
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        before = {r: shown_keys(app, r) for r in Route}
        started = clock.now()
        port = sim.port
        await stop_between_polls(pilot, app, sim)
        clock.advance(4)
        refused = f"cannot connect to {HOST}:{port} (connection refused), retrying"
        await wait_until(
            pilot,
            lambda: all(
                f"{r}: {refused}" in board.status_bar.text.connection for r in ("calls", "users")
            ),
            timeout=8,
        )
        assert board.status_bar.text.age == f"STALE: data as of {started:%H:%M:%S} (4 s ago)"
        assert {r: shown_keys(app, r) for r in Route} == before

        sim.start(port=port)
        await wait_until(pilot, lambda: board.poller.status().phase is Phase.LIVE, timeout=8)
        await wait_until(pilot, lambda: board.status_bar.text.connection == "live")
        assert board.status_bar.text.age == f"data as of {clock.now():%H:%M:%S} (0 s ago)"
        assert {r: shown_keys(app, r) for r in Route} == before


async def test_an_outage_keeps_the_data_age_in_view_at_80_columns(sim: Simulator) -> None:
    """Two routes' causes are longer than 80 columns: they go to a line of their own,
    and the first keeps the age of the data, which says how far to trust the screen."""
    app = make_app(sim)
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        started = clock.now()
        await stop_between_polls(pilot, app, sim)
        clock.advance(4)
        await wait_until(
            pilot, lambda: board.poller.status().routes[Route.USERS].error is not None, 8
        )
        await wait_until(
            pilot, lambda: board.poller.status().routes[Route.CALLS].error is not None, 8
        )
        board.status_bar.tick()
        await pilot.pause()
        bar = board.status_bar
        first, second = bar.render_lines(Region(0, 0, bar.size.width, 2))
        assert bar.size.width <= 80 and len(bar.text.connection) > 80
        assert re.match(
            rf"retrying (now|in \d+ s) · STALE: data as of {started:%H:%M:%S} \(4 s ago\)",
            first.text.strip(),
        ), first.text
        # both routes refused alike: the cause once, without the routes' names
        assert second.text.strip().startswith(f"cannot connect to {HOST}:"), second.text


async def test_unknown_installation_says_so_and_keeps_trying(sim: Simulator) -> None:
    app = make_app(sim, resilient_settings(sim, igrp=9999))
    async with app.run_test(size=(160, 48)) as pilot:
        board = dashboard_of(app)
        cause = "installation 9999 not found (HTTP 404), retrying in"
        await wait_until(
            pilot,
            lambda: (
                board.status_bar.text is not None
                and all(f"{r}: {cause}" in board.status_bar.text.connection for r in Route)
            ),
        )
        assert board.status_bar.text.age == "no data yet"
        assert shown_keys(app, Route.CALLS) == [] and shown_keys(app, Route.USERS) == []
        await wait_until(pilot, lambda: plan(sim).count(CALLS_ROUTE) >= 2, timeout=4)


# --- faults that leave the poll readable ----------------------------------------------


def _expected_rows(route: Route, served: list[str], alias: dict[str, str]) -> list[str]:
    """What ``missing_fields`` leaves readable: rows 0, 3, 6… lose their id and rows 1,
    4, 7… their state. A call needs both. A user without its id is shown under its next
    alias (operatorRef), so only the users without a state are unreadable."""
    if route is Route.CALLS:
        return [key for i, key in enumerate(served) if i % 3 == 2]
    return [alias[key] if i % 3 == 0 else key for i, key in enumerate(served) if i % 3 != 1]


async def served_rows(sim: Simulator) -> tuple[dict[Route, list[str]], dict[str, str]]:
    """The keys of each route's rows in the order served, and each user's next alias."""
    async with InfinityClient(
        igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
    ) as client:
        calls = (await client.active_calls(keep_raw=True)).raw
        users = (await client.user_status(keep_raw=True)).raw
    served = {
        Route.CALLS: [row["callRef"] for row in calls],
        Route.USERS: [row["sipUserId"] for row in users],
    }
    return served, {row["sipUserId"]: row["operatorRef"] for row in users}


async def poll_each_route_once_more(pilot: Pilot, sim: Simulator) -> None:
    """Until a request that arrived from now on has been answered on both routes."""
    board = dashboard_of(pilot.app)  # type: ignore[arg-type]
    counts = {name: plan(sim).count(name) for name in SIM_ROUTE.values()}
    await wait_until(pilot, lambda: all(plan(sim).count(name) > n for name, n in counts.items()), 4)
    await wait_until(pilot, lambda: not board.poller._tasks)


@pytest.mark.parametrize(
    "kind", ["malformed_line", "missing_fields", "extra_fields", "empty_array"]
)
async def test_readable_faults_show_what_can_be_read(sim: Simulator, kind: str) -> None:
    """Both routes at once: these faults leave a poll that succeeds."""
    served, alias = await served_rows(sim)
    app = make_app(sim)
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        board.user_panel.toggle_all()  # every user, to compare with what was served
        before = {r: shown_keys(app, r) for r in Route}
        assert {r: sorted(keys) for r, keys in before.items()} == {
            r: sorted(keys) for r, keys in served.items()
        }

        sim.faults.add(Fault(kind, times=None))  # on every route
        clock.advance(5)
        await poll_each_route_once_more(pilot, sim)
        text = board.status_bar.text
        # the polls succeeded: live and fresh, never stale
        assert board.poller.status().phase is Phase.LIVE
        assert text.connection == "live"
        fresh = f"data as of {clock.now():%H:%M:%S} (0 s ago)"
        shown = {r: shown_keys(app, r) for r in Route}
        if kind == "malformed_line":
            assert text.age == f"{fresh} · 2 rows unreadable"  # one line on each route
            assert shown == before
        elif kind == "missing_fields":
            kept = {r: _expected_rows(r, served[r], alias) for r in Route}
            unreadable = sum(len(served[r]) - len(kept[r]) for r in Route)
            assert unreadable > 10
            assert text.age == f"{fresh} · {unreadable} rows unreadable"
            assert {r: sorted(k) for r, k in shown.items()} == {
                r: sorted(k) for r, k in kept.items()
            }
        elif kind == "extra_fields":
            assert text.age == fresh
            assert shown == before
        else:  # the vendor's "\n]\n" is an empty answer, not an error: nothing to show
            assert text.age == fresh
            assert shown == {Route.CALLS: [], Route.USERS: []}

        sim.faults.clear()
        await poll_each_route_once_more(pilot, sim)
        assert board.status_bar.text.age == fresh
        assert {r: shown_keys(app, r) for r in Route} == before
