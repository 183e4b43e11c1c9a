"""What a row reader learns once per row shape (a row's keys, in order): an upstream
sends the same keys on every row, so the mapping's aliases are looked up once per
shape, not once per row and field (see :class:`~rtdash.api.row_reader.RowReader`)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rtdash.api.row_types import _INT_FIELDS, _SHARED_TEXT, _TICKING, _TIME_FIELDS


class RowShape:
    """What to read from rows with one set of keys (in one order): an upstream sends
    the same keys on every row, so the alias lookups are done once per shape, not once
    per row and field. Each list holds (field's place, upstream key) of one kind of value."""

    __slots__ = (
        "clock",
        "dashboard",
        "extra_keys",
        "ints",
        "old_rows",
        "rows",
        "shared",
        "stable",
        "state",
        "texts",
        "ticking",
        "ticks",
        "times",
    )

    def __init__(self) -> None:
        self.texts: list[tuple[int, str]] = []
        self.shared: list[tuple[int, str]] = []
        self.times: list[tuple[int, str]] = []
        self.ints: list[tuple[int, str]] = []
        self.state: str | None = None
        self.dashboard: str | None = None
        self.extra_keys: tuple[str, ...] = ()
        #: the ticking integer fields (field's place, upstream key)
        self.ticking: list[tuple[int, str]] = []
        #: the row's values of every other key, as one tuple: a row whose stable values
        #: (and their types) are those of a row read a poll ago is that row again
        self.stable: Callable[[Mapping[str, Any]], tuple[Any, ...]] = _nothing
        #: the row's values of the ticking keys (only their types are checked)
        self.ticks: Callable[[Mapping[str, Any]], tuple[Any, ...]] = _nothing
        #: rows of this shape read from this body and the last, by stable values (only
        #: rows whose stable values are all text or null: a value equal to a text is a
        #: text, so a match is exact, while 1 == 1.0 == True and 0.0 == -0.0 read apart)
        self.rows: dict[tuple[Any, ...], Any] = {}
        self.old_rows: dict[tuple[Any, ...], Any] = {}
        #: the upstream keys of the call's start and duration, when the shape has both
        self.clock: tuple[str, str] | None = None


def _nothing(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return ()


def _stable_getter(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A C-speed getter of ``keys``' values as a tuple (``itemgetter`` of one key would
    return the bare value)."""
    if not keys:
        return _nothing
    if len(keys) == 1:
        only = keys[0]
        return lambda row: (row[only],)
    getter: Callable[[Mapping[str, Any]], tuple[Any, ...]] = operator.itemgetter(*keys)
    return getter


def shape_of(
    keys: tuple[str, ...], table: Mapping[str, Sequence[str]], index: Mapping[str, int]
) -> RowShape:
    """The shape of rows with ``keys``, read through the mapping ``table`` (each field's
    upstream aliases) into a row type whose fields are at ``index``."""
    present = set(keys)
    used: set[str] = set()
    shape = RowShape()
    for name, aliases in table.items():
        key = next((alias for alias in aliases if alias in present), None)
        if key is None:
            continue
        used.add(key)
        if name == "state":
            shape.state = key
        elif name == "dashboard":
            shape.dashboard = key
        elif name not in index:
            continue  # a mapped field this model does not hold: read, not kept
        elif name in _TICKING:
            shape.ticking.append((index[name], key))
        elif name in _INT_FIELDS:
            shape.ints.append((index[name], key))
        elif name in _TIME_FIELDS:
            shape.times.append((index[name], key))
        elif name in _SHARED_TEXT:
            shape.shared.append((index[name], key))
        else:
            shape.texts.append((index[name], key))
    shape.extra_keys = tuple(key for key in keys if key not in used)
    ticking = {key for _, key in shape.ticking}
    shape.stable = _stable_getter(tuple(key for key in keys if key not in ticking))
    shape.ticks = _stable_getter(tuple(key for _, key in shape.ticking))
    start_at, duration_at = index.get("call_start"), index.get("call_duration")
    start = next((key for place, key in shape.times if place == start_at), None)
    duration = next((key for place, key in shape.ticking if place == duration_at), None)
    if start is not None and duration is not None:
        shape.clock = (start, duration)
    return shape
