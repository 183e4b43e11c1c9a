"""Sort is visible and reversible: an arrow in the sorted column's header, ``s`` walks
the columns left to right (Total included), ``S`` (and the palette's "Reset sort")
goes back to the default, and the order survives the next polls."""

from __future__ import annotations

from itertools import pairwise

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.widgets.calls_grid import COLUMNS

from .helpers import make_app, on_talking_calls, wait_for_data, wait_until


def _headers(table) -> list[str]:
    """The column labels, each checked to be in the header line as drawn."""
    labels = [column.label for column in table.columns]
    drawn = table.render_line(0).text
    assert all(label in drawn for label in labels), (labels, drawn)
    return labels


async def test_the_header_shows_the_sort_and_s_walks_the_columns(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (_app, pilot, board, table):
        default = list(table.keys)
        assert _headers(table)[0] == "In state↓", "the default order is shown too"
        assert _headers(board.user_panel.table)[0] == "In state", "the PBX's order: no arrow"
        visited = []
        for _ in range(2 * len(COLUMNS)):
            await pilot.press("s")
            marked = [label for label in _headers(table) if label[-1] in "↑↓"]
            assert len(marked) == 1
            visited.append(marked[0])
        assert visited[:4] == ["In state↑", "Total ↓", "Total ↑", "Caller ↑"]
        columns = [label.rstrip(" ↑↓") for label in visited[1::2]]
        assert columns == ["Total", "Caller", "Line", "Queue", "Agent", "In state"]
        assert table.keys == default, "a full round comes back to the default"
        # every group shares the grid's sort: their headers agree
        for state in (CallState.RINGING, CallState.QUEUEING):
            assert _headers(board.grid.table(state)) == _headers(table)


async def test_capital_s_resets_both_tables(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (_app, pilot, board, table):
        default = list(table.keys)
        await pilot.press("s", "s", "s", "s")
        assert table.keys != default
        board.user_panel.table.focus()
        await pilot.press("s", "s", "s")
        assert _headers(board.user_panel.table)[1] == "State ↓"
        await pilot.press("S")
        assert table.keys == default
        assert _headers(table)[0] == "In state↓"
        # the PBX's order, which an agent off a call does not follow by the time shown:
        # no arrow that says it does
        assert _headers(board.user_panel.table)[:2] == ["In state", "State"]
        starts = [u.state_start for u in board.user_panel.shown_users()]
        assert all(a is not None and b is not None and a <= b for a, b in pairwise(starts))
        assert board.status_bar.note == (
            "default order: calls longest first, users as the PBX orders them"
        )
        await pilot.press("s")  # by the time shown: the arrow, and the rows keep it
        assert _headers(board.user_panel.table)[0] in ("In state ↑", "In state↑")


async def test_the_sort_survives_the_next_polls(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (_app, pilot, board, table):
        await pilot.press("s", "s", "s", "s")  # caller ↑
        first = board.calls
        sim.advance(30)
        board.poller.refresh_now()
        await wait_until(pilot, lambda: board.calls is not first and not board.calls.unchanged)
        callers = [c.src_number or "~" for c in board.grid.shown(CallState.BRIDGED)]
        assert callers == sorted(callers)
        assert table.keys == [c.call_ref for c in board.grid.shown(CallState.BRIDGED)]
        assert _headers(table)[2] == "Caller ↑"


async def test_help_lists_the_reset(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        rows = app.screen.help_rows(app.current_keys())  # type: ignore[attr-defined]
        assert (
            "S",
            "Back to the default order: calls longest in state first, users as the PBX orders them",
        ) in rows
