"""What a keyed table knows without drawing anything: the rows' order, where each key
is, which row the cursor is on, which screen lines need drawing again, and how a wide
table shares its room between columns.

No Textual (and no Rich) here, so these rules are tested as plain Python
(tests/ui/test_rowstore.py); :class:`~rtdash.ui.widgets.keyed_table.KeyedTable` draws
what they decide.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from operator import indexOf
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Line = TypeVar("Line", bound=Hashable)

#: how far either side of where the cursor's row was it is looked for first
NEAR = 256


@dataclass(frozen=True, slots=True)
class RowOrder(Generic[Item]):
    """How a table's rows are sorted: ascending by ``key`` (descending if ``reverse``),
    rows of equal keys in any order."""

    key: Callable[[Item], Any]
    reverse: bool = False

    def find(
        self, rows: Sequence[Item], item: Item, key: str, key_of: Callable[[Item], str]
    ) -> int | None:
        """Where the row keyed ``key`` is in ``rows``, looked for (by halves) among the
        rows whose sort key is ``item``'s: None when it is not there."""
        value, sort_key, reverse = self.key(item), self.key, self.reverse
        low, high = 0, len(rows)
        while low < high:  # the first row not before ``value``
            middle = (low + high) // 2
            here = sort_key(rows[middle])
            if (here > value) if reverse else (here < value):
                low = middle + 1
            else:
                high = middle
        for index in range(low, min(len(rows), low + NEAR)):
            row = rows[index]
            if key_of(row) == key:
                return index
            if sort_key(row) != value:
                return None
        return None


class RowStore(Generic[Item]):
    """Rows (any objects) in order, by key, with a cursor that follows its row.

    Across a :meth:`reconcile` the cursor stays on the same key; when that row went
    away it stays at the same position (clamped), so it lands on a neighbour.

    A poll of a big centre hands over tens of thousands of rows, of which a screen
    shows a few dozen: the rows are held as given, and a row's key is worked out when
    that row is looked at (drawn, or under the cursor). Only :attr:`order`,
    :attr:`items` and :attr:`index` go over every row, and nothing on a poll's way to
    the screen asks for them.
    """

    def __init__(self, key: Callable[[Item], str]) -> None:
        self.key_of = key
        self._held: Sequence[Item] = ()
        #: every row's key, and the rows by key: worked out when first asked
        self._order: list[str] | None = []
        self._items: dict[str, Item] | None = {}
        self._index: dict[str, int] | None = {}
        self.cursor = 0

    @property
    def rows(self) -> Sequence[Item]:
        """The rows as last handed over, in order."""
        return self._held

    @property
    def order(self) -> list[str]:
        """Every row's key, in order (goes over every row, once per reconcile)."""
        if self._order is None:
            self._order = list(map(self.key_of, self._held))
        return self._order

    @property
    def items(self) -> dict[str, Item]:
        """The rows by key (goes over every row, once per reconcile)."""
        if self._items is None:
            self._items = dict(zip(self.order, self._held, strict=True))
        return self._items

    @property
    def index(self) -> dict[str, int]:
        """Where each key is (goes over every row, once per reconcile)."""
        if self._index is None:
            self._index = {key: index for index, key in enumerate(self.order)}
        return self._index

    def __len__(self) -> int:
        return len(self._held)

    def item_at(self, index: int) -> Item:
        return self._held[index]

    def key_at(self, index: int) -> str:
        return self.key_of(self._held[index])

    def find(self, key: str) -> Item | None:
        """The row with ``key``, or None (a look-up by key, not a poll's: it may go
        over every row)."""
        return self.items.get(key)

    @property
    def selected_key(self) -> str | None:
        if not 0 <= self.cursor < len(self._held):
            return None
        return self.key_at(self.cursor)

    def reconcile(self, items: Sequence[Item], order: RowOrder[Item] | None = None) -> bool:
        """Hold ``items`` in this order; True when the cursor had to move.

        ``order``: how ``items`` are sorted, when the caller knows. The cursor's row is
        then looked for where its sort key puts it, and one that is not there nor near
        where it was has gone: without it, only a look at every row can tell.
        """
        if items is self._held:
            return False  # the very same rows (a snapshot hands on a group nothing moved in)
        position = self.cursor
        held = self._held
        selected = held[position] if 0 <= position < len(held) else None
        self._held = items
        self._order = self._items = self._index = None
        if not items:
            self.cursor = 0
            return False
        target = None if selected is None else self._locate(selected, position, order)
        if target is None:
            target = self.clamp(position)
        moved = target != self.cursor
        self.cursor = target
        return moved

    def _locate(self, item: Item, near: int, order: RowOrder[Item] | None) -> int | None:
        """Where the row of ``item`` (a row as it was) is now: where it was, else where
        its sort key puts it, else near where it was (a row moves by the rows that came
        or went before it). Without ``order``, a row not found so far costs a look at
        every row, in C (``map`` of the key over the rows)."""
        held, key_of = self._held, self.key_of
        key = key_of(item)
        if 0 <= near < len(held) and key_of(held[near]) == key:
            return near
        if order is not None:
            where = order.find(held, item, key, key_of)
            if where is not None:
                return where
        low, high = max(0, near - NEAR), min(len(held), near + NEAR)
        try:
            return low + indexOf(map(key_of, held[low:high]), key)
        except ValueError:
            if order is not None:
                return None
        try:
            return indexOf(map(key_of, held), key)
        except ValueError:
            return None

    def clamp(self, row: int) -> int:
        """``row`` held to the rows there are (0 when there are none)."""
        return min(max(0, row), len(self._held) - 1) if self._held else 0

    def move_cursor(self, row: int) -> bool:
        """Put the cursor on ``row`` (clamped); True when it moved."""
        target = self.clamp(row)
        moved = target != self.cursor
        self.cursor = target
        return moved

    def visible(self, top: int, height: int, header: int) -> list[tuple[int, int]]:
        """(screen line, row index) of each row on a screen of ``height`` row lines that
        starts at row ``top``, below ``header`` lines."""
        last = min(len(self._held), top + max(0, height))
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


def share_room(
    widths: Sequence[int], grows: Sequence[int], spare: int, firsts: Sequence[int] = ()
) -> list[int]:
    """Column widths with ``spare`` characters given out one at a time in turn to the
    columns that may grow, each up to its ``grow`` more, so a wallboard does not cut
    ``Bookings li…`` with half a screen blank.

    ``firsts``: how many of its ``grow`` a column takes before the turns begin. A
    narrow terminal has only a few characters to spare, and shared in turns the line's
    name took as many as the agent's, which a supervisor reads to act on a call. The
    turns then go on as if from the start, skipping what was taken first, so with
    room for every column's firsts the widths are the turns' alone: a wide screen
    keeps the widths it had."""
    ahead = list(firsts) + [0] * (len(grows) - len(firsts))
    # each character a column may take, in the order they are given out: those taken
    # first, then turn by turn, left to right within a turn
    order = sorted(
        (turn >= ahead[index], turn, index)
        for index, grow in enumerate(grows)
        for turn in range(grow)
    )
    out = list(widths)
    for _, _, index in order[: max(spare, 0)]:
        out[index] += 1
    return out
