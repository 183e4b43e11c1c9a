"""The wallboard at 160x48 uses its width: a queue name is whole where the shorter
headers leave it room, and the agents' tiles reach the right edge."""

from __future__ import annotations

from textual.geometry import Region

from rtdash.sim import Simulator
from rtdash.ui.widgets.agent_grid import AgentGrid, shared_widths
from rtdash.ui.widgets.queue_summary import QueueSummaryPanel, fit_columns
from tests.ui.helpers import wait_for_data
from tests.ui.test_wallboard_layout import wallboard_app


def test_shorter_headers_before_a_cut_name() -> None:
    """The "maintenance" queue (11 cells) beside the full headers needs 82 cells: in 81, the
    shorter headers and the whole name, not the full headers and "maintenan…"."""
    widths = {"waiting": 1, "longest": 6, "sl": 4, "abandoned": 1, "talking": 1, "on_call": 1}
    columns, dropped = fit_columns(widths, 11, 81)
    shorter = ["Waiting", "Longest", "SL 20s", "Abandoned", "Talking", "On call"]
    assert [header for _, header in columns] == shorter
    assert not dropped
    full, _ = fit_columns(widths, 11, 82)
    assert [header for _, header in full][-1] == "Agents on a call"


def test_tiles_share_what_does_not_divide_evenly() -> None:
    widths = shared_widths(94, 4, 19)
    assert widths == [23, 23, 23, 22]
    assert sum(widths) + len(widths) - 1 == 94, "no column left blank at the right"


def _panel_rows(panel: QueueSummaryPanel) -> list[str]:
    width, height = panel.size
    return [strip.text.rstrip() for strip in panel.render_lines(Region(0, 0, width, height))]


async def test_queue_names_are_whole_at_160x48(sim: Simulator) -> None:
    """Harbour Lettings' "maintenance" queue was cut to "maintenan…" under the full
    headers at 160 columns, while at 140 the shorter headers kept it whole."""
    app = wallboard_app(sim, more=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "p")
        await pilot.pause()
        panel = app.screen.view.query_one(QueueSummaryPanel)
        rows = _panel_rows(panel)
        assert panel.queues
        names = [row.split()[0] for row in rows if row.strip()]
        assert "maintenance" in {queue.queue for queue in panel.queues}
        for queue in panel.queues:
            assert queue.queue in names, rows
        assert not any("…" in row for row in rows), rows


async def test_agent_tiles_reach_the_right_edge_at_160x48(sim: Simulator) -> None:
    app = wallboard_app(sim, more=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "p")
        await pilot.pause()
        grid = app.screen.view.query_one(AgentGrid)
        lines = grid.render().plain.splitlines()
        widest = max(len(line) for line in lines)
        assert widest == grid.size.width, f"{grid.size.width - widest} columns left blank"
