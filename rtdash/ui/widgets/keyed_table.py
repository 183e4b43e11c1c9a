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

The rows, their order and the cursor are a :class:`~rtdash.ui.rowstore.RowStore`;
cells are made in :mod:`.table_cells` and drawn into screen lines by
:class:`~.table_lines.TableLines`, refreshed where they changed by
:class:`~.table_refresh.TableRefresh`; its size and column widths are :mod:`.table_size`'s;
the shortcuts past Textual's public API are in :mod:`rtdash.ui.textual_internals`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar, Generic

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from rtdash.core.clock import Clock, SystemClock
from rtdash.ui.rowstore import DrawnLines, Item, RowOrder, RowStore
from rtdash.ui.widgets.table_cells import (
    Cell,
    Column,
    RowCells,
    RowSpec,
    TickRenderer,
    plain,
    plain_ticker,
)
from rtdash.ui.widgets.table_refresh import DrawnLine, TableRefresh
from rtdash.ui.widgets.table_size import fitted_widths, update_virtual_size

__all__ = [
    "Cell",
    "Column",
    "KeyedTable",
    "RowOrder",
    "RowSpec",
    "TickRenderer",
    "plain_ticker",
]

#: called with the table and the step (1 down, -1 up) when up on the first row or down on
#: the last (either, in an empty table) has nowhere to go in it: a view of several tables
#: moves the focus on to the next. Called within the key's own action, not by a message:
#: the app looks up the binding of the next key (Enter, typed at once or in the same
#: packet over a slow link) from the focus as it is when it takes that key, so a focus
#: moved a message later would leave that key to the table just left
PastEnd = Callable[["KeyedTable[Any]", int], None]


class KeyedTable(TableRefresh, Generic[Item], can_focus=True):
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
        # a newline too: Enter as a terminal not yet in raw mode sends it (ui.typeahead).
        # Shown: on the dashboard it is the agent's main key (the selected call's
        # caller), and the table's binding hides the screen's from the footer
        Binding("enter,ctrl+j", "select_cursor", "Look up", key_display="⏎"),
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
        past_end: PastEnd | None = None,
        moved: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> None:
        """``moved``: told when other rows come into view (a resize, a scroll), for an
        owner that sizes a column to the rows in view."""
        super().__init__(**kwargs)
        self.clock = clock or SystemClock()
        self._past_end = past_end
        self._moved = moved
        self._show_header = show_header
        self._rows: RowStore[Item] = RowStore(key)
        self._row_cells = RowCells(columns, describe, ticker)
        self.columns = self._row_cells.columns
        self._cells = self._row_cells.maker
        #: the header line as last drawn, and the width it was drawn for
        self._header: tuple[int, Strip] | None = None
        self._drawn: DrawnLines[DrawnLine] = DrawnLines()
        #: the moment ticking cells are drawn for: set by a poll or a tick, so a paused
        #: view (which gets neither) holds still even when a line is redrawn
        self._now = self.clock.now()

    @property
    def key_of(self) -> Callable[[Item], str]:
        return self._rows.key_of

    @property
    def describe(self) -> Callable[[Item], RowSpec]:
        return self._row_cells.describe

    @property
    def ticker(self) -> TickRenderer:
        return self._row_cells.ticker

    @property
    def _widths(self) -> list[int]:
        return self._row_cells.widths

    # --- public ---------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return list(self._rows.order)

    @property
    def row_count(self) -> int:
        return len(self._rows)

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
        """Header words by column key (a sort arrow); the header is redrawn if changed.
        The header is drawn from the cells' columns, so they are the ones relabelled
        (``columns`` is the same list)."""
        columns = self._row_cells.columns
        relabelled = [replace(c, label=labels.get(c.key, c.label)) for c in columns]
        if relabelled != columns:
            columns[:] = relabelled
            self._header = None
            self.refresh()

    def set_own_widths(self, widths: dict[str, int]) -> None:
        """Columns' own widths by key (the caller's, to its longest number): the room is
        shared again from them, and the lines and header drawn at the new widths."""
        columns = self._row_cells.columns
        columns[:] = [replace(c, width=widths.get(c.key, c.width)) for c in columns]
        self.on_resize()

    @property
    def selected_key(self) -> str | None:
        return self._rows.selected_key

    def get_row(self, key: str) -> list[str]:
        """The cells of a row as plain text, in column order, as drawn."""
        spec = self._describe(key).spec
        return [plain(self._row_cells.value(spec, column, self._now)) for column in self.columns]

    def get_cell(self, key: str, column_key: str) -> Cell:
        """One cell as drawn."""
        column = next(column for column in self.columns if column.key == column_key)
        return self._row_cells.value(self._describe(key).spec, column, self._now)

    def reconcile(self, items: Sequence[Item], order: RowOrder[Item] | None = None) -> None:
        """Show ``items`` in this order; redraw only the lines that now look different.
        ``order``: how ``items`` are sorted, if known (see :meth:`RowStore.reconcile`)."""
        moved = self._rows.reconcile(items, order)
        self._now = self.clock.now()
        if moved:
            self._scroll_cursor_into_view(False)
        self._update_virtual_size()
        self._redraw_changed_lines()

    def redescribe(self) -> None:
        """The same rows, described differently (what ``describe`` reads beside them
        changed): only the lines on screen are described again, and only those that now
        look different are redrawn."""
        self._row_cells.recheck()
        self._redraw_changed_lines()

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Put the cursor on a row (clamped) and scroll it into view."""
        moved = self._rows.move_cursor(row)
        if not self._rows:
            return
        if moved:
            self._redraw_changed_lines()
        self._scroll_cursor_into_view(animate)

    # --- actions and events ---------------------------------------------------------

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            if self._past_end is not None:
                self._past_end(self, -1)
            return
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            if self._past_end is not None:
                self._past_end(self, 1)
            return
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_cursor_home(self) -> None:
        self.move_cursor(row=0)

    def action_cursor_end(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            # whether Enter opens anything is the screen's to say: where it says no (a
            # replay has no lookup), the Footer does not offer it, and the key goes on
            # to the screen's own binding, which says why
            return self.screen.check_action(action, parameters)
        return super().check_action(action, parameters)

    def action_select_cursor(self) -> None:
        key = self.selected_key
        if key is None:  # an empty table: the Enter is the screen's to answer
            raise SkipAction()
        self.post_message(self.RowSelected(self, key))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a click on the highlighted row selects it."""
        index = int(self.scroll_offset.y) + event.y - self.header_height
        if event.y < self.header_height or not 0 <= index < len(self._rows):
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
        if self._moved is not None:
            self._moved()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._drawn.clear()
            self._redraw_changed_lines()
            if self._moved is not None:
                self._moved()

    # --- bookkeeping ----------------------------------------------------------------

    def _update_virtual_size(self) -> None:
        lines = len(self._rows) + self.header_height
        update_virtual_size(self, Size(self._row_cells.line_length, lines))

    def _scroll_cursor_into_view(self, animate: bool) -> None:
        if not self._rows:
            return
        top = int(self.scroll_offset.y)
        height = max(1, self.size.height - self.header_height)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=animate)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=animate)

    def _page(self) -> int:
        return max(1, self.size.height - self.header_height - 1)

    def _fit_columns(self) -> None:
        """Share the room a wide table has between the columns that can use it
        (:func:`~.table_size.fitted_widths`); the cells made at the old widths go."""
        if self._row_cells.set_widths(fitted_widths(self, self.columns)):
            self._forget_styles()  # the header, and the styles the cells were made in
