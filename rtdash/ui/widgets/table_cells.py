"""The cells of a keyed table: what a row says (:class:`RowSpec`) in which columns
(:class:`Column`), and the padded, styled, filtered segments each cell is drawn with.

Cells are made once per row object and kept (:class:`CellMaker`) until the look they
were made with changes: the table's colours go under each cell's style (a segment
with no style would show the terminal's default colours and fail a NO_COLOR filter),
and the app's line filters (ANSI colours to truecolor, NO_COLOR's greys) work segment
by segment, so cells filtered once make a filtered line without filtering each line
as it is drawn.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.color import Color
from textual.filter import LineFilter

from rtdash.core.format import duration

Cell = str | Text

#: (column key, seconds) -> a styled cell
TickRenderer = Callable[[str, float | None], Cell]
#: rendered tick cells kept (a tick value repeats across rows: "0:42" is "0:42"). A
#: few seconds of a full screen's ticking cells: the times move on every second, so an
#: older entry is rarely drawn again, and a larger cache only fills, slowly (a table of a
#: few queued calls adds a few entries a second), and reads as memory growing for an hour
TICK_CELL_CACHE = 512
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
    #: how many of ``grow`` it takes before the columns take turns (``share_room``)
    grow_first: int = 0


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    #: static cells by column key; ticking columns are absent here
    cells: dict[str, Cell]
    #: ticking columns by column key: the moment the count starts
    since: dict[str, datetime | None] = field(default_factory=dict)


def plain_ticker(_column: str, seconds: float | None) -> Cell:
    return duration(seconds)


def plain(value: Cell) -> str:
    return value.plain if isinstance(value, Text) else value


def pad_label(label: str, width: int) -> str:
    return set_cell_size(" " * CELL_PADDING + label, width)


@dataclass(frozen=True, slots=True)
class Look:
    """What every cell is made with, so that a line of cells needs nothing more."""

    base: Style
    filters: tuple[LineFilter, ...]
    #: the background the filters blend with
    background: Color


class CellMaker:
    """Makes cells in the current :class:`Look` and keeps what it made with that look:
    made styles by name, and tick cells by (column, text, style)."""

    def __init__(self) -> None:
        #: None until drawn, and again whenever the styles change (a theme, focus)
        self.look: Look | None = None
        self.styles: dict[str, Style] = {}
        self.tick_cells: LRUCache[tuple[int, str, str], list[Segment]] = LRUCache(TICK_CELL_CACHE)

    def forget(self) -> None:
        self.look = None
        self.styles.clear()
        self.tick_cells.clear()

    def made_up(self, segments: Iterable[Segment]) -> list[Segment]:
        """Segments as the look says: the table's colours under them, then filtered."""
        look = self.look
        if look is None:
            return list(segments)
        made = list(Segment.apply_style(segments, style=look.base))
        for line_filter in look.filters:
            made = line_filter.apply(made, look.background)
        return made

    def made_style(self, name: str, style: Style | None) -> Style:
        """A style made up as cells are, kept with the look: ``style`` is laid over
        cells already made, or fills where there is no cell."""
        made = self.styles.get(name)
        if made is None:
            made = self.styles[name] = self.made_up([Segment(" ", style)])[0].style or Style()
        return made

    def cell(self, value: Cell, width: int, console: Console) -> list[Segment]:
        """A cell's segments: a text that fits and is styled whole from the made
        styles (:meth:`quick_cell`: a big centre's poll brings dozens of new rows onto
        the screen, each cell of them filtered the long way before); else
        :meth:`long_cell`'s."""
        quick = self.quick_cell(value, width, console)
        return quick if quick is not None else self.long_cell(value, width, console)

    def long_cell(self, value: Cell, width: int, console: Console) -> list[Segment]:
        """A cell made the general way: its text copied, cut, rendered, then laid over
        the table's colours and filtered."""
        pad = Segment(" " * CELL_PADDING)
        if isinstance(value, str) and cell_len(value) <= width:
            text = " " * CELL_PADDING + set_cell_size(value, width) + pad.text
            return self.made_up([Segment(text)])
        rich_text = value.copy() if isinstance(value, Text) else Text(value)
        rich_text.truncate(width, overflow="ellipsis", pad=True)
        # Text.render leaves the text's own (whole-text) style to its caller
        base = console.get_style(rich_text.style) if rich_text.style else None
        rendered = Segment.apply_style(rich_text.render(console), style=base)
        return self.made_up([pad, *rendered, pad])

    def tick_cell(
        self, column_index: int, value: Cell, width: int, console: Console
    ) -> list[Segment]:
        """A ticking cell, made once per text and style: a time repeats across rows."""
        cache_key = (
            column_index,
            plain(value),
            str(value.style) if isinstance(value, Text) else "",
        )
        segments = self.tick_cells.get(cache_key)
        if segments is None:
            made = self.cell(value, width, console)
            # simplified once here, so a line of cells needs merging only where they meet
            segments = self.tick_cells[cache_key] = list(Segment.simplify(made))
        return segments

    def quick_cell(self, value: Cell, width: int, console: Console) -> list[Segment] | None:
        """:meth:`cell` for a text that fits and is styled whole (a time; a wait in its
        level's colour), from made styles: nothing copied, rendered or filtered. Every
        tick brings texts not seen before. None for any other cell."""
        if self.look is None:
            return None
        pad = " " * CELL_PADDING
        blank = self.made_style("blank", None)
        if isinstance(value, str):
            if cell_len(value) > width:
                return None
            return [Segment(pad + set_cell_size(value, width) + pad, blank)]
        text = value.plain
        if value.spans or "\n" in text or cell_len(text) > width:
            return None
        style = value.style
        made = self.made_style(f"text {style}", console.get_style(style) if style else None)
        return [Segment(pad, blank), Segment(set_cell_size(text, width), made), Segment(pad, blank)]


