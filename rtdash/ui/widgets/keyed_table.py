"""A table of live rows, kept by key, that draws only what changed.

Why not Textual's DataTable: at contact-centre scale its costs are in the wrong place.
Every row must be formatted and stored before it can be shown, a change to any cell
re-renders every cell on screen (its render caches key on one update count), and
``clear()`` + ``add_rows`` or a removed row repaints the whole table, which a slow SSH
link then has to carry. This table is a Line API widget instead:

* a poll hands it the rows (any objects) in order; only the rows on screen are turned
  into cells (``describe``), and a row keeps its cells until its object changes;
* after a poll only the screen lines whose row, cells or cursor changed are redrawn;
* ticking columns (time in state) are computed at draw time from a start time, and a
  once-a-second tick redraws only the time cells whose text changed.

The cursor stays on the same row key across polls, or moves to a neighbour when that
row goes away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rtdash.core.clock import Clock, SystemClock
from rtdash.core.format import duration

Cell = str | Text
Item = TypeVar("Item")

#: (column key, seconds) -> a styled cell
TickRenderer = Callable[[str, float | None], Cell]
#: rendered tick cells kept (a tick value repeats across rows: "0:42" is "0:42")
TICK_CELL_CACHE = 4096
#: blank columns either side of each cell, as DataTable draws them
CELL_PADDING = 1


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int = 10
    #: a time that counts up: drawn from the row's ``since`` at each tick
    ticking: bool = False
    #: how many more characters the column takes when the table has room to spare (a
    #: line's or an agent's name); 0 keeps it at ``width``
    grow: int = 0


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    #: static cells by column key; ticking columns are absent here
    cells: dict[str, Cell]
    #: ticking columns by column key: the moment the count starts
    since: dict[str, datetime | None] = field(default_factory=dict)


def plain_ticker(_column: str, seconds: float | None) -> Cell:
    return duration(seconds)


def _plain(value: Cell) -> str:
    return value.plain if isinstance(value, Text) else value


def _runs(lines: list[int]) -> list[tuple[int, int]]:
    """Ascending line numbers as (first, last) runs of neighbours: one refresh region per
    run costs the compositor far less than one per line."""
    runs: list[tuple[int, int]] = []
    for y in lines:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


@dataclass(slots=True)
class _Described:
    """A row's cells, made once per row object and reused while it stays the same."""

    item: Any
    spec: RowSpec
    #: rendered static cells by column index (ticking columns are not here)
    segments: dict[int, list[Segment]]


@dataclass(frozen=True, slots=True)
class _Look:
    """What every cell is made with, so that a line of cells needs nothing more.

    The table's own colours go under each cell's style: a segment with no style would
    show the terminal's default colours (white on a light terminal) and fail a NO_COLOR
    filter. The app's line filters (ANSI colours to truecolor, NO_COLOR's greys) work
    segment by segment, so cells filtered once make a filtered line; filtering each line
    as it was drawn was half of the table's cost in a tick.
    """

    base: Style
    filters: tuple[LineFilter, ...]
    #: the background the filters blend with
    background: Color


