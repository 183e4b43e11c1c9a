"""The tables' lines while the first frame is held: a table laid out at several sizes
before it settles (the groups' heights come after the first layout) describes its
lines once, at the size it settled at, just before the first paint
(``KeyedTable.draw_held_lines``); what it notes as drawn is what describing its lines
afresh gives, so the ticks and the next poll redraw exactly what changed."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from rtdash import head_start
from rtdash.sim import Simulator
from rtdash.ui import first_frame as first_frame_module
from rtdash.ui.widgets.keyed_table import KeyedTable
from tests.ui.helpers import make_app, settings_for, wait_for_data, wait_until


@pytest.mark.parametrize("early", [False, True], ids=["polled", "head-start"])
async def test_lines_are_described_once_at_the_settled_size(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    monkeypatch.setattr(first_frame_module, "FIRST_FRAME_WAIT", 60.0)  # only the answer ends it
    described: Counter[str] = Counter()
    held: Counter[str] = Counter()
    real = KeyedTable._line_source

    def counting(self: KeyedTable[Any], y: int, index: int) -> Any:
        described[str(self.id)] += 1
        if getattr(self.app, "holding_first_frame", False):
            held[str(self.id)] += 1
        return real(self, y, index)

    monkeypatch.setattr(KeyedTable, "_line_source", counting)
    settings = settings_for(sim)
    started = head_start.begin(settings) if early else None
    if started is not None:
        started.join(timeout=10)
    app = make_app(sim, settings, app_options={"head_start": started})
    seen: dict[str, Any] = {}
    paint = app._paint_first_frame

    def painting() -> None:
        paint()
        tables = list(app.screen.query(KeyedTable).results())
        seen["counts"] = dict(described)
        seen["visible"] = {str(table.id): len(table._visible_rows()) for table in tables}
        seen["drawn"] = {str(table.id): dict(table._drawn.lines) for table in tables}
        fresh = {}
        for table in tables:  # described afresh, as a poll would
            table._drawn.clear()
            table._redraw_changed_lines()
            fresh[str(table.id)] = dict(table._drawn.lines)
        seen["fresh"] = fresh

    app._paint_first_frame = painting  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, lambda: "fresh" in seen)
    assert not held, "no line is described while the frame is held"
    assert seen["counts"] == {name: n for name, n in seen["visible"].items() if n}
    assert sum(seen["visible"].values()) > 20, "the tables have rows on screen"
    assert seen["drawn"] == seen["fresh"]
