"""At 80x24 a caller's details run past the lookup's bottom edge: a line there says
how many lines are below and which key shows them, counts down as they come into
view, and goes once the end is in view; it is not there when everything fits."""

from __future__ import annotations

import re

from textual.pilot import Pilot

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import dashboard_of, make_app, screen_text, wait_for_data, wait_until

HINT = re.compile(r"↓ (\d+) more lines? \(PgDn\)")


async def _lookup_on_a_talking_call(app: RtdashApp, pilot: Pilot) -> LookupScreen:
    await wait_for_data(pilot)
    dashboard_of(app).grid.table(CallState.BRIDGED).focus()
    await pilot.pause()
    await pilot.press("enter")
    modal = app.screen
    assert isinstance(modal, LookupScreen)
    await wait_until(pilot, lambda: modal.details is not None)
    return modal


def _below(app: RtdashApp) -> int | None:
    """The lines the hint says are below; None without a hint on screen."""
    found = HINT.findall(screen_text(app))
    assert len(found) <= 1
    return int(found[0]) if found else None


async def test_the_lookup_says_how_much_is_below_its_fold_until_the_end_is_shown(
    sim: Simulator,
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _lookup_on_a_talking_call(app, pilot)
        below = _below(app)
        assert below is not None and below > 1, screen_text(app)
        assert "On the dashboard" not in screen_text(app)
        # every line it counted is one more press of the down arrow
        for _ in range(below - 1):
            await pilot.press("down")
        await pilot.pause()
        assert _below(app) == 1
        assert "Total" not in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        assert _below(app) is None, "the end is in view: nothing is below"
        assert "Total" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert _below(app) == below
        await pilot.press("end")
        await pilot.pause()
        assert _below(app) is None and "Total" in screen_text(app)


async def test_no_hint_when_the_details_fit(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await _lookup_on_a_talking_call(app, pilot)
        assert "Total" in screen_text(app)
        assert _below(app) is None
