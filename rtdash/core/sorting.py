"""The ``s`` key's sort orders for a table: press to cycle, and each column is offered
ascending then descending before the next, so one key reaches every order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SortKey(Generic[T]):
    name: str
    label: str
    key: Callable[[T], object]


class SortCycle(Generic[T]):
    """The first key, ascending, is the snapshot's own order: applying it costs nothing."""

    def __init__(self, keys: Sequence[SortKey[T]]) -> None:
        self.keys = keys
        self.index = 0
        self.reverse = False

    @property
    def is_default(self) -> bool:
        return self.index == 0 and not self.reverse

    def cycle(self) -> str:
        """Move to the next order; return words for the status bar."""
        if self.reverse:
            self.index = (self.index + 1) % len(self.keys)
        self.reverse = not self.reverse
        arrow = "↓" if self.reverse else "↑"
        return f"sorted by {self.keys[self.index].label} {arrow}"

    def apply(self, rows: Iterable[T]) -> tuple[T, ...]:
        if self.is_default:
            return tuple(rows)
        return tuple(sorted(rows, key=self.keys[self.index].key, reverse=self.reverse))
