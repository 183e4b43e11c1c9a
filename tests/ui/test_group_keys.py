"""The keyboard goes from one call group to the next: down past a group's last call
lands on the first call of the next group that has calls, up past the first goes back,
and a group that has just emptied does not hold the cursor (a supervisor's Down and
Enter must reach a call without Tab), also when the two come in one read, typed fast or
in one packet over a slow link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.pilot import Pilot

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from rtdash.ui.widgets.title_line import FOCUS_MARK
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    rendered_text,
    screen_text,
    typed_at_once,
    wait_for_data,
    wait_until,
)
from tests.ui.test_group_heights import _app, _post_waiting, _with_waiting


@asynccontextmanager
async def _from_ringing(
    sim: Simulator, size: tuple[int, int], *, ringing: int, queueing: int, **run: Any
) -> AsyncIterator[tuple[Any, Pilot[int], Any]]:
    """The app (its polling paused) with ``ringing`` and ``queueing`` calls waiting and
    the simulator's talking ones, the focus in the ringing group: the app, its pilot and
    the calls grid."""
    app = _app(sim)
    async with app.run_test(size=size, **run) as pilot:
        await _with_waiting(pilot, ringing=ringing, queueing=queueing)
        grid = dashboard_of(app).grid
        grid.table(CallState.RINGING).focus()
        await pilot.pause()
        yield app, pilot, grid


async def test_down_past_a_groups_last_call_goes_on_to_the_next_group_and_up_comes_back(
    sim: Simulator,
) -> None:
    async with _from_ringing(sim, (160, 48), ringing=2, queueing=3) as (_, pilot, grid):
        ringing, queueing, bridged = (grid.table(state) for state in CallState)
        await pilot.press("down")
        assert ringing.has_focus and ringing.cursor_row == 1, "inside a group: the next row"
        await pilot.press("down")
        assert queueing.has_focus and queueing.cursor_row == 0
        await pilot.press("end", "down")
        assert bridged.has_focus and bridged.cursor_row == 0
        await pilot.press("up")
        assert queueing.has_focus and queueing.cursor_row == queueing.row_count - 1
        await pilot.press("home", "up", "up")
        assert ringing.has_focus and ringing.cursor_row == 0, "the first call stays put"


@pytest.mark.parametrize(
    ("size", "at_once"), [((160, 48), False), ((80, 24), True)], ids=["one by one", "at once"]
)
async def test_an_emptied_group_lets_down_and_enter_reach_a_call(
    sim: Simulator, size: tuple[int, int], at_once: bool
) -> None:
    """At once: Down and Enter in one read, none waiting for the last to be handled."""
    # the focus in the ringing group, as when its one caller was answered
    async with _from_ringing(sim, size, ringing=0, queueing=0) as (app, pilot, grid):
        ringing, bridged = grid.table(CallState.RINGING), grid.table(CallState.BRIDGED)
        assert ringing.row_count == 0
        if at_once:
            typed_at_once(app, "down", "enter")
        else:
            await pilot.press("down")
            assert bridged.has_focus and bridged.cursor_row == 0, "over the empty queueing group"
            await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen), "Enter was lost in the emptied group"
        first_bridged = grid.shown(CallState.BRIDGED)[0].call_ref
        assert app.screen.call_ref == bridged.selected_key == first_bridged


async def test_down_and_enter_typed_at_once_past_a_groups_last_call_open_the_next_groups_first(
    sim: Simulator,
) -> None:
    async with _from_ringing(sim, (80, 24), ringing=1, queueing=2) as (app, pilot, grid):
        ringing_call = grid.shown(CallState.RINGING)[0].call_ref
        first_queueing = grid.shown(CallState.QUEUEING)[0].call_ref
        typed_at_once(app, "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.call_ref == first_queueing != ringing_call, "not the call left behind"


async def test_the_group_the_focus_is_in_is_marked_and_enter_on_an_empty_one_says_so(
    sim: Simulator,
) -> None:
    """Tab stops on a group with no calls (it shows no cursor): its title is marked,
    and Enter there says the group is empty rather than doing nothing."""
    async with _from_ringing(sim, (80, 24), ringing=0, queueing=2, notifications=True) as (
        app,
        pilot,
        grid,
    ):

        def marked() -> list[str]:
            titles = (rendered_text(grid.query_one(f"#title-{state}")) for state in CallState)
            return [title.split()[1] for title in titles if title.startswith(FOCUS_MARK)]

        assert marked() == ["Ringing"]
        await pilot.press("tab")
        assert marked() == ["Queueing"]
        await pilot.press("shift+tab")  # back onto the empty group: Tab stops there
        ringing = grid.table(CallState.RINGING)
        assert ringing.has_focus and not ringing.row_count
        assert marked() == ["Ringing"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Ringing has no calls now" in screen_text(app))
        assert not isinstance(app.screen, LookupScreen)
        await pilot.press("tab")
        assert marked() == ["Queueing"]
        await pilot.press("enter")  # a group with calls: Enter opens its selected call
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))


async def test_the_empty_group_toast_goes_once_a_call_rings_there(sim: Simulator) -> None:
    """The toast "Ringing has no calls now" was said of the group as it was: once a
    call rings in the group with the focus, Enter opens it, and the toast saying
    otherwise is taken down with that poll, not left for its seconds."""
    async with _from_ringing(sim, (80, 24), ringing=0, queueing=2, notifications=True) as (
        app,
        pilot,
        grid,
    ):
        told = "Ringing has no calls now"
        await pilot.press("enter")
        await wait_until(pilot, lambda: told in screen_text(app))
        await _post_waiting(pilot, 1, 2)
        await pilot.pause()
        assert grid.table(CallState.RINGING).row_count == 1
        assert told not in screen_text(app) and not app._notifications
        ringing_call = grid.shown(CallState.RINGING)[0].call_ref
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        assert app.screen.call_ref == ringing_call


async def test_enter_with_a_filter_that_hides_every_call_names_the_filter(sim: Simulator) -> None:
    """Every group is empty because of the filter: Enter says so and how to clear it,
    not "Tab moves to the next group" (no group has a call to move to); the words are
    shown as typed, brackets and all."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        await pilot.press("slash", *"zz[b]zz", "enter")
        grid = dashboard_of(app).grid
        assert not grid.shown_calls()
        told = "No call matches the filter 'zz[b]zz': Esc clears it."
        await wait_until(pilot, lambda: told in screen_text(app))  # the box's own Enter
        app.clear_notifications()
        await pilot.press("enter")  # and again on the empty group it left the focus in
        await wait_until(pilot, lambda: told in screen_text(app))
        assert "moves to the next group" not in screen_text(app)
        # the users panel, as empty, says how many the filter left of how many
        panel = dashboard_of(app).user_panel
        title = rendered_text(panel.query_one("#users-title"), width=200).strip()
        total = len(panel.snapshot.visible(False))
        assert title.endswith(f"  0 of {total} (filter: zz[b]zz)") and total > 0, title


