"""An installation with no name in the config takes the name the service gives in the
first lookup answer (``igrpName``): the status line shows it from then on."""

from __future__ import annotations

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen

from .helpers import dashboard_of, make_app, wait_for_data, wait_until


async def test_the_first_lookup_names_the_installation(sim: Simulator) -> None:
    app = make_app(sim)
    service_name = sim.installations[0].name
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        assert board.label == f"installation {sim.igrp}"
        assert f"installation {sim.igrp}" in board.status_bar.render().plain
        board.grid.table(CallState.BRIDGED).focus()
        await pilot.press("down", "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        await pilot.press("escape")
        expected = f"{service_name} ({sim.igrp})"
        assert board.label == expected
        await wait_until(pilot, lambda: expected in str(board.status_bar.render()))


async def test_a_configured_name_is_kept(sim: Simulator) -> None:
    app = make_app(sim, name="Head office")
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        board.grid.table(CallState.BRIDGED).focus()
        await pilot.press("down", "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        await pilot.press("escape")
        assert board.label == f"Head office ({sim.igrp})"
