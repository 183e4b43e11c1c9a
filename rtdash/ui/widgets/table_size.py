"""How much room a keyed table takes: its virtual size, and its columns' widths in the
room it has.

Apart from :class:`~rtdash.ui.widgets.keyed_table.KeyedTable` because it is a job of
its own with a cost that matters at scale: the row count changes on nearly every poll,
and a layout of the whole screen costs more than everything else a poll does, so the
size is set without one whenever the table's height cannot change.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.geometry import Size
from textual.scroll_view import ScrollView

from rtdash.ui.rowstore import share_room
from rtdash.ui.textual_internals import set_virtual_size_quietly
from rtdash.ui.widgets.table_cells import CELL_PADDING, Column


def update_virtual_size(view: ScrollView, size: Size) -> None:
    """Give ``view`` this virtual size, laying the screen out only when its height may
    change with it."""
    if size == view.virtual_size:
        return
    if height_unaffected(view, size.height):
        # a new row count that cannot move anything: only the scrollbar changes
        set_virtual_size_quietly(view, size)
    else:
        view.virtual_size = size  # a layout of the whole screen


def height_unaffected(view: ScrollView, rows: int) -> bool:
    """Whether ``view``'s height stays the same with this many lines.

    A layout of the screen costs more than everything else a poll does at scale, and
    the row count changes on nearly every poll. It only matters to an auto height
    that is not already held at its maximum: a ``1fr`` table, or one that overflows
    its ``max-height`` before and after, keeps its size.
    """
    height = view.size.height
    if not height:
        return False
    rule = view.styles.height
    if rule is not None and not rule.is_auto:
        return True
    return view.virtual_size.height > height and rows > height


def fitted_widths(view: ScrollView, columns: Sequence[Column]) -> list[int]:
    """The columns' widths with the room a wide table has shared between the columns
    that can use it, a character at a time in turn, so a wallboard does not cut
    ``Bookings li…`` with half a screen blank."""
    widths = [column.width for column in columns]
    # the room left when a vertical scrollbar shows, shown or not: the call groups'
    # tables, one above the other, keep their columns in line
    room = view.outer_size.width - view.styles.scrollbar_size_vertical
    spare = min(room, view.size.width) - sum(widths) - 2 * CELL_PADDING * len(widths)
    grows = [column.grow for column in columns]
    return share_room(widths, grows, spare, [column.grow_first for column in columns])
