"""Snapshots and poller status to bytes and back: what the hub puts on the wire.

A frame is a 2-byte header (format version, body encoding) and a body. The body is JSON
with each row as a list of its field values in the model's field order, so the keys
are not repeated for every row; bodies over a small size are zlib-compressed, because
one frame is sent to every viewer and kept in the day's history. ``bench.hub`` measures
the sizes and costs. A reader that meets a newer version raises :class:`FrameError`
(one clear message), never misreads.

An ``unchanged`` snapshot (the upstream sent the same bytes as last time) travels as a
*same* frame: just its time. The receiver re-stamps the snapshot it already holds,
exactly as the poller does, so nothing is decoded twice.

Decoding builds the rows without pydantic validation, as the API's row reader does:
the values were validated once, by the hub, and come back in the types the models hold.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from rtdash.api import errors
from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.poller import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

VERSION = 1
_PLAIN = b"j"
_ZLIB = b"z"
#: bodies shorter than this are sent as they are: compressing a status costs more than
#: it saves
COMPRESS_OVER = 512


class FrameError(ValueError):
    """Bytes that are not a frame this version can read."""


class NeedBase(FrameError):
    """A delta frame whose base this reader does not hold (it joined or missed a frame):
    the full frame is in the latest state."""


class Kind(StrEnum):
    CALLS = "calls"
    USERS = "users"
    STATUS = "status"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame. ``snapshot`` is None for a status frame and for a *same*
    frame (``same`` is then True and ``at`` is the snapshot's new fetch time)."""

    kind: Kind
    at: float
    snapshot: CallsSnapshot | UsersSnapshot | None = None
    status: PollerStatus | None = None
    same: bool = False
    #: a *same* frame's new fetch time
    when: datetime | None = None
    #: a service frame's day state (:meth:`ServiceLevel.to_dict`)
    service: dict[str, Any] | None = None


# --- rows ---------------------------------------------------------------------------------

_CALL_FIELDS = tuple(name for name in ActiveCall.model_fields if name != "extra")
_USER_FIELDS = tuple(name for name in PbxUser.model_fields if name != "extra")
_CALL_TIMES = {i for i, name in enumerate(_CALL_FIELDS) if name in ("call_start", "state_start")}
_USER_TIMES = {i for i, name in enumerate(_USER_FIELDS) if name == "state_start"}
_set_attr = object.__setattr__


def _row_values(row: ActiveCall | PbxUser, fields: tuple[str, ...]) -> list[Any]:
    data = row.__dict__
    out: list[Any] = []
    for name in fields:
        value = data[name]
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        out.append(value)
    if data["extra"]:
        out.append(data["extra"])
    return out


class _RowBuilder:
    """Rows back from value lists, sharing one datetime per distinct string per frame."""

    def __init__(self, model: type[ActiveCall] | type[PbxUser], fields: tuple[str, ...]) -> None:
        self.model = model
        self.fields = fields
        self.times = _CALL_TIMES if model is ActiveCall else _USER_TIMES
        self.state = fields.index("state")
        self.fields_set = set(model.model_fields)

    def build(self, values: list[Any], state_type: type[StrEnum]) -> ActiveCall | PbxUser:
        count = len(self.fields)
        if len(values) not in (count, count + 1):
            raise FrameError(f"a row has {len(values)} values, not {count}")
        data = dict(zip(self.fields, values, strict=False))
        for index in self.times:
            raw = values[index]
            if raw is not None:
                data[self.fields[index]] = _when(raw)
        data["state"] = state_type(values[self.state])
        data["extra"] = values[count] if len(values) > count else {}
        made = self.model.__new__(self.model)
        _set_attr(made, "__dict__", data)
        _set_attr(made, "__pydantic_fields_set__", self.fields_set)
        _set_attr(made, "__pydantic_extra__", None)
        _set_attr(made, "__pydantic_private__", None)
        return made


_when = datetime.fromisoformat
_CALLS = _RowBuilder(ActiveCall, _CALL_FIELDS)
_USERS = _RowBuilder(PbxUser, _USER_FIELDS)


