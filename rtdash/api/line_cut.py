"""A piece of a polled body cut into its lines' heads and tails (see
:mod:`rtdash.api.line_rows`), two ways that give the same cut:

* :class:`ScannedCut`, by rtdash's scanner in C (``rtdash/api/_lines.c``), when it was
  built at install (a machine with no C compiler installs without it): one pass that
  finds each line's tail and hashes its head where it lies, so no bytes object is made
  of a head unless its line is new;
* :class:`PatternCut`, by one compiled pattern that splits the piece into heads and
  tails, everywhere.

Both refuse the same pieces (any line without a plain tail) and tell heads apart alike:
the pattern keys a head by ``hash()`` of its bytes (Python's SipHash), the scanner by a
keyed 64-bit hash of its own (several times faster); both draw their keys anew in each
process. A reader's head table is only ever filled by the one cut chosen when it is
made. Tests run the line reader both ways and compare the cuts on generated and
hostile pieces (tests/api/test_line_cut.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Protocol

import msgspec

scanner: ModuleType | None
try:
    import rtdash.api._lines as _built
except ImportError:  # not built here: the pattern cuts every piece
    scanner = None
else:
    scanner = _built

#: a duration's value on the wire, as JSON allows it (no leading zeros, no exponent)
DURATION = rb'(?:"[0-9]{0,12}"|-?(?:0|[1-9][0-9]{0,11})|null)'
_END = rb"(?:\r?\n|\Z)"


class Cut(Protocol):
    """One piece's lines: each head's key, and the bytes of the lines asked for."""

    def keys(self) -> list[int]: ...

    def tails(self) -> bytes:
        """Every tail, in order, joined (the unchanged body's test digests them)."""
        ...

    def tail(self, index: int) -> bytes: ...

    def lines(self, indexes: list[int]) -> list[bytes] | None:
        """The whole lines (head and tail) at ``indexes``; None when one of them runs
        into the next line (a line without a plain tail: the piece is read whole)."""
        ...


class PatternCut:
    __slots__ = ("_heads", "_tails")

    def __init__(self, heads: list[bytes], tails: list[bytes]) -> None:
        self._heads, self._tails = heads, tails

    def keys(self) -> list[int]:
        return list(map(hash, self._heads))  # in C, one pass over the heads

    def tails(self) -> bytes:
        return b"".join(self._tails)

    def tail(self, index: int) -> bytes:
        return self._tails[index]

    def lines(self, indexes: list[int]) -> list[bytes] | None:
        heads = [self._heads[index] for index in indexes]
        # a head held from the last body cannot hold a newline (it was checked then),
        # so only the new lines' are looked at
        if any(b"\n" in head for head in heads):
            return None
        return [head + self._tails[index] for head, index in zip(heads, indexes, strict=True)]


class ScannedCut:
    __slots__ = ("_keys", "_offsets", "_piece", "_tails")

    def __init__(self, piece: bytes, keys: list[int], tails: bytes, offsets: bytes) -> None:
        self._piece, self._keys, self._tails = piece, keys, tails
        #: per line: head start, tail start, tail end
        self._offsets = memoryview(offsets).cast("q")

    def keys(self) -> list[int]:
        return self._keys

    def tails(self) -> bytes:
        return self._tails

    def tail(self, index: int) -> bytes:
        at = 3 * index
        return self._piece[self._offsets[at + 1] : self._offsets[at + 2]]

    def lines(self, indexes: list[int]) -> list[bytes] | None:
        piece, offsets = self._piece, self._offsets
        return [piece[offsets[3 * index] : offsets[3 * index + 2]] for index in indexes]


def cutter(tail_keys: tuple[str, ...], *, scan: bool = True) -> Callable[[bytes], Cut | None]:
    """What cuts a piece whose lines end in the durations ``tail_keys`` (in order;
    none: a line's tail is its closing brace): the scanner when built (and ``scan``),
    else the pattern. It gives None for a piece not every line of which ends in a plain
    tail, or that holds no line."""
    encoded = tuple(msgspec.json.encode(key) for key in tail_keys)
    if scan and scanner is not None:
        scanned = scanner.scan

        def by_scanner(piece: bytes) -> Cut | None:
            found = scanned(piece, encoded)
            return None if found is None else ScannedCut(piece, *found)

        return by_scanner
    tail = b"".join(b"," + re.escape(key) + b":" + DURATION for key in encoded)
    split = re.compile(b"(" + tail + rb"\})" + _END).split

    def by_pattern(piece: bytes) -> Cut | None:
        pieces = split(piece)
        if len(pieces) < 3 or pieces[-1] != b"":
            return None  # no line, or something after the last plain tail
        return PatternCut(pieces[0:-1:2], pieces[1::2])

    return by_pattern
