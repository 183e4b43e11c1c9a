"""One kind's state as records rebuild it, and the delta that moves it on.

Why patches and ``d``: upstream durations (``callDuration``, ``bridgeDuration``…) tick
every second, so every live call changes on every poll and whole-row deltas would be
nearly whole snapshots. Instead each delta carries ``d``, the tick since the last one
(the most common change of an integer field), and an integer field that advanced by
exactly ``d`` last time is predicted to advance by ``d`` again. A call that is merely
talking therefore costs nothing per poll; only answers, transfers and hang-ups are
written. The recorder applies what it wrote to its own :class:`TrackState`, so reader
and writer cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from rtdash.core.recording.codec import ROW_KEYS, Delta, Keyframe, Kind, Row
from rtdash.core.recording.errors import RecordingFormatError


def _same(a: object, b: object) -> bool:
    # strict: 1 and True, or 1 and 1.0, are different values in a row
    return type(a) is type(b) and a == b


def _is_int(value: object) -> bool:
    return type(value) is int


class StateRow:
    """One row of the reconstructed state: its fields, and the integer fields that tick.

    ``static`` holds every field; a ticking field's value is ``anchor + C`` where ``C``
    is the state's running sum of ``d``, so a tick costs nothing per row. Never mutated,
    only replaced, so states can share rows.
    """

    __slots__ = ("static", "ticks")

    def __init__(self, static: Row, ticks: dict[str, int]) -> None:
        self.static = static
        self.ticks = ticks

    def value(self, c: int) -> Row:
        if not self.ticks:
            return self.static
        out = dict(self.static)
        for name, anchor in self.ticks.items():
            out[name] = anchor + c
        return out


class TrackState:
    """The state of one kind (calls or users) as a reader reconstructs it.

    The recorder keeps one too and applies each record it writes, so it predicts exactly
    what the reader will predict.
    """

    def __init__(self, kind: Kind) -> None:
        self.kind: Kind = kind
        self.key = ROW_KEYS[kind]
        self.rows: dict[str, StateRow] = {}
        #: rows of a keyframe whose keys repeat: kept as a list, and no delta applies
        self.dup: list[Row] | None = None
        self.c = 0
        self.unreadable = 0

    def copy(self) -> TrackState:
        other = TrackState(self.kind)
        other.rows = dict(self.rows)
        other.dup = self.dup
        other.c = self.c
        other.unreadable = self.unreadable
        return other

    # --- applying records --------------------------------------------------------------

    def apply(self, record: Keyframe | Delta) -> None:
        """Apply a record of this kind; a delta that does not fit raises
        :class:`RecordingFormatError` and changes nothing."""
        if isinstance(record, Keyframe):
            self.apply_keyframe(record.rows, record.unreadable)
        else:
            self.apply_delta(record)

    def apply_keyframe(self, rows: Sequence[Row], unreadable: int) -> None:
        keyed = self.keyed(rows)
        if keyed is None:
            self.rows, self.dup = {}, list(rows)
        else:
            self.rows, self.dup = {key: StateRow(row, {}) for key, row in keyed.items()}, None
        self.unreadable = unreadable

    def apply_delta(self, delta: Delta) -> None:
        """Apply one delta; checks everything first, so a bad record changes nothing."""
        self._check_delta(delta)
        d = delta.d
        c_prev, c_new = self.c, self.c + d
        for key in delta.dele:
            del self.rows[key]
        for row in delta.add:
            self.rows[row[self.key]] = StateRow(row, {})
        for patch in delta.upd:
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
            self.rows[key] = StateRow(new, ticks)
        self.c = c_new
        if delta.unreadable is not None:
            self.unreadable = delta.unreadable

    def _check_delta(self, delta: Delta) -> None:
        if self.dup is not None:
            raise RecordingFormatError("a delta after a keyframe with repeated keys")
        gone: set[str] = set()
        added: set[str] = set()
        patched: set[str] = set()
        key: object
        for key in delta.dele:
            if not isinstance(key, str) or key not in self.rows or key in gone:
                raise RecordingFormatError(f"del of an unknown key {key!r}")
            gone.add(key)
        for row in delta.add:
            key = row.get(self.key) if isinstance(row, dict) else None
            if not isinstance(key, str) or (key in self.rows and key not in gone) or key in added:
                raise RecordingFormatError(f"add of a bad or existing key {key!r}")
            added.add(key)
        for patch in delta.upd:
            key = patch.get(self.key) if isinstance(patch, dict) else None
            if not isinstance(key, str) or key not in self.rows or key in gone or key in patched:
                raise RecordingFormatError(f"upd of an unknown key {key!r}")
            patched.add(key)

    # --- writing -----------------------------------------------------------------------

    def keyed(self, rows: Iterable[Row]) -> dict[str, Row] | None:
        """Rows by key, or None when a key repeats or is missing (then only a keyframe
        can record them)."""
        keyed: dict[str, Row] = {}
        key_name = self.key
        for row in rows:
            key = row.get(key_name)
            if not isinstance(key, str) or key in keyed:
                return None
            keyed[key] = row
        return keyed

    def diff(self, current: Mapping[str, Row], unreadable: int, when: datetime) -> Delta | None:
        """The delta at ``when`` that turns this state into ``current`` (rows by key, from
        :meth:`keyed`); None when nothing changed."""
        assert self.dup is None, "a state with repeated keys takes keyframes only"
        d = self._tick(current)
        c_new = self.c + d
        add: list[Row] = []
        upd: list[Row] = []
        rows = self.rows
        for key, row in current.items():
            before = rows.get(key)
            if before is None:
                add.append(row)
                continue
            predicted = before.value(c_new)
            if row == predicted:  # the common case, compared in C
                continue
            patch: dict[str, Any] = {
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
        changed = unreadable if unreadable != self.unreadable else None
        if not (d or add or upd or dele or changed is not None):
            return None
        return Delta(self.kind, when, d, add, upd, dele, changed)

    def _tick(self, current: Mapping[str, Row], sample: int = 64) -> int:
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
