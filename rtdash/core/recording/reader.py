"""A recording read back as a timeline of snapshots.

:meth:`Recording.load` reads a file written by :class:`~.recorder.Recorder` and keeps,
per kind, the list of record times and the decoded records, with a full copy of the
state every :data:`CHECKPOINT_EVERY` records. A state is found by bisecting the times
(O(log n)) and rebuilt from the checkpoint before it (at most ``CHECKPOINT_EVERY``
small records), and playing forward reuses the state it built last, so a long day stays
cheap in memory and a seek stays instant. Rows are read back into :class:`ActiveCall` /
:class:`PbxUser` with ``model_validate``; a row that did not change is not validated
again.
"""

from __future__ import annotations

import bisect
import itertools
import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from rtdash.api.models import ActiveCall, PbxUser
from rtdash.core import limits
from rtdash.core.recording.codec import (
    ROW_KEYS,
    Delta,
    EndMark,
    Keyframe,
    Kind,
    Row,
    ServiceMark,
    decode,
)
from rtdash.core.recording.container import GZIP_MAGIC, inflate
from rtdash.core.recording.errors import RecordingError, RecordingFormatError
from rtdash.core.recording.header import FORMAT_VERSION, RecordingHeader, is_header, parse_header
from rtdash.core.recording.state import StateRow, TrackState
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

#: a full copy of a track's state is kept every this many records
CHECKPOINT_EVERY = 32

S = TypeVar("S", CallsSnapshot, UsersSnapshot)