async def test_the_no_match_toast_goes_with_the_filter_it_was_about(sim: Simulator) -> None:
    """The toast "No call matches the filter 'zz': Esc clears it." is wrong the
    moment Esc has cleared it (or another filter is typed): it is taken down then,
    not left standing over the status line for its seconds."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        told = "No call matches the filter 'zz': Esc clears it."
        await pilot.press("slash", *"zz", "enter")
        await wait_until(pilot, lambda: told in screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert told not in screen_text(app) and not app._notifications
        assert dashboard_of(app).grid.shown_calls()
        # typed over: the toast of the first filter goes as the words change
        await pilot.press("slash", *"zz", "enter")
        await wait_until(pilot, lambda: told in screen_text(app))
        await pilot.press("slash", "q")
        await pilot.pause()
        assert told not in screen_text(app)


async def test_a_long_filter_is_cut_in_the_titles_never_their_counts(sim: Simulator) -> None:
    """At 80 columns the users' title has room for the counts and a few words: a long
    filter is cut with "…", and how many users it left stays whole before it."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        words = "sales line and a much longer filter text than a title can hold"
        await pilot.press("slash", *words, "enter")
        panel = dashboard_of(app).user_panel
        total = len(panel.snapshot.visible(False))
        await wait_until(pilot, lambda: f"0 of {total} (filter: sales" in screen_text(app))
        line = next(line for line in screen_text(app).splitlines() if "☺ Users" in line)
        assert line.rstrip().endswith("…") and words not in line, line
        # the call groups' titles alike, their counts first
        ringing = next(line for line in screen_text(app).splitlines() if "Ringing" in line)
        assert "Ringing 0 of " in ringing and ringing.rstrip().endswith("…"), ringing


async def test_the_users_panel_is_marked_while_it_has_the_focus(sim: Simulator) -> None:
    """Tab from the last call group into the users: the mark moves to the users' title,
    and back again on Shift+Tab (the row highlight alone is easy to lose over SSH)."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)

        def marked() -> list[str]:
            titles = [rendered_text(board.grid.query_one(f"#title-{s}")) for s in CallState]
            titles.append(rendered_text(board.user_panel.query_one("#users-title")))
            return [title.split()[1] for title in titles if title.startswith(FOCUS_MARK)]

        board.grid.table(CallState.BRIDGED).focus()
        await pilot.pause()
        assert marked() == ["Bridged"]
        await pilot.press("tab")
        assert board.user_panel.table.has_focus
        assert marked() == ["Users"]
        await pilot.press("shift+tab")
        assert marked() == ["Bridged"]


async def test_a_filter_that_matches_only_a_users_name_takes_the_focus_to_the_users(
    sim: Simulator,
) -> None:
    """An agent on no call, filtered by name: no call group has a row, so Enter in the
    box goes to the users table (where the match is), and says no call matches."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        in_calls = " ".join(
            f"{c.agent_name} {c.src_number} {c.dgrp_name} {c.queue}".lower()
            for c in board.calls.calls
        )
        name = next(
            user.display_name
            for user in board.users.dashboard_users
            if user.display_name and user.display_name.split()[-1].lower() not in in_calls
        )
        needle = name.split()[-1]
        await pilot.press("slash", *needle, "enter")
        assert not board.grid.shown_calls()
        assert board.user_panel.table.has_focus and board.user_panel.table.row_count
        told = f"No call matches the filter {needle!r} ("
        await wait_until(pilot, lambda: told in screen_text(app))


async def test_with_no_call_at_all_the_focus_starts_in_the_first_group_not_the_users() -> None:
    """An empty centre (or the first frame, before the calls poll filled the groups):
    the focus is on the first call group, as ever. Only a filter that matched an agent's
    name alone sends it to the users."""
    from rtdash.sim import SimConfig

    with Simulator(SimConfig(seed=1, agents=6, load=0, realtime=False)).start(port=0) as sim:
        app = make_app(sim)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_data(pilot)
            board = dashboard_of(app)
            assert not board.grid.shown_calls() and board.user_panel.table.row_count
            board.focus_first_table()
            await pilot.pause()
            assert board.grid.table(CallState.RINGING).has_focus
