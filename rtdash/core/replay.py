"""Replay: a recording read back as a timeline of snapshots, and a player over it.

:meth:`Recording.load` reads a file written by :class:`~rtdash.core.recording.Recorder`
(see there for the format) and keeps, per kind, the list of record times and the parsed
records, with a full copy of the state every :data:`CHECKPOINT_EVERY` records. A state
is found by bisecting the times (O(log n)) and rebuilt from the checkpoint before it
(at most ``CHECKPOINT_EVERY`` small records), and playing forward reuses the state it
built last, so a long day stays cheap in memory and a seek stays instant. Rows are read
back into :class:`ActiveCall` / :class:`PbxUser` with ``model_validate``; a row that did
not change is not validated again.

:class:`Player` is a clock-independent position over the recording, moved by
``advance(real_seconds)`` from a UI timer; :class:`PlayerClock` is a clock whose ``now()``
is that position, so times in state read as they did when recorded.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import math
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rtdash.api.models import ActiveCall, PbxUser
from rtdash.api.sanitise import clean
from rtdash.core import limits
from rtdash.core.format import clock_time
from rtdash.core.poller import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.recording import (
    FORMAT_VERSION,
    GZIP_MAGIC,
    HEADER_KEY,
    RecordingError,
    RecordingFormatError,
    TrackState,
    _Row,
    inflate,
    parse_record,
    parse_time,
)
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

__all__ = [
    "MAX_SPEED",
    "MIN_SPEED",
    "SPEEDS",
    "Player",
    "PlayerClock",
    "Recording",
    "RecordingError",
    "RecordingHeader",
    "replay_status",
]

#: a full copy of a track's state is kept every this many records
CHECKPOINT_EVERY = 32
MIN_SPEED = 0.25
MAX_SPEED = 64.0
#: the steps of :meth:`Player.faster` / :meth:`Player.slower`
SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)

S = TypeVar("S", CallsSnapshot, UsersSnapshot)


@dataclass(frozen=True, slots=True)
class RecordingHeader:
    version: int
    installation: str
    igrp: int | None
    tz: str
    started: datetime | None
    exclude_pii: bool = False

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class _Track(Generic[S]):
    """One kind's timeline: record times, parsed records, checkpoints, a play cursor."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.model: type[ActiveCall] | type[PbxUser] = ActiveCall if kind == "calls" else PbxUser
        #: non-decreasing times to bisect (a record stamped earlier than the one before
        #: it, after a clock step back, is placed at the earlier record's time)
        self.times: list[datetime] = []
        #: each record's own ``t``, the snapshot's ``fetched_at``
        self.stamps: list[datetime] = []
        self.ops: list[tuple[Any, ...]] = []
        self.checkpoints: list[TrackState] = []
        self.skipped = 0
        self.bad_rows = 0
        self._state = TrackState(kind)
        #: no keyframe yet in this run (or a record was lost): deltas cannot apply
        self.broken = True
        self._cursor: tuple[int, TrackState] | None = None
        self._models: dict[str, tuple[_Row, int, Any]] = {}
        self._last: tuple[int, S] | None = None

    # --- loading -----------------------------------------------------------------------

    def add(self, when: datetime, op: tuple[Any, ...]) -> None:
        if op[0] != "k" and self.broken:
            self.skipped += 1
            return
        try:
            self._state.apply(op)
        except RecordingFormatError:
            self.skipped += 1
            self.broken = True
            return
        self.broken = False
        index = len(self.ops)
        self.times.append(max(when, self.times[-1]) if self.times else when)
        self.stamps.append(when)
        self.ops.append(op)
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
            state.apply(self.ops[step])
        self._cursor = (index, state)
        return state

    def _build(self, state: TrackState, fetched_at: datetime) -> S:
        rows: list[Any] = []
        models: dict[str, tuple[_Row, int, Any]] = {}
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
        if self.kind == "calls":
            return CallsSnapshot.build(rows, fetched_at, state.unreadable)  # type: ignore[return-value]
        return UsersSnapshot.build(rows, fetched_at, state.unreadable)  # type: ignore[return-value]

    def _validate(self, data: dict[str, Any]) -> Any:
        try:
            return limits.checked_row(self.model.model_validate(limits.row_data(data)))
        except ValueError:  # ValidationError, or a row beyond the limits
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
    #: the file ended inside a member (the app was killed) or was damaged
    truncated: bool = False
    #: the last poll of a run that ended with polls that changed nothing
    end_mark: datetime | None = None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Recording:
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
        header = _header(inflated.lines[0])
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
                record = limits.read_json(line)
            except ValueError:
                self.skipped += 1
                for track in tracks.values():  # which kind it was is unknown
                    track.broken = True
                continue
            if isinstance(record, dict) and HEADER_KEY in record:
                header = _header(line)
                if header is not None:
                    self.sessions.append(header)
                for track in tracks.values():  # a new run starts with keyframes
                    track.broken = True
                continue
            try:
                if not isinstance(record, dict):
                    raise RecordingFormatError("not an object")
                if record.get("kind") == "end":
                    when = parse_time(record.get("t"))
                    self.end_mark = max(self.end_mark or when, when)
                    continue
                kind, when, op = parse_record(record)
            except RecordingFormatError:
                self.skipped += 1
                continue
            tracks[kind].add(when, op)
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

    def users_at(self, when: datetime) -> UsersSnapshot | None:
        return self.users.snapshot_at(when)

    def state_at(self, when: datetime) -> tuple[CallsSnapshot | None, UsersSnapshot | None]:
        """The snapshots in force at ``when``: the last of each kind recorded at or
        before it (None before the first)."""
        return self.calls.snapshot_at(when), self.users.snapshot_at(when)

    def times(self) -> list[datetime]:
        """Every record time of both kinds, sorted (what :meth:`Player.step` walks)."""
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


