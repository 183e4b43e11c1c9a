"""The dashboard's queues view (``Q``): each queue now and today; Enter filters the calls."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from rtdash.api.models import CallState
from rtdash.core.format import clock_time
from rtdash.core.queues import summarize_queues
from rtdash.core.service import ServiceLevel
from rtdash.sim import Simulator
from rtdash.ui.commands import LIVE, commands_for
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.queues import TALK_MIN_WIDTH, QueuesScreen
from rtdash.ui.widgets.metrics_bar import MetricTile
from rtdash.ui.widgets.title_line import FOCUS_MARK
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    poll_after,
    rendered_text,
    screen_text,
    settings_for,
    wait_for_data,
    wait_for_footer_keys,
    wait_until,
)


async def _open(pilot: Pilot) -> QueuesScreen:
    await wait_for_data(pilot)
    # from the users (a place a queue's calls never are): the Enter below must move it
    dashboard_of(pilot.app).user_panel.table.focus()
    await pilot.pause()
    await pilot.press("Q")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, QueuesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, QueuesScreen)
    return screen


def test_queues_is_one_command_of_the_dashboard() -> None:
    (command,) = [c for c in commands_for(LIVE) if c.id == "queues"]
    assert (command.key, command.action, command.palette) == ("Q", "queues", True)


async def test_each_queue_now_and_today_and_enter_filters_the_grid(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        board = screen.board
        live = summarize_queues(board.calls, board.users.dashboard_users)
        table = screen.query_one(DataTable)
        assert table.row_count == len(live) >= 2
        report = board.feed.find(ServiceLevel).report()
        for index, queue in enumerate(live):
            row = [cell.plain for cell in table.get_row_at(index)]
            assert row[0] == queue.queue
            assert row[1] == str(queue.waiting) and row[3] == str(queue.talking)
            assert row[4] == str(queue.agents_on_call)
            stats = report.queue(queue.queue)
            if stats is not None and stats.sl_percent is not None:
                assert row[5].startswith(f"{stats.sl_percent:.0f}%")
        text = screen_text(app)
        assert "available for any queue" in text
        assert all(len(line) <= 80 for line in text.splitlines())
        chosen = live[1].queue
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.screen.query_one("#filter", Input).value == f"queue:{chosen}"
        grid = dashboard_of(app).grid
        shown = grid.shown_calls()
        assert shown and {call.queue for call in shown} == {chosen}
        everything = [c for s in CallState for c in board.calls.groups.get(s, ())]
        assert len(shown) == sum(1 for call in everything if call.queue == chosen)
        # the focus is in the first group the queue has calls in, whichever had it
        await pilot.pause()
        first = next(state for state in CallState if grid.shown(state))
        assert grid.table(first).has_focus
        users = dashboard_of(app).user_panel
        assert users.filter_text == ""  # no user is hidden by a queue filter
        await pilot.press("escape")
        assert grid.filter_text == ""


async def test_escape_closes_without_filtering(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert dashboard_of(app).grid.filter_text == ""


def test_queues_view_80x24(snap_compare, sim: Simulator) -> None:
    async def run_before(pilot: Pilot) -> None:
        # the dashboard's Footer shows below the view: its keys laid out first
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        await _open(pilot)
        await pilot.pause()

    assert snap_compare(make_app(sim, flash=False), terminal_size=(80, 24), run_before=run_before)


def test_queues_view_58x24_names_the_column_it_has_no_room_for(
    snap_compare, sim: Simulator
) -> None:
    """Harbour Lettings' "maintenance" queue whole beside the shortest headers, agents
    on a call named under the table."""
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]

    async def run_before(pilot: Pilot) -> None:
        await wait_for_data(pilot)
        await pilot.press("2")
        await wait_for_footer_keys(pilot)
        await _open(pilot)
        await pilot.pause()

    app = make_app(sim, settings, flash=False)
    assert snap_compare(app, terminal_size=(58, 24), run_before=run_before)


async def test_enter_on_a_queue_focuses_the_first_group_it_has_calls_in(sim: Simulator) -> None:
    """A queue with no call ringing: its Enter puts the focus in the first group that
    shows its calls, not in the emptied ringing group the focus was in."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        ringing = board.grid.table(CallState.RINGING)
        ringing.focus()
        await pilot.pause()
        live = summarize_queues(board.calls, board.users.dashboard_users)
        rung = {call.queue for call in board.calls.groups[CallState.RINGING]}
        index, chosen = next((i, q.queue) for i, q in enumerate(live) if q.queue not in rung)
        await pilot.press("Q")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
        await pilot.press(*["down"] * index, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.pause()
        grid = board.grid
        assert grid.filter_text == f"queue:{chosen}" and not grid.shown(CallState.RINGING)
        first = next(state for state in CallState if grid.shown(state))
        assert grid.table(first).has_focus, app.screen.focused
        title = rendered_text(grid.query_one(f"#title-{first}"))
        assert title.startswith(FOCUS_MARK)


async def test_a_wide_terminal_adds_todays_average_talk_and_80_columns_do_not(
    sim: Simulator,
) -> None:
    """At 80 columns the view's columns fill the dialog: a talk column would cut the
    queue names. From TALK_MIN_WIDTH it has one, and a resize adds or takes it away."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(TALK_MIN_WIDTH, 30)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        service = view.feed.find(ServiceLevel)
        for _ in range(60):  # twenty minutes of the simulated day at most
            if all(q.talked for q in service.report().queues):
                break
            await poll_after(pilot, view, 20, sim)
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        assert [c.label.plain for c in table.columns.values()][-1] == "Avg talk"
        report = service.report()
        for index in range(table.row_count):
            row = [cell.plain for cell in table.get_row_at(index)]
            stats = report.queue(row[0])
            assert stats is not None and stats.avg_talk is not None
            whole = round(stats.avg_talk)
            assert row[-1] == f"{whole // 60}:{whole % 60:02d}"
        assert "Avg talk" in screen_text(app)
        await pilot.press("down")
        assert table.cursor_row == 1
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "talk" not in table.columns)
        assert table.cursor_row == 1, "the queue chosen stays chosen"
        text = screen_text(app)
        assert "Avg talk" not in text and "Abandoned" in text
        assert all(len(line) <= 80 for line in text.splitlines())
        await pilot.resize_terminal(TALK_MIN_WIDTH, 30)
        await wait_until(pilot, lambda: "talk" in table.columns)
        assert table.row_count == len(report.queues)


async def test_the_cursor_stays_on_the_queue_moved_to_while_the_queues_reorder(
    sim: Simulator,
) -> None:
    """The queues are in order of longest wait, and that order changes by the second:
    a cursor kept on its row's position went from billing to bookings to sales under
    a supervisor who had chosen billing, and Enter filtered the calls to sales."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(DataTable)
        await pilot.press("down")
        chosen = screen.rows[1].queue
        for _ in range(40):  # at most ten minutes of the simulated day
            await poll_after(pilot, screen.board, 15, sim)
            screen.refresh_rows()
            order = [row.queue for row in screen.rows]
            if chosen in order and order.index(chosen) != 1:
                break
        else:
            raise AssertionError("the queues never changed order")
        shown = screen.rows[table.cursor_row].queue
        assert shown == chosen, f"cursor on {shown!r}, moved to {chosen!r}; order {order}"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.screen.query_one("#filter", Input).value == f"queue:{chosen}"


async def test_paused_the_queues_view_holds_the_dashboards_times(sim: Simulator) -> None:
    """Paused, the headline's longest wait stood at 0:08 while the queues view under
    it counted on to 1:27 and marked it amber: two screens of one installation must
    not tell two times. Resumed, both count on again."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        for _ in range(40):
            if board.metrics.waiting:
                break
            await poll_after(pilot, board, 15, sim)
        assert board.metrics.waiting, "somebody waits"
        tile = board.query_one("#tile-longest_wait", MetricTile)
        await pilot.press("p")
        await wait_until(pilot, lambda: board.feed.paused)
        frozen = tile._value
        app.clock.advance(45)
        board.tick()
        assert tile._value == frozen
        screen = await _open(pilot)
        table = screen.query_one(DataTable)

        def longest() -> str:
            """The first queue's (the longest) wait, without its threshold's mark."""
            return table.get_row_at(0)[2].plain.split()[0]

        assert longest() == frozen
        app.clock.advance(40)
        screen.refresh_rows()
        assert longest() == frozen, f"the view counts {longest()!r}, the headline {frozen!r}"
        # the dialog covers the status line that says paused: its own title says so
        held = clock_time(board.clock.now(), board.zone)
        title = screen.query_one("#queues-title", Label)
        assert str(title.render()).startswith(f"Queues — paused {held}, and today's")
        board.poller.resume()
        await wait_until(pilot, lambda: not board.feed.paused)
        board.tick()
        screen.refresh_rows()
        assert longest() == tile._value != frozen
        assert str(title.render()).startswith("Queues — now, and today's")


async def test_p_pauses_and_resumes_from_the_queues_view(sim: Simulator) -> None:
    """The view is read paused to compare its queues with the headline: `p` there
    pauses the installation as it does on the dashboard, without closing the view,
    and the dashboard's footer offers the other word once the view closes."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        board = screen.board
        title = screen.query_one("#queues-title", Label)
        await pilot.press("p")
        await wait_until(pilot, lambda: board.feed.paused)
        assert app.screen is screen, "the view stays open"
        assert str(title.render()).startswith("Queues — paused ")
        await pilot.press("p")
        await wait_until(pilot, lambda: not board.feed.paused)
        assert str(title.render()).startswith("Queues — now, ")
        await pilot.press("p")
        await wait_until(pilot, lambda: board.feed.paused)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "p Resume" in footer, footer


# Harbour Lettings (the second installation) has a queue named "maintenance"
@pytest.mark.parametrize(("width", "installation"), [(60, 1), (66, 1), (58, 2), (66, 2)])
async def test_every_column_shown_whole_and_the_rest_named(
    sim: Simulator, width: int, installation: int
) -> None:
    """Under 66 columns the Abandoned column was cut to "Aband", and at 60 it was gone
    with nothing but a sideways scrollbar to say so (and no key that scrolls there):
    a column too many for the width is named under the table, never left out."""
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = make_app(sim, settings, flash=False)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press(str(installation))
        await pilot.pause()
        screen = await _open(pilot)
        await pilot.pause()
        table = screen.query_one(DataTable)
        text = screen_text(app)
        for column in table.columns.values():
            header = column.label.plain
            assert header in text, f"{header!r} cut at {width} columns:\n{text}"
        assert table.max_scroll_x == 0, f"scrolls sideways at {width} columns:\n{text}"
        words = text.split()
        for row in screen.rows:
            name = row.queue
            cut = any(w.endswith("…") and name.startswith(w[:-1]) for w in words)
            assert name in words or cut, f"{name!r} at {width} columns:\n{text}"
        keeper = screen.board.keeper
        assert keeper is not None
        sl = keeper.sl_seconds
        names = {
            "waiting": "Waiting",
            "longest": "Longest",
            "talking": "Talking",
            "on_call": "Agents on a call",
            "sl": f"SL {sl:g}s",
            "abandoned": "Abandoned",
        }
        said = next((line for line in text.splitlines() if "Too narrow for:" in line), "")
        unsaid = [name for key, name in names.items() if key not in table.columns]
        unsaid = [name for name in unsaid if name not in said]
        assert not unsaid, f"left out unnamed at {width} columns: {unsaid}\n{text}"
        assert len(table.columns) >= 3, "the queue, its callers waiting, the longest wait"


@pytest.mark.parametrize("name", ["maintenance", "customer retention and renewals"])
def test_a_narrower_view_never_brings_longer_headers_back(name: str) -> None:
    """Narrowed a cell at a time, the view gives up room in one direction: headers only
    get shorter and columns only go. Once a column had to go, the long words came back
    with the room it left (60 columns: "Wait Long … On call", 59: "Waiting Longest"
    without it), so the table looked wider as the terminal got narrower."""
    from rtdash.ui.widgets.column_fit import FORMS, fit_columns
    from rtdash.ui.widgets.queue_cells import queue_columns

    columns = queue_columns(20, talk=False)
    widths = {"waiting": 1, "longest": 6, "sl": 4, "abandoned": 1, "talking": 1, "on_call": 1}
    forms = {heads[form]: form for _, heads in columns for form in range(FORMS)}
    kept_before, shortness_before = len(columns), 0
    for room in range(90, 30, -1):
        kept, dropped = fit_columns(columns, widths, len(name), room)
        # how short the headers are: the shortest form any kept header is in
        shortness = max(forms[header] for _, header in kept)
        assert len(kept) <= kept_before, (room, kept)
        assert shortness >= shortness_before, (room, kept)
        assert len(kept) + len(dropped) == len(columns)
        kept_before, shortness_before = len(kept), shortness


async def test_a_wide_view_shows_each_queues_last_15_minutes_beside_its_day(
    sim: Simulator,
) -> None:
    """After a bad morning today's SL % hardly moves: from TALK_MIN_WIDTH each queue has
    its SL % of the last 15 minutes too, the service's own figure, and the title the
    installation's; at 80 columns neither shows."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        service = view.feed.find(ServiceLevel)
        for _ in range(60):  # twenty minutes of the simulated day: the windows part
            await poll_after(pilot, view, 20, sim)
        today, recent = service.report("today"), service.metrics.report("15m")
        assert recent.total.answered < today.total.answered, "the day is longer than 15 min"
        screen = await _open(pilot)
        screen.refresh_rows()
        table = screen.query_one(DataTable)
        headers = [c.label.plain for c in table.columns.values()]
        assert "SL 15m" in headers
        column = headers.index("SL 15m")

        def percent(stats: object) -> str:
            value = getattr(stats, "sl_percent", None)
            return "–" if value is None else f"{value:.0f}%"

        shown = {}
        for index in range(table.row_count):
            row = [cell.plain for cell in table.get_row_at(index)]
            shown[row[0]] = row[column].split()[0]
        assert shown == {name: percent(recent.queue(name)) for name in shown}
        assert any(percent(recent.queue(n)) != percent(today.queue(n)) for n in shown), (
            "the column is the window's, not the day's"
        )
        title = str(screen.query_one("#queues-title", Label).render())
        assert title.split(" · ")[-1].startswith(f"all queues, 15 min: {percent(recent.total)}")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "sl_15m" not in table.columns)
        text = screen_text(app)
        assert "SL 15m" not in text and "15 min" not in text
