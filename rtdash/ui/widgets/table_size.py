"""How much room a keyed table takes: its virtual size, and its columns' widths in the
room it has.

Apart from :class:`~rtdash.ui.widgets.keyed_table.KeyedTable` because it is a job of
its own with a cost that matters at scale: the row count changes on nearly every poll,
and a layout of the whole screen costs more than everything else a poll does, so the
size is set without one whenever the table's height cannot change.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
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
    ``Bookings li…`` with half a screen blank; and in a narrow one taken from those
    same columns, so their texts end in ``…`` rather than the screen's edge cutting
    the last columns off without a sign."""
    widths = [column.width for column in columns]
    # the room left when a vertical scrollbar shows, shown or not: the call groups'
    # tables, one above the other, keep their columns in line
    room = view.outer_size.width - view.styles.scrollbar_size_vertical
    spare = min(room, view.size.width) - sum(widths) - 2 * CELL_PADDING * len(widths)
    if spare < 0:
        return take_room(widths, [shrink_floor(column) for column in columns], -spare)
    grows = [column.grow for column in columns]
    return share_room(widths, grows, spare, [column.grow_first for column in columns])


def floor_width(view: ScrollView, columns: Sequence[Column]) -> int:
    """The narrowest ``view`` can be with its columns at their floors: narrower, the
    screen's edge cuts its last columns off, with nothing to say so."""
    cells = sum(map(shrink_floor, columns)) + 2 * CELL_PADDING * len(columns)
    return cells + view.styles.scrollbar_size_vertical


def shrink_floor(column: Column) -> int:
    """How narrow a column may be made: a column of names (one that may grow) down to
    its header word, whose sort arrow the cell's right padding holds; any other column
    (a time, a number) not at all, as a cut number would read as another number."""
    return cell_len(column.label) if column.grow else column.width


def take_room(widths: Sequence[int], floors: Sequence[int], short: int) -> list[int]:
    """Widths ``short`` characters narrower in all, a character at a time from the
    widest column still above its floor (the rightmost of equals), so the cuts are
    shared and no name is cut to nothing while another stays whole. What the floors
    cannot give stays short: the screen's edge cuts that much."""
    out = list(widths)
    while short > 0:
        above = [index for index, width in enumerate(out) if width > floors[index]]
        if not above:
            break
        widest = max(above, key=lambda index: (out[index], index))
        out[widest] -= 1
        short -= 1
    return out
