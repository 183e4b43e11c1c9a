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

Rows, whole or as a delta on the snapshot before, are :mod:`rtdash.hub.rows`'s: a
viewer that holds that snapshot decodes a delta; one that does not (it just joined, or
missed a frame) gets :class:`NeedBase` and reads the full frame from the latest state.

A status frame may carry the installation's name (``nm``), when the hub knows one: it
rides on the heartbeat and the latest state, so a viewer without credentials of its own
(which can never look the name up) names its tab at once. An optional key, not a new
version: a reader ignores keys it does not know, and a hub that sends none is read as
"no name".
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from rtdash.api import errors
from rtdash.api.sanitise import clean
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.hub import rows

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
    #: a status frame's installation name, made safe to show; None: the hub sent none
    name: str | None = None


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
    return _pack({**_head("calls", snapshot), "r": rows.encode_rows(snapshot)})


def encode_users(snapshot: UsersSnapshot) -> bytes:
    if snapshot.unchanged:
        return encode_same(Kind.USERS, snapshot.fetched_at)
    return _pack({**_head("users", snapshot), "r": rows.encode_rows(snapshot)})


def encode_delta(
    snapshot: CallsSnapshot | UsersSnapshot, base: CallsSnapshot | UsersSnapshot
) -> bytes:
    """``snapshot`` as changes to ``base`` (the snapshot published before it): for the
    viewers that hold ``base``, and the history between keyframes."""
    kind = "calls" if isinstance(snapshot, CallsSnapshot) else "users"
    step, changes = rows.delta_rows(snapshot, base)
    body = _head(kind, snapshot)
    return _pack({**body, "b": base.fetched_at.isoformat(), "s": step, "r": changes})


def _head(kind: str, snapshot: CallsSnapshot | UsersSnapshot) -> dict[str, Any]:
    head = {"k": kind, "t": snapshot.fetched_at.isoformat(), "u": snapshot.unreadable}
    server_now = getattr(snapshot, "server_now", None)
    if server_now is not None:
        # a row whose durations only ticked is held: they follow from the upstream's now
        head["n"] = server_now.isoformat()
    return head


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


