"""The lookup opened from a call shows what the dashboard's row of it says (caller,
line, queue, agent, group and times) beside the lookup route's answer, and names the
installation; a lookup by a typed number has no row. Against the simulator, whose
installation 5678 is in basic mode (its answer: installation, line, transaction
reference only) and 1234 in advanced mode."""

from __future__ import annotations

from textual.pilot import Pilot

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.format import caller_label
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import (
    dashboard_of,
    label_values,
    make_app,
    screen_text,
    talking_and_away,
    wait_for_data,
    wait_until,
)

BASIC = 5678


async def _lookup_from_a_queueing_call(app: RtdashApp, pilot: Pilot) -> ActiveCall:
    """Enter on the first queueing call; the row it was opened from."""
    await wait_for_data(pilot)
    board = dashboard_of(app)
    table = board.grid.table(CallState.QUEUEING)
    assert table.row_count, "the simulator's centre has callers waiting"
    table.focus()
    await pilot.pause()
    row = board.grid.selected_call()
    assert row is not None and row.queue and row.src_number
    await pilot.press("enter")
    modal = app.screen
    assert isinstance(modal, LookupScreen)
    await wait_until(pilot, lambda: modal.details is not None)
    return row


async def test_a_basic_mode_lookup_from_a_call_shows_its_row(sim: Simulator) -> None:
    app = make_app(sim, igrp=BASIC, name="Harbour Lettings")
    async with app.run_test(size=(80, 24)) as pilot:
        row = await _lookup_from_a_queueing_call(app, pilot)
        assert app.screen.details.mode == "basic"  # type: ignore[attr-defined]
        shown = label_values(screen_text(app))
        assert shown["Installation"] == [f"{BASIC} Harbour Lettings"]
        assert shown["Caller"] == [caller_label(row.src_number)]
        assert shown["Line"] == [row.dgrp_name]
        assert shown["Queue"] == [row.queue]
        assert shown["Agent"] == ["–"]  # waiting: nobody has it yet
        assert shown["State"] == ["Queueing"]
        assert "In state" in shown and "Total" in shown
        await pilot.press("y")  # the copy says what the dialog shows
        assert app.clipboard and f"  Queue: {row.queue}\n" in app.clipboard


async def test_an_advanced_lookup_from_a_call_adds_what_its_answer_lacks(
    sim: Simulator,
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        row = await _lookup_from_a_queueing_call(app, pilot)
        await pilot.press("end")  # the dialog scrolls to its last section
        await pilot.pause()
        shown = label_values(screen_text(app))
        assert shown["Queue"] == [row.queue]
        assert shown["State"][-1] == "Queueing"
        assert "Total" in shown
        await pilot.press("y")
        text = app.clipboard or ""
        # the caller and line once: the answer says them already
        assert text.count(f"Caller: {caller_label(row.src_number)}\n") == 1
        assert "Installation: 1234 Northwind Contact Centre\n" in text


async def test_a_lookup_by_a_typed_number_has_no_row(sim: Simulator) -> None:
    app = make_app(sim, igrp=BASIC, name="Harbour Lettings")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        calls = dashboard_of(app).calls.calls
        number = next(c.src_number for c in calls if (c.src_number or "").startswith("+447"))
        assert number is not None
        await pilot.press("l", *number, "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        shown = label_values(screen_text(app))
        assert shown["Installation"] == [f"{BASIC} Harbour Lettings"]
        assert "Queue" not in shown and "On the dashboard" not in screen_text(app)


async def test_opening_a_lookup_takes_down_the_toast_of_the_last_attempt(
    sim: Simulator,
) -> None:
    """ "Lily Moore is not on a call…", then Enter on an agent who is: the toast stood
    over the new dialog at 80x24 and hid its lines."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.user_panel.table
        talking, away = talking_and_away(board)
        table.focus()
        table.move_cursor(row=table.keys.index(away.user_id))
        await pilot.pause()
        await pilot.press("enter")
        told = f"{away.label} is not on a call"
        await wait_until(pilot, lambda: told in screen_text(app))
        table.move_cursor(row=table.keys.index(talking.user_id))
        await pilot.pause()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert told not in screen_text(app)
        assert "Answered on" in screen_text(app)
