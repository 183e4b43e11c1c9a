"""Which screen lines of a keyed table to refresh, and when: each line on screen is
compared with what it was last drawn from (its row, cells, tick texts and cursor), and
only those that differ are refreshed, so a poll or a tick sends a slow SSH link the
cells that changed, not the table.

:class:`~rtdash.ui.widgets.keyed_table.KeyedTable` keeps the rows and the cursor and
answers keys and events; :class:`~.table_lines.TableLines`, under this, draws a line
when Textual asks for it.
"""

from __future__ import annotations

from textual.geometry import Region

from rtdash.core.clock import Clock
from rtdash.ui.rowstore import DrawnLines, runs
from rtdash.ui.widgets.table_cells import RowSpec
from rtdash.ui.widgets.table_lines import TableLines

#: what a screen line was drawn from: (key, spec, tick texts, cursor on it)
DrawnLine = tuple[str, RowSpec, tuple[str, ...], bool]


class TableRefresh(TableLines):
    """Refreshes the lines of a table whose rows and cells the subclass keeps that no
    longer look as they were drawn."""

    clock: Clock
    #: what each screen line was last drawn from
    _drawn: DrawnLines[DrawnLine]

    def tick(self) -> None:
        """Redraw the ticking cells of the rows on screen whose text changed."""
        self._now = now = self.clock.now()
        cells = self._row_cells
        if not cells.ticking or not self._rows:
            return
        left = cells.offsets[cells.ticking[0]]
        right = cells.offsets[cells.ticking[-1]] + cells.cell_width(cells.ticking[-1])
        changed: list[int] = []
        lines, tick_texts = self._drawn.lines, cells.tick_texts
        for y, _index in self._visible_rows():
            drawn = lines.get(y)
            if drawn is None:
                continue
            key, spec, ticks, cursor = drawn
            now_ticks = tick_texts(spec, now)
            if now_ticks != ticks:
                lines[y] = (key, spec, now_ticks, cursor)
                changed.append(y)
        for top, bottom in runs(changed):
            self.refresh(Region(left, top, right - left, bottom - top + 1))

    def _visible_rows(self) -> list[tuple[int, int]]:
        """(screen line, row index) for each row line on screen."""
        header = self.header_height
        return self._rows.visible(int(self.scroll_offset.y), self.size.height - header, header)

    def draw_held_lines(self) -> None:
        """The first frame is about to be painted: note what each line is drawn from
        (:meth:`_redraw_changed_lines` waits for this while the paint is held)."""
        self._drawn.clear()
        self._redraw_changed_lines()

    def _redraw_changed_lines(self) -> None:
        """Compare each screen line with what it was drawn from; refresh those that
        differ (a new row there, its cells changed, or the cursor came or went).

        Not while the app holds its first frame back: the table may be laid out at
        several sizes before it settles, and its lines at each are never painted; the
        app calls :meth:`draw_held_lines` once, just before the first paint."""
        if getattr(self.app, "holding_first_frame", False):
            return
        rows = self._visible_rows()
        width = max(self.size.width, 1)
        sources = [self._line_source(y, index) for y, index in rows]
        changed = self._drawn.update(sources, self.header_height + len(rows))
        # the cells kept are those of the rows on screen: a poll looks at no other row
        self._row_cells.keep_only({source[0] for _, source in sources})
        for top, bottom in runs(changed):
            self.refresh(Region(0, top, width, bottom - top + 1))

    def _line_source(self, y: int, index: int) -> tuple[int, DrawnLine]:
        key = self._rows.key_at(index)
        spec = self._row_cells.row(key, self._rows.item_at(index), self.app.console).spec
        ticks = self._row_cells.tick_texts(spec, self._now)
        return y, (key, spec, ticks, index == self.cursor_row)

    def _refresh_cursor_line(self) -> None:
        for y, index in self._visible_rows():
            if index == self.cursor_row:
                self.refresh(Region(0, y, max(self.size.width, 1), 1))
