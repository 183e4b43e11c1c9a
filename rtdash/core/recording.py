"""Recording: every snapshot appended to a small, crash-tolerant file.

The format is gzip-compressed JSON lines. Each run appends one gzip member (members may
be concatenated) that starts with a header line::

    {"rtdash_recording": 1, "installation": "…", "igrp": 1234, "tz": "Europe/London",
     "started": "2026-05-01T09:00:00+00:00", "exclude_pii": false}

then one line per recorded snapshot, of ``kind`` ``calls`` or ``users``:

- a **keyframe**, the whole state: ``{"t": ISO, "kind": "calls", "rows": [...],
  "unreadable": n}``, written first in each run and then every ``keyframe_every``
  seconds;
- a **delta** against the state before it: ``{"t": ISO, "kind": "calls", "d": 2,
  "add": [rows], "upd": [patches], "del": [keys], "unreadable": n}`` (each part only
  when it has something to say);
- an **end mark** ``{"t": ISO, "kind": "end"}`` with the time of the last poll, written
  on close when the last polls changed nothing, so a replay ends where recording did.

Rows are the API's camelCase ``to_json()`` rows with ``None`` fields and an empty
``extra`` left out. A new key is added whole; a changed row is sent as a *patch*: its key
plus only the fields that differ from what the reader predicts (``null`` removes a
field). A snapshot that did not change writes nothing at all.

Why patches and ``d``: upstream durations (``callDuration``, ``bridgeDuration``…) tick
every second, so every live call changes on every poll and whole-row deltas would be
nearly whole snapshots. Instead each delta carries ``d``, the tick since the last one
(the most common change of an integer field), and an integer field that advanced by
exactly ``d`` last time is predicted to advance by ``d`` again. A call that is merely
talking therefore costs nothing per poll; only answers, transfers and hang-ups are
written. :class:`TrackState` holds the rules, and the recorder applies what it wrote to
its own copy, so reader and writer cannot drift apart.

Crash tolerance: the file is opened for append (created ``0600``: rows can carry
callers' numbers) and, by default, sync-flushed after every record, so a killed app
leaves a file readable up to its last record; the reader skips a cut-off tail and
carries on with a member appended after it. Only rows are written: no credentials, no
URL. At 200 live calls and 100 users polled every 2 s this is about 350 KB an hour
(``python -m bench.recording_size``).
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from rtdash.api.models import ActiveCall, PbxUser
from rtdash.core import limits
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

FORMAT_VERSION = 1
HEADER_KEY = "rtdash_recording"
Kind = Literal["calls", "users"]
#: the key field of each kind's rows (camelCase, as in ``to_json()``)
ROW_KEYS: dict[str, str] = {"calls": "callRef", "users": "sipUserId"}
GZIP_MAGIC = b"\x1f\x8b\x08"
DEFAULT_KEYFRAME_EVERY = 300.0
DEFAULT_FLUSH_EVERY = 0.0


class RecordingError(Exception):
    """A recording cannot be written or read; the message is one line for the user."""


# --- rows -------------------------------------------------------------------------------


_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
_PLAIN = (str, int, bool, float)


def compact_row(row: ActiveCall | PbxUser) -> dict[str, Any]:
    """The ``to_json()`` row (camelCase keys, ISO 8601 times) without ``None`` fields and
    without an empty ``extra``.

    Built straight from the attributes: ``model_dump`` costs ~25 µs a row, which at 200
    calls a poll is too much for the UI's loop. A value of a type this does not know
    falls back to ``to_json()`` for that row.
    """
    fields = _FIELDS.get(type(row))
    if fields is None:
        fields = tuple((name, info.alias or name) for name, info in type(row).model_fields.items())
        _FIELDS[type(row)] = fields
    out: dict[str, Any] = {}
    values = row.__dict__
    for name, alias in fields:
        value = values[name]
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


def _raw_row(row: ActiveCall | PbxUser) -> dict[str, Any]:
    """The row as the recorder compares it: camelCase keys, no ``None`` fields, no empty
    ``extra``, values as they are (datetimes stay datetimes until written)."""
    fields = _FIELDS.get(type(row)) or _fields(type(row))
    values = row.__dict__
    out = {alias: values[name] for name, alias in fields if values[name] is not None}
    if "extra" in out and not out["extra"]:
        del out["extra"]
    return out


def _fields(model: type) -> tuple[tuple[str, str], ...]:
    fields = tuple((name, info.alias or name) for name, info in model.model_fields.items())
    _FIELDS[model] = fields
    return fields


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _compact_slow(row: ActiveCall | PbxUser) -> dict[str, Any]:
    return {
        key: value
        for key, value in row.to_json().items()
        if value is not None and not (key == "extra" and not value)
    }


def _same(a: Any, b: Any) -> bool:
    # strict: 1 and True, or 1 and 1.0, are different values in a row
    return type(a) is type(b) and a == b


def _is_int(value: Any) -> bool:
    return type(value) is int


class _Row:
    """One row of the reconstructed state: its fields, and the integer fields that tick.

    ``static`` holds every field; a ticking field's value is ``anchor + C`` where ``C``
    is the state's running sum of ``d``, so a tick costs nothing per row.
    """

    __slots__ = ("static", "ticks")

    def __init__(self, static: dict[str, Any], ticks: dict[str, int]) -> None:
        self.static = static
        self.ticks = ticks

    def value(self, c: int) -> dict[str, Any]:
        if not self.ticks:
            return self.static
        out = dict(self.static)
        for name, anchor in self.ticks.items():
            out[name] = anchor + c
        return out


class RecordingFormatError(ValueError):
    """A record that does not apply to the state before it (damaged or out of order)."""


class TrackState:
    """The state of one kind (calls or users) as a reader reconstructs it.

    The recorder keeps one too and applies each record it writes, so it predicts exactly
    what the reader will predict.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.key = ROW_KEYS[kind]
        self.rows: dict[str, _Row] = {}
        #: rows of a keyframe whose keys repeat: kept as a list, and no delta applies
        self.dup: list[dict[str, Any]] | None = None
        self.c = 0
        self.unreadable = 0

    def copy(self) -> TrackState:
        other = TrackState(self.kind)
        other.rows = dict(self.rows)  # _Row objects are never mutated, only replaced
        other.dup = self.dup
        other.c = self.c
        other.unreadable = self.unreadable
        return other

    def row_dicts(self) -> list[dict[str, Any]]:
        if self.dup is not None:
            return list(self.dup)
        return [row.value(self.c) for row in self.rows.values()]

    # --- applying records --------------------------------------------------------------

    def apply_keyframe(self, rows: Sequence[dict[str, Any]], unreadable: int) -> None:
        keyed = self.keyed(rows)
        if keyed is None:
            self.rows, self.dup = {}, list(rows)
        else:
            self.rows, self.dup = {key: _Row(row, {}) for key, row in keyed.items()}, None
        self.unreadable = unreadable

    def apply_delta(
        self,
        d: int = 0,
        add: Sequence[dict[str, Any]] = (),
        upd: Sequence[dict[str, Any]] = (),
        dele: Sequence[str] = (),
        unreadable: int | None = None,
    ) -> None:
        """Apply one delta; checks everything first, so a bad record changes nothing."""
        self._check_delta(d, add, upd, dele, unreadable)
        c_prev, c_new = self.c, self.c + d
        for key in dele:
            del self.rows[key]
        for row in add:
            self.rows[row[self.key]] = _Row(row, {})
        for patch in upd:
            key = patch[self.key]
            before = self.rows[key]
            old = before.value(c_prev)
            new = dict(before.value(c_new))
            for name, value in patch.items():
                if value is None:
                    new.pop(name, None)
                else:
                    new[name] = value
            ticks: dict[str, int] = {}
            for name, value in new.items():
                if not _is_int(value):
                    continue
                if d != 0:
                    previous = old.get(name)
                    if _is_int(previous) and value - previous == d:
                        ticks[name] = value - c_new
                elif name in before.ticks:
                    ticks[name] = value - c_new
            self.rows[key] = _Row(new, ticks)
        self.c = c_new
        if unreadable is not None:
            self.unreadable = unreadable

    def apply(self, op: tuple[Any, ...]) -> None:
        """Apply a parsed record: ``("k", rows, unreadable)`` or ``("d", d, add, upd,
        dele, unreadable)`` (see :func:`parse_record`)."""
        if op[0] == "k":
            self.apply_keyframe(op[1], op[2])
        else:
            self.apply_delta(*op[1:])

    def _check_delta(
        self,
        d: Any,
        add: Sequence[Any],
        upd: Sequence[Any],
        dele: Sequence[Any],
        unreadable: Any,
    ) -> None:
        if self.dup is not None:
            raise RecordingFormatError("a delta after a keyframe with repeated keys")
        if not _is_int(d):
            raise RecordingFormatError("d is not an integer")
        if unreadable is not None and not _is_int(unreadable):
            raise RecordingFormatError("unreadable is not an integer")
        gone = set()
        for key in dele:
            if not isinstance(key, str) or key not in self.rows or key in gone:
                raise RecordingFormatError(f"del of an unknown key {key!r}")
            gone.add(key)
        added = set()
        for row in add:
            key = row.get(self.key) if isinstance(row, dict) else None
            if not isinstance(key, str) or (key in self.rows and key not in gone) or key in added:
                raise RecordingFormatError(f"add of a bad or existing key {key!r}")
            added.add(key)
        patched = set()
        for patch in upd:
            key = patch.get(self.key) if isinstance(patch, dict) else None
            if not isinstance(key, str) or key not in self.rows or key in gone or key in patched:
                raise RecordingFormatError(f"upd of an unknown key {key!r}")
            patched.add(key)

    # --- writing -----------------------------------------------------------------------

    def keyed(self, rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]] | None:
        """Rows by key, or None when a key repeats or is missing (then only a keyframe
        can record them)."""
        keyed: dict[str, dict[str, Any]] = {}
        key_name = self.key
        for row in rows:
            key = row.get(key_name)
            if not isinstance(key, str) or key in keyed:
                return None
            keyed[key] = row
        return keyed

    def diff(self, current: Mapping[str, dict[str, Any]], unreadable: int) -> dict[str, Any] | None:
        """The delta that turns this state into ``current`` (rows by key, from
        :meth:`keyed`); None when nothing changed.

        Returns ``{"d":…, "add":…, "upd":…, "del":…, "unreadable":…}`` with only the
        parts that say something.
        """
        assert self.dup is None, "a state with repeated keys takes keyframes only"
        d = self._tick(current)
        c_new = self.c + d
        add: list[dict[str, Any]] = []
        upd: list[dict[str, Any]] = []
        rows = self.rows
        for key, row in current.items():
            before = rows.get(key)
            if before is None:
                add.append(row)
                continue
            predicted = before.value(c_new)
            if row == predicted:  # the common case, compared in C
                continue
            patch = {
                name: value
                for name, value in row.items()
                if name not in predicted or not _same(predicted[name], value)
            }
            patch.update({name: None for name in predicted if name not in row})
            if patch:
                upd.append({self.key: key, **patch})
        dele = (
            [key for key in rows if key not in current]
            if len(rows) + len(add) != len(current)
            else []
        )
        delta: dict[str, Any] = {}
        if d:
            delta["d"] = d
        if add:
            delta["add"] = add
        if upd:
            delta["upd"] = upd
        if dele:
            delta["del"] = dele
        if unreadable != self.unreadable:
            delta["unreadable"] = unreadable
        return delta or None

    def _tick(self, current: Mapping[str, dict[str, Any]], sample: int = 64) -> int:
        """The most common change of an integer field, from the first ``sample`` changes
        found among rows seen before (the delta says ``d``, so any fair choice works)."""
        changes: Counter[int] = Counter()
        seen = 0
        for key, row in current.items():
            before = self.rows.get(key)
            if before is None or (not before.ticks and row == before.static):
                continue
            old = before.value(self.c)
            for name, value in row.items():
                previous = old.get(name)
                if _is_int(value) and _is_int(previous) and value != previous:
                    changes[value - previous] += 1
                    seen += 1
            if seen >= sample:
                break
        if not changes:
            return 0
        return max(changes, key=lambda step: (changes[step], -abs(step), step))


