"""The day's state as JSON kept part by part, so a save costs what changed since the last.

A big centre's day is tens of thousands of live calls and agents. Saving it whole every
few seconds built and encoded a list for every call and agent on the event loop (and
left the garbage collector more to walk), a stall that came with every save and grew
with the centre. Here each call's and each agent clock's JSON is kept from save to save
and only those that changed are encoded again: the outcome tracker and the clocks note
which (:meth:`~rtdash.core.outcomes.OutcomeTracker.take_changes`,
:meth:`~rtdash.core.agent_time.AgentTime.take_changes`), and their saved forms are made
to stay the same while nothing happens to them (a call in the last poll is written
without that poll's stamps, a clock as it runs: :func:`~rtdash.core.tracked_call.
kept_lists`, :meth:`~rtdash.core.agent_time.AgentTime.kept`). A call's JSON is held by
the call itself (``TrackedCall.part``), in bytes of its own size: a dict of them by
callRef would be one more index of every call of the day.

The file is still written whole, to a temporary file that then replaces the old one
(:mod:`rtdash.core.daystate`), so it is valid and restorable at every moment and read as
one JSON document, as before. Joining the kept parts is a copy of bytes, left to the
thread that writes. Appending the changes to a log and compacting it now and then would
write less, but the file would be a log to replay, a torn last entry to detect, and a
compaction that costs the whole day again; the whole day's bytes are cheap to copy, it
was making them that was dear.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import msgspec

from rtdash.core.tracked_call import TrackedCall, each_kept

if TYPE_CHECKING:
    from rtdash.core.agent_time import AgentTime
    from rtdash.core.history import History
    from rtdash.core.outcomes import OutcomeTracker
    from rtdash.core.service import ServiceLevel
    from rtdash.core.service_metrics import ServiceMetrics

#: JSON as ``json.dumps(value, separators=(",", ":"))`` writes it, in C
_encode = msgspec.json.Encoder().encode
_part = attrgetter("part")
_key = attrgetter("key")
#: a clock's key and :meth:`~rtdash.core.agent_time.AgentTime.kept` fields, read at once
_clock = attrgetter("key", "name", "activity", "since", "call", "available", "away", "left_call")
_view: Callable[[bytes], memoryview] = memoryview
#: parts joined at a time when written
_SLICE = 4096


@dataclass(frozen=True, slots=True)
class Built:
    """Parts encoded off the loop (:meth:`DayParts.begin`), and the marks they follow."""

    marks: tuple[set[str] | None, set[str] | None]
    #: the calls read and each one's part, in turn
    calls: tuple[list[TrackedCall], list[bytes]] | None
    clocks: dict[str, bytes] | None


@dataclass(frozen=True, slots=True)
class SavedDay:
    """One save's bytes: pieces, and lists of kept parts to join with commas (taken on
    the loop: references, cheap); :meth:`chunks` joins them (on the writing thread)."""

    pieces: tuple[bytes | list[bytes], ...]

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes a slice of parts at a time: never the whole day joined into
        one more copy of it."""
        for piece in self.pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            for start in range(0, len(piece), _SLICE):
                if start:
                    yield b","
                yield b",".join(piece[start : start + _SLICE])

    def encode(self) -> bytes:
        return b"".join(self.chunks())


