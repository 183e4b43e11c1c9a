"""The users panel under a filter: the agents of the calls it shows stay listed (a
supervisor who filters by a queue's name looks for who is on its calls), and a filter
that leaves no user says so where the rows would be, not with blank rows."""

from __future__ import annotations

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from tests.ui.helpers import dashboard_of, make_app, screen_text, wait_for_data, wait_until


async def test_a_queues_name_keeps_the_agents_on_its_calls(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("slash", *"sales", "enter")
        await wait_until(pilot, lambda: board.grid.filter_text == "sales")
        await pilot.pause()
        talking = {call.agent_name for call in board.grid.shown(CallState.BRIDGED)}
        agents = [user for user in board.users.visible(False) if user.display_name in talking]
        assert agents, "the centre has dashboard agents talking on sales calls"
        listed = board.user_panel.shown_users()
        assert {user.user_id for user in agents} <= {user.user_id for user in listed}, listed
        assert all(user.display_name in talking for user in listed), "no one else"
        shown = screen_text(app)
        assert f"{len(listed)} of " in shown and 'No user matches "sales"' not in shown
        assert listed[0].label in shown, shown


async def test_a_filter_that_leaves_no_user_says_so_in_the_panel(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("slash", *"zqzq", "enter")
        await wait_until(pilot, lambda: board.grid.filter_text == "zqzq")
        await pilot.pause()
        assert board.user_panel.table.row_count == 0
        lines = [line for line in screen_text(app).splitlines() if line.strip()]
        title = next(n for n, line in enumerate(lines) if "☺ Users" in line)
        # under the header, where the first user's row would be
        assert "Name" in lines[title + 1], lines[title:]
        assert lines[title + 2].strip() == 'No user matches "zqzq"', lines[title:]

        await pilot.press("escape")
        await wait_until(pilot, lambda: not board.grid.filter_text)
        await pilot.pause()
        assert "No user matches" not in screen_text(app)