# --- deltas -------------------------------------------------------------------------------
#
# A delta frame carries a snapshot as changes to the one before it (its *base*, named by
# fetch time). A row that is the base's row but for durations that moved on by the same
# step as the upstream's clock is one integer: its index in the base's rows times 16 plus
# a bit per duration that moved; any other row goes whole. Between two polls most calls
# only tick, so a delta is a few bytes a row, to decode and to keep in the history.

_CALL_TICKS = ("ring_time", "queue_duration", "bridge_duration", "call_duration")
_CALL_SAME = tuple(name for name in (*_CALL_FIELDS, "extra") if name not in _CALL_TICKS)
_USER_SAME = (*_USER_FIELDS, "extra")


def encode_delta(
    snapshot: CallsSnapshot | UsersSnapshot, base: CallsSnapshot | UsersSnapshot
) -> bytes:
    """``snapshot`` as changes to ``base`` (the snapshot published before it)."""
    ticks: tuple[str, ...]
    rows: tuple[ActiveCall, ...] | tuple[PbxUser, ...]
    old_rows: tuple[ActiveCall, ...] | tuple[PbxUser, ...]
    if isinstance(snapshot, CallsSnapshot):
        assert isinstance(base, CallsSnapshot)
        kind, rows, old_rows, fields = "calls", snapshot.calls, base.calls, _CALL_FIELDS
        ticks, same, key = _CALL_TICKS, _CALL_SAME, "call_ref"
    else:
        assert isinstance(base, UsersSnapshot)
        kind, rows, old_rows, fields = "users", snapshot.users, base.users, _USER_FIELDS
        ticks, same, key = (), _USER_SAME, "user_id"
    index = {row.__dict__[key]: (i, row.__dict__) for i, row in enumerate(old_rows)}
    step = _step(rows, index) if ticks else 0
    out: list[Any] = []
    for row in rows:
        new = row.__dict__
        found = index.get(new[key])
        if found is not None:
            i, old = found
            mask = 0
            for bit, name in enumerate(ticks):
                a, b = new[name], old[name]
                if a != b:
                    if a is None or b is None or a - b != step:
                        mask = -1
                        break
                    mask |= 1 << bit
            if mask >= 0 and all(new[name] == old[name] for name in same):
                out.append(i * 16 + mask)
                continue
        out.append(_row_values(row, fields))
    body = {"k": kind, "t": snapshot.fetched_at.isoformat(), "u": snapshot.unreadable}
    return _pack({**body, "b": base.fetched_at.isoformat(), "s": step, "r": out})


def _step(rows: Any, index: dict[Any, tuple[int, dict[str, Any]]]) -> int:
    """The seconds the upstream's clock moved between base and snapshot: the commonest
    change of a kept call's duration."""
    steps: Counter[int] = Counter()
    for row in rows:
        found = index.get(row.call_ref)
        if found is not None:
            a, b = row.call_duration, found[1]["call_duration"]
            if a is not None and b is not None:
                steps[a - b] += 1
    return steps.most_common(1)[0][0] if steps else 0


def _from_base(
    rows: list[Any],
    base: tuple[Any, ...],
    builder: _RowBuilder,
    state_type: type[StrEnum],
    step: int,
) -> list[Any]:
    ticks: tuple[str, ...] = _CALL_TICKS if builder is _CALLS else ()
    moved = [tuple(name for bit, name in enumerate(ticks) if mask >> bit & 1) for mask in range(16)]
    model, fields_set, new, set_attr = builder.model, builder.fields_set, object.__new__, _set_attr
    count = len(base)
    out: list[Any] = []
    append = out.append
    for value in rows:
        if type(value) is not int:
            append(builder.build(value, state_type))
            continue
        i, mask = value >> 4, value & 15
        if i >= count:
            raise FrameError("a delta row beyond its base")
        old = base[i]
        if not mask:
            append(old)  # the very row: nothing moved
            continue
        data = old.__dict__.copy()
        for name in moved[mask]:
            data[name] += step
        made = new(model)
        set_attr(made, "__dict__", data)
        set_attr(made, "__pydantic_fields_set__", fields_set)
        set_attr(made, "__pydantic_extra__", None)
        set_attr(made, "__pydantic_private__", None)
        append(made)
    return out


# --- frames -------------------------------------------------------------------------------


_encode_json = msgspec.json.Encoder().encode
_decode_json = msgspec.json.Decoder().decode