# --- records on disk ----------------------------------------------------------------------


def parse_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise RecordingFormatError("t is not a string")
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RecordingFormatError(f"t is not an ISO time: {value!r}") from exc
    if when.tzinfo is None:
        raise RecordingFormatError("t has no offset")
    if not limits.time_in_range(when):
        raise RecordingFormatError(f"t is out of range: {value[:40]!r}")
    return when


def parse_record(record: Mapping[str, Any]) -> tuple[str, datetime, tuple[Any, ...]]:
    """``(kind, t, op)`` of a record line; raises :class:`RecordingFormatError`."""
    kind = record.get("kind")
    if kind not in ROW_KEYS:
        raise RecordingFormatError(f"unknown kind {kind!r}")
    when = parse_time(record.get("t"))
    if "rows" in record:
        rows = record["rows"]
        unreadable = record.get("unreadable", 0)
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RecordingFormatError("rows is not a list of objects")
        if not _is_int(unreadable):
            raise RecordingFormatError("unreadable is not an integer")
        return kind, when, ("k", rows, unreadable)
    parts = []
    for name in ("add", "upd", "del"):
        part = record.get(name, [])
        if not isinstance(part, list):
            raise RecordingFormatError(f"{name} is not a list")
        parts.append(part)
    add, upd, dele = parts
    return kind, when, ("d", record.get("d", 0), add, upd, dele, record.get("unreadable"))