def encode_service_delta(
    state: dict[str, Any], wall_now: float, base: dict[str, Any], base_at: float
) -> bytes:
    """``state`` as changes to ``base`` (the state published at ``base_at``): between
    two calls polls a few counters and agents change, not the day."""
    return _pack({"k": "service", "t": wall_now, "b": base_at, "d": _diff(base, state)})


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What turns ``old`` into ``new``: values set (``=``), objects changed within
    (``~``, the same again one level down) and keys gone (``-``)."""
    same: dict[str, Any] = {}
    within: dict[str, Any] = {}
    for key, value in new.items():
        was = old.get(key, _MISSING)
        if was is value or was == value:
            continue
        if isinstance(value, dict) and isinstance(was, dict):
            within[key] = _diff(was, value)
        else:
            same[key] = value
    out: dict[str, Any] = {}
    if same:
        out["="] = same
    if within:
        out["~"] = within
    gone = [key for key in old if key not in new]
    if gone:
        out["-"] = gone
    return out


def _patch(old: dict[str, Any], diff: dict[str, Any]) -> dict[str, Any]:
    """``old`` with ``diff`` applied, as a new object: what did not change is ``old``'s
    own, so a reader comparing the two compares the changes."""
    out = dict(old)
    for key in diff.get("-", ()):
        out.pop(key, None)
    out.update(diff.get("=", {}))
    for key, inner in diff.get("~", {}).items():
        was = old.get(key)
        if not isinstance(was, dict) or not isinstance(inner, dict):
            raise FrameError("a service delta on a state of another shape")
        out[key] = _patch(was, inner)
    return out


_MISSING = object()


def encode_status(status: PollerStatus, wall_now: float, name: str | None = None) -> bytes:
    """``wall_now``: the publisher's wall clock (epoch seconds) at ``status.made_at``,
    so loop times (``next_try``) travel as seconds from then. ``name``: what the hub
    calls the installation, if anything."""
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
            **({"di": status.data_interval} if status.data_interval else {}),
            **({"nm": name} if name else {}),
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
        return kind, datetime.fromisoformat(data["t"]).timestamp(), not data.get("same")
    except (KeyError, TypeError, ValueError) as exc:
        raise FrameError(f"unreadable frame ({exc!r})") from None


def decode(
    frame: bytes,
    *,
    loop_now: float = 0.0,
    wall_now: float | None = None,
    base_calls: CallsSnapshot | None = None,
    base_users: UsersSnapshot | None = None,
    base_service: tuple[float, dict[str, Any]] | None = None,
) -> Frame:
    """One frame back. A status's ``next_try`` lands on the reader's loop clock:
    ``loop_now`` and ``wall_now`` are the reader's clocks at this moment (``wall_now``
    None: as if the frame were made just now). A delta frame needs the snapshot it was
    made against (``base_calls``/``base_users``; a service delta: the state and its
    frame's time, ``base_service``), else :class:`NeedBase`."""
    data = _unpack(frame)
    try:
        kind = Kind(data["k"])
        if kind is Kind.STATUS:
            return _decode_status(data, loop_now, wall_now)
        if kind is Kind.SERVICE:
            if "b" in data:
                made = float(data["t"])
                if base_service is not None and made <= base_service[0]:
                    # published while the latest state was read: the state held is it
                    # or newer, and the reader drops it by its time
                    return Frame(kind, made, service=base_service[1])
                if base_service is None or base_service[0] != data["b"]:
                    raise NeedBase("a service delta on a state not held")
                if not isinstance(data["d"], dict):
                    raise FrameError("a service delta without changes")
                return Frame(kind, float(data["t"]), service=_patch(base_service[1], data["d"]))
            state = data["s"]
            if not isinstance(state, dict):
                raise FrameError("a service frame without a state")
            return Frame(kind, float(data["t"]), service=state)
        at = datetime.fromisoformat(data["t"])
        if data.get("same"):
            return Frame(kind, at.timestamp(), same=True, when=at)
        values = data["r"]
        unreadable = int(data.get("u", 0))
        snapshot: CallsSnapshot | UsersSnapshot
        held: CallsSnapshot | UsersSnapshot | None = None
        step = 0
        if "b" in data:
            held = base_calls if kind is Kind.CALLS else base_users
            if held is None or held.fetched_at.isoformat() != data["b"]:
                raise NeedBase(f"a {kind.value} delta on a snapshot not held")
            step = int(data.get("s", 0))
        if kind is Kind.CALLS:
            assert held is None or isinstance(held, CallsSnapshot)
            now = datetime.fromisoformat(data["n"]) if "n" in data else None
            if held is None:
                snapshot = CallsSnapshot.build(rows.calls_from(values), at, unreadable, now)
            else:
                snapshot = rows.calls_on(values, held, step, at, unreadable, now)
        else:
            assert held is None or isinstance(held, UsersSnapshot)
            # a kept user is the very row it was: only the others are sorted in
            users = rows.users_from(values, held, step)
            snapshot = UsersSnapshot.build(users, at, unreadable, previous=held)
        return Frame(kind, at.timestamp(), snapshot=snapshot)
    except FrameError:
        raise
    except (KeyError, TypeError, ValueError, rows.RowError) as exc:
        raise FrameError(f"unreadable {data.get('k', 'frame')} frame ({exc!r})") from None


def _decode_status(data: dict[str, Any], loop_now: float, wall_now: float | None) -> Frame:
    made = float(data["t"])
    age = 0.0 if wall_now is None else max(0.0, wall_now - made)
    routes: dict[Route, RouteHealth] = {}
    for name, entry in data["r"].items():
        next_in = entry.get("in")
        routes[Route(name)] = RouteHealth(
            last_success=datetime.fromisoformat(entry["ok"]) if "ok" in entry else None,
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
        data_interval=float(data.get("di", 0.0)),
    )
    return Frame(Kind.STATUS, made, status=status, name=_name(data.get("nm")))


#: a name longer than this is not a name: cut before cleaning (a tab shows far less)
MAX_NAME = 200


def _name(value: object) -> str | None:
    """The hub's name for the installation, cleaned here where it enters (another hub,
    or anyone who can write to Redis, wrote it): anything but text is no name."""
    if not isinstance(value, str):
        return None
    text = clean(value[:MAX_NAME]).strip()
    return text or None
