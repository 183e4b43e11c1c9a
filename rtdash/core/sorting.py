"""The ``s`` key's sort orders for a table: press to cycle, and each column is offered
ascending then descending before the next, so one key reaches every order.

The arrow (in the sorted column's header and the status bar) speaks of what the label
names, the same for every key: ↑ ascending (smallest, earliest, A first), ↓ descending.
The keys follow the table's columns, left to right."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SortKey(Generic[T]):
    name: str
    label: str
    #: returns something ``sorted`` can compare (a str, a number, a tuple of them)
    key: Callable[[T], Any]
    #: the key ascending is the label descending: "time in state" sorts by the state's
    #: start, and the earliest start is the longest time in state
    label_descends: bool = False


class SortCycle(Generic[T]):
    """The first key, ascending, is the snapshot's own order: applying it costs nothing."""

    def __init__(self, keys: Sequence[SortKey[T]]) -> None:
        self.keys = keys
        self.index = 0
        self.reverse = False

    @property
    def is_default(self) -> bool:
        return self.index == 0 and not self.reverse

    @property
    def column(self) -> str:
        """The name of the key sorted by now (the column that shows the arrow)."""
        return self.keys[self.index].name

    @property
    def arrow(self) -> str:
        """↑ or ↓, about the label's quantity, not the key's value: the default (the
        longest time in state first) is "time in state ↓"."""
        key = self.keys[self.index]
        return "↓" if self.reverse != key.label_descends else "↑"

    def cycle(self) -> str:
        """Move to the next order; return words for the status bar."""
        if self.reverse:
            self.index = (self.index + 1) % len(self.keys)
        self.reverse = not self.reverse
        return self.words()

    def sort_by(self, name: str) -> str:
        """Sort by the key ``name`` in its natural direction (the longest time, A
        first); asked again for the same key, flip it. KeyError for an unknown name."""
        index = next((i for i, key in enumerate(self.keys) if key.name == name), None)
        if index is None:
            raise KeyError(name)
        if index == self.index:
            self.reverse = not self.reverse
        else:
            self.index, self.reverse = index, False
        return self.words()

    def reset(self) -> str:
        """Back to the default order (the snapshot's own)."""
        self.index, self.reverse = 0, False
        return self.words()

    def words(self) -> str:
        return f"sorted by {self.keys[self.index].label} {self.arrow}"

    def apply(self, rows: Iterable[T]) -> tuple[T, ...]:
        if self.is_default:
            return tuple(rows)
        return tuple(sorted(rows, key=self.keys[self.index].key, reverse=self.reverse))