def header_line(
    *, installation: str, igrp: int, tz: str, started: datetime, exclude_pii: bool
) -> dict[str, Any]:
    return {
        HEADER_KEY: FORMAT_VERSION,
        "installation": installation,
        "igrp": igrp,
        "tz": tz,
        "started": started.isoformat(),
        "exclude_pii": exclude_pii,
    }


@dataclass(frozen=True, slots=True)
class Inflated:
    """The lines of a recording file, as far as they could be read."""

    lines: list[bytes]
    #: partial lines dropped (a member cut off mid-line)
    dropped: int
    #: a member ended early or the data was damaged somewhere
    damaged: bool


def inflate(data: bytes) -> Inflated:
    """Decompress concatenated gzip members, tolerating a member cut off by a crash.

    A cut member is read up to its cut; a partial last line is dropped (and counted). When
    a run was killed and another run appended after it, reading resumes at the next
    member.
    """
    view = memoryview(data)
    lines: list[bytes] = []
    dropped = 0
    damaged = False
    pos, size = 0, len(data)
    while pos < size:
        if data[pos] == 0:  # zero padding after a member is allowed
            pos += 1
            continue
        if not data.startswith(GZIP_MAGIC, pos):
            damaged = True
            break
        text, following, complete = _member(data, view, pos)
        parts = text.split(b"\n")
        tail = parts.pop()
        lines.extend(part for part in parts if part.strip())
        if tail.strip():
            dropped += 1
        damaged = damaged or not complete
        if following is None:
            break
        pos = following
    return Inflated(lines, dropped, damaged)


