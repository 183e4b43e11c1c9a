"""The calls table's spare room at 80×24 and 160×48: an agent's name is what a
supervisor reads to act on a call, so on a narrow terminal it is shown whole before
the line's name grows; a wide screen keeps every name whole as before."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.format import caller_label
from rtdash.core.snapshot import CallsSnapshot
from rtdash.sim import Simulator
from rtdash.ui.messages import CallsUpdated
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    screen_text,
    wait_for_data,
    wait_until,
    with_polling_paused,
)


def _rows_on_screen(calls: tuple[ActiveCall, ...], shown: str) -> list[tuple[ActiveCall, str]]:
    """Each call with the screen line that shows it, found by its caller's number (a
    number on one line only: a withheld caller is not told apart)."""
    lines = shown.splitlines()
    found = []
    for call in calls:
        label = caller_label(call.src_number)
        holding = [line for line in lines if label in line]
        if len(holding) == 1:
            found.append((call, holding[0]))
    return found


async def test_agent_names_show_whole_at_80x24(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        grid = dashboard_of(app).grid
        # the talking calls' table keeps a few lines with the focus in it; the cursor
        # goes down to the fourth call, past the first names
        grid.table(CallState.BRIDGED).focus()
        await pilot.press("down", "down", "down")
        rows = _rows_on_screen(grid.shown(CallState.BRIDGED), screen_text(app))
        names = [call.agent_name or "" for call, _ in rows]
        # the rows on screen hold names as long as a typical full name
        assert len(rows) >= 3 and max(map(len, names)) >= len("Amelia Thompson"), names
        for call, line in rows:
            for value in (call.agent_name, call.dgrp_name, call.queue):
                assert (value or "") in line, f"{value!r} is cut in:\n{line}"


@pytest.mark.parametrize("size", [(160, 48), (120, 30)])
async def test_every_name_shows_whole_on_a_wide_screen(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        grid = dashboard_of(app).grid
        shown = screen_text(app)
        rows = [row for state in CallState for row in _rows_on_screen(grid.shown(state), shown)]
        assert len(rows) >= 5
        for call, line in rows:
            for value in (call.dgrp_name, call.queue, call.agent_name):
                assert (value or "") in line, f"{value!r} is cut in:\n{line}"


#: callers from abroad, formatted as the PBX's numbers are shown: wider than a UK
#: number, and the last two with an extension the formatting leaves as sent
FROM_ABROAD = ("+442079460958", "+8613912345678", "+12125550123 ext. 1234", "+12125550123x1234")


async def _callers_from_abroad(pilot: Pilot) -> list[ActiveCall]:
    """The simulator's talking calls, the first few from :data:`FROM_ABROAD`, handed to
    the dashboard as a poll hands them (polling paused, so nothing else moves)."""
    board = await with_polling_paused(pilot)
    assert board.calls is not None
    talking = list(board.calls.groups[CallState.BRIDGED])
    abroad = [
        call.model_copy(update={"src_number": number})
        for call, number in zip(talking, FROM_ABROAD, strict=False)
    ]
    calls = abroad + talking[len(abroad) :]
    board.post_message(CallsUpdated(CallsSnapshot.build(calls, board.calls.fetched_at)))
    await wait_until(
        pilot,
        lambda: board.calls is not None and abroad[0] in board.calls.groups[CallState.BRIDGED],
    )
    await pilot.pause()
    return abroad


@pytest.mark.parametrize("size", [(160, 48), (120, 30), (80, 24)])
async def test_a_number_from_abroad_shows_whole(sim: Simulator, size: tuple[int, int]) -> None:
    """The Caller column kept its width with room to spare: at 160 columns a Chinese
    mobile read "+86 139 1234 56…" and a number with an extension was cut."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        abroad = await _callers_from_abroad(pilot)
        grid = dashboard_of(app).grid
        grid.table(CallState.BRIDGED).focus()  # its group keeps a few lines in view
        await pilot.pause()
        shown = screen_text(app)
        rows = _rows_on_screen(tuple(abroad), shown)
    assert len(rows) == len(FROM_ABROAD), shown
    for call, line in rows:
        assert f" {caller_label(call.src_number)} " in line, line
        if size[0] >= 160:  # and the names beside them too, where there is room
            for value in (call.dgrp_name, call.queue, call.agent_name):
                assert (value or "") in line, f"{value!r} is cut in:\n{line}"


async def test_a_number_from_abroad_never_hides_the_calls_in_a_narrow_terminal(
    sim: Simulator,
) -> None:
    """Just above the tables' floor a long number asked for more than the room, the
    tables gave way to "Widen to …", and every call went from view while one
    caller from abroad was in it: the number is cut instead, with its "…"."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(62, 30)) as pilot:
        abroad = await _callers_from_abroad(pilot)
        grid = dashboard_of(app).grid
        grid.table(CallState.BRIDGED).focus()
        await pilot.pause()
        shown = screen_text(app)
        table = grid.table(CallState.BRIDGED)
        caller_cell = table.get_row(abroad[2].call_ref)[2]
    assert "Widen to" not in shown, shown
    assert "Caller" in shown and "Bridged" in shown, shown
    longest = caller_label(abroad[2].src_number)
    # the number with an extension is on screen, cut with a sign
    assert any(f"{longest[:12]}" in line and "…" in line for line in shown.splitlines()), shown
    assert caller_cell == longest  # the row's value is whole; only its cell is cut


async def test_a_long_number_scrolled_into_view_while_paused_shows_whole(sim: Simulator) -> None:
    """Only the calls in view are measured; a poll measured them, so paused, a long
    number scrolled into view from far down a long group stayed cut for as long as
    the pause lasted."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await with_polling_paused(pilot)
        grid = board.grid
        table = grid.table(CallState.BRIDGED)
        assert board.calls is not None
        fetched_at = board.calls.fetched_at
        rows = [call for group in board.calls.groups.values() for call in group]
        # more talking calls than the screen has lines
        talking = board.calls.groups[CallState.BRIDGED][0]
        rows += [talking.model_copy(update={"call_ref": f"c-more-{n:03d}"}) for n in range(80)]
        board.post_message(CallsUpdated(CallsSnapshot.build(rows, fetched_at)))
        await wait_until(pilot, lambda: "c-more-079" in table.keys)
        last = grid.shown(CallState.BRIDGED)[-1]
        abroad = last.model_copy(update={"src_number": FROM_ABROAD[2]})
        rows = [abroad if call is last else call for call in rows]
        board.post_message(CallsUpdated(CallsSnapshot.build(rows, fetched_at)))
        await wait_until(
            pilot,
            lambda: board.calls is not None and abroad in board.calls.groups[CallState.BRIDGED],
        )
        await pilot.pause()
        assert table.keys[-1] == abroad.call_ref
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
    assert f" {caller_label(FROM_ABROAD[2])} " in shown, shown