def _pack(body: dict[str, Any]) -> bytes:
    raw = _encode_json(body)
    if len(raw) > COMPRESS_OVER:
        return bytes((VERSION,)) + _ZLIB + zlib.compress(raw, 1)
    return bytes((VERSION,)) + _PLAIN + raw


def _unpack(frame: bytes) -> dict[str, Any]:
    if len(frame) < 2:
        raise FrameError("an empty frame")
    if frame[0] != VERSION:
        raise FrameError(f"frame version {frame[0]}, this rtdash reads {VERSION}: upgrade it")
    encoding, body = frame[1:2], frame[2:]
    try:
        if encoding == _ZLIB:
            body = zlib.decompress(body)
        elif encoding != _PLAIN:
            raise FrameError(f"unknown frame encoding {encoding!r}")
        data = _decode_json(body)
    except (zlib.error, msgspec.DecodeError) as exc:
        raise FrameError(f"unreadable frame ({exc})") from None
    if not isinstance(data, dict):
        raise FrameError("a frame body is not an object")
    return data


def encode_calls(snapshot: CallsSnapshot) -> bytes:
    if snapshot.unchanged:
        return encode_same(Kind.CALLS, snapshot.fetched_at)
    rows = [_row_values(call, _CALL_FIELDS) for call in snapshot.calls]
    return _pack(
        {"k": "calls", "t": snapshot.fetched_at.isoformat(), "u": snapshot.unreadable, "r": rows}
    )


def encode_users(snapshot: UsersSnapshot) -> bytes:
    if snapshot.unchanged:
        return encode_same(Kind.USERS, snapshot.fetched_at)
    rows = [_row_values(user, _USER_FIELDS) for user in snapshot.users]
    return _pack(
        {"k": "users", "t": snapshot.fetched_at.isoformat(), "u": snapshot.unreadable, "r": rows}
    )


def encode_full(snapshot: CallsSnapshot | UsersSnapshot) -> bytes:
    """The whole snapshot even when it is ``unchanged``: what the latest state keeps."""
    fresh = replace(snapshot, unchanged=False)
    if isinstance(fresh, CallsSnapshot):
        return encode_calls(fresh)
    return encode_users(fresh)


def encode_same(kind: Kind, fetched_at: datetime) -> bytes:
    return _pack({"k": kind.value, "t": fetched_at.isoformat(), "same": 1})


def encode_service(state: dict[str, Any], wall_now: float) -> bytes:
    """Today's service state as the hub's service level holds it, whole: small (day
    totals, the last hour's minutes, the calls in flight), and a viewer or a standby hub
    takes it as it is instead of inferring its own from frames it may have missed."""
    return _pack({"k": "service", "t": wall_now, "s": state})


def encode_status(status: PollerStatus, wall_now: float) -> bytes:
    """``wall_now``: the publisher's wall clock (epoch seconds) at ``status.made_at``,
    so loop times (``next_try``) travel as seconds from then."""
    routes = {}
    for route, health in status.routes.items():
        entry: dict[str, Any] = {"f": health.failures, "x": health.unreadable}
        if health.last_success is not None:
            entry["ok"] = health.last_success.isoformat()
        if health.next_try is not None:
            entry["in"] = round(health.next_try - status.made_at, 3)
        if health.error is not None:
            entry["e"] = _error_json(health.error)
        routes[route.value] = entry
    return _pack(
        {
            "k": "status",
            "t": wall_now,
            "p": status.phase.value,
            "i": status.interval,
            "s": status.slow,
            "r": routes,
        }
    )


def _error_json(error: errors.ApiError) -> dict[str, Any]:
    out: dict[str, Any] = {"c": type(error).__name__, "m": error.message}
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        out["ra"] = retry_after
    status = getattr(error, "status", None)
    if status is not None:
        out["st"] = status
    return out


_ERRORS: dict[str, type[errors.ApiError]] = {
    cls.__name__: cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.ApiError)
}


def _error(data: dict[str, Any]) -> errors.ApiError:
    cls = _ERRORS.get(str(data.get("c")), errors.ApiError)
    message = str(data.get("m", "failed"))
    if cls is errors.UpstreamError:
        return errors.UpstreamError(message, int(data.get("st", 0)), data.get("ra"))
    if cls is errors.RateLimited:
        return errors.RateLimited(message, data.get("ra"))
    return cls(message)


