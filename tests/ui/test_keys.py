"""Filter, sort, interval keys, the help screen, the palette and NO_COLOR."""

from __future__ import annotations

import pytest

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.commands import LIVE, commands_for
from rtdash.ui.screens.help import HelpScreen
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    on_talking_calls,
    rendered_text,
    screen_text,
    settings_for,
    wait_for_data,
    wait_for_footer_keys,
)


async def test_slash_filters_calls_and_users(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        bridged = board.calls.groups[CallState.BRIDGED]
        agent = next(call.agent_name for call in bridged if call.agent_name)
        await pilot.press("slash", *agent)
        expected = [c.call_ref for c in bridged if agent.lower() in (c.agent_name or "").lower()]
        assert board.grid.table(CallState.BRIDGED).keys == expected
        assert board.grid.table(CallState.RINGING).keys == []
        users = board.user_panel.table.keys
        assert users and all(
            agent.lower() in (u.display_name or "").lower()
            for u in board.users.dashboard_users
            if u.user_id in users
        )
        title = rendered_text(board.grid.query_one(f"#title-{CallState.BRIDGED}"))
        assert f"of {len(bridged)}" in title
        await pilot.press("escape")
        assert board.grid.table(CallState.BRIDGED).keys == [c.call_ref for c in bridged]


async def test_s_cycles_the_sort_of_the_focused_table(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (app, pilot, board, table):
        default = list(table.keys)
        await pilot.press("s")
        assert table.keys == list(reversed(default)), "first press flips the wait order"
        # ↑ is ascending for every key: the shortest time in state first, as A→Z for names
        assert board.status_bar.note == "calls sorted by time in state ↑"
        by_ref = {c.call_ref: c for c in board.calls.groups[CallState.BRIDGED]}
        now = app.clock.now()
        times = [(now - by_ref[ref].state_start).total_seconds() for ref in table.keys]
        assert len(set(times)) > 1 and times == sorted(times)
        await pilot.press("s")
        # then the columns left to right: Total next, the longest call first
        assert board.status_bar.note == "calls sorted by total time ↓"
        starts = [by_ref[ref].call_start for ref in table.keys]
        assert len(set(starts)) > 1 and starts == sorted(starts)
        await pilot.press("s", "s")
        by_caller = sorted(
            board.calls.groups[CallState.BRIDGED], key=lambda c: (c.src_number or "~", c.call_ref)
        )
        assert table.keys == [c.call_ref for c in by_caller]
        assert board.status_bar.note == "calls sorted by caller ↑"
        board.user_panel.table.focus()
        await pilot.press("s")
        assert board.status_bar.note == "users sorted by time in state ↑"


async def test_plus_and_minus_step_the_interval_with_a_floor(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        assert board.poller.interval == 2
        await pilot.press("plus")
        assert board.poller.interval == 1
        await pilot.press("plus")
        assert board.poller.interval == 1, "never below the 1 s floor"
        await pilot.press("minus", "minus")
        assert board.poller.interval == 3
        assert board.status_bar.note == "polling every 3 s"


async def test_help_lists_every_command_from_the_registry(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = rendered_text(app.screen.query_one("#help-table"), width=150)
        for command in commands_for(LIVE):
            assert command.explanation in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_help_footer_names_every_key_that_closes_it(sim: Simulator) -> None:
    """``q`` and ``?`` close the help as Esc does (the README says so): the footer
    named Esc alone."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await wait_for_footer_keys(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Esc q ? Close" in " ".join(footer.split()), footer
        for key in ("q", "question_mark"):
            await pilot.press(key)
            assert not isinstance(app.screen, HelpScreen), key
            await pilot.press("question_mark")


async def test_palette_offers_the_registry_commands(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        offered = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for command in commands_for(LIVE):
            if command.palette:
                # titled with the word a user types; the sentence is its help line
                assert offered[command.palette_title].startswith(command.explanation)


@pytest.mark.parametrize("value", ["1"])
async def test_no_color_is_respected(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NO_COLOR", value)
    app = RtdashApp(settings_for(sim))
    assert app.no_color