def _member(data: bytes, view: memoryview, pos: int) -> tuple[bytes, int | None, bool]:
    """One member from ``pos``: (its text, where the next member starts, complete)."""
    inflater = zlib.decompressobj(31)
    try:
        text = inflater.decompress(view[pos:])
    except zlib.error:
        text = None
    if text is not None and inflater.eof:
        return text, len(data) - len(inflater.unused_data), True
    # cut short: maybe a killed run, with the next run's member appended after the cut
    candidate = data.find(GZIP_MAGIC, pos + 10)
    while candidate != -1:
        if _member_starts(view, candidate):
            inflater = zlib.decompressobj(31)
            try:
                text = inflater.decompress(view[pos:candidate])
            except zlib.error:
                pass
            else:
                return text, candidate, inflater.eof and not inflater.unused_data
        candidate = data.find(GZIP_MAGIC, candidate + 1)
    if text is not None:  # cut off at the end of the file: keep what is there
        return text, None, False
    # damaged with nothing after it: salvage what inflates before the damage
    inflater = zlib.decompressobj(31)
    pieces: list[bytes] = []
    for start in range(pos, len(data), 1024):
        try:
            pieces.append(inflater.decompress(view[start : start + 1024]))
        except zlib.error:
            break
    return b"".join(pieces), None, False


