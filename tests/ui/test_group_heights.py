"""Group heights follow what matters: the waiting groups (ringing, queueing) get the
lines they need first at every size, Bridged takes the rest; stacked at 80×24 the users
panel gives up lines to waiting callers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.pilot import Pilot

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.group_layout import HOLD_SECONDS
from rtdash.core.snapshot import CallsSnapshot
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.messages import CallsUpdated
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    wait_for_data,
    wait_for_footer_keys,
    wait_until,
)

LINES = ["Sales line", "Support line", "Billing line", "Bookings line"]


def _waiting(sim: Simulator, state: CallState, count: int, first: int) -> list[ActiveCall]:
    now = sim.now
    calls = []
    for n in range(count):
        waited = timedelta(seconds=5 + 11 * n + (30 if state is CallState.QUEUEING else 0))
        calls.append(
            ActiveCall(
                call_ref=f"c-w-{first + n:03d}",
                state=state,
                igrp=sim.igrp,
                call_start=now - waited - timedelta(seconds=4),
                state_start=now - waited,
                src_number=f"+4477009{first + n:05d}",
                dialled_number="+441632960100",
                dgrp_name=LINES[n % len(LINES)],
                queue=LINES[n % len(LINES)].split()[0].lower(),
            )
        )
    return calls


async def _with_waiting(pilot: Pilot, ringing: int, queueing: int) -> None:
    """Live data, then the calls replaced by ``ringing`` + ``queueing`` waiting calls and
    the simulator's talking ones, polling paused so nothing moves."""
    await wait_for_data(pilot)
    app = pilot.app
    assert isinstance(app, RtdashApp)
    board = dashboard_of(app)
    board.poller.pause()
    await wait_until(pilot, lambda: not board.poller._tasks)
    await _post_waiting(pilot, ringing, queueing)
    board.grid.table(CallState.QUEUEING).focus()
    board.tick()
    await pilot.pause()


async def _post_waiting(pilot: Pilot, ringing: int, queueing: int) -> None:
    """A poll's worth of calls: ``ringing`` + ``queueing`` waiting calls and the
    talking ones shown now, handed to the dashboard as a poll hands them."""
    app = pilot.app
    board = dashboard_of(app)
    sim_calls = board.calls
    assert sim_calls is not None
    bridged = list(sim_calls.groups[CallState.BRIDGED])
    sim = app.simulator_for_tests  # type: ignore[attr-defined]
    calls = [
        *_waiting(sim, CallState.RINGING, ringing, 0),
        *_waiting(sim, CallState.QUEUEING, queueing, 100),
        *bridged,
    ]
    board.post_message(CallsUpdated(CallsSnapshot.build(calls, sim_calls.fetched_at)))
    await wait_until(
        pilot, lambda: board.calls is not None and board.calls.count(CallState.RINGING) == ringing
    )
    await pilot.pause()


def _app(sim: Simulator) -> RtdashApp:
    app = make_app(sim, flash=False)
    app.simulator_for_tests = sim  # type: ignore[attr-defined]
    return app


def test_80x24_with_5_ringing_and_10_queueing_shows_them_all(snap_compare, sim: Simulator) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _with_waiting(pilot, 5, 10)
        await wait_for_footer_keys(pilot)

    assert snap_compare(_app(sim), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize(
    ("size", "ringing", "queueing"),
    [((80, 24), 5, 10), ((80, 24), 2, 3), ((100, 30), 6, 12), ((160, 48), 8, 25)],
)
async def test_waiting_calls_are_all_in_view(
    sim: Simulator, size: tuple[int, int], ringing: int, queueing: int
) -> None:
    app = _app(sim)
    async with app.run_test(size=size) as pilot:
        await _with_waiting(pilot, ringing, queueing)
        grid = dashboard_of(app).grid
        for state, count in ((CallState.RINGING, ringing), (CallState.QUEUEING, queueing)):
            table = grid.table(state)
            assert table.size.height == table.header_height + count, state
            assert table.region.bottom <= grid.region.bottom
        title = grid.query_one("#title-bridged")
        assert title.region.bottom <= grid.region.bottom, "Bridged's count stays in view"
        users = app.screen.query_one("#users")
        assert users.outer_size.height >= 2, "the users panel keeps its title"


async def test_too_many_waiting_calls_share_the_lines(sim: Simulator) -> None:
    app = _app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await _with_waiting(pilot, 12, 30)
        grid = dashboard_of(app).grid
        ringing = grid.table(CallState.RINGING)
        queueing = grid.table(CallState.QUEUEING)
        shown = ringing.size.height - ringing.header_height, queueing.size.height
        assert shown[0] >= 5 and shown[1] >= 5 and abs(shown[0] - shown[1]) <= 1
        assert queueing.region.bottom <= grid.region.bottom


async def test_a_dip_in_the_waiting_calls_moves_nothing_until_it_has_lasted(
    sim: Simulator,
) -> None:
    """Fewer ringing calls leave blank lines for a while (every group below would move
    and be drawn again: at a busy centre, on nearly every poll); more take lines at
    once (a waiting caller is never hidden to keep the screen still)."""
    app = _app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await _with_waiting(pilot, 8, 12)
        grid = dashboard_of(app).grid
        ringing, queueing = grid.table(CallState.RINGING), grid.table(CallState.QUEUEING)

        def rows_shown() -> tuple[int, int]:
            return (
                ringing.size.height - ringing.header_height,
                queueing.size.height - queueing.header_height,
            )

        assert rows_shown() == (8, 12)
        await _post_waiting(pilot, 6, 12)
        assert rows_shown() == (8, 12), "two blank lines, nothing moved"
        app.clock.advance(HOLD_SECONDS / 2)
        await _post_waiting(pilot, 7, 12)
        assert rows_shown() == (8, 12), "still fewer than the lines: still held"
        app.clock.advance(HOLD_SECONDS / 2)
        grid.tick()  # the same calls: the next second's tick lays them out
        await wait_until(pilot, lambda: rows_shown() == (7, 12))
        await _post_waiting(pilot, 9, 12)
        await wait_until(pilot, lambda: rows_shown() == (9, 12))


def test_160x48_ringing_keeps_its_lines_through_a_dip(snap_compare, sim: Simulator) -> None:
    """Eight ringing, then six: the two lines stay, blank, and nothing below moves."""

    async def run_before(pilot: Pilot) -> None:
        await _with_waiting(pilot, 8, 12)
        await _post_waiting(pilot, 6, 12)
        await wait_for_footer_keys(pilot)

    assert snap_compare(_app(sim), terminal_size=(160, 48), run_before=run_before)
