"""The line reader's head table (see :mod:`rtdash.api.line_rows`): each head's key to
the row last read from that line. Every poll takes every line's row out by its key and
puts the body's rows back, so at a big centre the table's calls are a large share of a
poll: where rtdash's C part was built at install (``rtdash/api/_heads.c``) the table is
kept there, in open addressing with no Python object per entry; elsewhere a dict does
the same. Both are driven through the same calls and compared in tests
(tests/api/test_line_table_kinds.py); the line reader's tests run with each.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import is_not
from types import ModuleType
from typing import Any, Protocol

from rtdash.api import c_parts

built: ModuleType | None = c_parts.built("_heads")  # None: not built here


class HeadTable(Protocol):
    def take(self, keys: list[int], /) -> list[Any]:
        """Each key's row, taken out (None where there is none): a row is found once."""
        ...

    def put(self, keys: list[int], rows: list[Any], /) -> None:
        """Each row put in under its key: a None row skipped, a key put twice keeps
        the later row."""
        ...

    def rows(self) -> list[Any]:
        """The rows held, in no order."""
        ...

    def held_keys(self) -> list[int]:
        """The keys held, in no order."""
        ...

    def clear(self) -> None: ...

    def __len__(self) -> int: ...


class DictHeads:
    """The head table as a dict, where the C part was not built."""

    __slots__ = ("_rows",)

    def __init__(self) -> None:
        self._rows: dict[int, Any] = {}

    def take(self, keys: list[int], /) -> list[Any]:
        return list(map(self._rows.pop, keys, repeat(None)))

    def put(self, keys: list[int], rows: list[Any], /) -> None:
        if len(keys) != len(rows):
            raise ValueError("put: as many rows as keys")
        self._rows.update(compress(zip(keys, rows, strict=True), map(is_not, rows, repeat(None))))

    def rows(self) -> list[Any]:
        return list(self._rows.values())

    def held_keys(self) -> list[int]:
        return list(self._rows)

    def clear(self) -> None:
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)


def new_table() -> HeadTable:
    """An empty head table: the C one where it was built."""
    if built is not None:
        table: HeadTable = built.Heads()
        return table
    return DictHeads()
