"""Rows to value lists and back, whole or as changes to the rows before (deltas).

A row travels as the list of its field values in the model's field order (the keys are
not repeated for every row), and comes back without being checked again, as the API's
row reader builds them: the values were validated once, by the hub, and come back in
the types the models hold.

A delta carries a snapshot's rows as changes to the snapshot before it (its *base*). A
row that is the base's row but for durations that moved on by the same step as the
upstream's clock is one integer: its index in the base's rows times 16 plus a bit per
duration that moved, written as the difference from the previous such integer (rows
keep their order, so the differences repeat and compress to almost nothing); any other
row goes whole. Between two polls most calls only tick, so a delta is a few bytes a
row, to decode and to keep in the history.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from datetime import datetime
from enum import StrEnum
from itertools import accumulate, islice
from operator import lt
from typing import Any

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot


class RowError(ValueError):
    """Values that are not a row this version can read."""


CALL_FIELDS = tuple(name for name in ActiveCall.model_fields if name != "extra")
USER_FIELDS = tuple(name for name in PbxUser.model_fields if name != "extra")
_CALL_TIMES = {i for i, name in enumerate(CALL_FIELDS) if name in ("call_start", "state_start")}
_USER_TIMES = {i for i, name in enumerate(USER_FIELDS) if name == "state_start"}


def row_values(row: ActiveCall | PbxUser, fields: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    for name in fields:
        value = getattr(row, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        out.append(value)
    if row.extra:
        out.append(row.extra)
    return out


class RowBuilder:
    """Rows back from value lists, sharing one datetime per distinct string per frame."""

    def __init__(self, model: type[ActiveCall] | type[PbxUser], fields: tuple[str, ...]) -> None:
        self.model = model
        self.fields = fields
        self.times = _CALL_TIMES if model is ActiveCall else _USER_TIMES
        self.state = fields.index("state")

    def build(self, values: list[Any], state_type: type[StrEnum]) -> ActiveCall | PbxUser:
        count = len(self.fields)
        if len(values) not in (count, count + 1):
            raise RowError(f"a row has {len(values)} values, not {count}")
        data = dict(zip(self.fields, values, strict=False))
        for index in self.times:
            raw = values[index]
            if raw is not None:
                data[self.fields[index]] = datetime.fromisoformat(raw)
        data["state"] = state_type(values[self.state])
        data["extra"] = values[count] if len(values) > count else {}
        return self.model.of(data)


CALLS = RowBuilder(ActiveCall, CALL_FIELDS)
USERS = RowBuilder(PbxUser, USER_FIELDS)


_CALL_TICKS = ("ring_time", "queue_duration", "bridge_duration", "call_duration")
_CALL_SAME = tuple(name for name in (*CALL_FIELDS, "extra") if name not in _CALL_TICKS)
_USER_SAME = (*USER_FIELDS, "extra")
#: the durations each of a kept row's 16 masks moved on
_MOVED = tuple(
    tuple(name for bit, name in enumerate(_CALL_TICKS) if mask >> bit & 1) for mask in range(16)
)
_STILL: tuple[tuple[str, ...], ...] = ((),) * 16


def delta_rows(
    snapshot: CallsSnapshot | UsersSnapshot, base: CallsSnapshot | UsersSnapshot
) -> tuple[int, list[Any]]:
    """``snapshot``'s rows as changes to ``base``'s: the step of the upstream's clock
    and the rows (integers for kept rows, value lists for the others)."""
    ticks: tuple[str, ...]
    rows: tuple[ActiveCall, ...] | tuple[PbxUser, ...]
    old_rows: tuple[ActiveCall, ...] | tuple[PbxUser, ...]
    if isinstance(snapshot, CallsSnapshot):
        assert isinstance(base, CallsSnapshot)
        rows, old_rows, fields = snapshot.calls, base.calls, CALL_FIELDS
        ticks, same, key = _CALL_TICKS, _CALL_SAME, "call_ref"
    else:
        assert isinstance(base, UsersSnapshot)
        rows, old_rows, fields = snapshot.users, base.users, USER_FIELDS
        ticks, same, key = (), _USER_SAME, "user_id"
    index = {getattr(row, key): (i, row) for i, row in enumerate(old_rows)}
    step = _step(rows, index) if ticks else 0
    out: list[Any] = []
    last = 0
    for row in rows:
        found = index.get(getattr(row, key))
        if found is not None:
            i, old = found
            mask = 0
            for bit, name in enumerate(ticks):
                a, b = getattr(row, name), getattr(old, name)
                if a != b:
                    if a is None or b is None or a - b != step:
                        mask = -1
                        break
                    mask |= 1 << bit
            if mask >= 0 and all(getattr(row, name) == getattr(old, name) for name in same):
                value = i * 16 + mask
                out.append(value - last)
                last = value
                continue
        out.append(row_values(row, fields))
    return step, out


def _step(rows: Any, index: dict[Any, tuple[int, Any]]) -> int:
    """The seconds the upstream's clock moved between base and snapshot: the commonest
    change of a kept call's duration."""
    steps: Counter[int] = Counter()
    for row in rows:
        found = index.get(row.call_ref)
        if found is not None:
            a, b = row.call_duration, found[1].call_duration
            if a is not None and b is not None:
                steps[a - b] += 1
    return steps.most_common(1)[0][0] if steps else 0


