"""The line reader's head table (see :mod:`rtdash.api.line_rows`): each head's key to
the row last read from that line. Every poll looks up every line's row by its key, so at
a big centre the table's calls are a large share of a poll: a row found is only marked
found, and once the body is read :meth:`HeadTable.settle` lets the rows not found go
(the gone rows) and keeps the others, so only what changed is put in and taken out.
Where rtdash's C part was built at install (``rtdash/api/_heads.c``) the table is kept
there, in open addressing with no Python object per entry, and a body in the last
one's order is found by following that body's lines rather than looking each up
(``rtdash/api/_heads_order.h``); elsewhere two dicts do the same. Both are driven
through the same calls and compared in tests (tests/api/test_line_table_kinds.py,
tests/api/test_line_table_order.py); the line reader's tests run with each.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count, repeat
from operator import is_, is_not
from types import ModuleType
from typing import Any, Protocol

from rtdash.api import c_parts

built: ModuleType | None = c_parts.built("_heads")  # None: not built here


class HeadTable(Protocol):
    """Keys are a list of ints or, from the C scanner, a memoryview of int64 (each
    table takes either)."""

    def take(self, keys: Sequence[int], missing: list[int] = ..., /) -> list[Any]:
        """Each key's row, marked found (None where there is none, and its index added
        to ``missing`` when given): a row is found once between two settles, and stays
        held."""
        ...

    def put(self, keys: Sequence[int], rows: list[Any], found: bool = ..., /) -> None:
        """Each row put in under its key, marked found if ``found`` (a body's new
        lines: held from the next settle on, and not found again before it), else not:
        a None row skipped, a key put twice keeps the later row."""
        ...

    def settle(self) -> list[Any]:
        """The rows not found since the last settle, let go (in no order); the found
        ones held on, no longer marked."""
        ...

    def rows(self) -> list[Any]:
        """The rows held and not found, in no order."""
        ...

    def held_keys(self) -> list[int]:
        """The keys of the rows held and not found, in no order."""
        ...

    def clear(self) -> None: ...

    def followed(self) -> int:
        """How many rows were found since the last settle by following the last body's
        lines in order, each the row of the line after the last one found (see
        ``rtdash/api/_heads_order.h``). When it is as many as the last body had lines,
        the rows found are the last body's, one for one, in its order."""
        ...

    def __len__(self) -> int:
        """How many rows are held and not found."""
        ...


class DictHeads:
    """The head table as two dicts, where the C part was not built: the rows not found
    since the last settle, and those found."""

    __slots__ = ("_found", "_rows")

    def __init__(self) -> None:
        self._rows: dict[int, Any] = {}
        self._found: dict[int, Any] = {}

    def take(self, keys: Sequence[int], missing: list[int] | None = None, /) -> list[Any]:
        rows, found = self._rows, self._found
        taken = list(map(rows.pop, keys, repeat(None)))
        found.update(compress(zip(keys, taken, strict=True), map(is_not, taken, repeat(None))))
        if missing is not None:
            missing += compress(count(), map(is_, taken, repeat(None)))
        return taken

    def put(self, keys: Sequence[int], rows: list[Any], found: bool = False, /) -> None:
        if len(keys) != len(rows):
            raise ValueError("put: as many rows as keys")
        pairs = list(compress(zip(keys, rows, strict=True), map(is_not, rows, repeat(None))))
        into, other = (self._found, self._rows) if found else (self._rows, self._found)
        for key, _ in pairs:
            other.pop(key, None)
        into.update(pairs)

    def settle(self) -> list[Any]:
        gone = list(self._rows.values())
        self._rows, self._found = self._found, {}
        return gone

    def rows(self) -> list[Any]:
        return list(self._rows.values())

    def held_keys(self) -> list[int]:
        return list(self._rows)

    def clear(self) -> None:
        self._rows.clear()
        self._found.clear()

    def followed(self) -> int:
        return 0  # every line is looked up

    def __len__(self) -> int:
        return len(self._rows)


def new_table() -> HeadTable:
    """An empty head table: the C one where it was built."""
    if built is not None:
        table: HeadTable = built.Heads()
        return table
    return DictHeads()