def peek(frame: bytes) -> tuple[Kind, float, bool]:
    """A frame's kind, time, and whether it carries rows (neither *same* nor status),
    without building them: for a reader that only times frames."""
    data = _unpack(frame)
    try:
        kind = Kind(data["k"])
        if kind in (Kind.STATUS, Kind.SERVICE):
            return kind, float(data["t"]), False
        return kind, _when(data["t"]).timestamp(), not data.get("same")
    except (KeyError, TypeError, ValueError) as exc:
        raise FrameError(f"unreadable frame ({exc!r})") from None


def decode(
    frame: bytes,
    *,
    loop_now: float = 0.0,
    wall_now: float | None = None,
    base_calls: CallsSnapshot | None = None,
    base_users: UsersSnapshot | None = None,
) -> Frame:
    """One frame back. A status's ``next_try`` lands on the reader's loop clock:
    ``loop_now`` and ``wall_now`` are the reader's clocks at this moment (``wall_now``
    None: as if the frame were made just now). A delta frame needs the snapshot it was
    made against (``base_calls``/``base_users``), else :class:`NeedBase`."""
    data = _unpack(frame)
    try:
        kind = Kind(data["k"])
        if kind is Kind.STATUS:
            return _decode_status(data, loop_now, wall_now)
        if kind is Kind.SERVICE:
            state = data["s"]
            if not isinstance(state, dict):
                raise FrameError("a service frame without a state")
            return Frame(kind, float(data["t"]), service=state)
        at = _when(data["t"])
        if data.get("same"):
            return Frame(kind, at.timestamp(), same=True, when=at)
        rows = data["r"]
        unreadable = int(data.get("u", 0))
        snapshot: CallsSnapshot | UsersSnapshot
        if "b" in data:
            held = base_calls if kind is Kind.CALLS else base_users
            if held is None or held.fetched_at.isoformat() != data["b"]:
                raise NeedBase(f"a {kind.value} delta on a snapshot not held")
            step = int(data.get("s", 0))
            if isinstance(held, CallsSnapshot):
                kept = _from_base(rows, held.calls, _CALLS, CallState, step)
                snapshot = CallsSnapshot.build(kept, at, unreadable)
            else:
                kept = _from_base(rows, held.users, _USERS, UserState, step)
                snapshot = UsersSnapshot.build(kept, at, unreadable)
            return Frame(kind, at.timestamp(), snapshot=snapshot)
        if kind is Kind.CALLS:
            calls = [_CALLS.build(values, CallState) for values in rows]
            # why the type: ignore below: _CALLS builds ActiveCall rows only
            snapshot = CallsSnapshot.build(calls, at, unreadable)  # type: ignore[arg-type]
        else:
            users = [_USERS.build(values, UserState) for values in rows]
            # why the type: ignore below: _USERS builds PbxUser rows only
            snapshot = UsersSnapshot.build(users, at, unreadable)  # type: ignore[arg-type]
        return Frame(kind, at.timestamp(), snapshot=snapshot)
    except FrameError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise FrameError(f"unreadable {data.get('k', 'frame')} frame ({exc!r})") from None


def _decode_status(data: dict[str, Any], loop_now: float, wall_now: float | None) -> Frame:
    made = float(data["t"])
    age = 0.0 if wall_now is None else max(0.0, wall_now - made)
    routes: dict[Route, RouteHealth] = {}
    for name, entry in data["r"].items():
        next_in = entry.get("in")
        routes[Route(name)] = RouteHealth(
            last_success=_when(entry["ok"]) if "ok" in entry else None,
            failures=int(entry.get("f", 0)),
            error=_error(entry["e"]) if "e" in entry else None,
            next_try=None if next_in is None else loop_now + float(next_in) - age,
            unreadable=int(entry.get("x", 0)),
        )
    for route in Route:
        routes.setdefault(route, RouteHealth())
    status = PollerStatus(
        phase=Phase(data["p"]),
        interval=float(data["i"]),
        routes=routes,
        made_at=loop_now,
        slow=bool(data.get("s")),
    )
    return Frame(Kind.STATUS, made, status=status)
