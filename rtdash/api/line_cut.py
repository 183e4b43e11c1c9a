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

import hashlib
import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, Protocol

import msgspec

from rtdash.api import c_parts

scanner: ModuleType | None = c_parts.built("_lines")  # None: not built here

#: a duration's value on the wire, as JSON allows it (no leading zeros, no exponent)
DURATION = rb'(?:"[0-9]{0,12}"|-?(?:0|[1-9][0-9]{0,11})|null)'
_END = rb"(?:\r?\n|\Z)"


class Cut(Protocol):
    """One piece's lines: each head's key, and the bytes of the lines asked for."""

    def keys(self) -> Sequence[int]: ...

    def tail(self, index: int) -> bytes: ...

    def lines(self, indexes: list[int]) -> list[bytes] | None:
        """The whole lines (head and tail) at ``indexes``; None when one of them runs
        into the next line (a line without a plain tail: the piece is read whole)."""
        ...


class Tails(Protocol):
    """Every tail of a body, in order, as one digest (an unchanged body is known by
    its heads held and its tails' digest): the same however the body came in pieces."""

    def digest(self) -> bytes: ...


class PatternCut:
    __slots__ = ("_heads", "_tails")

    def __init__(self, heads: list[bytes], tails: list[bytes]) -> None:
        self._heads, self._tails = heads, tails

    def keys(self) -> list[int]:
        return list(map(hash, self._heads))  # in C, one pass over the heads

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
    __slots__ = ("_keys", "_offsets", "_piece")

    def __init__(self, piece: bytes, keys: bytes, offsets: bytes) -> None:
        self._piece = piece
        #: per line: its head's key (as the scanner wrote them: no int object per line
        #: until one is asked for; the head table reads them as they are)
        self._keys = memoryview(keys).cast("q")
        #: per line: head start, tail start, tail end
        self._offsets = memoryview(offsets).cast("q")

    def keys(self) -> Sequence[int]:
        return self._keys

    def tail(self, index: int) -> bytes:
        at = 3 * index
        return self._piece[self._offsets[at + 1] : self._offsets[at + 2]]

    def lines(self, indexes: list[int]) -> list[bytes] | None:
        piece, offsets = self._piece, self._offsets
        return [piece[offsets[3 * index] : offsets[3 * index + 2]] for index in indexes]


class ChainedTails:
    """The scanner's digest of a body's tails: a keyed 64-bit chain it carries on."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = 0

    def digest(self) -> bytes:
        return self.state.to_bytes(8, "little")


class LineCutter(Protocol):
    def __call__(
        self, piece: bytes, tails: Any = None, start: int = 0, stop: int | None = None, /
    ) -> Cut | None:
        """``piece[start:stop]`` cut, every tail of it carried into ``tails`` (one of
        :meth:`new_tails`; None: not digested); None when it cannot be cut. The
        scanner cuts it where it lies (no copy of the bytes made)."""
        ...

    def new_tails(self) -> Tails: ...


class _Scanning:
    __slots__ = ("_keys", "_scan")

    def __init__(self, scan: Callable[..., Any], keys: tuple[bytes, ...]) -> None:
        self._scan, self._keys = scan, keys

    def __call__(
        self,
        piece: bytes,
        tails: ChainedTails | None = None,
        start: int = 0,
        stop: int | None = None,
        /,
    ) -> Cut | None:
        state = 0 if tails is None else tails.state
        found = self._scan(piece, self._keys, state, start, len(piece) if stop is None else stop)
        if found is None:
            return None
        keys, state, offsets = found
        if tails is not None:
            tails.state = state
        return ScannedCut(piece, keys, offsets)

    def new_tails(self) -> Tails:
        return ChainedTails()


class _Splitting:
    __slots__ = ("_split",)

    def __init__(self, split: Callable[[bytes], list[bytes]]) -> None:
        self._split = split

    def __call__(
        self, piece: bytes, tails: Any = None, start: int = 0, stop: int | None = None, /
    ) -> Cut | None:
        if start or (stop is not None and stop != len(piece)):
            piece = piece[start:stop]  # the pattern splits whole bytes
        pieces = self._split(piece)
        if len(pieces) < 3 or pieces[-1] != b"":
            return None  # no line, or something after the last plain tail
        if tails is not None:
            tails.update(b"".join(pieces[1::2]))
        return PatternCut(pieces[0:-1:2], pieces[1::2])

    def new_tails(self) -> Tails:
        return hashlib.new("sha1", usedforsecurity=False)


def cutter(tail_keys: tuple[str, ...], *, scan: bool = True) -> LineCutter:
    """What cuts a piece whose lines end in the durations ``tail_keys`` (in order;
    none: a line's tail is its closing brace): the scanner when built (and ``scan``),
    else the pattern. It gives None for a piece not every line of which ends in a plain
    tail, or that holds no line."""
    encoded = tuple(msgspec.json.encode(key) for key in tail_keys)
    if scan and scanner is not None:
        return _Scanning(scanner.scan, encoded)
    tail = b"".join(b"," + re.escape(key) + b":" + DURATION for key in encoded)
    return _Splitting(re.compile(b"(" + tail + rb"\})" + _END).split)
