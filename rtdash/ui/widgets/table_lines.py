"""How a keyed table turns its rows into screen lines: the header, each row's cells, the
cursor, and the styles they are drawn in.

:class:`~rtdash.ui.widgets.keyed_table.KeyedTable` keeps the rows and the cursor, and
:class:`~rtdash.ui.widgets.table_refresh.TableRefresh` what each screen line was drawn
from and which lines to refresh; this base draws a line when Textual asks for it. The
style caches live here because only drawing reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rtdash.ui.rowstore import RowStore
from rtdash.ui.strip_caches import once_strip
from rtdash.ui.textual_internals import has_plain_box, lines_past_style_cache
from rtdash.ui.widgets.table_cells import CellMaker, Described, Look, RowCells


class TableLines(ScrollView):
    """Draws the header and row lines of a table whose rows and cells the subclass keeps."""

    _rows: RowStore[Any]
    _row_cells: RowCells
    _cells: CellMaker
    _show_header: bool
    #: the header line as last drawn, and the width it was drawn for
    _header: tuple[int, Strip] | None
    #: the moment ticking cells are drawn for
    _now: datetime

    @property
    def cursor_row(self) -> int:
        return self._rows.cursor

    @property
    def header_height(self) -> int:
        return 1 if self._show_header else 0

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lines straight from ``render_line``, past Textual's per-widget style cache,
        when the table's box is plain (no border, outline, padding, tint or opacity:
        the cache would only copy each line). A tick changes every line on screen, and
        that cache's work for each line was a third of a tick's cost."""
        plain_box = self._plain_box()
        # Textual's style cache filters whole lines itself
        self._use_look(tuple(self.get_line_filters()) if plain_box else ())
        if not plain_box:
            return super().render_lines(crop)
        x1, x2 = crop.column_span
        if (x1, x2) == (0, self.size.width):
            return lines_past_style_cache(self, crop)
        # a part of each line (the time columns of a tick): only the cells there
        return self._render_spans(crop)

    def _use_look(self, filters: tuple[LineFilter, ...]) -> None:
        """Make cells from now on with the table's styles as they are and ``filters``;
        the cells made before go."""
        look = self._cells.look
        if look is not None and look.filters == filters:
            return
        self._forget_styles()
        self._cells.look = Look(self.rich_style, filters, self.background_colors[1])

    def _plain_box(self) -> bool:
        return has_plain_box(self)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y < self.header_height:
            return self._header_strip(width)
        index = int(self.scroll_offset.y) + y - self.header_height
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self._cells.made_style("blank", None))
        described = self._described_at(index)
        segments = self._row_cells.segments(described, self._now, self.app.console)
        line_length = self._row_cells.line_length
        styled: Iterable[Segment] = segments
        if index == self.cursor_row:
            styled = Segment.apply_style(segments, post_style=self._cursor_style())
        # neighbours in one style become one segment: each segment costs the terminal
        # (and an SSH link) its own style codes
        segments = list(Segment.simplify(styled))
        if line_length < width:
            blank = self._cells.made_style("blank", None)
            segments.append(Segment(" " * (width - line_length), blank))
            line_length = width
        strip = Strip(segments, line_length)
        return strip if line_length == width else strip.crop(0, width)

    def _render_spans(self, crop: Region) -> list[Strip]:
        """``render_line(y).crop(x1, x2)`` for each line of ``crop``, made from the
        cells in its columns only."""
        x1, x2 = crop.column_span
        cells, rows = self._row_cells, self._rows
        columns = cells.columns_between(x1, x2)
        start = cells.offsets[columns.start] if columns else x1
        end = start + sum(cells.cell_width(column) for column in columns)
        blank = (
            [Segment(" " * (x2 - end), self._cells.made_style("blank", None))] if end < x2 else []
        )
        length = max(end, x2) - start
        header, top, now = self.header_height, int(self.scroll_offset.y), self._now
        console = self.app.console
        cursor, count, describe = self.cursor_row, len(rows), cells.row
        key_at, item_at, simple = rows.key_at, rows.item_at, cells.simple_segments
        left, right = x1 - start, x2 - start
        whole = left == 0 and right >= length
        simplify = Segment.simplify
        strips: list[Strip] = []
        for y in crop.line_range:
            index = top + y - header
            if y < header or not 0 <= index < count:
                strips.append(self.render_line(y).crop(x1, x2))
                continue
            described = describe(key_at(index), item_at(index), console)
            if index == cursor:
                segments = cells.segments(described, now, console, columns)
                styled = Segment.apply_style(segments, post_style=self._cursor_style())
                line = list(simplify(styled))
            else:
                line = simple(described, now, console, columns)
            line.extend(blank)
            strip = once_strip(line, length)
            strips.append(strip if whole else strip.crop(left, right))
        return strips

    def _header_strip(self, width: int) -> Strip:
        if self._header is not None and self._header[0] == width:
            return self._header[1]
        text = self._row_cells.header_text()
        header = [Segment(set_cell_size(text, width), self._style("header"))]
        strip = Strip(self._cells.made_up(header), width)
        self._header = (width, strip)
        return strip

    def _style(self, component: str) -> Style:
        """A component's style, kept until the styles change: Textual forgets its own
        copy at every refresh, and a tick refreshes every table."""
        styles = self._cells.styles
        style = styles.get(component)
        if style is None:
            style = styles[component] = self.get_component_rich_style(f"keyed-table--{component}")
        return style

    def _cursor_style(self) -> Style:
        return self._cells.made_style("cursor, made", self._style("cursor"))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    def _forget_styles(self) -> None:
        """Styles change with the CSS (a theme) and with focus; a focus change alone
        does not always reach ``notify_style_update``. Cells are made with them."""
        self._row_cells.forget()
        self._header = None

    def _describe(self, key: str) -> Described:
        """A row's cells by key (a look-up: it may go over every row)."""
        item = self._rows.find(key)
        if item is None:
            raise KeyError(key)
        return self._row_cells.row(key, item, self.app.console)

    def _described_at(self, index: int) -> Described:
        """The cells of the row at ``index``: only rows on screen are described."""
        rows = self._rows
        return self._row_cells.row(rows.key_at(index), rows.item_at(index), self.app.console)