#: no row is this object: a described row holding it is described again
_RECHECK = object()


@dataclass(slots=True)
class Described:
    """A row's cells, made once per row object and reused while it stays the same."""

    item: object
    spec: RowSpec
    #: rendered static cells by column index (ticking columns are not here)
    segments: dict[int, list[Segment]]


class RowCells:
    """A table's columns at their current widths, and the cells of its rows.

    A row's static cells are made when it is first drawn and kept until its object is
    a new one that describes differently (a poll makes new objects for unchanged calls);
    ticking cells are made from the row's start time at the moment drawn.
    """

    def __init__(
        self,
        columns: Iterable[Column],
        describe: Callable[[Any], RowSpec],
        ticker: TickRenderer,
    ) -> None:
        self.columns = list(columns)
        self.describe = describe
        self.ticker = ticker
        self.maker = CellMaker()
        self.described: dict[str, Described] = {}
        #: each column's width now: ``Column.width``, plus room a wide table gives it
        self.widths = [column.width for column in self.columns]
        self.offsets = self._offsets()
        self.ticking = [index for index, column in enumerate(self.columns) if column.ticking]
        self._ticking_keys = [(index, self.columns[index].key) for index in self.ticking]
        #: the ticking cells at one moment, by (column index, start): a tick compares
        #: their texts and then draws the lines that changed, both from these; none is
        #: kept past the moment
        self._tick_now: datetime | None = None
        self._tick_values: dict[tuple[int, datetime | None], Cell] = {}
        self._tick_made: dict[tuple[int, datetime | None], list[Segment]] = {}

    def forget(self) -> None:
        """Every cell made goes (the look or the widths changed)."""
        self.maker.forget()
        self.described.clear()
        self._tick_now = None
        self._tick_values.clear()
        self._tick_made.clear()

    def _at(self, now: datetime) -> None:
        if now != self._tick_now:
            self._tick_now = now
            self._tick_values.clear()
            self._tick_made.clear()

    def tick_value(self, index: int, since: datetime | None, now: datetime) -> Cell:
        """The ticking cell of column ``index`` for a count from ``since``, at ``now``."""
        self._at(now)
        key = (index, since)
        value = self._tick_values.get(key)
        if value is None:
            seconds = None if since is None else max(0.0, (now - since).total_seconds())
            value = self._tick_values[key] = self.ticker(self.columns[index].key, seconds)
        return value

    def tick_segments(
        self, index: int, since: datetime | None, now: datetime, console: Console
    ) -> list[Segment]:
        """:meth:`tick_value` made into a cell."""
        self._at(now)
        key = (index, since)
        made = self._tick_made.get(key)
        if made is None:
            value = self.tick_value(index, since, now)
            made = self.maker.tick_cell(index, value, self.widths[index], console)
            self._tick_made[key] = made
        return made

    def set_widths(self, widths: list[int]) -> bool:
        """Use these column widths; True (and every cell forgotten) if they changed."""
        if widths == self.widths:
            return False
        self.widths = widths
        self.offsets = self._offsets()
        self.forget()
        return True

    def cell_width(self, index: int) -> int:
        return self.widths[index] + 2 * CELL_PADDING

    @property
    def line_length(self) -> int:
        return self.offsets[-1] + self.cell_width(len(self.columns) - 1)

    def _offsets(self) -> list[int]:
        offsets = []
        x = 0
        for index in range(len(self.columns)):
            offsets.append(x)
            x += self.cell_width(index)
        return offsets

    def row(self, key: str, item: object, console: Console) -> Described:
        """The row's cells, made again only when ``item`` describes differently."""
        described = self.described.get(key)
        if described is not None and described.item is item:
            return described
        spec = self.describe(item)
        if described is not None and described.spec == spec:
            described.item = item
            return described
        cell = self.maker.cell
        segments = {
            index: list(
                Segment.simplify(cell(spec.cells.get(column.key, ""), self.widths[index], console))
            )
            for index, column in enumerate(self.columns)
            if column.key not in spec.since
        }
        described = Described(item, spec, segments)
        self.described[key] = described
        return described

    def recheck(self) -> None:
        """Describe each row again when next drawn, though its object is the same (what
        the description reads beside the row changed); cells whose description is
        unchanged are kept."""
        for described in self.described.values():
            described.item = _RECHECK

    def keep_only(self, keys: Container[str]) -> None:
        for key in [key for key in self.described if key not in keys]:
            del self.described[key]

    def value(self, spec: RowSpec, column: Column, now: datetime) -> Cell:
        if column.key not in spec.since:
            return spec.cells.get(column.key, "")
        since = spec.since[column.key]
        seconds = None if since is None else max(0.0, (now - since).total_seconds())
        return self.ticker(column.key, seconds)

    def tick_texts(self, spec: RowSpec, now: datetime) -> tuple[str, ...]:
        """The texts of a row's ticking cells at ``now`` (what a tick compares)."""
        self._at(now)
        since, values, texts = spec.since, self._tick_values, []
        for index, key in self._ticking_keys:
            start = since.get(key)
            value = values.get((index, start))
            if value is None:
                value = self.tick_value(index, start, now)
            texts.append(value if isinstance(value, str) else value.plain)
        return tuple(texts)

    def columns_between(self, x1: int, x2: int) -> range:
        """The columns (by index) with a cell in ``x1``..``x2`` (end exclusive), the
        last one's reaching past ``x2`` if it does; none past the last column."""
        offsets = self.offsets
        first = max(0, bisect_right(offsets, x1) - 1)
        if x1 >= self.line_length:
            return range(0)
        return range(first, bisect_left(offsets, x2))

    def segments(
        self,
        described: Described,
        now: datetime,
        console: Console,
        columns: range | None = None,
    ) -> list[Segment]:
        """One row's line of cells (or only ``columns``' cells), ticking cells as at
        ``now``."""
        segments: list[Segment] = []
        all_columns, made, since = self.columns, described.segments, described.spec.since
        self._at(now)
        tick_made = self._tick_made
        for index in columns if columns is not None else range(len(all_columns)):
            cached = made.get(index)
            if cached is None:
                start = since.get(all_columns[index].key)
                cached = tick_made.get((index, start))
                if cached is None:
                    cached = self.tick_segments(index, start, now, console)
            segments.extend(cached)
        return segments

    def simple_segments(
        self, described: Described, now: datetime, console: Console, columns: range
    ) -> list[Segment]:
        """``Segment.simplify(self.segments(...))``: each cell is simplified when made,
        so neighbours in one style can meet only where two cells do."""
        line: list[Segment] = []
        all_columns, made, since = self.columns, described.segments, described.spec.since
        self._at(now)
        tick_made = self._tick_made
        for index in columns:
            cell = made.get(index)
            if cell is None:
                start = since.get(all_columns[index].key)
                cell = tick_made.get((index, start))
                if cell is None:
                    cell = self.tick_segments(index, start, now, console)
            if not cell:
                continue
            if line:
                last, first = line[-1], cell[0]
                if last.style == first.style and not first.control:
                    line[-1] = Segment(last.text + first.text, last.style)
                    line.extend(cell[1:])
                    continue
            line.extend(cell)
        return line

    def header_text(self) -> str:
        return "".join(
            pad_label(column.label, self.cell_width(index))
            for index, column in enumerate(self.columns)
        )
