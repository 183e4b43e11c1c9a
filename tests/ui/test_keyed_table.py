"""KeyedTable draws only what changed: the rows on screen, the lines that differ, the time
cells that moved. These tests watch what it asks the screen to redraw."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.filter import Monochrome
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from rtdash.core.clock import FrozenClock
from rtdash.ui.widgets.keyed_table import Column, KeyedTable, RowSpec

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
COLUMNS = (
    Column("name", "Name", 10),
    Column("queue", "Queue", 8),
    Column("in_state", "In state", 8, ticking=True),
)


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    since: datetime


def rows(count: int) -> list[Row]:
    return [Row(f"r{n}", f"caller {n}", START - timedelta(seconds=n)) for n in range(count)]


class TableApp(App[None]):
    # the dashboard's tables are held at a height (1fr, or their max-height): a row
    # count then moves nothing else on the screen
    CSS = "KeyedTable { height: 1fr; }"

    def __init__(self, clock: FrozenClock) -> None:
        super().__init__()
        self.clock = clock
        self.described: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, key=lambda row: row.key, describe=self.describe, clock=self.clock)

    def on_keyed_table_row_selected(self, message: KeyedTable.RowSelected) -> None:
        self.selected.append(message.key)

    def describe(self, row: Row) -> RowSpec:
        self.described.append(row.key)
        return RowSpec(row.key, {"name": row.name, "queue": "support"}, {"in_state": row.since})


class Redraws:
    """The regions a table asks to redraw (its own coordinates)."""

    def __init__(self, table: KeyedTable[Row], monkeypatch: pytest.MonkeyPatch) -> None:
        self.regions: list[Region] = []
        original = table.refresh

        def refresh(*regions: Region, **kwargs: object) -> KeyedTable[Row]:
            self.regions.extend(regions if regions else [Region(0, 0, 0, 0)])
            return original(*regions, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(table, "refresh", refresh)

    @property
    def lines(self) -> set[int]:
        return {y for region in self.regions for y in range(region.y, region.bottom)}

    def clear(self) -> None:
        self.regions.clear()


def table_app() -> tuple[TableApp, FrozenClock]:
    clock = FrozenClock(START)
    return TableApp(clock), clock


@dataclass
class Shown:
    app: TableApp
    clock: FrozenClock
    table: KeyedTable[Row]
    pilot: Pilot[None]
    redraws: Redraws


@asynccontextmanager
async def showing(items: list[Row], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Shown]:
    """A table showing ``items``, drawn, with its redraws watched from then on."""
    app, clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(items)
        await pilot.pause()
        yield Shown(app, clock, table, pilot, Redraws(table, monkeypatch))


async def test_only_the_rows_on_screen_are_described() -> None:
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(rows(2000))
        await pilot.pause()
        assert table.row_count == 2000
        assert len(table.keys) == 2000
        # 11 lines: the header and 10 rows
        assert 0 < len(set(app.described)) <= 10
        assert set(app.described) <= {f"r{n}" for n in range(10)}


async def test_an_unchanged_poll_redraws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    async with showing(rows(50), monkeypatch) as shown:
        shown.table.reconcile(rows(50))  # new objects, same rows: what a poll delivers
        await shown.pilot.pause()
        assert shown.redraws.regions == []


async def test_a_changed_row_redraws_its_line_only(monkeypatch: pytest.MonkeyPatch) -> None:
    async with showing(rows(50), monkeypatch) as shown:
        changed = rows(50)
        changed[3] = replace(changed[3], name="new name")
        shown.table.reconcile(changed)
        await shown.pilot.pause()
        assert shown.redraws.lines == {1 + 3}  # below the header
        assert shown.table.get_row("r3")[0] == "new name"


async def test_a_removed_row_redraws_the_lines_below_it(monkeypatch: pytest.MonkeyPatch) -> None:
    async with showing(rows(5), monkeypatch) as shown:
        shown.table.reconcile([row for row in rows(5) if row.key != "r2"])
        await shown.pilot.pause()
        # rows 3 and 4 move up a line and the last line is emptied; 0 and 1 stay
        assert shown.redraws.lines == {3, 4, 5}
        assert shown.table.keys == ["r0", "r1", "r3", "r4"]


async def test_a_tick_redraws_only_the_time_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    async with showing(rows(50), monkeypatch) as shown:
        table, clock, redraws, pilot = shown.table, shown.clock, shown.redraws, shown.pilot
        before = str(table.get_cell("r0", "in_state"))
        clock.advance(1)
        table.tick()
        await pilot.pause()
        after = str(table.get_cell("r0", "in_state"))
        assert (before, after) == ("0:00", "0:01")
        # one region: the time column, every row on screen, nothing else
        time_x = (10 + 2) + (8 + 2)
        assert redraws.regions == [Region(time_x, 1, 8 + 2, 10)]
        # a tick within the same second changes no text and redraws nothing
        redraws.clear()
        clock.advance(0.2)
        table.tick()
        assert redraws.regions == []


async def test_times_hold_still_between_ticks() -> None:
    """A paused view gets no ticks: what is drawn keeps the last tick's time, even when
    a line is redrawn for another reason."""
    app, clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(rows(3))
        await pilot.pause()
        clock.advance(30)
        assert str(table.get_cell("r1", "in_state")) == "0:01"
        table.tick()
        assert str(table.get_cell("r1", "in_state")) == "0:31"


async def test_the_cursor_follows_its_row_and_falls_to_a_neighbour() -> None:
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(rows(20))
        table.focus()
        await pilot.press("down", "down", "down")
        assert table.selected_key == "r3"
        # two rows above it end: the cursor stays on r3, now the second row
        table.reconcile([row for row in rows(20) if row.key not in {"r0", "r1"}])
        assert table.selected_key == "r3" and table.cursor_row == 1
        # r3 ends: the cursor stays at that place, on the row that took it
        table.reconcile([row for row in rows(20) if row.key not in {"r0", "r1", "r3"}])
        assert table.selected_key == "r4"
        await pilot.press("end")
        assert table.selected_key == "r19"
        await pilot.press("home")
        assert table.selected_key == "r2"


async def test_the_cursor_scrolls_into_view_and_enter_selects() -> None:
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(rows(100))
        table.focus()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert table.cursor_row == 18
        assert table.scroll_offset.y > 0, "the cursor's row is scrolled into view"
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["r18"]


async def test_a_click_highlights_and_a_second_click_selects() -> None:
    app, _clock = table_app()
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(rows(10))
        await pilot.click(KeyedTable, offset=(2, 4))  # line 4: the fourth row
        await pilot.pause()
        assert table.selected_key == "r3" and app.selected == []
        await pilot.click(KeyedTable, offset=(2, 4))
        await pilot.pause()
        assert app.selected == ["r3"]


@pytest.mark.parametrize("focused", [False, True])
async def test_lines_drawn_past_the_style_cache_are_the_lines_it_would_draw(
    monkeypatch: pytest.MonkeyPatch, focused: bool
) -> None:
    """The plain-box fast path gives the compositor exactly what Textual's own
    per-widget cache would: header, rows, the cursor row (focused or not), blank lines
    below the rows, a cropped part; and a table with padding takes Textual's path."""
    async with showing(rows(6), monkeypatch) as shown:
        table = shown.table
        if focused:
            table.focus()
        table.move_cursor(row=2)
        await shown.pilot.pause()
        whole = table.size.region
        assert table._plain_box()
        # the styles it keeps are the ones Textual gives now (focused or not)
        table.render_lines(whole)
        table._rich_style_cache.clear()
        for component in ("cursor", "header"):
            assert table._style(component) == table.get_component_rich_style(
                f"keyed-table--{component}"
            )
        for crop in (whole, Region(3, 1, 20, 5)):
            fast = table.render_lines(crop)
            table._styles_cache.clear()
            assert fast == table._styles_cache.render_widget(table, crop)
        assert len(fast) == 5 and fast[0].cell_length == 20
        assert "Name" in table.render_lines(whole)[0].text

        table.styles.padding = (0, 1)
        await shown.pilot.pause()
        assert not table._plain_box()
        taken: list[Region] = []
        original = table._styles_cache.render_widget

        def render_widget(widget: KeyedTable[Row], crop: Region):  # type: ignore[no-untyped-def]
            taken.append(crop)
            return original(widget, crop)

        monkeypatch.setattr(table._styles_cache, "render_widget", render_widget)
        table.render_lines(whole)
        assert taken == [whole]