def from_base(
    rows: list[Any],
    base: tuple[Any, ...],
    builder: RowBuilder,
    state_type: type[StrEnum],
    step: int,
) -> list[Any]:
    moved = _MOVED if builder is CALLS else _STILL
    model = builder.model
    places = model.index
    count = len(base)
    out: list[Any] = []
    append = out.append
    value = 0
    for item in rows:
        if type(item) is not int:
            append(builder.build(item, state_type))
            continue
        value += item
        i, mask = value >> 4, value & 15
        if i < 0:
            raise RowError("a delta row before its base")
        if i >= count:
            raise RowError("a delta row beyond its base")
        old = base[i]
        if not mask:
            append(old)  # the very row: nothing moved
            continue
        data = list(old.values())
        for name in moved[mask]:
            data[places[name]] += step
        append(model.from_values(data))
    return out


def encode_rows(snapshot: CallsSnapshot | UsersSnapshot) -> list[list[Any]]:
    if isinstance(snapshot, CallsSnapshot):
        return [row_values(call, CALL_FIELDS) for call in snapshot.calls]
    return [row_values(user, USER_FIELDS) for user in snapshot.users]


def calls_from(rows: list[Any], base: CallsSnapshot | None = None, step: int = 0) -> list[Any]:
    """Call rows back: whole, or (``base``) a delta's on its base's."""
    if base is not None:
        return from_base(rows, base.calls, CALLS, CallState, step)
    return [CALLS.build(values, CallState) for values in rows]


def calls_on(
    rows: list[Any],
    base: CallsSnapshot,
    step: int,
    fetched_at: datetime,
    unreadable: int,
    server_now: datetime | None = None,
) -> CallsSnapshot:
    """A delta's snapshot on ``base``, grouped and ordered without looking at the rows
    kept.

    Rows whose durations only ticked are the hub's very row objects (as the poller holds
    them: the durations follow from ``server_now``), so between two polls most rows of a
    delta are "the base's row *i*", in the base's order. Those are taken a group at a
    time, in C (a group with none gone is the base's own tuple, which a screen tells
    unchanged by identity), with the base's order keys; only the rows sent whole are
    built, keyed and sorted in, as :meth:`CallsSnapshot.build` does with ``previous``.
    Anything else (durations moved on, rows out of the base's order, a base without
    keys) takes the row-by-row way."""
    whole = [item for item in rows if type(item) is not int]
    values = list(accumulate([item for item in rows if type(item) is int] if whole else rows))
    sizes = [len(base.groups[state]) for state in CALL_STATES]
    keyed = all(
        len(base.order_keys.get(state, ())) == size
        for state, size in zip(CALL_STATES, sizes, strict=True)
    )
    if not keyed or (
        values
        and (
            values[0] < 0
            or values[-1] >> 4 >= sum(sizes)
            or any(map((15).__and__, values))
            or not all(map(lt, values, islice(values, 1, None)))
        )
    ):
        return _calls_row_by_row(rows, base, step, fetched_at, unreadable, server_now)
    index = [value >> 4 for value in values]
    fresh = CallsSnapshot.build(calls_from(whole), fetched_at) if whole else None
    groups: dict[CallState, tuple[ActiveCall, ...]] = {}
    order_keys: dict[CallState, tuple[Any, ...]] = {}
    low = start = 0
    for state, size in zip(CALL_STATES, sizes, strict=True):
        stop = bisect_left(index, low + size, start)
        held, held_keys = base.groups[state], base.order_keys[state]
        if stop - start != size:
            places = [i - low for i in index[start:stop]]
            held = tuple(map(held.__getitem__, places))
            held_keys = tuple(map(held_keys.__getitem__, places))
        if fresh is not None and fresh.groups[state]:
            members, keys = list(held), list(held_keys)
            for row, key in zip(fresh.groups[state], fresh.order_keys[state], strict=True):
                at = bisect_left(keys, key)
                members.insert(at, row)
                keys.insert(at, key)
            held, held_keys = tuple(members), tuple(keys)
        groups[state], order_keys[state] = held, held_keys
        low += size
        start = stop
    return CallsSnapshot(
        fetched_at=fetched_at,
        groups=groups,
        unreadable=unreadable,
        server_now=server_now,
        order_keys=order_keys,
    )


def _calls_row_by_row(
    rows: list[Any],
    base: CallsSnapshot,
    step: int,
    fetched_at: datetime,
    unreadable: int,
    server_now: datetime | None,
) -> CallsSnapshot:
    made = from_base(rows, base.calls, CALLS, CallState, step)
    return CallsSnapshot.build(made, fetched_at, unreadable, server_now)


def users_from(rows: list[Any], base: UsersSnapshot | None = None, step: int = 0) -> list[Any]:
    if base is not None:
        return from_base(rows, base.users, USERS, UserState, step)
    return [USERS.build(values, UserState) for values in rows]
