"""The fast readers of the two polled routes (``pbxActiveCalls``, ``pbxUserStatus``):
a reader per mapping and zone that learns each row shape once and hands back last
poll's row object when a row has not changed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

import msgspec

from rtdash.api import line_plan, mapping_gaps, values
from rtdash.api.head_cache import LineRows, now_from
from rtdash.api.mapping import FieldMapping
from rtdash.api.row_shape import RowShape, shape_of
from rtdash.api.row_types import (
    ActiveCall,
    CallState,
    PbxUser,
    RowUnreadable,
    UserState,
    _clean_extra,
    _scalar,
)
from rtdash.api.sanitise import plain

_MISSING: Any = object()


_PLAIN = frozenset({str, type(None)})
_first_line = msgspec.json.Decoder().decode
#: the types a ticking duration may have and still be read (an object or list may not)
_SCALARS = frozenset({str, int, float, bool, type(None)})


class RowReader:
    """Reads ``pbxActiveCalls`` or ``pbxUserStatus`` rows through one mapping in one zone.

    At 2000 rows a poll the general path (alias lookups per field and row, ``strptime``
    per datetime, pydantic validating values that are already typed) was most of the
    cost of a poll, and each row carried two private dicts and a set. So:

    - the alias lookups are resolved once per row shape (the row's keys, in order);
    - datetimes and integers are read once per distinct string and shared, from a cache
      holding this body's and the previous body's strings (``new_body`` rolls it), so
      an unchanged start time costs a dict lookup and one object for every row;
    - repeated names (lines, queues, agents) become one shared string, from a cache of
      this body's and the last body's (not ``sys.intern``: its table only grows, and a
      big centre's user names, each seen once, would fill it for good);
    - the row is built without validation (each reader below returns its field's
      type; the required fields are checked by hand) from a copy of the defaults, into
      slots (:class:`~rtdash.api.row_types.ActiveCall`: no dict of its own);
    - a row whose values other than the ticking durations (``ringTime``, ``callDuration``
      …) are those of a row read from the last body (or this one) is that very row
      object again, its durations those it was first read with: the screens show time
      in state from start times, so a call whose durations only ticked costs a dict
      lookup and downstream tells "unchanged" by identity. The durations a held row
      would have now follow from the upstream's "now", which the reader notes from the
      first rows of each body (:attr:`body_now`; see :func:`rtdash.api.models.ticked`).
      Its texts were cleaned, its times and state read, when it was first seen; the
      same values always read the same, so nothing is skipped that could differ (a
      ticking value that is an object or list has the row read afresh, and refused).
      Only rows whose other values are all text or null are held for this (a value
      equal to a text is a text, while ``1 == 1.0 == True`` read apart).
    """

    #: entries of one generation of the value caches, so a reader fed row by row
    #: (``parse_call`` from the CLI) cannot grow without bound
    MAX_CACHED = 16_384
    #: entries of a generation kept for the next body (more are let go)
    CARRIED = 4_096
    #: rows of one generation of the row cache: more than the largest body allowed holds
    MAX_ROWS = 1_048_576
    #: rows of each body whose start and duration give the upstream's "now"
    PROBES = 4

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
        #: a row's id (its call reference or user id)
        self.ident: Callable[[Any], str] = operator.attrgetter(self._id_field)
        self._index = self.model.index
        self._template: list[Any] = list(self.model.defaults)
        self.id_at = self._index[self._id_field]
        self.state_at = self._index["state"]
        self._extra_at = self._index["extra"]
        self.dashboard_at = self._index.get("dashboard", -1)
        #: a user's fields its id falls back to (none for a call)
        self.fallbacks: tuple[int, ...] = (
            (self._index["operator_ref"], self._index["extension"]) if kind == "user" else ()
        )
        self._shapes: dict[tuple[str, ...], RowShape] = {}
        self._times: dict[str, datetime | None] = {}
        self._old_times: dict[str, datetime | None] = {}
        self._ints: dict[str, int | None] = {}
        self._old_ints: dict[str, int | None] = {}
        self._texts: dict[str, str] = {}
        self._old_texts: dict[str, str] = {}
        self._states: dict[str | None, Any] = {}
        #: the upstream's "now" as the current body shows it (calls only; see _probe)
        self.body_now: datetime | None = None
        self._probes = self.PROBES
        #: the last body's rows by line (see learn_lines), once a body taught the shape
        self.lines: LineRows | None = None
        #: how the C part reads the plain new lines of that shape (see line_plan)
        self._line_plan: Any | None = None
        self._line_shape: RowShape | None = None
        #: the keys of the rows refused, by shape (see refused and gap)
        self._refused: dict[tuple[str, ...], None] = {}

    def new_body(self) -> None:
        """Start a new poll's body: values seen in the last two bodies stay cached,
        unless the last one read many (a first body, read whole): a poll read by its
        lines reads only its new lines, and holding every value of a whole centre for
        them would set the peak of the next poll."""
        carry = self.CARRIED
        self._old_times = self._times if len(self._times) <= carry else {}
        self._old_ints = self._ints if len(self._ints) <= carry else {}
        self._old_texts = self._texts if len(self._texts) <= carry else {}
        self._times, self._ints, self._texts = {}, {}, {}
        for shape in self._shapes.values():
            shape.old_rows, shape.rows = shape.rows, {}
        self.body_now = None
        self._probes = self.PROBES

    def read(self, row: Mapping[str, Any], hold: bool = True) -> ActiveCall | PbxUser:
        """One typed row; raises :class:`RowUnreadable` for a row it cannot do without.
        Without ``hold`` the row is read afresh and not kept for the next body (the
        caller knows rows by their lines: a line not known is a row that changed)."""
        keys = tuple(row)
        shape = self._shapes.get(keys) or self._shape(keys)
        if self._probes and shape.clock is not None:
            self._probe(row, shape.clock)
        if not hold:
            return self._read(row, shape)
        stable = shape.stable(row)
        try:
            held = shape.rows.get(stable) or shape.old_rows.get(stable)
        except TypeError:  # a container among the values: not hashable, read afresh
            return self._read(row, shape)
        made: ActiveCall | PbxUser
        if held is not None and _SCALARS.issuperset(map(type, shape.ticks(row))):
            made = held
        else:
            made = self._read(row, shape)
            if not _PLAIN.issuperset(map(type, stable)):
                return made
        rows = shape.rows
        if len(rows) >= self.MAX_ROWS:
            shape.old_rows, shape.rows = rows, {}
        shape.rows[stable] = made
        return made

    def refused(self, row: object) -> None:
        """Note a row its readers refused: when none of a body could be read, :meth:`gap`
        tells from these whether the mapping names keys the rows do not carry. Kept
        across bodies: a line refused a poll ago is known refused again unread."""
        if type(row) is dict:
            if len(self._refused) >= 64:  # a shape per row would be a strange upstream
                self._refused.clear()
            self._refused[tuple(row)] = None

    def gap(self) -> str | None:
        """Which needed fields none of the refused rows carries a key for, with the
        ``[mapping]`` key naming each and the keys those rows carry
        (:func:`rtdash.api.mapping_gaps.gap`); None when each has one."""
        if not self._refused:
            return None
        keys = (key for shape in self._refused for key in shape)
        return mapping_gaps.gap(self.kind, self.mapping, keys)

    def _probe(self, row: Mapping[str, Any], clock: tuple[str, str]) -> None:
        """Note the upstream's "now" this body shows: a call's start plus its duration
        (every row of a body is made at one moment), from the first rows of the body."""
        self._probes -= 1
        try:
            start, duration = self._time(row[clock[0]]), self._int(row[clock[1]])
        except (RowUnreadable, ValueError, OverflowError):
            return
        self.note_now(now_from(start, duration))

    def note_now(self, now: datetime | None) -> None:
        """One row's word on the upstream's "now": the body's is the latest."""
        if now is not None and (self.body_now is None or now > self.body_now):
            self.body_now = now

    def learn_lines_of(self, body: bytes | bytearray) -> None:
        """Learn the lines of bodies like ``body`` from its first line (if an object)."""
        end = body.find(b"\n")
        try:
            first = _first_line(body[: end if end >= 0 else len(body)])
        except (msgspec.DecodeError, RecursionError):
            return
        if type(first) is dict:
            self.learn_lines(tuple(first))

    def learn_lines(self, keys: tuple[str, ...]) -> None:
        """Read the next bodies by their lines (:mod:`rtdash.api.line_rows`), their
        rows having ``keys``: the tail of a line is its ticking durations when those
        are its last keys, else its closing brace."""
        shape = self._shapes.get(keys) or self._shape(keys)
        ticking = {key for _, key in shape.ticking}
        tail = keys[len(keys) - len(ticking) :] if ticking else ()
        if set(tail) != ticking:
            tail = ()
        clock = shape.clock[1] if shape.clock is not None else None
        if self.lines is None or self.lines.tail_keys != tail:
            self.lines = LineRows(tail, clock)
        if self._line_shape is not shape:
            self._line_shape, self._line_plan = shape, line_plan.plan_for(self, shape, keys)

    def read_lines(self, lines: list[bytes]) -> list[ActiveCall | PbxUser | None] | None:
        """The rows of new lines of the learnt shape, read in C where plain (None for a
        line that is not: :meth:`read` reads it); None when none can be read there (no C
        part, or the first rows of a body must tell the upstream's "now" first). The
        caches are read and written as :meth:`read` reads and writes them."""
        plan, shape = self._line_plan, self._line_shape
        if plan is None:  # (none is made where the C part was not built)
            return None
        if self._probes and shape is not None and shape.clock is not None:
            return None
        made: list[ActiveCall | PbxUser | None] = plan.read(lines, *self.caches())
        return made

    def caches(self) -> tuple[dict[Any, Any], ...]:
        """The value caches as a new line's reading reads and writes them (see _time,
        _int, _share, _state)."""
        return (
            self._texts,
            self._old_texts,
            self._times,
            self._old_times,
            self._ints,
            self._old_ints,
            self._states,
        )

    def _read(self, row: Mapping[str, Any], shape: RowShape) -> ActiveCall | PbxUser:
        fields = self._template.copy()
        for at, key in shape.texts:
            raw = row[key]
            if type(raw) is str:
                raw = raw.strip()
                fields[at] = (raw if plain(raw) else values.cleaned(raw)) if raw else None
            else:
                fields[at] = values.text(_scalar(raw))
        for at, key in shape.shared:
            raw = row[key]
            if type(raw) is str:
                raw = raw.strip()
                if raw and not plain(raw):
                    raw = values.cleaned(raw)
                fields[at] = self._share(raw) if raw else None
            else:
                fields[at] = values.text(_scalar(raw))
        for at, key in shape.times:
            fields[at] = self._time(row[key])
        for at, key in shape.ints:
            fields[at] = self._int(row[key])
        for at, key in shape.ticking:
            fields[at] = self._int(row[key])
        raw_state = values.text(_scalar(row[shape.state])) if shape.state is not None else None
        state = self._state(raw_state)
        if fields[self.id_at] is None and self.fallbacks:
            # as parse_user always did: no id, then the operator ref, then the extension
            fields[self.id_at] = fields[self.fallbacks[0]] or fields[self.fallbacks[1]]
        ident = fields[self.id_at]
        if ident is None:
            raise RowUnreadable("no call reference" if self.kind == "call" else "no user id")
        if self.fallbacks and fields[self.fallbacks[1]] == ident:
            # a user's extension is often its id: one string for both, not a copy each
            fields[self.fallbacks[1]] = ident
        if state is None:
            said = "none given" if raw_state is None else f"got {raw_state!r}"
            raise RowUnreadable(f"no known {self.kind} state ({said})")
        fields[self.state_at] = state
        if shape.dashboard is not None:
            fields[self.dashboard_at] = bool(values.flag(_scalar(row[shape.dashboard])))
        if shape.extra_keys:
            fields[self._extra_at] = _clean_extra({key: row[key] for key in shape.extra_keys})
        return self.model.from_values(fields)

    def _shape(self, keys: tuple[str, ...]) -> RowShape:
        shape = shape_of(keys, self._table, self._index)
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

    def _share(self, raw: str) -> str:
        """One string for each text repeated across the rows read from this body and
        the last."""
        shared = self._texts.get(raw)
        if shared is None:
            shared = self._old_texts.get(raw, raw)
            if len(self._texts) >= self.MAX_CACHED:
                self._old_texts, self._texts = self._texts, {}
            self._texts[raw] = shared
        return shared

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
