"""The columns sized to their longest value (the calls' Caller, the users' Ext and the
users' states, in words or symbols by the names) measure only the rows in their table's
lines: measured over a big centre's every row on every poll, the users panel's Ext
alone once made a big centre's poll cost much more (see bench/RESULTS.md,
``scale-exponent``), which no test of behaviour could see. Counted here, not timed."""

from __future__ import annotations

from types import ModuleType

import pytest
from rich.cells import cell_len

from rtdash.api.models import CallState
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.users_snapshot import UsersSnapshot
from rtdash.sim import Simulator
from rtdash.ui.messages import CallsUpdated, UsersUpdated
from rtdash.ui.widgets import caller_width, user_columns
from tests.ui.helpers import make_app, wait_until, with_polling_paused

#: rows made for the test: many times the lines any table here has
MANY = 2000


def _counted(monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> list[str]:
    """What ``module`` measures from now on, in the order it does."""
    measured: list[str] = []

    def counting(text: str) -> int:
        measured.append(text)
        return cell_len(text)

    monkeypatch.setattr(module, "cell_len", counting)
    return measured


async def test_the_users_panel_measures_only_the_users_in_its_lines(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await with_polling_paused(pilot)
        agent = next(user for user in board.users.users if user.dashboard)
        many = [
            agent.model_copy(update={"user_id": f"u{n}", "extension": f"{n:04d}"})
            for n in range(MANY)
        ]
        measured = _counted(monkeypatch, user_columns)
        board.post_message(UsersUpdated(UsersSnapshot.build(many, board.users.fetched_at)))
        table = board.user_panel.table
        await wait_until(pilot, lambda: len(table.keys) == MANY)
        await pilot.pause()
        lines = table.size.height
    # each user in its lines by their extension and their name, twice at most
    assert 0 < len(measured) <= 2 * 2 * lines, (len(measured), lines)


async def test_the_calls_grid_measures_only_the_callers_in_its_lines(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await with_polling_paused(pilot)
        talking = board.calls.groups[CallState.BRIDGED][0]
        many = [
            talking.model_copy(update={"call_ref": f"c-{n:05d}", "src_number": f"+4477009{n:05d}"})
            for n in range(MANY)
        ]
        measured = _counted(monkeypatch, caller_width)
        board.post_message(CallsUpdated(CallsSnapshot.build(many, board.calls.fetched_at)))
        grid = board.grid
        await wait_until(pilot, lambda: len(grid.table(CallState.BRIDGED).keys) == MANY)
        await pilot.pause()
        lines = sum(table.size.height for table in grid.tables)
    assert 0 < len(measured) <= 2 * lines, (len(measured), lines)
