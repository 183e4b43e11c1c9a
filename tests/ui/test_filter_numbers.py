"""The ``/`` filter finds a caller by the number as a person types it."""

from __future__ import annotations

import pytest

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from tests.ui.helpers import dashboard_of, make_app, wait_for_data


def national(e164: str) -> str:
    """A UK E.164 number as read aloud here: ``+447700900972`` → ``07700 900972``."""
    digits = "0" + e164.removeprefix("+44")
    return f"{digits[:5]} {digits[5:]}"


@pytest.mark.parametrize("form", ["national", "national, no space", "last six digits"])
async def test_filter_by_a_number_in_national_form(sim: Simulator, form: str) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        bridged = board.calls.groups[CallState.BRIDGED]
        call = next(c for c in bridged if (c.src_number or "").startswith("+447"))
        typed = {
            "national": national(call.src_number or ""),
            "national, no space": national(call.src_number or "").replace(" ", ""),
            "last six digits": (call.src_number or "")[-6:],
        }[form]
        await pilot.press("slash", *typed)
        assert call.call_ref in board.grid.table(CallState.BRIDGED).keys
        assert all(
            (c.src_number or "").endswith(call.src_number[-6:])  # type: ignore[index]
            for c in board.grid.shown(CallState.BRIDGED)
        )
