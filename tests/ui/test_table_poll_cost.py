"""A poll's cost in a keyed table follows what changed on screen, not the number of
rows: the rows off screen are not keyed, described or drawn, and a poll that changes
nothing on screen draws nothing. Counted, never timed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.strip import Strip

from rtdash.ui.widgets.keyed_table import KeyedTable, RowOrder, RowSpec
from tests.ui.test_keyed_table import Redraws, Row, rows, table_app

MANY = 20_000


async def settled(pilot: Pilot[None]) -> None:
    """The first frame drawn in full (its scrollbar's layout after the rows came)."""
    await pilot.pause()
    await pilot.pause()


class Counting:
    """Counts a table's keys worked out and lines rendered."""

    def __init__(self, table: KeyedTable[Row], monkeypatch: pytest.MonkeyPatch) -> None:
        self.keyed = 0
        self.rendered: list[int] = []
        store = table._rows
        key_of = store.key_of

        def counted_key(row: Row) -> str:
            self.keyed += 1
            return key_of(row)

        store.key_of = counted_key
        render_line = table.render_line

        def counted_line(y: int) -> Strip:
            self.rendered.append(y)
            return render_line(y)

        monkeypatch.setattr(table, "render_line", counted_line)

    def clear(self) -> None:
        self.keyed = 0
        self.rendered.clear()


async def test_a_poll_that_changes_an_off_screen_row_keys_describes_and_renders_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table: KeyedTable[Row] = app.query_one(KeyedTable)
        order: RowOrder[Row] = RowOrder(lambda row: -row.since.timestamp())
        table.reconcile(rows(MANY), order)
        await settled(pilot)
        counting, redraws = Counting(table, monkeypatch), Redraws(table, monkeypatch)
        app.described.clear()
        changed = rows(MANY)
        changed[15_000] = replace(changed[15_000], name="new name")  # far below the screen
        table.reconcile(changed, order)
        await pilot.pause()
        assert redraws.regions == []
        assert counting.rendered == []
        # the ten rows on screen (new objects, as a poll brings) and nothing else
        assert set(app.described) <= {f"r{n}" for n in range(10)}
        assert counting.keyed <= 10 + 3, counting.keyed
        assert table.row_count == MANY


async def test_an_unchanged_poll_of_the_very_same_rows_does_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table: KeyedTable[Row] = app.query_one(KeyedTable)
        same = tuple(rows(MANY))
        table.reconcile(same)
        await settled(pilot)
        counting, redraws = Counting(table, monkeypatch), Redraws(table, monkeypatch)
        app.described.clear()
        table.reconcile(same)
        await pilot.pause()
        assert (redraws.regions, counting.rendered, app.described) == ([], [], [])
        # the rows on screen are looked at (their lines compared), no other
        assert counting.keyed <= 10


async def test_when_the_cursors_row_goes_the_other_rows_are_not_all_keyed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The longest-waiting call (row 0, where the cursor starts) is the one answered:
    its row goes on most polls of a busy queue."""
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table: KeyedTable[Row] = app.query_one(KeyedTable)
        order: RowOrder[Row] = RowOrder(lambda row: -row.since.timestamp())
        table.reconcile(rows(MANY), order)
        await settled(pilot)
        counting = Counting(table, monkeypatch)
        table.reconcile(rows(MANY)[1:], order)
        await pilot.pause()
        assert table.selected_key == "r1"
        assert counting.keyed < 1_000, counting.keyed


async def test_a_changed_description_redraws_only_the_lines_that_look_different(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Who is on a call changes a user's row though the user is the same object: the
    rows on screen are described again, the unchanged ones keep their cells, and only
    the line that changed is redrawn."""
    app, _clock = table_app()
    busy: set[str] = set()

    def describe(row: Row) -> RowSpec:
        app.described.append(row.key)
        queue = "on call" if row.key in busy else "support"
        return RowSpec(row.key, {"name": row.name, "queue": queue}, {"in_state": row.since})

    app.describe = describe  # type: ignore[method-assign]
    async with app.run_test(size=(60, 11)) as pilot:
        table: KeyedTable[Row] = app.query_one(KeyedTable)
        table.reconcile(tuple(rows(MANY)))
        await settled(pilot)
        cells: dict[str, Any] = {
            key: described.segments for key, described in table._row_cells.described.items()
        }
        redraws = Redraws(table, monkeypatch)
        app.described.clear()
        busy.add("r4")
        table.redescribe()
        await pilot.pause()
        assert sorted(set(app.described)) == sorted(f"r{n}" for n in range(10))
        assert redraws.lines == {1 + 4}
        assert table.get_row("r4")[1] == "on call"
        kept = table._row_cells.described
        assert all(kept[key].segments is cells[key] for key in cells if key != "r4")


@pytest.mark.parametrize("no_color", [False, True])
async def test_a_quick_tick_cell_is_the_cell_made_the_long_way(no_color: bool) -> None:
    """A tick's new times, and any plain text that fits, are made from kept styles;
    the segments are the ones the general way (a Text copied, cut, rendered, then
    filtered) makes, or none."""
    from rich.text import Text
    from textual.filter import Monochrome

    app, _clock = table_app()
    if no_color:
        app._filters.append(Monochrome())
    async with app.run_test(size=(60, 11)) as pilot:
        table: KeyedTable[Row] = app.query_one(KeyedTable)
        table.reconcile(rows(3))
        await pilot.pause()
        maker, console = table._row_cells.maker, app.console
        assert maker.look is not None
        values: list[str | Text] = [
            "0:42",
            "12:34:56",
            "",
            "日本語",
            "+44 7700",
            Text("1:05", style="bold red"),
            Text("9:59", style="reverse"),
            Text("0:00"),
        ]
        for value in values:
            quick = maker.quick_cell(value, 8, console)
            assert quick == maker.long_cell(value, 8, console), value
            assert maker.cell(value, 8, console) == quick, value  # a cell made quick
        # too wide, or styled in parts: the long way only
        assert maker.quick_cell("123:45:67:89", 8, console) is None
        parts = Text("1:")
        parts.append("05", style="red")
        assert maker.quick_cell(parts, 8, console) is None
