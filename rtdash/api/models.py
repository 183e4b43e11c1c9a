"""Typed rows, read from upstream dicts through the field mapping.

Parsing is forgiving per field (an odd duration becomes ``None``) but strict about the
few fields a row cannot live without (a call needs a reference and a state; a user
needs an id and a state): such a row raises :class:`RowUnreadable`, which the caller
counts and skips, so one bad row never costs a snapshot.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from rtdash.api import values
from rtdash.api.mapping import CUSTOM_PREFIXES, FieldMapping, pick
from rtdash.api.sanitise import clean, clean_value


class RowUnreadable(ValueError):
    """A row lacks a field it cannot do without."""


class CallState(StrEnum):
    RINGING = "ringing"
    QUEUEING = "queueing"
    BRIDGED = "bridged"


class UserState(StrEnum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)

    #: upstream keys that no mapped field read, kept so nothing the upstream says is lost
    extra: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The API's camelCase keys, ISO 8601 datetimes: the CLI's ``--json`` row."""
        return self.model_dump(mode="json", by_alias=True)


class ActiveCall(_Row):
    call_ref: str = Field(alias="callRef")
    state: CallState = Field(alias="state")
    igrp: int | None = Field(default=None, alias="igrp")
    call_start: datetime | None = Field(default=None, alias="callStartDatetime")
    state_start: datetime | None = Field(default=None, alias="stateStartDatetime")
    src_number: str | None = Field(default=None, alias="srcPhoneNumber")
    dialled_number: str | None = Field(default=None, alias="dialledPhoneNumber")
    dgrp: str | None = Field(default=None, alias="dgrp")
    dgrp_name: str | None = Field(default=None, alias="dgrpName")
    queue: str | None = Field(default=None, alias="queueRef")
    agent_ref: str | None = Field(default=None, alias="operatorRef")
    agent_name: str | None = Field(default=None, alias="displayName")
    ring_time: int | None = Field(default=None, alias="ringTime")
    queue_duration: int | None = Field(default=None, alias="queueDuration")
    bridge_duration: int | None = Field(default=None, alias="bridgeDuration")
    call_duration: int | None = Field(default=None, alias="callDuration")


class PbxUser(_Row):
    user_id: str = Field(alias="sipUserId")
    state: UserState = Field(alias="state")
    igrp: int | None = Field(default=None, alias="igrp")
    operator_ref: str | None = Field(default=None, alias="operatorRef")
    display_name: str | None = Field(default=None, alias="displayName")
    extension: str | None = Field(default=None, alias="extensionNumber")
    state_start: datetime | None = Field(default=None, alias="stateStartDatetime")
    dashboard: bool = Field(default=False, alias="dashboard")

    @property
    def label(self) -> str:
        return self.display_name or self.operator_ref or self.extension or self.user_id


class CallerDetails(_Row):
    """One ``activeCall`` row: visitor and marketing attribution of a caller."""

    mode: Literal["basic", "advanced"] = Field(alias="mode")
    igrp: int | None = Field(default=None, alias="igrp")
    igrp_name: str | None = Field(default=None, alias="igrpName")
    dgrp: str | None = Field(default=None, alias="dgrp")
    dgrp_name: str | None = Field(default=None, alias="dgrpName")
    txr: str | None = Field(default=None, alias="txr")
    vid: str | None = Field(default=None, alias="vid")
    ch: str | None = Field(default=None, alias="ch")
    ch_name: str | None = Field(default=None, alias="chName")
    ch_type: str | None = Field(default=None, alias="chType")
    pub: str | None = Field(default=None, alias="pub")
    campaign: str | None = Field(default=None, alias="campaign")
    ad_group: str | None = Field(default=None, alias="adGroup")
    keyword: str | None = Field(default=None, alias="matchRef")
    src_number: str | None = Field(default=None, alias="srcPhoneNumber")
    dialled_number: str | None = Field(default=None, alias="dialledPhoneNumber")
    dest_number: str | None = Field(default=None, alias="destPhoneNumber")
    trigger_time: datetime | None = Field(default=None, alias="triggerDatetime")
    landing_page_title: str | None = Field(default=None, alias="landingPageTitle")
    page_title: str | None = Field(default=None, alias="pageTitle")
    landing_url: str | None = Field(default=None, alias="landingHref")
    conversion_url: str | None = Field(default=None, alias="conversionHref")
    referrer: str | None = Field(default=None, alias="vref")
    call_state: str | None = Field(default=None, alias="callState")
    call_duration: int | None = Field(default=None, alias="callDuration")
    bridge_duration: int | None = Field(default=None, alias="bridgeDuration")
    #: every ``pt_*`` (pass-through tag) and ``c_*`` (custom variable) key, as sent
    custom: dict[str, str] = Field(default_factory=dict, alias="custom")


