"""Replay: a player over a recording read back as a timeline of snapshots.

The timeline itself is :class:`~rtdash.core.recording.Recording` (re-exported here for
the code that imports it from this module).

:class:`Player` is a clock-independent position over the recording, moved by
``advance(real_seconds)`` from a UI timer; :class:`PlayerClock` is a clock whose ``now()``
is that position, so times in state read as they did when recorded.
"""

from __future__ import annotations

import bisect
import math
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rtdash.constants import MAX_SPEED, MIN_SPEED, SPEEDS
from rtdash.core.format import clock_time
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.recording import CHECKPOINT_EVERY, Recording, RecordingError, RecordingHeader
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

__all__ = [
    "CHECKPOINT_EVERY",
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
        """Jump to the next (or, negative, previous) second with a recorded change of
        either kind, to its last record: the two routes of one poll are recorded
        milliseconds apart, and a step from one to the other would show the same time
        and, to the eye, do nothing."""
        times = self.recording.times()
        if not times or records == 0:
            return self._position
        nexts = [*times[1:], None]
        ends = [now for now, after in zip(times, nexts, strict=True) if _second_changes(now, after)]
        seconds = [_second(end) for end in ends]
        shown = _second(self._position)
        if records > 0:
            index = bisect.bisect_right(seconds, shown) - 1 + records
        else:
            index = bisect.bisect_left(seconds, shown) + records
        self._set(ends[min(len(ends) - 1, max(0, index))])
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
    either kind at the position. A poll that changed nothing writes no change, but the
    recorder tells a calls poll made two intervals after its last record (see
    ``Recorder._keep_alive``), so a quiet stretch reads as fresh and only a gap in the
    polling itself reads as stale.
    """
    last = player.recording.last_record_at(player.position)
    health = RouteHealth(last_success=last)
    return PollerStatus(
        phase=Phase.PAUSED if player.paused else Phase.LIVE,
        interval=player.recording.poll_interval(),
        routes={route: health for route in Route},
        made_at=made_at,
    )


def _second(when: datetime) -> datetime:
    """The second a time is shown as."""
    return when.replace(microsecond=0)


def _second_changes(now: datetime, after: datetime | None) -> bool:
    return after is None or _second(after) != _second(now)
