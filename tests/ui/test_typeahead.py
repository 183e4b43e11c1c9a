"""Keys typed ahead of a move of the focus (fast, or in one packet over a slow SSH
link) are typed where the focus went: a filter's words after ``/``, a number after the
lookup's ``n``; never taken as the screen's own keys on the way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import (
    a_caller_looked_up,
    dashboard_of,
    make_app,
    rendered_text,
    talking_mobiles,
    typed_at_once,
    wait_for_data,
    wait_until,
)


async def test_a_filter_typed_at_once_with_its_slash_filters_and_opens_nothing(
    sim: Simulator,
) -> None:
    async with _at_80x24(sim) as (app, pilot, board, line):
        words = line.lower()
        assert "l" in words and "q" not in words, "an l (lookup) among the words"
        typed_at_once(app, "slash", *words, "enter")
        await wait_until(pilot, lambda: _filter_text(app) == words)
        for _ in range(3):
            await pilot.pause()
        assert not isinstance(app.screen, LookupScreen), "the l of the words opened a lookup"
        shown = board.grid.shown(CallState.BRIDGED)
        assert shown and all(call.dgrp_name == line for call in shown)


@asynccontextmanager
async def _at_80x24(sim: Simulator) -> AsyncIterator[tuple[RtdashApp, Pilot[int], Any, str]]:
    """The dashboard at 80×24 with its data in, and the line (the number dialled's
    name) of a talking call: words a filter finds."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        groups = board.calls.groups
        yield app, pilot, board, next(c.dgrp_name for c in groups[CallState.BRIDGED] if c.dgrp_name)


def _filter_text(app: RtdashApp) -> str | None:
    """The filter box's text; None before ``/`` first made the box."""
    boxes = app.screen.query("#filter").results(Input)
    return next((box.value for box in boxes), None)


async def test_a_number_typed_at_once_with_the_lookups_n_is_the_next_lookup(
    sim: Simulator,
) -> None:
    async with a_caller_looked_up(sim) as (app, pilot, modal, second):
        typed_at_once(app, "n", *second, "enter")
        await wait_until(
            pilot, lambda: modal.details is not None and modal.details.src_number == second
        )
        assert modal.query_one("#lookup-input", Input).value == second


