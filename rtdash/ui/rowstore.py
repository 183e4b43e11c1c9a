"""What a keyed table knows without drawing anything: the rows' order, where each key
is, which row the cursor is on, which screen lines need drawing again, and how a wide
table shares its room between columns.

No Textual (and no Rich) here, so these rules are tested as plain Python
(tests/ui/test_rowstore.py); :class:`~rtdash.ui.widgets.keyed_table.KeyedTable` draws
what they decide.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Line = TypeVar("Line", bound=Hashable)


class RowStore(Generic[Item]):
    """Rows (any objects) in order, by key, with a cursor that follows its row.

    Across a :meth:`reconcile` the cursor stays on the same key; when that row went
    away it stays at the same position (clamped), so it lands on a neighbour.
    """

    def __init__(self, key: Callable[[Item], str]) -> None:
        self.key_of = key
        self.order: list[str] = []
        self.items: dict[str, Item] = {}
        self._index: dict[str, int] | None = {}
        self._held: Sequence[Item] = ()
        self.cursor = 0

    @property
    def index(self) -> dict[str, int]:
        """Where each key is; worked out when first asked after a reconcile."""
        if self._index is None:
            self._index = {key: index for index, key in enumerate(self.order)}
        return self._index

    def __len__(self) -> int:
        return len(self.order)

    @property
    def selected_key(self) -> str | None:
        if not 0 <= self.cursor < len(self.order):
            return None
        return self.order[self.cursor]

    def reconcile(self, items: Sequence[Item]) -> bool:
        """Hold ``items`` in this order; True when the cursor had to move."""
        if items is self._held:
            return False  # the very same rows (a snapshot hands on a group nothing moved in)
        selected, position = self.selected_key, self.cursor
        self._held = items
        # a poll of thousands of rows: keys and the table built in C, where each key is
        # worked out only when asked (``index``): the cursor's row is one scan
        self.order = list(map(self.key_of, items))
        self.items = dict(zip(self.order, items, strict=True))
        self._index = None
        if not self.order:
            self.cursor = 0
            return False
        if selected is not None and selected in self.items:
            target = self.order.index(selected)
        else:
            target = self.clamp(position)
        moved = target != self.cursor
        self.cursor = target
        return moved

    def clamp(self, row: int) -> int:
        """``row`` held to the rows there are (0 when there are none)."""
        return min(max(0, row), len(self.order) - 1) if self.order else 0

    def move_cursor(self, row: int) -> bool:
        """Put the cursor on ``row`` (clamped); True when it moved."""
        target = self.clamp(row)
        moved = target != self.cursor
        self.cursor = target
        return moved

    def visible(self, top: int, height: int, header: int) -> list[tuple[int, int]]:
        """(screen line, row index) of each row on a screen of ``height`` row lines that
        starts at row ``top``, below ``header`` lines."""
        last = min(len(self.order), top + max(0, height))
        return [(header + index - top, index) for index in range(top, last)]


class DrawnLines(Generic[Line]):
    """What each screen line was last drawn from, so that only a line whose source
    differs is drawn again (a new row there, its cells changed, the cursor came or
    went)."""

    def __init__(self) -> None:
        self.lines: dict[int, Line] = {}

    def clear(self) -> None:
        self.lines.clear()

    def get(self, y: int) -> Line | None:
        return self.lines.get(y)

    def set(self, y: int, line: Line) -> None:
        self.lines[y] = line

    def update(self, lines: Iterable[tuple[int, Line]], rows_end: int) -> list[int]:
        """Record ``lines`` (screen line, source); the lines from ``rows_end`` on hold no
        row any more. Returns the screen lines to draw again, ascending."""
        changed: list[int] = []
        drawn = self.lines
        for y, line in lines:
            if drawn.get(y) != line:
                drawn[y] = line
                changed.append(y)
        for y in sorted(y for y in drawn if y >= rows_end):
            del drawn[y]
            changed.append(y)
        return changed


def runs(lines: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending line numbers as (first, last) runs of neighbours: one refresh region per
    run costs the compositor far less than one per line."""
    out: list[tuple[int, int]] = []
    for y in lines:
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def share_room(widths: Sequence[int], grows: Sequence[int], spare: int) -> list[int]:
    """Column widths with ``spare`` characters given out one at a time in turn to the
    columns that may grow, each up to its ``grow`` more, so a wallboard does not cut
    ``Bookings li…`` with half a screen blank."""
    out = list(widths)
    growing = [index for index, grow in enumerate(grows) if grow]
    while spare > 0 and growing:
        for index in list(growing):
            if spare == 0:
                break
            out[index] += 1
            spare -= 1
            if out[index] == widths[index] + grows[index]:
                growing.remove(index)
    return out