def _header(line: bytes) -> RecordingHeader | None:
    try:
        data = limits.read_json(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or HEADER_KEY not in data:
        return None
    version = data[HEADER_KEY]
    started = None
    with contextlib.suppress(RecordingFormatError):
        started = parse_time(data.get("started"))
    igrp = data.get("igrp")
    return RecordingHeader(
        version=version if isinstance(version, int) else -1,
        installation=clean(str(data.get("installation") or "")),
        igrp=igrp if isinstance(igrp, int) else None,
        tz=str(data.get("tz") or "UTC"),
        started=started,
        exclude_pii=bool(data.get("exclude_pii", False)),
    )


# --- the player ----------------------------------------------------------------------------


class Player:
    """A position on a recording that moves only when told to.

    The UI calls :meth:`advance` from a timer with the real seconds since the last call;
    the position moves by that times :attr:`speed` unless :attr:`paused`, and stays
    between :attr:`start` and :attr:`end`.
    """

    def __init__(
        self,
        recording: Recording,
        *,
        speed: float = 1.0,
        paused: bool = False,
        position: datetime | None = None,
    ) -> None:
        self.recording = recording
        self.start = recording.start
        self.end = recording.end
        self._speed = _clamp_speed(speed)
        self.paused = paused
        self._position = self.start
        if position is not None:
            self.seek_to(position)

    # --- where and how fast --------------------------------------------------------------

    @property
    def position(self) -> datetime:
        return self._position

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        self._speed = _clamp_speed(value)

    @property
    def duration(self) -> float:
        """Seconds from start to end."""
        return (self.end - self.start).total_seconds()

    @property
    def elapsed(self) -> float:
        return (self._position - self.start).total_seconds()

    @property
    def fraction(self) -> float:
        """0 at the start, 1 at the end (1 for a recording with no length)."""
        return self.elapsed / self.duration if self.duration > 0 else 1.0

    @property
    def at_end(self) -> bool:
        return self._position >= self.end

    def faster(self) -> float:
        """The next speed up in :data:`SPEEDS` (stays at the top)."""
        self._speed = next((s for s in SPEEDS if s > self._speed + 1e-9), SPEEDS[-1])
        return self._speed

    def slower(self) -> float:
        self._speed = next((s for s in reversed(SPEEDS) if s < self._speed - 1e-9), SPEEDS[0])
        return self._speed

    # --- moving ------------------------------------------------------------------------

    def advance(self, real_seconds: float) -> datetime:
        """Move by ``real_seconds`` × speed, unless paused; clamped to the end."""
        if not self.paused and real_seconds > 0 and math.isfinite(real_seconds):
            self._set(self._position + timedelta(seconds=real_seconds * self._speed))
        return self._position

    def seek(self, delta_seconds: float) -> datetime:
        """Move by ``delta_seconds`` of recorded time (negative: back), clamped."""
        if math.isfinite(delta_seconds):
            self._set(self._position + timedelta(seconds=delta_seconds))
        return self._position

    def seek_to(self, when: datetime) -> datetime:
        if when.tzinfo is None:
            raise ValueError("seek_to needs an aware datetime")
        self._set(when)
        return self._position

    def seek_fraction(self, fraction: float) -> datetime:
        """0 is the start, 1 the end; outside 0…1 is clamped."""
        fraction = min(1.0, max(0.0, fraction)) if math.isfinite(fraction) else 0.0
        self._set(self.start + timedelta(seconds=self.duration * fraction))
        return self._position

    def step(self, records: int = 1) -> datetime:
        """Jump to the next (or, negative, previous) recorded change of either kind."""
        times = self.recording.times()
        if not times or records == 0:
            return self._position
        if records > 0:
            index = bisect.bisect_right(times, self._position) - 1 + records
        else:
            index = bisect.bisect_left(times, self._position) + records
        self._set(times[min(len(times) - 1, max(0, index))])
        return self._position

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        """Play on; at the end, play again from the start."""
        if self.at_end:
            self._position = self.start
        self.paused = False

    def toggle_pause(self) -> bool:
        """Pause or resume; returns whether now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    def _set(self, when: datetime) -> None:
        self._position = min(self.end, max(self.start, when))

    # --- what to show --------------------------------------------------------------------

    def state_at(
        self, position: datetime | None = None
    ) -> tuple[CallsSnapshot | None, UsersSnapshot | None]:
        """The snapshots in force at ``position`` (default: the player's position)."""
        return self.recording.state_at(self._position if position is None else position)

    def label(self, zone: ZoneInfo | None = None) -> str:
        """The badge text: ``REPLAY 10:14:03 ×4`` (``⏸`` while paused, ``end`` at the end)."""
        zone = zone or self.recording.zone
        speed = f"{self._speed:g}"
        parts = ["REPLAY", clock_time(self._position, zone), f"×{speed}"]
        if self.at_end:
            parts.append("end")
        elif self.paused:
            parts.append("⏸")
        return " ".join(parts)


def _clamp_speed(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("speed must be a finite number")
    return min(MAX_SPEED, max(MIN_SPEED, float(value)))


class PlayerClock:
    """A :class:`~rtdash.core.clock.Clock` for replay: ``now()`` is the player's position.

    ``monotonic()`` stays real time: it is for intervals and must never jump, and a seek
    jumps.
    """

    def __init__(self, player: Player) -> None:
        self.player = player

    def now(self) -> datetime:
        return self.player.position

    def monotonic(self) -> float:
        return time.monotonic()


def replay_status(player: Player, *, made_at: float = 0.0) -> PollerStatus:
    """A poller status for the status bar during replay.

    Phase is ``paused`` or ``live``; both routes' last success is the newest record of
    either kind at the position. Unchanged polls are not recorded, so this is the time
    of the last change: in a busy centre the calls (whose durations tick) change on
    every poll, so it reads like the live age; in a quiet one it can read stale.
    """
    last = player.recording.last_record_at(player.position)
    health = RouteHealth(last_success=last)
    return PollerStatus(
        phase=Phase.PAUSED if player.paused else Phase.LIVE,
        interval=player.recording.poll_interval(),
        routes={route: health for route in Route},
        made_at=made_at,
    )
