"""The wallboard's queue table says how each queue's day went, as the dashboard's queues
view does: today's SL % and abandons per queue, marked by the headline's thresholds,
where the width allows (a column it has no room for is named under the table:
tests/ui/test_wallboard_layout.py)."""

from __future__ import annotations

import re

from textual.geometry import Region

from rtdash.core.queues import NO_QUEUE
from rtdash.core.service_tiles import counted
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.palette import LEVEL_MARK
from rtdash.ui.widgets.queue_summary import QueueSummaryPanel
from tests.ui.helpers import wait_for_data
from tests.ui.test_wallboard_layout import wallboard_app

#: what one column's cells are apart from the next: a cell's padding each side
CELL_GAP = re.compile(r" {2,}")


def _rows(app: RtdashApp) -> list[str]:
    panel = app.screen.view.query_one(QueueSummaryPanel)
    width, height = panel.size
    return [strip.text.strip() for strip in panel.render_lines(Region(0, 0, width, height))]


def _table(rows: list[str]) -> dict[str, dict[str, str]]:
    """Each queue's cells by the header they stand under."""
    header = CELL_GAP.split(rows[0])
    assert header[0] == "Queue", rows
    table = {}
    for row in rows[1:]:
        cells = CELL_GAP.split(row)
        if len(cells) == len(header):
            table[cells[0]] = dict(zip(header, cells, strict=True))
    return table


async def test_each_queue_has_todays_sl_and_abandons_as_the_service_counts_them(
    sim: Simulator,
) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")  # no poll moves the day on while the table is read
        await pilot.pause()
        view = app.screen.view
        keeper = view.keeper
        rows = _rows(app)
        header = CELL_GAP.split(rows[0])
        sl = next((h for h in header if h in (f"SL {keeper.sl_seconds:g}s", "SL")), None)
        abandoned = next((h for h in header if h in ("Abandoned", "Aband")), None)
        assert sl and abandoned, rows
        assert not any(row.startswith("Too narrow for:") for row in rows), rows
        report = keeper.service.report("today")
        thresholds = keeper.options.thresholds
        today = {stats.name or NO_QUEUE: stats for stats in report.queues}
        table = _table(rows)
        measured = [name for name in table if name in today]
        assert measured, f"the demo counted no queue's day: {rows}"
        for name, cells in table.items():
            stats = today.get(name)
            if stats is None or stats.sl_percent is None:
                assert cells[sl] == "–", (name, cells)
            else:
                level = thresholds.sl(stats.sl_percent, counted(stats))
                expected = f"{stats.sl_percent:.0f}%{LEVEL_MARK[level]}"
                assert cells[sl] == expected, (name, cells)
            if stats is None:
                assert cells[abandoned] == "–", (name, cells)
            else:
                level = thresholds.abandon(stats.abandon_percent, counted(stats))
                count = stats.abandoned - stats.short_abandoned
                assert cells[abandoned] == f"{count}{LEVEL_MARK[level]}", (name, cells)


async def test_80_columns_keep_every_column_under_shorter_headers(sim: Simulator) -> None:
    """A supervisor on SSH reads the day per queue too: the shorter headers make room."""
    app = wallboard_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        await pilot.pause()
        rows = _rows(app)
        assert CELL_GAP.split(rows[0]) == [
            "Queue",
            "Waiting",
            "Longest",
            "Talking",
            "On call",
            "SL 20s",
            "Abandoned",
        ], rows
        assert not any(row.startswith("Too narrow for:") for row in rows), rows
