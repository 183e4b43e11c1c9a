"""Turning model objects into the vendor's wire rows and bodies.

The vendor types nothing: every value goes out as a string, unset ones as ``""``, and
datetimes as ``YYYY-MM-DD HH:MM:SS`` with no offset, in the zone the request names. The
row shapes here are the ones in section 3 of ``shared/api/realtime-api.md``; a client
that reads them through its field mapping must cope with the real service too, so the
simulator stays faithful to the quirks (the ``"\\n]\\n"`` empty array included).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from rtdash.sim.centre import Centre
from rtdash.sim.entities import BRIDGED, QUEUEING, RINGING, Call, User

Row = dict[str, str]
T = TypeVar("T")

#: the vendor's empty ``format=jsonarray`` body: a closing bracket without an opening one
EMPTY_JSONARRAY = b"\n]\n"

_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
encode_row: Callable[[object], str] = _encoder.encode


def _fmt_gm(t: int) -> str:
    g = time.gmtime(t)
    return "%04d-%02d-%02d %02d:%02d:%02d" % (  # noqa: UP031 - several times faster here
        g.tm_year,
        g.tm_mon,
        g.tm_mday,
        g.tm_hour,
        g.tm_min,
        g.tm_sec,
    )


class DatetimeFormatter:
    """Formats epoch seconds in one zone, caching the zone offset per minute.

    ``datetime.fromtimestamp(...).strftime`` costs a few microseconds a call, and a
    2000-call body has 4000 datetimes. Offsets only change at (whole-minute) transitions,
    so one zone lookup per distinct minute plus a ``gmtime`` per value is enough.
    """

    def __init__(self, tz: ZoneInfo | None) -> None:
        self._tz = tz
        self._offsets: dict[int, int] = {}

    def __call__(self, t: int) -> str:
        if self._tz is None:
            return _fmt_gm(t)
        minute = t // 60
        offset = self._offsets.get(minute)
        if offset is None:
            when = datetime.fromtimestamp(minute * 60, UTC).astimezone(self._tz)
            delta = when.utcoffset()
            offset = int(delta.total_seconds()) if delta is not None else 0
            self._offsets[minute] = offset
        return _fmt_gm(t + offset)


def utc_formatter() -> DatetimeFormatter:
    return DatetimeFormatter(None)


def redact_number(number: str) -> str:
    """The mask a caller number gets when PII is excluded: first 5 characters kept.

    ``"+447700900123"`` becomes ``"+4477********"``. ``"anonymous"`` (and anything too
    short to identify anyone) is left alone: there is nothing to hide in it.
    """
    if len(number) <= 5 or not number.startswith("+"):
        return number
    return number[:5] + "*" * (len(number) - 5)


def call_row(centre: Centre, call: Call, now: int, dt: DatetimeFormatter, redact: bool) -> Row:
    """One ``pbxActiveCalls`` line; durations are whole seconds up to ``now``."""
    start = call.start
    phase = call.phase
    q_start = call.queue_start
    if phase == RINGING or q_start is None:
        state_start, ring, queued, bridged = start, now - start, 0, 0
    elif phase == QUEUEING or call.bridge_start is None:
        state_start, ring, queued, bridged = q_start, q_start - start, now - q_start, 0
    else:
        b = call.bridge_start
        state_start, ring, queued, bridged = b, q_start - start, b - q_start, now - b
    agent = call.agent if phase == BRIDGED else None
    line = call.line
    return {
        "igrp": centre.igrp_s,
        "callRef": call.ref,
        "callState": phase,
        "callStartDatetime": dt(start),
        "stateStartDatetime": dt(state_start),
        "srcPhoneNumber": redact_number(call.src) if redact else call.src,
        "dialledPhoneNumber": line.number,
        "dgrp": line.dgrp_s,
        "dgrpName": line.name,
        "queueRef": line.queue.name,
        "operatorRef": agent.operator_ref if agent else "",
        "displayName": agent.display_name if agent else "",
        "ringTime": str(ring),
        "queueDuration": str(queued),
        "bridgeDuration": str(bridged),
        "callDuration": str(now - start),
    }


def user_row(centre: Centre, user: User, dt: DatetimeFormatter) -> Row:
    """One ``pbxUserStatus`` line."""
    return {
        "igrp": centre.igrp_s,
        "sipUserId": str(user.uid),
        "operatorRef": user.operator_ref,
        "displayName": user.display_name,
        "extensionNumber": str(user.extension),
        "state": user.state,
        "stateStartDatetime": dt(user.state_start),
        "dashboard": "1" if user.dashboard else "0",
    }


# --- sorting ------------------------------------------------------------------------------

USER_SORT_KEYS: dict[str, Callable[[User], object]] = {
    "stateStartDatetime": lambda u: u.state_start,
    "displayName": lambda u: u.display_name.casefold(),
    "extensionNumber": lambda u: u.extension,
    "sipUserId": lambda u: u.uid,
    "operatorRef": lambda u: u.operator_ref,
    "state": lambda u: u.state,
    "dashboard": lambda u: u.dashboard,
}


def _call_state_start(c: Call) -> int:
    if c.phase == BRIDGED and c.bridge_start is not None:
        return c.bridge_start
    if c.phase == QUEUEING and c.queue_start is not None:
        return c.queue_start
    return c.start


CALL_SORT_KEYS: dict[str, Callable[[Call], object]] = {
    "callStartDatetime": lambda c: c.start,
    "stateStartDatetime": _call_state_start,
    "callRef": lambda c: c.ref,
    "callState": lambda c: c.phase,
    "queueRef": lambda c: c.line.queue.name,
    "dgrp": lambda c: c.line.dgrp,
    "callDuration": lambda c: -c.start,
}


class SortError(ValueError):
    """A ``sort[]`` value the route cannot honour; its message goes back as a 400."""


def parse_sort(
    values: Iterable[str], keys: Mapping[str, Callable], aliases: Mapping[str, str]
) -> list[tuple[Callable, bool]]:
    """``["stateStartDatetime-asc", "displayName-desc"]`` -> [(key, reverse), ...].

    A bare field sorts ascending; comma-separated lists inside one value are accepted too.
    ``aliases`` maps renamed wire keys back to the original field names.
    """
    out: list[tuple[Callable, bool]] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            field, sep, direction = item.rpartition("-")
            if not sep:
                field, direction = item, "asc"
            direction = direction.lower()
            if direction not in ("asc", "desc"):
                raise SortError(f"invalid sort direction: {item}")
            field = aliases.get(field, field)
            if field not in keys:
                raise SortError(f"invalid sort field: {field}")
            out.append((keys[field], direction == "desc"))
    return out


def apply_sort(items: list[T], spec: list[tuple[Callable, bool]]) -> list[T]:
    """Sort by the first key, then the second, … (stable sorts applied last key first)."""
    for key, reverse in reversed(spec):
        items.sort(key=key, reverse=reverse)
    return items


# --- bodies -------------------------------------------------------------------------------


def rename(rows: list[Row], renames: Mapping[str, str]) -> list[Row]:
    if not renames:
        return rows
    return [{renames.get(k, k): v for k, v in row.items()} for row in rows]


def ndjson_lines(rows: Iterable[Mapping[str, object]]) -> list[str]:
    return [encode_row(row) for row in rows]


def ndjson_body(lines: list[str]) -> bytes:
    """NDJSON: one object per line; an empty result is an empty body."""
    if not lines:
        return b""
    return ("\n".join(lines) + "\n").encode()


def jsonarray_body(lines: list[str]) -> bytes:
    """One JSON array; empty is the vendor's ``"\\n]\\n"`` (the opening bracket missing)."""
    if not lines:
        return EMPTY_JSONARRAY
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode()


def json_string(message: str) -> bytes:
    """The vendor's error and information shape: a bare JSON string."""
    return json.dumps(message).encode()