class _Track(Generic[S]):
    """One kind's timeline: record times, decoded records, checkpoints, a play cursor."""

    def __init__(self, kind: Kind) -> None:
        self.kind: Kind = kind
        self.model: type[ActiveCall] | type[PbxUser] = ActiveCall if kind == "calls" else PbxUser
        #: non-decreasing times to bisect (a record stamped earlier than the one before
        #: it, after a clock step back, is placed at the earlier record's time)
        self.times: list[datetime] = []
        #: each record's own ``t``, the snapshot's ``fetched_at``
        self.stamps: list[datetime] = []
        self.records: list[Keyframe | Delta] = []
        self.checkpoints: list[TrackState] = []
        self.skipped = 0
        self.bad_rows = 0
        self._state = TrackState(kind)
        #: no keyframe yet in this run (or a record was lost): deltas cannot apply
        self.broken = True
        self._cursor: tuple[int, TrackState] | None = None
        self._models: dict[str, tuple[StateRow, int, ActiveCall | PbxUser]] = {}
        self._last: tuple[int, S] | None = None

    # --- loading -----------------------------------------------------------------------

    def add(self, record: Keyframe | Delta) -> None:
        if isinstance(record, Delta) and self.broken:
            self.skipped += 1
            return
        try:
            self._state.apply(record)
        except RecordingFormatError:
            self.skipped += 1
            self.broken = True
            return
        self.broken = False
        index = len(self.records)
        when = record.t
        self.times.append(max(when, self.times[-1]) if self.times else when)
        self.stamps.append(when)
        self.records.append(record)
        if index % CHECKPOINT_EVERY == 0:
            self.checkpoints.append(self._state.copy())

    def finish(self) -> None:
        self._state = TrackState(self.kind)  # the loading state is not needed any more

    # --- reading -----------------------------------------------------------------------

    def index_at(self, when: datetime) -> int:
        """Index of the last record at or before ``when``; -1 before the first."""
        return bisect.bisect_right(self.times, when) - 1

    def snapshot_at(self, when: datetime) -> S | None:
        index = self.index_at(when)
        return None if index < 0 else self.snapshot(index)

    def snapshot(self, index: int) -> S:
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        state = self._state_at(index)
        snapshot = self._build(state, self.stamps[index])
        self._last = (index, snapshot)
        return snapshot

    def _state_at(self, index: int) -> TrackState:
        base = (index // CHECKPOINT_EVERY) * CHECKPOINT_EVERY
        if self._cursor is not None and base <= self._cursor[0] <= index:
            done, state = self._cursor
        else:
            done, state = base, self.checkpoints[index // CHECKPOINT_EVERY].copy()
        for step in range(done + 1, index + 1):
            state.apply(self.records[step])
        self._cursor = (index, state)
        return state

    def _build(self, state: TrackState, fetched_at: datetime) -> S:
        rows: list[Any] = []
        models: dict[str, tuple[StateRow, int, ActiveCall | PbxUser]] = {}
        if state.dup is not None:
            for data in state.dup:
                model = self._validate(data)
                if model is not None:
                    rows.append(model)
        else:
            for key, row in state.rows.items():
                cached = self._models.get(key)
                fresh = cached is not None and cached[0] is row
                if cached is not None and fresh and (not row.ticks or cached[1] == state.c):
                    model = cached[2]
                else:
                    model = self._validate(row.value(state.c))
                    if model is None:
                        continue
                models[key] = (row, state.c, model)
                rows.append(model)
            self._models = models
        snapshot: CallsSnapshot | UsersSnapshot
        if self.kind == "calls":
            # a row is recorded as the poll held it: its durations are those it was
            # first read with (see rtdash.api.row_types.ticked), and the recording
            # keeps no upstream "now" but the poll's own time, which stands for it
            snapshot = CallsSnapshot.build(
                rows, fetched_at, state.unreadable, server_now=fetched_at
            )
        else:
            snapshot = UsersSnapshot.build(rows, fetched_at, state.unreadable)
        return snapshot  # type: ignore[return-value]  # S is fixed by kind, which mypy cannot see

    def _validate(self, data: Row) -> ActiveCall | PbxUser | None:
        try:
            return limits.checked_row(self.model.model_validate(limits.row_data(data)))
        except ValueError:  # RowUnreadable, or a row beyond the limits
            self.bad_rows += 1
            return None


@dataclass
class Recording:
    """A recording read into memory. Build it with :meth:`load`."""

    path: Path
    header: RecordingHeader
    calls: _Track[CallsSnapshot]
    users: _Track[UsersSnapshot]
    #: one header per run appended to the file (the first is ``header``)
    sessions: list[RecordingHeader] = field(default_factory=list)
    #: lines or records that could not be used (a cut-off tail, damage), skipped
    skipped: int = 0
    #: today's service level totals as recorded now and then, oldest first
    service: list[ServiceMark] = field(default_factory=list)
    #: the file ended inside a member (the app was killed) or was damaged
    truncated: bool = False
    #: the last poll of a run that ended with polls that changed nothing
    end_mark: datetime | None = None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Recording:
        """Read a whole recording; raises :class:`RecordingError` (one line) when the
        file cannot be read or is not a recording this version reads."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RecordingError(
                f"cannot read {path}: {exc.strerror or type(exc).__name__}"
            ) from None
        if not data:
            raise RecordingError(f"not an rtdash recording: {path} is empty")
        if not data.startswith(GZIP_MAGIC):
            raise RecordingError(f"not an rtdash recording: {path} is not gzip-compressed")
        limits.check_inflated_size(data)
        inflated = inflate(data)
        if not inflated.lines:
            raise RecordingError(f"not an rtdash recording: {path} has no readable header")
        header = parse_header(inflated.lines[0])
        if header is None:
            raise RecordingError(
                f"not an rtdash recording: {path} does not start with an rtdash header"
            )
        if header.version != FORMAT_VERSION:
            raise RecordingError(
                f"not an rtdash recording this version reads: {path} is format "
                f"{header.version}, this rtdash reads {FORMAT_VERSION}"
            )
        recording = cls(
            path=path,
            header=header,
            calls=_Track("calls"),
            users=_Track("users"),
            sessions=[header],
            skipped=inflated.dropped,
            truncated=inflated.damaged or inflated.dropped > 0,
        )
        recording._read(inflated.lines[1:])
        return recording

    def _read(self, lines: Sequence[bytes]) -> None:
        tracks: dict[str, _Track[Any]] = {"calls": self.calls, "users": self.users}
        for line in lines:
            try:
                data = limits.read_json(line)
            except ValueError:
                self.skipped += 1
                for track in tracks.values():  # which kind it was is unknown
                    track.broken = True
                continue
            if is_header(data):
                header = parse_header(data)
                if header is not None:
                    self.sessions.append(header)
                for track in tracks.values():  # a new run starts with keyframes
                    track.broken = True
                continue
            try:
                record = decode(data)
            except RecordingFormatError:
                self.skipped += 1
                kind = data.get("kind") if isinstance(data, dict) else None
                if kind in ROW_KEYS:  # a record of this kind is lost: its deltas wait
                    tracks[kind].broken = True
                continue
            if isinstance(record, EndMark):
                self.end_mark = max(self.end_mark or record.t, record.t)
                continue
            if isinstance(record, ServiceMark):
                self.service.append(record)
                continue
            tracks[record.kind].add(record)
        for track in tracks.values():
            track.finish()
            self.skipped += track.skipped

    # --- the timeline ------------------------------------------------------------------

    @property
    def start(self) -> datetime:
        firsts = [track.times[0] for track in (self.calls, self.users) if track.times]
        if firsts:
            return min(firsts)
        return self.header.started or datetime.fromtimestamp(0, UTC)

    @property
    def end(self) -> datetime:
        lasts = [track.times[-1] for track in (self.calls, self.users) if track.times]
        if self.end_mark is not None and lasts:
            lasts.append(self.end_mark)
        return max(lasts) if lasts else self.start

    @property
    def zone(self) -> ZoneInfo:
        return self.header.zone

    @property
    def bad_rows(self) -> int:
        return self.calls.bad_rows + self.users.bad_rows

    def __len__(self) -> int:
        """Records on the timeline (both kinds)."""
        return len(self.calls.times) + len(self.users.times)

    def calls_at(self, when: datetime) -> CallsSnapshot | None:
        return self.calls.snapshot_at(when)

    def state_at(self, when: datetime) -> tuple[CallsSnapshot | None, UsersSnapshot | None]:
        """The snapshots in force at ``when``: the last of each kind recorded at or
        before it (None before the first)."""
        return self.calls.snapshot_at(when), self.users.snapshot_at(when)

    def times(self) -> list[datetime]:
        """Every record time of both kinds, sorted (what a player steps through)."""
        return sorted({*self.calls.times, *self.users.times})

    def last_record_at(self, when: datetime) -> datetime | None:
        """``fetched_at`` of the newest record of either kind at or before ``when``."""
        stamps = []
        for track in (self.calls, self.users):
            index = track.index_at(when)
            if index >= 0:
                stamps.append(track.stamps[index])
        return max(stamps) if stamps else None

    def poll_interval(self) -> float:
        """The usual gap between recorded calls snapshots (2 s if it cannot be told)."""
        times = self.calls.times or self.users.times
        gaps = [
            (later - earlier).total_seconds() for earlier, later in itertools.pairwise(times[:201])
        ]
        gaps = [gap for gap in gaps if gap > 0]
        return max(1.0, statistics.median(gaps)) if gaps else 2.0
