"""The Reports API v2 Real Time routes: auth, parameters, rows, bodies.

Kept free of sockets so every decision the simulator makes about a request reads in one
place, and the HTTP handler only moves bytes.

Choices made where the vendor is silent (see ``shared/api/realtime-api.md`` section 2):

- A redacted caller number keeps its first five characters: ``"+4477********"``.
- ``activeCall`` with no matching call answers **200 with an empty body** (in
  ``format=jsonarray``, the vendor's empty array ``"\\n]\\n"``).
- ``ApiKey`` auth is accepted on ``/reports/v2`` as well as ``/reports/v2.1``; Basic is
  accepted on ``/reports/v2`` only, since v2.1 differs from v2 by its auth alone.
- Errors are bare JSON strings: 401 ``"auth required"``, 403 ``"access denied"``,
  404 ``"installation not found"`` / ``"not found"``, 400 ``"invalid tz"`` and friends.
- Authentication is checked before the igrp, so an unauthenticated client learns nothing
  about which installations exist.
- ``excludePiiData`` is honoured on ``activeCall`` too (it masks ``srcPhoneNumber``).
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rtdash.sim import wire
from rtdash.sim.attribution import attribution_row
from rtdash.sim.faults import Fault
from rtdash.sim.model import CallCentreModel, Centre

JSON = "application/json"
NDJSON = "application/x-ndjson"

_PATH = re.compile(r"^/reports/(v2|v2\.1)/igrps/([^/]+)/([^/]+)/?$")

#: keys each route's rows lose under the ``missing_fields`` fault: (id key, state key)
_MISSING_KEYS: dict[str, tuple[str, str]] = {
    "pbxActiveCalls": ("callRef", "callState"),
    "pbxUserStatus": ("sipUserId", "state"),
    "activeCall": ("txr", "callState"),
}

#: unknown keys the ``extra_fields`` fault adds, deliberately not all strings
EXTRA_FIELDS: dict[str, object] = {
    "queuePriority": "2",
    "x_trace_id": "sim-0000",
    "tags": ["vip", "returning"],
    "meta": {"source": "rtdash-sim", "v": 2},
    "score": 7,
    "flagged": False,
}

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Principal:
    """Who is calling, as far as the PII rules care."""

    name: str
    pii: bool


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """What the routes need from the simulator, without depending on its class."""

    model: CallCentreModel
    lock: threading.RLock
    sync: Callable[[], None]
    basic_users: Mapping[tuple[str, str], Principal]
    api_keys: Mapping[str, Principal]
    renames: Mapping[str, str]


def match(path: str) -> tuple[str, str, str] | None:
    """``(version, igrp, route)`` for a Reports API path, else None."""
    m = _PATH.match(path)
    return (m[1], m[2], m[3]) if m else None


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, wire.json_string(message), JSON, headers or {})


def authenticate(ctx: Context, version: str, authorization: str | None) -> Principal | None:
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    scheme = scheme.lower()
    credentials = credentials.strip()
    if scheme == "apikey":
        return ctx.api_keys.get(credentials)
    if scheme == "basic" and version == "v2":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        return ctx.basic_users.get((user, password)) if sep else None
    return None


def _first(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def _zone(name: str | None) -> ZoneInfo | None:
    """None means UTC (the fast path); raises ValueError for a zone that does not exist."""
    if name is None or name in ("", "UTC", "Etc/UTC"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(name) from exc


def serve(
    ctx: Context,
    version: str,
    igrp_raw: str,
    route: str,
    query: str,
    authorization: str | None,
    fault: Fault | None = None,
) -> Response:
    """Answer one GET on a Real Time route; ``fault`` is a row-level fault or None."""
    principal = authenticate(ctx, version, authorization)
    if principal is None:
        return error(401, "auth required", {"WWW-Authenticate": 'Basic realm="Reports API"'})
    try:
        igrp = int(igrp_raw)
    except ValueError:
        return error(404, "installation not found")
    centre = ctx.model.centre(igrp)
    if centre is None:
        return error(404, "installation not found")

    params = parse_qs(query, keep_blank_values=True)
    try:
        tz = _zone(_first(params, "tz"))
    except ValueError:
        return error(400, "invalid tz")
    fmt = (_first(params, "format") or "json").lower()
    if fmt not in ("json", "jsonarray"):
        return error(400, "invalid format")
    exclude_pii = (_first(params, "excludePiiData") or "").lower() in _TRUE
    sort_values = params.get("sort[]", []) + params.get("sort", [])
    reverse_renames = {v: k for k, v in ctx.renames.items()}

    if route == "activeCall" and not principal.pii:
        return error(403, "access denied")
    try:
        if route == "pbxActiveCalls":
            spec = wire.parse_sort(sort_values, wire.CALL_SORT_KEYS, reverse_renames)
            rows = _active_calls(ctx, centre, tz, spec, exclude_pii or not principal.pii)
        elif route == "pbxUserStatus":
            spec = wire.parse_sort(sort_values, wire.USER_SORT_KEYS, reverse_renames)
            rows = _user_status(ctx, centre, tz, spec)
        elif route == "activeCall":
            call_ref = _first(params, "callRef")
            number = _first(params, "srcPhoneNumber")
            if not call_ref and not number:
                return error(400, "callRef or srcPhoneNumber required")
            rows = _lookup(ctx, centre, call_ref or None, number or None, exclude_pii)
        else:
            return error(404, "not found")
    except wire.SortError as exc:
        return error(400, str(exc))

    if fault is not None and fault.kind == "missing_fields":
        rows = _drop_keys(rows, _MISSING_KEYS[route])
    if route != "activeCall":
        rows = wire.rename(rows, ctx.renames)
    if fault is not None and fault.kind == "extra_fields":
        rows = [{**row, **EXTRA_FIELDS} for row in rows]
    lines = wire.ndjson_lines(rows)
    if fault is not None and fault.kind == "malformed_line":
        lines = _break_one(lines, centre)
    if fmt == "jsonarray":
        return Response(200, wire.jsonarray_body(lines), JSON)
    return Response(200, wire.ndjson_body(lines), NDJSON)


def _active_calls(
    ctx: Context, centre: Centre, tz: ZoneInfo | None, spec: list, redact: bool
) -> list:
    dt = wire.DatetimeFormatter(tz)
    with ctx.lock:
        ctx.sync()
        now = ctx.model.now_s
        calls = list(centre.calls.values())
        if spec:
            wire.apply_sort(calls, spec)
        return [wire.call_row(centre, c, now, dt, redact) for c in calls]


def _user_status(ctx: Context, centre: Centre, tz: ZoneInfo | None, spec: list) -> list:
    dt = wire.DatetimeFormatter(tz)
    with ctx.lock:
        ctx.sync()
        users = list(centre.users)
        if spec:
            wire.apply_sort(users, spec)
        return [wire.user_row(centre, u, dt) for u in users]


def _lookup(
    ctx: Context, centre: Centre, call_ref: str | None, number: str | None, redact: bool
) -> list:
    with ctx.lock:
        ctx.sync()
        call = centre.find(call_ref=call_ref, number=None if call_ref else number)
        if call is None:
            return []
        return [attribution_row(centre, call, ctx.model.now_s, redact)]


def _drop_keys(rows: list, keys: tuple[str, str]) -> list:
    """Rows 0, 3, 6… lose the id key, rows 1, 4, 7… the state key; the rest stay whole."""
    out = []
    for i, row in enumerate(rows):
        if i % 3 < 2:
            row = dict(row)
            row.pop(keys[i % 3], None)
        out.append(row)
    return out


def _break_one(lines: list[str], centre: Centre) -> list[str]:
    """Insert a truncated copy of a line in the middle (or a lone broken line if empty)."""
    if not lines:
        return ['{"igrp":"' + centre.igrp_s + '","callRef":']
    k = len(lines) // 2
    broken = lines[k][: max(1, len(lines[k]) // 2)]
    return [*lines[:k], broken, *lines[k:]]