@pytest.mark.parametrize("no_color", [False, True])
async def test_cells_are_made_in_the_tables_colours_and_filtered_once(no_color: bool) -> None:
    """Every segment carries the table's colours (none is left to the terminal's
    defaults, and NO_COLOR's filter needs a style on each); the app's line filters (ANSI
    colours to truecolor; NO_COLOR's greys) are applied to each cell once, as it is
    made, and the lines are the ones Textual draws by filtering whole lines; a change of
    filters or of focus makes the cells again."""
    app, _clock = table_app()

    def describe(row: Row) -> RowSpec:
        cells: dict[str, str | Text] = {"name": row.name, "queue": Text("late", style="red")}
        return RowSpec(row.key, cells, {"in_state": row.since})

    app.describe = describe  # type: ignore[method-assign]
    if no_color:
        app._filters.append(Monochrome())
    async with app.run_test(size=(60, 11)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile(rows(6))
        table.move_cursor(row=2)
        await pilot.pause()
        whole = table.size.region

        def drawn() -> list[Strip]:
            return table.render_lines(whole)

        lines = drawn()
        for line in lines:
            assert all(segment.style for segment in line), line
        colours = table.rich_style
        assert next(iter(lines[1])).style == colours  # a plain cell: the table's own colours
        assert next(iter(lines[-1])).style == colours  # a blank line below the rows too
        table._use_look(())  # cells made unfiltered, as Textual's cache expects them
        table._styles_cache.clear()
        assert lines == table._styles_cache.render_widget(table, whole)

        def late(line: int) -> Style:
            (segment,) = [segment for segment in drawn()[line] if "late" in segment.text]
            assert segment.style is not None
            return segment.style

        red = late(1).color
        assert red is not None and red.triplet is not None  # made truecolor
        assert late(1).bgcolor == colours.bgcolor  # on the table's background
        if no_color:
            assert red.triplet.red == red.triplet.green == red.triplet.blue
            return
        assert red.triplet.red > 2 * max(red.triplet.green, red.triplet.blue)
        assert table.has_focus
        app.set_focus(None)  # without the focused table's tint: every cell made again
        await pilot.pause()
        assert late(1).bgcolor != colours.bgcolor
        assert late(1).bgcolor == table.rich_style.bgcolor
        app.ansi_color = True  # the terminal's own colours: no truecolor filter
        await pilot.pause()
        assert late(1).color == Color.parse("red")


class GrowingApp(App[None]):
    """One table whose name column may take up to ten more characters."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FrozenClock(START)

    def compose(self) -> ComposeResult:
        columns = (Column("name", "Name", 6, grow=10), Column("in_state", "In", 5, ticking=True))
        yield KeyedTable(
            columns,
            key=lambda row: row.key,
            describe=lambda row: RowSpec(row.key, {"name": row.name}, {"in_state": row.since}),
            clock=self.clock,
        )


@pytest.mark.parametrize(("width", "shown"), [(40, "Bookings line"), (14, "Bookings line"[:3])])
async def test_a_wide_table_gives_its_room_to_the_columns_that_grow(width: int, shown: str) -> None:
    """At 40 columns the name takes the room it needs (up to its ``grow``); at 14 there is
    less than its own width and it gives some up, down to its header word, cut with an
    ellipsis: the time beside it stays on screen."""
    app = GrowingApp()
    async with app.run_test(size=(width, 6)) as pilot:
        table = app.query_one(KeyedTable)
        table.reconcile([Row("r1", "Bookings line", START)])
        await pilot.pause()
        line = table.render_lines(table.size.region)[1].text
        assert line.startswith(f" {shown}")
        assert ("…" in line) == (width == 14)
        assert table._widths[0] == (16 if width == 40 else 4)  # never past width + grow
        assert line.rstrip().endswith("0:00"), "the last column is whole on screen"
