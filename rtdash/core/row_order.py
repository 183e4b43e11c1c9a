"""Rows kept in order from poll to poll: a poll's new rows placed among the last
poll's (already in order) and its gone rows taken out, keying as few rows as can be, so
a snapshot costs what changed, not what is there."""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from heapq import merge
from itertools import chain, compress, islice, repeat
from operator import not_
from types import ModuleType
from typing import Any, TypeVar

from rtdash.api import c_parts

R = TypeVar("R")
K = TypeVar("K")

#: the gone rows taken out in C (rtdash/core/_drop.c) where it was built: no key
#: looked at, no object made per row (None: taken out here, as below)
dropping: ModuleType | None = c_parts.built("_drop", "rtdash.core")


def in_order(
    new: list[R],
    key: Callable[[R], K],
    previous: tuple[R, ...] | None = None,
    previous_keys: tuple[K, ...] | None = None,
    present: set[int] | None = None,
) -> tuple[tuple[R, ...], tuple[K, ...]]:
    """Rows sorted by ``key``, and their keys: ``new`` rows, and those of ``previous`` (the
    last poll's order, with its keys) whose id is in ``present`` (this poll's rows). The
    rows kept need no key and are in order already: only the new ones are keyed and
    merged in, so a poll costs what changed."""
    keys: list[Any]  # each a tuple of comparable values
    if previous is None or previous_keys is None or present is None:
        rows, keys = new, list(map(key, new))
    else:
        kept = list(map(present.__contains__, map(id, previous)))  # in C, row by row
        if not new and all(kept):
            return previous, previous_keys  # the very same rows: the very same tuple
        rows = [*compress(previous, kept), *new]
        keys = [*compress(previous_keys, kept), *map(key, new)]
    # two sorted runs (or one list): the sort merges them, keys compared in C
    order = sorted(range(len(rows)), key=keys.__getitem__)
    return tuple(map(rows.__getitem__, order)), tuple(map(keys.__getitem__, order))


#: above one new row in this many, the rows are sorted at once rather than placed one
#: by one
SORT_AT = 8


def remembered(key: Callable[[R], Any]) -> Callable[[R], Any]:
    """``key``, each row's worked out once: the binary searches for a poll's rows look
    at the same few rows first (the middle, its middles), so one placement keys them
    once; forgotten with the placement (rows come and go), or with the poll's build when
    it hands one to all its placements (a key already remembering is used as it is)."""
    if key in _REMEMBERING:
        return key
    known: dict[int, Any] = {}

    def keyed(row: R) -> Any:
        found = known.get(id(row), known)
        if found is known:
            found = known[id(row)] = key(row)
        return found

    _REMEMBERING.add(keyed)
    _plain[keyed] = key
    return keyed


#: the keys :func:`remembered` made that are alive (forgotten with them)
_REMEMBERING: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()
#: the key each of them remembers, for rows looked at once (see :func:`placed`)
_plain: weakref.WeakKeyDictionary[Callable[..., Any], Callable[..., Any]] = (
    weakref.WeakKeyDictionary()
)


def placed(kept: Sequence[R], new: list[R], key: Callable[[R], Any]) -> tuple[R, ...]:
    """``kept`` (in order already) with ``new`` rows placed by ``key``, keying only the
    new rows and the few kept rows a binary search looks at: the order needs no keys
    held from poll to poll (at a big centre those were a tuple and a float a row).
    The places are found first and the rows then laid out in one pass, so each kept
    row is touched once (at a big centre, copies of the rows in pieces cost more than
    the searches)."""
    if not new:
        return tuple(kept)
    if len(new) * SORT_AT > len(kept):
        if not kept:
            return tuple(sorted(new, key=key))
        # the new rows sorted, merged with the kept ones keyed one at a time as the
        # merge reaches them (and not remembered): sorting them all together held a
        # key for every row at once, a big centre's whole poll of keys on the poll after
        # a long gap; the order is the sort's (ties: kept rows first, then new in turn)
        return tuple(merge(kept, sorted(new, key=key), key=_plain.get(key, key)))
    rest = iter(kept)
    pieces: list[Iterable[R]] = []
    start = 0
    for at, row in _places(kept, new, key):
        pieces += (islice(rest, at - start), (row,))
        start = at
    pieces.append(rest)
    return tuple(chain.from_iterable(pieces))