_INT_FIELDS = {"igrp", "ring_time", "queue_duration", "bridge_duration", "call_duration"}
_TIME_FIELDS = {"call_start", "state_start", "trigger_time"}
#: text fields whose values repeat across rows and polls (lines, queues, agents): one
#: shared string each instead of a copy per row
_SHARED_TEXT = {
    "dgrp",
    "dgrp_name",
    "queue",
    "agent_ref",
    "agent_name",
    "dialled_number",
    "operator_ref",
    "display_name",
    "extension",
}
#: integer fields that count up on every poll while nothing else about the row changes
_TICKING = {"ring_time", "queue_duration", "bridge_duration", "call_duration"}
_UTC = ZoneInfo("UTC")


def _read_fields(
    row: Mapping[str, Any], table: dict[str, list[str]], zone: ZoneInfo, skip: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read every mapped field; return (fields, unmapped keys of the row).

    The general path, for the one ``activeCall`` row of a lookup; the polled routes'
    thousands of rows go through :class:`RowReader`.
    """
    fields: dict[str, Any] = {}
    used: set[str] = set()
    for name, aliases in table.items():
        for alias in aliases:
            if alias in row:
                used.add(alias)
                break
        if name in skip:
            continue
        raw = _scalar(pick(row, aliases))
        if name in _INT_FIELDS:
            fields[name] = values.integer(raw)
        elif name in _TIME_FIELDS:
            fields[name] = values.timestamp(raw, zone)
        else:
            fields[name] = values.text(raw)
    extra = {key: value for key, value in row.items() if key not in used}
    return fields, _clean_extra(extra)


def _scalar(raw: Any) -> Any:
    """``raw`` when it can be a field's value; an object or list cannot."""
    if isinstance(raw, dict | list):
        raise RowUnreadable("an object or list where a value was expected")
    return raw


def _clean_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """Unmapped keys and values, safe to show and bounded in depth (RowUnreadable if
    not: a value nested a thousand deep would break ``--json``, the log and recording)."""
    try:
        cleaned: dict[str, Any] = clean_value(extra)  # a dict in, a dict out
        return cleaned
    except ValueError as exc:
        raise RowUnreadable(str(exc)) from None


# --- the fast readers of the two polled routes ------------------------------------------

_MISSING: Any = object()
_set_attr = object.__setattr__
_intern = sys.intern


class _Shape:
    """What to read from rows with one set of keys (in one order): an upstream sends
    the same keys on every row, so the alias lookups are done once per shape, not once
    per row and field. Each list holds (field name, upstream key) of one kind of value."""

    __slots__ = (
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
        self.texts: list[tuple[str, str]] = []
        self.shared: list[tuple[str, str]] = []
        self.times: list[tuple[str, str]] = []
        self.ints: list[tuple[str, str]] = []
        self.state: str | None = None
        self.dashboard: str | None = None
        self.extra_keys: tuple[str, ...] = ()
        #: the ticking integer fields (field name, upstream key)
        self.ticking: list[tuple[str, str]] = []
        #: the row's values of every other key, as one tuple: a row whose stable values
        #: (and their types) are those of a row read a poll ago is that row again
        self.stable: Callable[[Mapping[str, Any]], tuple[Any, ...]] = _nothing
        #: the row's values of the ticking keys
        self.ticks: Callable[[Mapping[str, Any]], tuple[Any, ...]] = _nothing
        #: rows of this shape read from this body and the last, by stable values (only
        #: rows whose stable values are all text or null: a value equal to a text is a
        #: text, so a match is exact, while 1 == 1.0 == True and 0.0 == -0.0 read apart)
        self.rows: dict[tuple[Any, ...], _Held] = {}
        self.old_rows: dict[tuple[Any, ...], _Held] = {}


#: a held row, its ticking values, and whether those were all text or null
_Held = tuple[Any, tuple[Any, ...], bool]
_PLAIN = frozenset({str, type(None)})


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


class RowReader:
    """Reads ``pbxActiveCalls`` or ``pbxUserStatus`` rows through one mapping in one zone.

    At 2000 rows a poll the general path (alias lookups per field and row, ``strptime``
    per datetime, pydantic validating values that are already typed) was most of the
    cost of a poll, and each row carried two private dicts and a set. So:

    - the alias lookups are resolved once per row shape (the row's keys, in order);
    - datetimes and integers are read once per distinct string and shared, from a cache
      holding this body's and the previous body's strings (``new_body`` rolls it), so
      an unchanged start time costs a dict lookup and one object for every row;
    - repeated names (lines, queues, agents) become one shared (interned) string;
    - the model is built without validation (each reader below returns its field's
      type; the required fields are checked by hand) from a copy of a template
      ``__dict__`` whose keys Python shares between all rows, and every row shares one
      fields-set (all fields are always set; pydantic only ever copies it);
    - a row whose values other than the ticking durations (``ringTime``, ``callDuration``
      …) are those of a row read from the last body (or this one) is that row again:
      when its durations did not move either it is the very same object (so identity
      tells "unchanged" downstream), else a copy with only the durations read. Its
      texts were cleaned, its times and state read, when it was first seen; the same
      values always read the same, so nothing is skipped that could differ. Only rows
      whose other values are all text or null are held for this (a value equal to a
      text is a text, while ``1 == 1.0 == True`` read apart).
    """

    #: entries of one generation of the value caches, so a reader fed row by row
    #: (``parse_call`` from the CLI) cannot grow without bound
    MAX_CACHED = 16_384
    #: rows of one generation of the row cache: more than the largest body allowed holds
    MAX_ROWS = 1_048_576

    def __init__(self, kind: Literal["call", "user"], mapping: FieldMapping, zone: ZoneInfo):
        self.kind = kind
        self.mapping = mapping
        self.zone = zone
        self.model: type[ActiveCall] | type[PbxUser] = ActiveCall if kind == "call" else PbxUser
        self._table = mapping.call if kind == "call" else mapping.user
        self._state_values = (
            mapping.call_state_values if kind == "call" else mapping.user_state_values
        )
        self._state_type: type[StrEnum] = CallState if kind == "call" else UserState
        self._id_field = "call_ref" if kind == "call" else "user_id"
        self._fields_set = set(self.model.model_fields)
        # a __dict__ filled by attribute in field order has keys shared with every row
        # of the class (a split dict: about 40 % smaller); copies of it share them too
        holder = self.model.__new__(self.model)
        for name in self.model.model_fields:
            _set_attr(holder, name, False if name == "dashboard" else None)
        self._template: dict[str, Any] = holder.__dict__
        self._shapes: dict[tuple[str, ...], _Shape] = {}
        self._times: dict[str, datetime | None] = {}
        self._old_times: dict[str, datetime | None] = {}
        self._ints: dict[str, int | None] = {}
        self._old_ints: dict[str, int | None] = {}
        self._states: dict[str | None, Any] = {}

    def new_body(self) -> None:
        """Start a new poll's body: values seen in the last two bodies stay cached."""
        self._old_times, self._times = self._times, {}
        self._old_ints, self._ints = self._ints, {}
        for shape in self._shapes.values():
            shape.old_rows, shape.rows = shape.rows, {}

    def read(self, row: Mapping[str, Any]) -> ActiveCall | PbxUser:
        """One typed row; raises :class:`RowUnreadable` for a row it cannot do without."""
        keys = tuple(row)
        shape = self._shapes.get(keys) or self._shape(keys)
        stable = shape.stable(row)
        try:
            held = shape.rows.get(stable) or shape.old_rows.get(stable)
        except TypeError:  # a container among the values: not hashable, read afresh
            return self._read(row, shape)
        ticks = shape.ticks(row)
        made: ActiveCall | PbxUser
        if held is not None and held[2] and held[1] == ticks:
            made = held[0]
        elif held is not None:
            made = self._again(row, shape, held[0])
        else:
            made = self._read(row, shape)
            if not _PLAIN.issuperset(map(type, stable)):
                return made
        rows = shape.rows
        if len(rows) >= self.MAX_ROWS:
            shape.old_rows, shape.rows = rows, {}
        shape.rows[stable] = (made, ticks, _PLAIN.issuperset(map(type, ticks)))
        return made

    def _again(self, row: Mapping[str, Any], shape: _Shape, last: Any) -> Any:
        """``last`` again, with the ticking durations of ``row``."""
        fields: dict[str, Any] = last.__dict__.copy()
        for name, key in shape.ticking:
            fields[name] = self._int(row[key])
        return self._make(fields)

    def _make(self, fields: dict[str, Any]) -> Any:
        made = self.model.__new__(self.model)
        _set_attr(made, "__dict__", fields)
        _set_attr(made, "__pydantic_fields_set__", self._fields_set)
        _set_attr(made, "__pydantic_extra__", None)
        _set_attr(made, "__pydantic_private__", None)
        return made

    def _read(self, row: Mapping[str, Any], shape: _Shape) -> ActiveCall | PbxUser:
        fields = self._template.copy()
        for name, key in shape.texts:
            raw = row[key]
            if type(raw) is str:
                raw = raw.strip()
                fields[name] = (raw if raw.isprintable() else clean(raw)) if raw else None
            else:
                fields[name] = values.text(_scalar(raw))
        for name, key in shape.shared:
            raw = row[key]
            if type(raw) is str:
                raw = raw.strip()
                if raw and not raw.isprintable():
                    raw = clean(raw)
                fields[name] = _intern(raw) if raw else None
            else:
                fields[name] = values.text(_scalar(raw))
        for name, key in shape.times:
            fields[name] = self._time(row[key])
        for name, key in shape.ints:
            fields[name] = self._int(row[key])
        for name, key in shape.ticking:
            fields[name] = self._int(row[key])
        raw_state = values.text(_scalar(row[shape.state])) if shape.state is not None else None
        state = self._state(raw_state)
        if fields[self._id_field] is None and self.kind == "user":
            # as parse_user always did: no id, then the operator ref, then the extension
            fields["user_id"] = fields["operator_ref"] or fields["extension"]
        if fields[self._id_field] is None:
            raise RowUnreadable("no call reference" if self.kind == "call" else "no user id")
        if state is None:
            raise RowUnreadable(f"no known {self.kind} state (got {raw_state!r})")
        fields["state"] = state
        if shape.dashboard is not None:
            fields["dashboard"] = bool(values.flag(_scalar(row[shape.dashboard])))
        fields["extra"] = (
            _clean_extra({key: row[key] for key in shape.extra_keys}) if shape.extra_keys else {}
        )
        made: ActiveCall | PbxUser = self._make(fields)
        return made

    def _shape(self, keys: tuple[str, ...]) -> _Shape:
        present = set(keys)
        used: set[str] = set()
        shape = _Shape()
        for name, aliases in self._table.items():
            key = next((alias for alias in aliases if alias in present), None)
            if key is None:
                continue
            used.add(key)
            if name == "state":
                shape.state = key
            elif name == "dashboard":
                shape.dashboard = key
            elif name not in self._template:
                continue  # a mapped field this model does not hold: read, not kept
            elif name in _TICKING:
                shape.ticking.append((name, key))
            elif name in _INT_FIELDS:
                shape.ints.append((name, key))
            elif name in _TIME_FIELDS:
                shape.times.append((name, key))
            elif name in _SHARED_TEXT:
                shape.shared.append((name, key))
            else:
                shape.texts.append((name, key))
        shape.extra_keys = tuple(key for key in keys if key not in used)
        ticking = {key for _, key in shape.ticking}
        shape.stable = _stable_getter(tuple(key for key in keys if key not in ticking))
        shape.ticks = _stable_getter(tuple(key for _, key in shape.ticking))
        if len(self._shapes) >= 64:  # a shape per row would be a strange upstream
            self._shapes.clear()
        self._shapes[keys] = shape
        return shape

    def _time(self, raw: Any) -> datetime | None:
        if type(raw) is not str:
            return values.timestamp(_scalar(raw), self.zone)
        when: datetime | None = self._times.get(raw, _MISSING)
        if when is _MISSING:
            when = self._old_times.get(raw, _MISSING)
            if when is _MISSING:
                when = values.timestamp(raw, self.zone)
            if len(self._times) >= self.MAX_CACHED:
                self.new_body()
            self._times[raw] = when
        return when

    def _int(self, raw: Any) -> int | None:
        if type(raw) is not str:
            return values.integer(_scalar(raw))
        number: int | None = self._ints.get(raw, _MISSING)
        if number is _MISSING:
            number = self._old_ints.get(raw, _MISSING)
            if number is _MISSING:
                number = values.integer(raw)
            if len(self._ints) >= self.MAX_CACHED:
                self.new_body()
            self._ints[raw] = number
        return number

    def _state(self, raw: str | None) -> Any:
        state = self._states.get(raw, _MISSING)
        if state is _MISSING:
            value = self._state_values.get((raw or "").lower())
            state = self._state_type(value) if value is not None else None
            if len(self._states) < 256:
                self._states[raw] = state
        return state


_READERS: dict[tuple[str, int, str], tuple[FieldMapping, RowReader]] = {}


def reader_for(kind: Literal["call", "user"], mapping: FieldMapping, zone: ZoneInfo) -> RowReader:
    """The reader of ``kind`` for this mapping and zone, made once and reused."""
    key = (kind, id(mapping), zone.key)
    held = _READERS.get(key)
    if held is not None and held[0] is mapping:
        return held[1]
    if len(_READERS) >= 16:
        _READERS.clear()
    reader = RowReader(kind, mapping, zone)
    _READERS[key] = (mapping, reader)
    return reader


def parse_call(row: Mapping[str, Any], mapping: FieldMapping, zone: ZoneInfo) -> ActiveCall:
    # why the type: ignore below: the call reader makes ActiveCall rows
    return reader_for("call", mapping, zone).read(row)  # type: ignore[return-value]


def parse_user(row: Mapping[str, Any], mapping: FieldMapping, zone: ZoneInfo) -> PbxUser:
    # why the type: ignore below: the user reader makes PbxUser rows
    return reader_for("user", mapping, zone).read(row)  # type: ignore[return-value]


_BASIC_FIELDS = {"igrp", "dgrp", "txr"}


def parse_caller(row: Mapping[str, Any], mapping: FieldMapping) -> CallerDetails:
    """``triggerDatetime`` is always UTC upstream, whatever ``tz`` was asked for."""
    fields, extra = _read_fields(row, mapping.caller, _UTC, skip=set())
    custom = {
        key: "" if value is None else clean(str(value))
        for key, value in extra.items()
        if key.startswith(CUSTOM_PREFIXES)
    }
    extra = {key: value for key, value in extra.items() if key not in custom}
    advanced = any(value is not None for name, value in fields.items() if name not in _BASIC_FIELDS)
    return CallerDetails(
        mode="advanced" if advanced else "basic", custom=custom, extra=extra, **fields
    )