class DayParts:
    """One service level's saved state, kept as each call's and each clock's JSON."""

    def __init__(self) -> None:
        # each call's saved list is the call's own (TrackedCall.part), taken in the
        # tracker's order of its calls
        #: agent key -> ``"key":[...]``, in the order of the clocks
        self.clocks: dict[str, bytes] = {}
        #: minute -> ``"minute":{...}``, the per-minute counters, in their order
        self.minutes: dict[int, bytes] = {}
        #: the sets of changes the tracker, the clocks and the counters noted into after
        #: the last take: another set there means the changes went elsewhere (a
        #: restore, another saver), and every part is taken again
        self._calls_mark: set[str] | None = None
        self._clocks_mark: set[str] | None = None
        self._minutes_mark: set[int] | None = None
        #: the marks of what :meth:`begin` read and :meth:`install` has not put in yet
        self._pending: tuple[set[str] | None, set[str] | None] | None = None

    def stale(self, service: ServiceLevel) -> bool:
        """Whether the next :meth:`take` would encode every call or every clock (the
        first one, or after a restore, a new day, a restart's resume)."""
        calls, clocks = service.tracker.changes, service.agents.changes
        return (
            calls is None
            or clocks is None
            or calls is not self._calls_mark
            or clocks is not self._clocks_mark
        )

    def begin(self, service: ServiceLevel) -> Callable[[], Built]:
        """For the calls and clocks :meth:`stale` says must all be encoded: note changes
        from now and list them (the objects, not their fields); the function returned
        encodes them on another thread, and :meth:`install` puts that in. Each call's
        and clock's fields are read there in one call in C (no other thread runs
        during it), and one the loop changes meanwhile is among the changes noted
        from now, which the next :meth:`take` encodes again before anything is
        written. So a big centre's first save encodes the day off the event loop, and
        holds no copy of every call's fields while it does."""
        tracker, agents = service.tracker, service.agents
        calls: list[TrackedCall] | None = None
        clocks: list[Any] | None = None
        if tracker.changes is None or tracker.changes is not self._calls_mark:
            tracker.take_changes()
            self._calls_mark = tracker.changes
            calls = list(tracker.calls.values())
        if agents.changes is None or agents.changes is not self._clocks_mark:
            agents.take_changes()
            self._clocks_mark = agents.changes
            clocks = list(agents.clocks.values())
        marks = self._pending = (self._calls_mark, self._clocks_mark)

        def encode() -> Built:
            made = timed = None
            if calls is not None:
                made = calls, list(_parts_of(each_kept(calls)))
            if clocks is not None:
                timed = dict(zip(map(_key, clocks), _clocks_of(map(_clock, clocks)), strict=True))
            return Built(marks, made, timed)

        return encode

    def install(self, service: ServiceLevel, built: Built) -> bool:
        """Put in what :meth:`begin`'s function encoded; False (nothing put in) when the
        calls or clocks were restored or taken meanwhile: the next take does it all."""
        calls, clocks = built.marks
        if self._pending is not built.marks or self.stale(service):
            return False
        self._pending = None
        assert calls is self._calls_mark and clocks is self._clocks_mark
        if built.calls is not None:
            # calls changed since they were read are in the tracker's changes, and are
            # encoded again by the next take; calls gone since take their part away
            deque(map(setattr, built.calls[0], repeat("part"), built.calls[1]), maxlen=0)
        if built.clocks is not None:
            self.clocks = built.clocks
        return True

    def take(self, service: ServiceLevel, trend: History | None = None) -> SavedDay:
        """The state to save now (:meth:`~ServiceLevel.to_dict`'s day, in the day
        file's form), encoding only what changed since the last take; with ``trend``,
        the feed's buckets beside it (an hour of them is small: encoded whole)."""
        from rtdash.core.service import STATE_VERSION

        if self._pending is not None:
            # what begin read is not in yet: take it all now, and it will not be put in
            self._pending = self._calls_mark = self._clocks_mark = None
        metrics = service.metrics
        tracker = service.tracker
        calls = self._take_calls(tracker)
        self._take_clocks(service.agents)
        self._take_minutes(metrics)
        head = {
            "version": STATE_VERSION,
            "zone": service.zone.key,
            "sl_seconds": metrics.sl_seconds,
            "short_abandon": metrics.short_abandon,
            "saved_at": metrics.now or 0.0,
        }
        if trend is not None:
            head["trend"] = trend.kept()
        counts = {
            "day_start": metrics.day_start,
            "now": metrics.now,
            "day": metrics.day.to_dict(),
            "gaps": [list(gap) for gap in metrics.gaps],
        }
        return SavedDay(
            (
                _encode(head)[:-1] + b',"tracker":{"calls":[',
                calls,
                b"],"
                + _encode(tracker.saved_head())[1:]
                + b',"metrics":'
                + _encode(counts)[:-1]
                + b',"minutes":{',
                list(self.minutes.values()),
                b'}},"agents":{',
                list(self.clocks.values()),
                b"}}",
            )
        )

    def _take_calls(self, tracker: OutcomeTracker) -> list[bytes]:
        """Every call's part in the tracker's order, those that changed encoded again
        (every one when the changes went elsewhere)."""
        whole = tracker.changes is not self._calls_mark
        taken = tracker.take_changes()
        self._calls_mark = tracker.changes
        calls = tracker.calls
        if taken is None or whole:
            _encode_parts(calls.values())
        else:
            changes, created = taken
            _encode_parts([calls[ref] for ref in created if ref in calls])
            _encode_parts([calls[ref] for ref in changes if ref in calls and ref not in created])
        parts = list(map(_part, calls.values()))
        if not all(parts):  # a call no save encoded (never so, unless a bug): all again
            _encode_parts(calls.values())
            parts = list(map(_part, calls.values()))
        return parts

    def _take_clocks(self, agents: AgentTime) -> None:
        whole = agents.changes is not self._clocks_mark
        taken = agents.take_changes()
        self._clocks_mark = agents.changes
        if taken is None or whole:
            self.clocks = {key: _clock_part(agents, key) for key in agents.clocks}
            return
        changes, created = taken
        parts = self.clocks
        for key in created:  # clocks are never dropped one by one: new ones go last
            parts[key] = _clock_part(agents, key)
        for key in changes:
            parts[key] = _clock_part(agents, key)

    def _take_minutes(self, metrics: ServiceMetrics) -> None:
        whole = metrics.changes is not self._minutes_mark
        taken = metrics.take_changes()
        self._minutes_mark = metrics.changes
        held = {} if taken is None or whole else self.minutes
        changed = taken or set()
        self.minutes = {
            minute: held[minute]
            if minute in held and minute not in changed
            else _encode({str(minute): period.to_dict()})[1:-1]
            for minute, period in metrics.minutes.items()
        }


def _encode_parts(calls: Collection[TrackedCall]) -> None:
    """Each call's part (its kept list encoded), made one call at a time."""
    deque(map(setattr, calls, repeat("part"), _parts_of(each_kept(calls))), maxlen=0)


def _parts_of(lists: Iterable[list[Any]]) -> Iterator[bytes]:
    """Each list encoded, in bytes of its own size: the encoder's bytes keep the spare
    room of its buffer, a fifth more again for a part held all day (a copy costs
    less than the room it frees)."""
    return map(bytes, map(_view, map(_encode, lists)))


def _clock_part(agents: AgentTime, key: str) -> bytes:
    return _encode({key: agents.kept(key)})[1:-1]


def _clocks_of(rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """:func:`_clock_part` of each clock whose :data:`_clock` fields are ``rows``."""
    for key, name, activity, since, c, a, w, left in rows:
        totals = {"call": c, "available": a, "away": w}
        yield _encode({key: [name, activity, since, totals, left]})[1:-1]