def replaced(
    kept: tuple[R, ...], gone: list[R], new: list[R], key: Callable[[R], Any]
) -> tuple[tuple[R, ...], list[R]]:
    """``placed(without(kept, gone, key), new, key)``, made in one pass where the part
    in C is built: each new row's place is searched for among ``kept`` as it is (its
    gone rows are in order too, and a place among them is the same place once they
    are out), then the group is laid out once, gone rows left out and new rows put in
    (at a big centre a group is tens of thousands of rows, and making it twice cost
    more than the searches). And the gone rows in ``kept``'s order, as the snapshots
    hand them on: met there by the part in C, else sorted by ``key`` (at a big centre
    keying every gone row again cost more than finding them)."""
    found: list[R] = []
    if (
        dropping is None
        or not new
        or not gone
        or type(kept) is not tuple
        # as placed decides after the gone rows are out (at least this many are left;
        # else the two ways could take different paths and order equal keys apart)
        or len(new) * SORT_AT > len(kept) - len(gone)
    ):
        made = placed(without(kept, gone, key, found), new, key)
    else:
        places = _places(kept, new, key)
        made = dropping.replaced(
            kept, gone, [row for _, row in places], [at for at, _ in places], found
        )
    if len(found) != len(gone):  # not met in C, or a gone row not in kept
        found = sorted(gone, key=key)
    return made, found


def _places(kept: Sequence[R], new: list[R], key: Callable[[R], Any]) -> list[tuple[int, R]]:
    """Each new row, in order, with its place among ``kept`` (the index of the kept row
    it goes just before): only the new rows and the kept rows the searches look at are
    keyed."""
    keys = list(map(key, new))
    looked = remembered(key)
    places = []
    start, size = 0, len(kept)
    order = sorted(range(len(new)), key=keys.__getitem__)
    for count, place in enumerate(order):
        start = _search(kept, keys[place], start, looked)
        places.append((start, new[place]))
        if start == size:
            # past the last kept row: so is every later one (a poll's new rows mostly
            # began their state just now, so most of them go there)
            places += zip(repeat(size), map(new.__getitem__, order[count + 1 :]))
            break
    return places


#: rows looked at just past the last one found before a search of all the rows
NEAR = 2


def _search(rows: Sequence[R], target: Any, start: int, key: Callable[[R], Any]) -> int:
    """``bisect_left(rows, target, start, key=key)``: a poll's rows are searched for in
    order and many come and go in runs (the longest waiters leave, the newest states
    come last), so the rows just past the last one found are looked at first; then a
    search of all the rows, whose first steps look at the rows every search looks at
    (keyed once per poll by ``key``, see :func:`remembered`)."""
    size = len(rows)
    for at in range(start, min(start + NEAR, size)):
        if key(rows[at]) >= target:
            return at
    if start + NEAR >= size:
        return size
    return bisect_left(rows, target, key=key)


#: below one gone row in this many, each gone row is found by a binary search (each
#: step keys a row); above, one pass in C over every row drops them
SEARCH_BELOW = 64


def without(
    kept: tuple[R, ...], gone: list[R], key: Callable[[R], Any], found: list[R] | None = None
) -> tuple[R, ...]:
    """``kept`` (in order by ``key``) without the ``gone`` rows (each among them): when
    they are few, each found by a binary search on its key, so only they and the few
    rows a search looks at are keyed and the rest is copied as it is; else (or when a
    row is not where its key says) by one pass over every row. Where the part in C is
    built, by its pass, which compares addresses only (and appends the gone rows it
    meets to ``found``, when given, in ``kept``'s order)."""
    if not gone:
        return kept
    if dropping is not None:
        dropped: tuple[R, ...] = (
            dropping.without(kept, gone) if found is None else dropping.without(kept, gone, found)
        )
        return dropped
    if len(gone) * SEARCH_BELOW <= len(kept):
        places = []
        looked = remembered(key)
        keys = list(map(looked, gone))
        start = 0
        for place in sorted(range(len(gone)), key=keys.__getitem__):
            row = gone[place]
            at = start = _search(kept, keys[place], start, looked)
            while at < len(kept) and kept[at] is not row:
                at += 1  # rows with equal keys: the one itself is among them
            if at == len(kept):
                break
            places.append(at)
        else:
            places.sort()
            parts: list[R] = []
            start = 0
            for at in places:
                parts += kept[start:at]
                start = at + 1
            parts += kept[start:]
            return tuple(parts)
    out = set(map(id, gone))
    return tuple(compress(kept, map(not_, map(out.__contains__, map(id, kept)))))


#: the order keys of the state starts asked for lately, by the start's identity, each
#: beside the start itself (held, it keeps its id from being another object's): the
#: reader makes one object of the rows of the same second, and a poll's placements ask
#: for a few dozen of them hundreds of times, each answer reading the zone's offset
_STARTS: dict[int, tuple[datetime, float]] = {}
#: at most this many are held (then all are let go): enough for a poll's, and few
#: enough that a long run holds no more after its first minutes than at its start
STARTS_HELD = 256
_NONE_LAST = float("inf")


def start_key(when: datetime | None) -> float:
    """A state's start as an order key: the earliest first, a row with none last."""
    if when is None:
        return _NONE_LAST
    known = _STARTS.get(id(when))
    if known is not None:
        return known[1]
    if len(_STARTS) >= STARTS_HELD:
        _STARTS.clear()
    stamp = when.timestamp()
    _STARTS[id(when)] = (when, stamp)
    return stamp