async def test_words_typed_at_once_with_the_slash_are_not_replaced_by_the_next_key(
    sim: Simulator,
) -> None:
    """The box's focus lands after the words typed with ``/``: they stay unselected, so
    the next key adds to them; a ``/`` over an old filter still replaces it."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        typed_at_once(app, "slash", *"sal")
        await wait_until(pilot, lambda: _filter_text(app) == "sal")
        await pilot.press("e", "s")
        assert _filter_text(app) == "sales"
        await pilot.press("enter")  # the table has the focus again, the filter kept
        typed_at_once(app, "slash", *"sup")
        await wait_until(pilot, lambda: _filter_text(app) == "sup")
        await pilot.press("p")
        assert _filter_text(app) == "supp"


async def test_down_and_enter_typed_with_the_filters_enter_open_a_filtered_call(
    sim: Simulator,
) -> None:
    async with _at_80x24(sim) as (app, pilot, board, line):
        await pilot.press("slash", *line.lower())
        typed_at_once(app, "enter", "down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        shown = {call.call_ref for state in CallState for call in board.grid.shown(state)}
        assert modal.call_ref in shown, "a call the filter shows"


async def test_a_filter_and_two_enters_typed_at_once_open_the_first_call_it_shows(
    sim: Simulator,
) -> None:
    """The first Enter closes the filter and the second opens a call: the focus goes to
    the first group the words leave calls in, though their own messages are still
    queued behind the Enter (an agent's name empties the ringing group)."""
    async with _at_80x24(sim) as (app, pilot, board, _line):
        assert board.grid.shown(CallState.RINGING), "calls ringing, that the name hides"
        agent = next(c.agent_name for c in board.calls.groups[CallState.BRIDGED] if c.agent_name)
        typed_at_once(app, "slash", *agent.lower(), "enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        shown = board.grid.shown(CallState.BRIDGED)
        assert not board.grid.shown(CallState.RINGING)
        assert modal.call_ref == shown[0].call_ref, "the first call the filter shows"


async def test_a_newline_is_an_enter_as_a_terminal_not_yet_in_raw_mode_sends_it(
    sim: Simulator,
) -> None:
    """Typed while the app was still starting, Enter comes as a newline (ctrl+j): ``l``,
    a number and the newline look the number up; on a call, a newline opens it."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        caller = talking_mobiles(app)[0]
        typed_at_once(app, "l", *caller, "ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details is not None and modal.details.src_number == caller
        typed_at_once(app, "n", *caller[:-1], "ctrl+j")  # the input has the focus now
        await wait_until(pilot, lambda: modal.outcome != "idle")
        assert modal.query_one("#lookup-input", Input).value == caller[:-1]
        await pilot.press("escape")
        table = board.grid.table(CallState.BRIDGED)
        table.focus()
        await pilot.press("down")
        typed_at_once(app, "ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen) and modal.call_ref == table.selected_key


async def test_newlines_keep_their_place_among_the_keys_typed_with_them(sim: Simulator) -> None:
    """A newline is handled in its turn, as an Enter is: '/' and a filter's words, a
    newline, then 'l', a number and a newline, all in one read, filter and then look
    the number up (a newline handled after the keys behind it would type them into
    the filter)."""
    async with _at_80x24(sim) as (app, pilot, board, line):
        caller = talking_mobiles(app)[0]
        words = line.lower()
        typed_at_once(app, "slash", *words, "ctrl+j", "l", *caller, "ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details is not None and modal.details.src_number == caller
        assert board.grid.filter_text == words, "the filter kept its words alone"


async def test_esc_on_a_filter_focuses_where_the_unfiltered_calls_are(sim: Simulator) -> None:
    """Esc clears the filter and moves the focus by the calls shown without it: calls
    ringing again are the first group with calls (the filter hid them)."""
    async with _at_80x24(sim) as (app, pilot, board, _line):
        ringing = board.grid.table(CallState.RINGING)
        assert board.grid.shown(CallState.RINGING)
        agent = next(c.agent_name for c in board.calls.groups[CallState.BRIDGED] if c.agent_name)
        await pilot.press("slash", *agent.lower(), "enter")
        assert board.grid.table(CallState.BRIDGED).has_focus
        await pilot.press("slash", "escape")
        assert _filter_text(app) == "" and ringing.has_focus


async def test_esc_with_a_chosen_call_keeps_the_focus_and_the_cursor_on_it(sim: Simulator) -> None:
    """Filtered, then moved onto a call in the talking group: Esc clears the filter and
    the cursor stays on that call (the focus does not jump to the ringing calls)."""
    async with _at_80x24(sim) as (app, pilot, board, _line):
        talking = board.grid.table(CallState.BRIDGED)
        agent = next(c.agent_name for c in board.calls.groups[CallState.BRIDGED] if c.agent_name)
        await pilot.press("slash", *agent.lower(), "enter")
        assert talking.has_focus
        chosen = talking.selected_key
        assert chosen is not None
        await pilot.press("escape")
        assert _filter_text(app) == ""
        assert talking.keys == [c.call_ref for c in board.calls.groups[CallState.BRIDGED]]
        assert talking.has_focus and talking.selected_key == chosen


async def test_backspaces_and_enter_typed_at_once_with_characters_keep_their_order(
    sim: Simulator,
) -> None:
    """In a box with the focus, a Backspace or an Enter that comes in the same read as
    characters runs in its turn among them (Textual runs a bound key only once it has
    gone up to the app, after every character of the read was typed)."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("l", *"07700 9", "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.outcome == "invalid")
        field = modal.query_one("#lookup-input", Input)
        assert field.has_focus
        typed_at_once(app, *["backspace"] * 7, *"020 7946 0018", "enter")
        await wait_until(pilot, lambda: modal.outcome not in ("idle", "invalid"))
        assert field.value == "020 7946 0018"
        title = rendered_text(modal.query_one("#lookup-title"))
        assert "+44 20 7946 0018" in title
        await pilot.press("escape")
        await pilot.press("slash", *"sales")
        typed_at_once(app, *["backspace"] * 5, *"support", "left", "x")
        await wait_until(pilot, lambda: _filter_text(app) == "supporxt")
