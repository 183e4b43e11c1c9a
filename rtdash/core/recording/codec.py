"""Records as typed values, and the rows inside them as compact JSON objects.

A run is a header (:mod:`.header`) followed by one line per recorded snapshot:

- a :class:`Keyframe`, the whole state: ``{"t": ISO, "kind": "calls", "rows": [...],
  "unreadable": n}``;
- a :class:`Delta` against the state before it: ``{"t": ISO, "kind": "calls", "d": 2,
  "add": [rows], "upd": [patches], "del": [keys], "unreadable": n}`` (each part only
  when it has something to say);
- an :class:`EndMark` ``{"t": ISO, "kind": "end"}``, the time of the last poll when the
  last polls changed nothing, so a replay ends where recording did;
- a :class:`ServiceMark` ``{"t": ISO, "kind": "service", "service": {...}}`` now and
  then: today's service level totals as the dashboard had them (a reader that does
  not know the kind skips the line, so older readers still play newer files).

Rows are the API's camelCase ``to_json()`` rows with ``None`` fields and an empty
``extra`` left out. :func:`decode` checks the shape of a line; whether a delta fits the
state before it is for :class:`~rtdash.core.recording.state.TrackState` to say.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Literal, TypeAlias

from rtdash.api.models import ActiveCall, PbxUser
from rtdash.api.row_base import Row as PolledRow
from rtdash.core.recording.errors import RecordingFormatError
from rtdash.core.recording.header import parse_time

Kind = Literal["calls", "users"]
#: the key field of each kind's rows (camelCase, as in ``to_json()``)
ROW_KEYS: dict[str, str] = {"calls": "callRef", "users": "sipUserId"}
#: one row as written: camelCase keys, no ``None`` values
Row: TypeAlias = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Keyframe:
    """The whole state of one kind at ``t``."""

    kind: Kind
    t: datetime
    rows: list[Row]
    unreadable: int = 0


@dataclass(frozen=True, slots=True)
class Delta:
    """The change of one kind's state since the record before it.

    ``d`` is the tick (see :mod:`.state`); ``upd`` holds patches (the key plus the
    fields that differ from the prediction, ``None`` removing one); ``unreadable`` is
    None when it did not change.
    """

    kind: Kind
    t: datetime
    d: int = 0
    add: list[Row] = field(default_factory=list)
    upd: list[Row] = field(default_factory=list)
    dele: list[str] = field(default_factory=list)
    unreadable: int | None = None


@dataclass(frozen=True, slots=True)
class EndMark:
    """The time of the run's last poll, written on close when it changed nothing."""

    t: datetime


@dataclass(frozen=True, slots=True)
class ServiceMark:
    """Today's service level totals at ``t`` (SL %, answered, abandoned…)."""

    t: datetime
    service: dict[str, Any]


Record: TypeAlias = Keyframe | Delta | EndMark | ServiceMark


def _is_int(value: object) -> bool:
    return type(value) is int


def decode(data: object) -> Record:
    """The record of a decoded JSON line; raises :class:`RecordingFormatError`."""
    if not isinstance(data, dict):
        raise RecordingFormatError("not an object")
    kind = data.get("kind")
    if kind == "end":
        return EndMark(parse_time(data.get("t")))
    if kind == "service":
        service = data.get("service")
        if not isinstance(service, dict):
            raise RecordingFormatError("service is not an object")
        return ServiceMark(parse_time(data.get("t")), service)
    if kind not in ROW_KEYS:
        raise RecordingFormatError(f"unknown kind {kind!r}")
    when = parse_time(data.get("t"))
    if "rows" in data:
        rows = data["rows"]
        unreadable = data.get("unreadable", 0)
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RecordingFormatError("rows is not a list of objects")
        if not _is_int(unreadable):
            raise RecordingFormatError("unreadable is not an integer")
        return Keyframe(kind, when, rows, unreadable)
    parts: list[list[Any]] = []
    for name in ("add", "upd", "del"):
        part = data.get(name, [])
        if not isinstance(part, list):
            raise RecordingFormatError(f"{name} is not a list")
        parts.append(part)
    d = data.get("d", 0)
    unreadable = data.get("unreadable")
    if not _is_int(d):
        raise RecordingFormatError("d is not an integer")
    if unreadable is not None and not _is_int(unreadable):
        raise RecordingFormatError("unreadable is not an integer")
    add, upd, dele = parts
    return Delta(kind, when, d, add, upd, dele, unreadable)


def encode(record: Record) -> dict[str, Any]:
    """The JSON object of a record, in the key order the format has always used."""
    out: dict[str, Any] = {"t": record.t.isoformat()}
    if isinstance(record, EndMark):
        out["kind"] = "end"
        return out
    if isinstance(record, ServiceMark):
        out["kind"] = "service"
        out["service"] = record.service
        return out
    out["kind"] = record.kind
    if isinstance(record, Keyframe):
        out["rows"] = record.rows
        out["unreadable"] = record.unreadable
        return out
    if record.d:
        out["d"] = record.d
    if record.add:
        out["add"] = record.add
    if record.upd:
        out["upd"] = record.upd
    if record.dele:
        out["del"] = record.dele
    if record.unreadable is not None:
        out["unreadable"] = record.unreadable
    return out


def dump_line(data: Mapping[str, Any]) -> bytes:
    """One line of the file: compact JSON, UTF-8, datetimes and enums as the API's JSON."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=_json_default)
    return (text + "\n").encode()


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# --- rows -------------------------------------------------------------------------------


_FIELDS: dict[type[PolledRow], tuple[tuple[str, str], ...]] = {}
_PLAIN = (str, int, bool, float)


def _fields(model: type[PolledRow]) -> tuple[tuple[str, str], ...]:
    fields = _FIELDS.get(model)
    if fields is None:
        fields = tuple((item.name, item.alias) for item in model.table)
        _FIELDS[model] = fields
    return fields


def compact_row(row: ActiveCall | PbxUser) -> Row:
    """The ``to_json()`` row (camelCase keys, ISO 8601 times) without ``None`` fields and
    without an empty ``extra``.

    Built straight from the attributes rather than by filtering ``to_json()``: it runs
    in the UI's loop at a busy centre's row counts. A value of a type this does not know
    falls back to ``to_json()`` for that row.
    """
    out: Row = {}
    for (_name, alias), value in zip(_fields(type(row)), row.values(), strict=True):
        kind = type(value)
        if kind is str or kind is int or kind is bool:
            out[alias] = value
        elif value is None:
            continue
        elif kind is datetime:
            out[alias] = value.isoformat()
        elif isinstance(value, Enum):
            out[alias] = value.value
        elif kind is dict:
            if value:
                out[alias] = value
        elif isinstance(value, _PLAIN):
            out[alias] = value
        else:
            return _compact_slow(row)
    return out


def raw_row(row: ActiveCall | PbxUser) -> Row:
    """The row as the recorder compares it: camelCase keys, no ``None`` fields, no empty
    ``extra``, values as they are (datetimes stay datetimes until written)."""
    pairs = zip(_fields(type(row)), row.values(), strict=True)
    out = {alias: value for (_name, alias), value in pairs if value is not None}
    if "extra" in out and not out["extra"]:
        del out["extra"]
    return out


def _compact_slow(row: ActiveCall | PbxUser) -> Row:
    return {
        key: value
        for key, value in row.to_json().items()
        if value is not None and not (key == "extra" and not value)
    }