class KeyedTable(ScrollView, Generic[Item], can_focus=True):
    """Rows by key, longest-lived state kept: cursor, scroll and drawn lines."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keyed-table--header",
        "keyed-table--cursor",
    }

    DEFAULT_CSS = """
    KeyedTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .keyed-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .keyed-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .keyed-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .keyed-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:ansi > .keyed-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "cursor_home", "Top", show=False),
        Binding("end", "cursor_end", "Bottom", show=False),
    ]

    class RowSelected(Message):
        """Enter (or a click) on the highlighted row."""

        def __init__(self, table: KeyedTable[Any], key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> KeyedTable[Any]:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        key: Callable[[Item], str],
        describe: Callable[[Item], RowSpec],
        clock: Clock | None = None,
        ticker: TickRenderer = plain_ticker,
        show_header: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.key_of = key
        self.describe = describe
        self.clock = clock or SystemClock()
        self.ticker = ticker
        self._show_header = show_header
        self._order: list[str] = []
        self._items: dict[str, Item] = {}
        self._index: dict[str, int] = {}
        self._described: dict[str, _Described] = {}
        self._tick_cells: dict[tuple[int, str, str], list[Segment]] = {}
        self._styles: dict[str, Style] = {}
        #: what the cached cells were made with; None until drawn, and again whenever
        #: the styles change (a theme, focus)
        self._look: _Look | None = None
        #: the header line as last drawn, and the width it was drawn for
        self._header: tuple[int, Strip] | None = None
        #: what each screen line was last drawn from: (key, spec, tick texts, cursor)
        self._drawn: dict[int, tuple[str, RowSpec, tuple[str, ...], bool]] = {}
        self.cursor_row = 0
        #: the moment ticking cells are drawn for: set by a poll or a tick, so a paused
        #: view (which gets neither) holds still even when a line is redrawn
        self._now = self.clock.now()
        #: each column's width now: ``Column.width``, plus room a wide table gives it
        self._widths = [column.width for column in self.columns]
        self._offsets = self._column_offsets()
        self._ticking = [index for index, column in enumerate(self.columns) if column.ticking]

    # --- public ---------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return list(self._order)

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def show_header(self) -> bool:
        return self._show_header

    @show_header.setter
    def show_header(self, value: bool) -> None:
        if value != self._show_header:
            self._show_header = value
            self._drawn.clear()
            self._update_virtual_size()
            self.refresh()
            self._redraw_changed_lines()

    def set_labels(self, labels: dict[str, str]) -> None:
        """Header words by column key (a sort arrow); the header is redrawn if changed."""
        columns = [replace(c, label=labels.get(c.key, c.label)) for c in self.columns]
        if columns != self.columns:
            self.columns = columns
            self._header = None
            self.refresh()

    @property
    def header_height(self) -> int:
        return 1 if self._show_header else 0

    @property
    def selected_key(self) -> str | None:
        if not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    def get_row(self, key: str) -> list[str]:
        """The cells of a row as plain text, in column order, as drawn."""
        spec = self._describe(key).spec
        return [_plain(self._cell_value(spec, column, self._now)) for column in self.columns]

    def get_cell(self, key: str, column_key: str) -> Cell:
        """One cell as drawn."""
        column = next(column for column in self.columns if column.key == column_key)
        return self._cell_value(self._describe(key).spec, column, self._now)

    def reconcile(self, items: Sequence[Item]) -> None:
        """Show ``items`` in this order; redraw only the lines that now look different."""
        selected = self.selected_key
        selected_index = self.cursor_row
        self._order = [self.key_of(item) for item in items]
        self._items = dict(zip(self._order, items, strict=True))
        self._index = {key: index for index, key in enumerate(self._order)}
        self._now = self.clock.now()
        for key in [key for key in self._described if key not in self._items]:
            del self._described[key]
        self._restore_cursor(selected, selected_index)
        self._update_virtual_size()
        self._redraw_changed_lines()

    def tick(self) -> None:
        """Redraw the ticking cells of the rows on screen whose text changed."""
        self._now = now = self.clock.now()
        if not self._ticking or not self._order:
            return
        left = self._offsets[self._ticking[0]]
        right = self._offsets[self._ticking[-1]] + self._cell_width(self._ticking[-1])
        changed: list[int] = []
        for y, _index in self._visible_rows():
            drawn = self._drawn.get(y)
            if drawn is None:
                continue
            key, spec, ticks, cursor = drawn
            now_ticks = self._tick_texts(spec, now)
            if now_ticks != ticks:
                self._drawn[y] = (key, spec, now_ticks, cursor)
                changed.append(y)
        for top, bottom in _runs(changed):
            self.refresh(Region(left, top, right - left, bottom - top + 1))

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Put the cursor on a row (clamped) and scroll it into view."""
        if not self._order:
            self.cursor_row = 0
            return
        row = min(max(0, row), len(self._order) - 1)
        if row != self.cursor_row:
            self.cursor_row = row
            self._redraw_changed_lines()
        self._scroll_cursor_into_view(animate)

    # --- actions and events ---------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_cursor_home(self) -> None:
        self.move_cursor(row=0)

    def action_cursor_end(self) -> None:
        self.move_cursor(row=len(self._order) - 1)

    def action_select_cursor(self) -> None:
        key = self.selected_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a click on the highlighted row selects it."""
        index = int(self.scroll_offset.y) + event.y - self.header_height
        if event.y < self.header_height or not 0 <= index < len(self._order):
            return
        if index == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row=index)

    def on_focus(self) -> None:
        self._forget_styles()  # the cursor and header take their focused styles
        self._refresh_cursor_line()

    def on_blur(self) -> None:
        self._forget_styles()
        self._refresh_cursor_line()

    def on_resize(self) -> None:
        self._fit_columns()
        self._drawn.clear()
        self._update_virtual_size()
        self._redraw_changed_lines()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._drawn.clear()
            self._redraw_changed_lines()

    # --- drawing --------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lines straight from ``render_line``, past Textual's per-widget style cache,
        when the table's box is plain (no border, outline, padding, tint or opacity:
        the cache would only copy each line). A tick changes every line on screen, and
        that cache's work for each line was a third of a tick's cost."""
        plain = self._plain_box()
        # Textual's style cache filters whole lines itself
        self._use_look(tuple(self.get_line_filters()) if plain else ())
        if not plain:
            return super().render_lines(crop)
        render_line = self.render_line
        strips = [render_line(y) for y in crop.line_range]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.size.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _use_look(self, filters: tuple[LineFilter, ...]) -> None:
        """Make cells from now on with the table's styles as they are and ``filters``;
        the cells made before go."""
        if self._look is not None and self._look.filters == filters:
            return
        self._forget_styles()
        self._look = _Look(self.rich_style, filters, self.background_colors[1])

    def _made_up(self, segments: Iterable[Segment]) -> list[Segment]:
        """Segments as the look says: the table's colours under them, then filtered."""
        look = self._look
        if look is None:
            return list(segments)
        made = list(Segment.apply_style(segments, style=look.base))
        for line_filter in look.filters:
            made = line_filter.apply(made, look.background)
        return made

    def _made_style(self, name: str, style: Style | None) -> Style:
        """A style made up as cells are, kept with the look: ``style`` is laid over
        cells already made, or fills where there is no cell."""
        made = self._styles.get(name)
        if made is None:
            made = self._styles[name] = self._made_up([Segment(" ", style)])[0].style or Style()
        return made

    def _plain_box(self) -> bool:
        styles = self.styles
        return (
            not any(edge for edge, _ in styles.border)
            and not any(edge for edge, _ in styles.outline)
            and not any(styles.padding)
            and not styles.tint.a
            and self.opacity == 1.0
            and styles.text_opacity == 1.0
            and not (styles.has_rule("hatch") and styles.hatch != "none")
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y < self.header_height:
            return self._header_strip(width)
        index = int(self.scroll_offset.y) + y - self.header_height
        if not 0 <= index < len(self._order):
            return Strip.blank(width, self._made_style("blank", None))
        key = self._order[index]
        described = self._describe(key)
        now = self._now
        segments: list[Segment] = []
        for column_index, column in enumerate(self.columns):
            cached = described.segments.get(column_index)
            if cached is None:
                cached = self._tick_segments(column_index, described.spec, column, now)
            segments.extend(cached)
        line_length = self._offsets[-1] + self._cell_width(len(self.columns) - 1)
        if index == self.cursor_row:
            segments = Segment.apply_style(segments, post_style=self._cursor_style())
        # neighbours in one style become one segment: each segment costs the terminal
        # (and an SSH link) its own style codes
        segments = list(Segment.simplify(segments))
        if line_length < width:
            segments.append(Segment(" " * (width - line_length), self._made_style("blank", None)))
            line_length = width
        strip = Strip(segments, line_length)
        return strip if line_length == width else strip.crop(0, width)

    def _header_strip(self, width: int) -> Strip:
        if self._header is not None and self._header[0] == width:
            return self._header[1]
        text = "".join(
            self._pad(column.label, self._cell_width(index))
            for index, column in enumerate(self.columns)
        )
        header = [Segment(set_cell_size(text, width), self._style("header"))]
        strip = Strip(self._made_up(header), width)
        self._header = (width, strip)
        return strip

    def _style(self, component: str) -> Style:
        """A component's style, kept until the styles change: Textual forgets its own
        copy at every refresh, and a tick refreshes every table."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(
                f"keyed-table--{component}"
            )
        return style

    def _cursor_style(self) -> Style:
        return self._made_style("cursor, made", self._style("cursor"))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    def _forget_styles(self) -> None:
        """Styles change with the CSS (a theme) and with focus; a focus change alone
        does not always reach ``notify_style_update``. Cells are made with them."""
        self._styles.clear()
        self._header = None
        self._look = None
        self._described.clear()
        self._tick_cells.clear()

    def _tick_segments(
        self, column_index: int, spec: RowSpec, column: Column, now: datetime
    ) -> list[Segment]:
        value = self._cell_value(spec, column, now)
        cache_key = (
            column_index,
            _plain(value),
            str(value.style) if isinstance(value, Text) else "",
        )
        segments = self._tick_cells.get(cache_key)
        if segments is None:
            if len(self._tick_cells) >= TICK_CELL_CACHE:
                self._tick_cells.clear()
            segments = self._cell_segments(value, self._widths[column_index])
            self._tick_cells[cache_key] = segments
        return segments

    def _cell_segments(self, value: Cell, width: int) -> list[Segment]:
        pad = Segment(" " * CELL_PADDING)
        if isinstance(value, str) and cell_len(value) <= width:
            text = " " * CELL_PADDING + set_cell_size(value, width) + pad.text
            return self._made_up([Segment(text)])
        text = value.copy() if isinstance(value, Text) else Text(value)
        text.truncate(width, overflow="ellipsis", pad=True)
        console = self.app.console
        # Text.render leaves the text's own (whole-text) style to its caller
        base = console.get_style(text.style) if text.style else None
        rendered = Segment.apply_style(text.render(console), style=base)
        return self._made_up([pad, *rendered, pad])

    def _pad(self, label: str, width: int) -> str:
        return set_cell_size(" " * CELL_PADDING + label, width)

    # --- bookkeeping ----------------------------------------------------------------

    def _describe(self, key: str) -> _Described:
        """The row's cells, made again only when the row's object is a new one that
        describes differently (a poll makes new objects for unchanged calls)."""
        item = self._items[key]
        described = self._described.get(key)
        if described is not None and described.item is item:
            return described
        spec = self.describe(item)
        if described is not None and described.spec == spec:
            described.item = item
            return described
        segments = {
            index: self._cell_segments(spec.cells.get(column.key, ""), self._widths[index])
            for index, column in enumerate(self.columns)
            if column.key not in spec.since
        }
        described = _Described(item, spec, segments)
        self._described[key] = described
        return described

    def _cell_value(self, spec: RowSpec, column: Column, now: datetime) -> Cell:
        if column.key not in spec.since:
            return spec.cells.get(column.key, "")
        since = spec.since[column.key]
        seconds = None if since is None else max(0.0, (now - since).total_seconds())
        return self.ticker(column.key, seconds)

    def _tick_texts(self, spec: RowSpec, now: datetime) -> tuple[str, ...]:
        return tuple(
            _plain(self._cell_value(spec, self.columns[index], now)) for index in self._ticking
        )

    def _visible_rows(self) -> list[tuple[int, int]]:
        """(screen line, row index) for each row line on screen."""
        top = int(self.scroll_offset.y)
        header = self.header_height
        height = max(0, self.size.height - header)
        last = min(len(self._order), top + height)
        return [(header + index - top, index) for index in range(top, last)]

    def _redraw_changed_lines(self) -> None:
        """Compare each screen line with what it was drawn from; refresh those that
        differ (a new row there, its cells changed, or the cursor came or went)."""
        now = self._now
        header = self.header_height
        rows = self._visible_rows()
        width = max(self.size.width, 1)
        changed: list[int] = []
        for y, index in rows:
            key = self._order[index]
            described = self._describe(key)
            ticks = self._tick_texts(described.spec, now)
            line = (key, described.spec, ticks, index == self.cursor_row)
            if self._drawn.get(y) != line:
                self._drawn[y] = line
                changed.append(y)
        # lines below the last row that used to hold one
        first_empty = header + len(rows)
        for y in sorted(y for y in self._drawn if y >= first_empty):
            del self._drawn[y]
            changed.append(y)
        for top, bottom in _runs(changed):
            self.refresh(Region(0, top, width, bottom - top + 1))

    def _refresh_cursor_line(self) -> None:
        for y, index in self._visible_rows():
            if index == self.cursor_row:
                self.refresh(Region(0, y, max(self.size.width, 1), 1))

    def _update_virtual_size(self) -> None:
        width = self._offsets[-1] + self._cell_width(len(self.columns) - 1)
        size = Size(width, len(self._order) + self.header_height)
        if size == self.virtual_size:
            return
        if self._height_unaffected(size.height):
            # a new row count that cannot move anything: only the scrollbar changes
            self.set_reactive(KeyedTable.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size  # a layout of the whole screen

    def _height_unaffected(self, rows: int) -> bool:
        """Whether the table's height stays the same with this many lines.

        A layout of the screen costs more than everything else a poll does at scale, and
        the row count changes on nearly every poll. It only matters to an auto height
        that is not already held at its maximum: a ``1fr`` table, or one that overflows
        its ``max-height`` before and after, keeps its size.
        """
        height = self.size.height
        if not height:
            return False
        rule = self.styles.height
        if rule is not None and not rule.is_auto:
            return True
        return self.virtual_size.height > height and rows > height

    def _scroll_cursor_into_view(self, animate: bool) -> None:
        if not self._order:
            return
        top = int(self.scroll_offset.y)
        height = max(1, self.size.height - self.header_height)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=animate)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=animate)

    def _page(self) -> int:
        return max(1, self.size.height - self.header_height - 1)

    def _restore_cursor(self, selected: str | None, index: int) -> None:
        if not self._order:
            self.cursor_row = 0
            return
        if selected is not None and selected in self._index:
            target = self._index[selected]
        else:
            target = min(max(0, index), len(self._order) - 1)
        if target != self.cursor_row:
            self.cursor_row = target
            self._scroll_cursor_into_view(False)

    def _fit_columns(self) -> None:
        """Share the room a wide table has between the columns that can use it, a
        character at a time in turn, so a wallboard does not cut ``Bookings li…`` with
        half a screen blank; the cells made at the old widths go."""
        widths = [column.width for column in self.columns]
        # the room left when a vertical scrollbar shows, shown or not: the call groups'
        # tables, one above the other, keep their columns in line
        room = self.outer_size.width - self.styles.scrollbar_size_vertical
        spare = min(room, self.size.width) - sum(widths) - 2 * CELL_PADDING * len(widths)
        growing = [index for index, column in enumerate(self.columns) if column.grow]
        while spare > 0 and growing:
            for index in list(growing):
                if spare == 0:
                    break
                widths[index] += 1
                spare -= 1
                if widths[index] == self.columns[index].width + self.columns[index].grow:
                    growing.remove(index)
        if widths != self._widths:
            self._widths = widths
            self._offsets = self._column_offsets()
            self._forget_styles()  # forgets the cells and the header too

    def _column_offsets(self) -> list[int]:
        offsets = []
        x = 0
        for index in range(len(self.columns)):
            offsets.append(x)
            x += self._cell_width(index)
        return offsets

    def _cell_width(self, index: int) -> int:
        return self._widths[index] + 2 * CELL_PADDING
