"""A terminal too narrow for the call tables takes the focus off them;
widened again, the focus goes back to the call table it was on, unless moved meanwhile."""

from __future__ import annotations

from textual.pilot import Pilot

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.widgets.calls_grid import CallsGrid
from rtdash.ui.widgets.keyed_table import KeyedTable
from tests.ui.helpers import dashboard_of, make_app, wait_for_data, wait_until


async def _narrowed_from_queueing(pilot: Pilot) -> tuple[CallsGrid, KeyedTable]:
    """The Queueing table focused at 80 columns, then the terminal narrowed to 40,
    where the tables give way and the focus leaves them."""
    app = pilot.app
    await wait_for_data(pilot)
    grid = dashboard_of(app).grid
    queueing = grid.table(CallState.QUEUEING)
    queueing.focus()
    await wait_until(pilot, lambda: app.screen.focused is queueing)
    await pilot.resize_terminal(40, 30)
    await wait_until(pilot, lambda: grid.has_class("-too-narrow"))
    await wait_until(pilot, lambda: app.screen.focused is not queueing)
    return grid, queueing


async def _widened(pilot: Pilot, grid: CallsGrid) -> None:
    await pilot.resize_terminal(80, 30)
    await wait_until(pilot, lambda: not grid.has_class("-too-narrow"))
    await pilot.pause()


async def test_widening_gives_the_focus_back_to_the_call_table(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 30)) as pilot:
        grid, queueing = await _narrowed_from_queueing(pilot)
        await _widened(pilot, grid)
        assert app.screen.focused is queueing


async def test_a_focus_moved_while_narrow_stays_where_it_was_moved(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 30)) as pilot:
        grid, _ = await _narrowed_from_queueing(pilot)
        users = dashboard_of(app).user_panel.table
        app.screen.set_focus(users)
        await _widened(pilot, grid)
        assert app.screen.focused is users