def _member_starts(view: memoryview, pos: int) -> bool:
    try:
        zlib.decompressobj(31).decompress(view[pos : pos + 512])
    except zlib.error:
        return False
    return True


def read_header(path: Path) -> dict[str, Any] | None:
    """The first header of an existing recording; None if the file is not one."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if not head.startswith(GZIP_MAGIC):
        return None
    inflater = zlib.decompressobj(31)
    try:
        text = inflater.decompress(head, 64 * 1024)
    except zlib.error:
        return None
    line = text.split(b"\n", 1)[0]
    try:
        header = json.loads(line)
    except ValueError:
        return None
    if not isinstance(header, dict) or HEADER_KEY not in header:
        return None
    return header


# --- the recorder ---------------------------------------------------------------------------


class Recorder:
    """Appends every snapshot of one installation to ``path``.

    Call :meth:`record_calls` / :meth:`record_users` with each snapshot (unchanged ones
    cost nothing) and :meth:`close` at the end. Each record is flushed as it is written;
    with ``flush_every`` > 0 records are flushed at most that many recorded seconds
    apart, and then :meth:`flush` (a no-op when nothing is pending) should also be
    called from a timer, e.g. on pause. A write failure raises
    :class:`RecordingError` once; the recorder then stops (``error`` says why) and later
    calls do nothing, so the dashboard keeps running.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        installation: str,
        igrp: int,
        tz: str,
        exclude_pii: bool = False,
        started: datetime | None = None,
        keyframe_every: float = DEFAULT_KEYFRAME_EVERY,
        flush_every: float = DEFAULT_FLUSH_EVERY,
    ) -> None:
        self.path = Path(path)
        self.installation = installation
        self.igrp = igrp
        self.tz = tz
        self.exclude_pii = exclude_pii
        self.keyframe_every = keyframe_every
        #: seconds of recorded time between flushes (0: flush after every record)
        self.flush_every = flush_every
        self.error: str | None = None
        #: records written, keyframes among them, and uncompressed bytes written
        self.records = 0
        self.keyframes = 0
        self.raw_bytes = 0
        self._states = {kind: TrackState(kind) for kind in ROW_KEYS}
        self._last_keyframe: dict[str, datetime | None] = dict.fromkeys(ROW_KEYS)
        self._last_flush: datetime | None = None
        #: the newest snapshot seen, and the newest written (for the end mark)
        self._last_seen: datetime | None = None
        self._last_written: datetime | None = None
        self._dirty = False
        self._closed = False
        self._check_existing()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise RecordingError(f"cannot record to {self.path}: {_reason(exc)}") from None
        self._raw = os.fdopen(fd, "ab")
        self._gzip = gzip.GzipFile(filename="", mode="ab", fileobj=self._raw, mtime=0)
        started = started or datetime.now(UTC)
        header = header_line(
            installation=installation, igrp=igrp, tz=tz, started=started, exclude_pii=exclude_pii
        )
        try:
            self._write(header)
            self.flush()
        except RecordingError:
            self.close()
            raise

    def _check_existing(self) -> None:
        try:
            if not self.path.exists() or self.path.stat().st_size == 0:
                return
            header = read_header(self.path)
        except OSError as exc:
            raise RecordingError(f"cannot record to {self.path}: {_reason(exc)}") from None
        if header is None:
            raise RecordingError(
                f"{self.path} exists and is not an rtdash recording: choose another file"
            )
        if header.get("igrp") != self.igrp:
            raise RecordingError(
                f"{self.path} records installation {header.get('igrp')}, not {self.igrp}: "
                "record each installation to its own file"
            )

    # --- recording ---------------------------------------------------------------------

    def record_calls(self, snapshot: CallsSnapshot) -> bool:
        """Record a calls snapshot; True if anything was written."""
        if self._stopped:
            return False
        rows = [_raw_row(call) for call in snapshot.calls]
        return self._record("calls", snapshot.fetched_at, rows, snapshot.unreadable)

    def record_users(self, snapshot: UsersSnapshot) -> bool:
        """Record a users snapshot (every user, not only the dashboard ones)."""
        if self._stopped:
            return False
        rows = [_raw_row(user) for user in snapshot.users]
        return self._record("users", snapshot.fetched_at, rows, snapshot.unreadable)

    def _record(
        self, kind: str, when: datetime, rows: list[dict[str, Any]], unreadable: int
    ) -> bool:
        state = self._states[kind]
        last = self._last_keyframe[kind]
        if self._last_seen is None or when > self._last_seen:
            self._last_seen = when
        keyed = None if state.dup is not None else state.keyed(rows)
        due = (
            keyed is None
            or last is None
            or when < last
            or (when - last).total_seconds() >= self.keyframe_every
        )
        record: dict[str, Any] = {"t": when.isoformat(), "kind": kind}
        if due:
            record.update(rows=rows, unreadable=unreadable)
            state.apply_keyframe(rows, unreadable)
            self._last_keyframe[kind] = when
            self.keyframes += 1
        else:
            assert keyed is not None
            delta = state.diff(keyed, unreadable)
            if delta is None:
                self._maybe_flush(when)
                return False
            record.update(delta)
            state.apply_delta(
                delta.get("d", 0),
                delta.get("add", ()),
                delta.get("upd", ()),
                delta.get("del", ()),
                delta.get("unreadable"),
            )
        self._write(record)
        self.records += 1
        if self._last_written is None or when > self._last_written:
            self._last_written = when
        self._maybe_flush(when)
        return True

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"), ensure_ascii=False, default=_json_default)
        line = (line + "\n").encode()
        try:
            self._gzip.write(line)
        except OSError as exc:
            self._fail(exc)
        self.raw_bytes += len(line)
        self._dirty = True

    def _maybe_flush(self, when: datetime) -> None:
        if not self._dirty:
            return
        if (
            self.flush_every <= 0
            or self._last_flush is None
            or abs((when - self._last_flush).total_seconds()) >= self.flush_every
        ):
            self.flush()
            self._last_flush = when

    def flush(self) -> None:
        """Push what is pending to the file (readable after a crash); no-op if nothing is."""
        if self._stopped or not self._dirty:
            return
        try:
            self._gzip.flush()
        except OSError as exc:
            self._fail(exc)
        self._dirty = False

    def close(self) -> None:
        """Flush and finish the gzip member. Safe to call twice, and after an error."""
        if self._closed:
            return
        try:
            seen, written = self._last_seen, self._last_written
            if self.error is None and seen is not None and (written is None or seen > written):
                self._write({"t": seen.isoformat(), "kind": "end"})
        except RecordingError:
            pass
        self._closed = True
        try:
            if self.error is None:
                self._gzip.close()
        except OSError as exc:
            self.error = f"cannot record to {self.path}: {_reason(exc)}"
        finally:
            try:
                self._raw.close()
            except OSError as exc:
                self.error = self.error or f"cannot record to {self.path}: {_reason(exc)}"

    @property
    def size(self) -> int:
        """Bytes on disk so far (after the last flush)."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def _stopped(self) -> bool:
        return self._closed or self.error is not None

    def _fail(self, exc: OSError) -> None:
        self.error = f"recording stopped: cannot write {self.path}: {_reason(exc)}"
        raise RecordingError(self.error) from None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
