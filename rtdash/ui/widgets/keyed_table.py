"""A DataTable that is updated in place by row key.

Why not ``clear()`` + ``add_rows``: that costs O(rows) on every poll, repaints every
cell a slow SSH link then has to carry, and loses the user's cursor. Here a poll writes
only the cells whose text changed, rows are removed and appended by key, and the cursor
stays on the same row key (or moves to a neighbour when that row goes away).

Ticking columns (time in state) are computed from a start time at draw time and only
for the rows on screen, so a once-a-second tick costs O(visible rows), not O(rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

from rtdash.core.clock import Clock, SystemClock
from rtdash.core.format import duration

Cell = str | Text

#: rendered cells and lines kept per table: a 300x80 screen's worth, not DataTable's 10,000
CELL_CACHE = 2000
LINE_CACHE = 400
#: (column key, seconds) -> a styled cell
TickRenderer = Callable[[str, float | None], Cell]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int | None = None


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    #: static cells by column key; ticking columns are absent here
    cells: dict[str, Cell]
    #: ticking columns by column key: the moment the count starts
    since: dict[str, datetime | None] = field(default_factory=dict)


def plain_ticker(_column: str, seconds: float | None) -> Cell:
    return duration(seconds)


class KeyedTable(DataTable):
    def __init__(
        self,
        columns: Sequence[Column],
        *,
        clock: Clock | None = None,
        ticker: TickRenderer = plain_ticker,
        **kwargs: object,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self._columns = list(columns)
        self.clock = clock or SystemClock()
        self.ticker = ticker
        self._order: list[str] = []
        self._specs: dict[str, RowSpec] = {}
        self._ticked: dict[tuple[str, str], str] = {}
        self._index: dict[str, int] = {}
        self.writes = 0
        # Every tick changes a cell, and a change invalidates all of DataTable's render
        # caches (their keys hold an update count): big caches only hold dead entries.
        # A screenful of cells is all that can be reused between two frames.
        self._cell_render_cache = LRUCache(CELL_CACHE)
        self._row_render_cache = LRUCache(LINE_CACHE)
        self._row_renderable_cache = LRUCache(LINE_CACHE)
        self._line_cache = LRUCache(LINE_CACHE)
        self._column_index = {column.key: index for index, column in enumerate(columns)}

    def on_mount(self) -> None:
        for column in self._columns:
            self.add_column(column.label, key=column.key, width=column.width)

    # --- public ---------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return list(self._order)

    @property
    def selected_key(self) -> str | None:
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    def reconcile(self, rows: Sequence[RowSpec]) -> None:
        """Make the table show ``rows`` in this order, touching as little as possible.

        Vanished rows go in one pass and the new order is set in one step: DataTable's
        own ``remove_row`` renumbers every row after the removed one, so removing or
        moving many rows one at a time costs O(rows²) at contact-centre scale.
        """
        selected = self.selected_key
        selected_index = self.cursor_row
        wanted = {row.key: row for row in rows}
        gone = [key for key in self._order if key not in wanted]
        if gone:
            self._drop_many(gone)
        now = self.clock.now()
        for key in self._order:
            self._update(wanted[key])
        for row in rows:
            if row.key not in self._specs:
                self._add(row, now)
        desired = [row.key for row in rows]
        if self._order != desired:
            self._set_order(desired)
        self._index = {key: index for index, key in enumerate(self._order)}
        self._restore_cursor(selected, selected_index)

    def tick(self) -> None:
        """Refresh the ticking cells of the rows on screen."""
        if not self._order:
            return
        top = max(0, int(self.scroll_offset.y))
        height = max(1, self.size.height - (self.header_height if self.show_header else 0))
        now = self.clock.now()
        changed: list[tuple[int, str, Cell]] = []
        for index in range(top, min(len(self._order), top + height)):
            row = self._specs[self._order[index]]
            changed.extend((index, column, value) for column, value in self._ticks(row, now))
        self._write_ticks(changed)

    def _write_ticks(self, changed: list[tuple[int, str, Cell]]) -> None:
        """Write ticking cells and redraw just those cells.

        ``update_cell`` would bump DataTable's update count, which every render cache
        keys on, so each tick would re-render every cell on screen and repaint whole
        rows. Here only the changed cells leave the cell cache (the cheap row and line
        caches are rebuilt from it) and only their regions are refreshed, so a tick
        costs, and sends down an SSH link, the digits that changed.
        """
        if not changed:
            return
        cells = set()
        for index, column, value in changed:
            row_key = RowKey(self._order[index])
            column_key = ColumnKey(column)
            self._data[row_key][column_key] = value
            cells.add((row_key, column_key))
        cache = self._cell_render_cache
        stale = [key for key in cache.keys() if (key[0], key[1]) in cells]  # noqa: SIM118
        for cache_key in stale:
            cache.discard(cache_key)
        self._row_render_cache.clear()
        self._row_renderable_cache.clear()
        self._line_cache.clear()
        for index, column, _value in changed:
            self.refresh_coordinate(Coordinate(index, self._column_index[column]))
        self.writes += len(changed)

    def select_key(self, key: str) -> bool:
        index = self._index.get(key)
        if index is None:
            return False
        self.move_cursor(row=index, animate=False)
        return True

    # --- internals ------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if int(old_value) != int(new_value):
            self.tick()

    def _add(self, row: RowSpec, now: datetime) -> None:
        values: list[Cell] = []
        for column in self._columns:
            if column.key in row.since:
                text = self._tick_text(row, column.key, now)
                values.append(text)
            else:
                values.append(row.cells.get(column.key, ""))
        self.add_row(*values, key=row.key)
        self.writes += len(values)
        self._specs[row.key] = row
        self._order.append(row.key)

    def _update(self, row: RowSpec) -> None:
        old = self._specs[row.key]
        if old == row:
            return
        for column_key, value in row.cells.items():
            if old.cells.get(column_key) != value:
                self.update_cell(row.key, column_key, value)
                self.writes += 1
        self._specs[row.key] = row
        if old.since != row.since:
            self._tick_row(row, self.clock.now())

    def _drop_many(self, keys: list[str]) -> None:
        """Remove rows in one pass (DataTable's internals, renumbered once)."""
        for key in keys:
            row_key = RowKey(key)
            for column_key in self._data.get(row_key, {}):
                self._updated_cells.discard(CellKey(row_key, column_key))
            self.rows.pop(row_key, None)
            self._data.pop(row_key, None)
            self._specs.pop(key, None)
            for column in self._columns:
                self._ticked.pop((key, column.key), None)
        gone = set(keys)
        self._order = [key for key in self._order if key not in gone]
        self._renumber()
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        self.refresh(layout=True)

    def _set_order(self, desired: list[str]) -> None:
        """Put the rows in this order at once, as DataTable.sort does."""
        self._order = list(desired)
        self._renumber()
        self.refresh()

    def _renumber(self) -> None:
        self._row_locations = TwoWayDict(
            {RowKey(key): index for index, key in enumerate(self._order)}
        )
        self._update_count += 1

    def _ticks(self, row: RowSpec, now: datetime) -> list[tuple[str, Cell]]:
        """The ticking cells of a row whose text changed since last written."""
        changed = []
        for column_key in row.since:
            before = self._ticked.get((row.key, column_key))
            value = self._tick_text(row, column_key, now)
            plain = value.plain if isinstance(value, Text) else value
            if plain != before:
                changed.append((column_key, value))
        return changed

    def _tick_row(self, row: RowSpec, now: datetime) -> None:
        """A row's start times changed with new data: the normal (full) update path."""
        for column_key, value in self._ticks(row, now):
            self.update_cell(row.key, column_key, value)
            self.writes += 1

    def _tick_text(self, row: RowSpec, column_key: str, now: datetime) -> Cell:
        since = row.since[column_key]
        seconds = None if since is None else max(0.0, (now - since).total_seconds())
        value = self.ticker(column_key, seconds)
        self._ticked[(row.key, column_key)] = value.plain if isinstance(value, Text) else value
        return value

    def _restore_cursor(self, selected: str | None, index: int) -> None:
        if not self._order:
            return
        if selected is not None and selected in self._index:
            target = self._index[selected]
        else:
            target = min(max(0, index), len(self._order) - 1)
        if target != self.cursor_row:
            self.move_cursor(row=target, animate=False)
