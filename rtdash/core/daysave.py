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
kept_lists`, :meth:`~rtdash.core.agent_time.AgentTime.kept`).

The file is still written whole, to a temporary file that then replaces the old one
(:mod:`rtdash.core.daystate`), so it is valid and restorable at every moment and read as
one JSON document, as before. Joining the kept parts is a copy of bytes, left to the
thread that writes. Appending the changes to a log and compacting it now and then would
write less, but the file would be a log to replay, a torn last entry to detect, and a
compaction that costs the whole day again; the whole day's bytes are cheap to copy, it
was making them that was dear.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

import msgspec

from rtdash.core.tracked_call import TrackedCall, kept_lists

if TYPE_CHECKING:
    from rtdash.core.agent_time import AgentTime
    from rtdash.core.outcomes import OutcomeTracker
    from rtdash.core.service import ServiceLevel
    from rtdash.core.service_metrics import ServiceMetrics

#: JSON as ``json.dumps(value, separators=(",", ":"))`` writes it, in C
_encode = msgspec.json.Encoder().encode
_ref = attrgetter("ref")


@dataclass(frozen=True, slots=True)
class SavedDay:
    """One save's bytes: pieces, and lists of kept parts to join with commas (taken on
    the loop: references, cheap); :meth:`chunks` joins them (on the writing thread)."""

    pieces: tuple[bytes | list[bytes], ...]

    def chunks(self) -> Iterator[bytes]:
        for piece in self.pieces:
            yield piece if isinstance(piece, bytes) else b",".join(piece)

    def encode(self) -> bytes:
        return b"".join(self.chunks())


class DayParts:
    """One service level's saved state, kept as each call's and each clock's JSON."""

    def __init__(self) -> None:
        #: callRef -> the call's saved list, in the tracker's order of its calls
        self.calls: dict[str, bytes] = {}
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
        #: calls and clocks still to encode while filling (see :meth:`begin`)
        self._calls_todo: list[TrackedCall] = []
        self._clocks_todo: list[str] = []

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

    def begin(self, service: ServiceLevel) -> None:
        """Start encoding the calls and clocks that :meth:`stale` says must all be, a
        few at a time (:meth:`fill`), changes noted from now: what changes meanwhile
        is encoded again by the next :meth:`take`, so a big centre's first save is
        spread over the polls before it instead of stalling one of them."""
        tracker, agents = service.tracker, service.agents
        if tracker.changes is None or tracker.changes is not self._calls_mark:
            tracker.take_changes()
            self._calls_mark = tracker.changes
            self.calls = {}
            self._calls_todo = list(tracker.calls.values())  # their order is kept
        if agents.changes is None or agents.changes is not self._clocks_mark:
            agents.take_changes()
            self._clocks_mark = agents.changes
            self.clocks = {}
            self._clocks_todo = list(agents.clocks)

    def fill(self, service: ServiceLevel, count: int) -> bool:
        """Encode up to ``count`` more of what :meth:`begin` left to do; True when
        nothing is left (or it must all start again: the next take does it at once)."""
        # the calls or the clocks restored meanwhile (or the clocks resumed, a new day):
        # their parts so far are of no use, the next take encodes them all at once
        changes = service.tracker.changes
        if changes is None or changes is not self._calls_mark:
            self._calls_todo = []
        noted = service.agents.changes
        if noted is None or noted is not self._clocks_mark:
            self._clocks_todo = []
        if self._calls_todo:
            chunk, self._calls_todo = self._calls_todo[:count], self._calls_todo[count:]
            self.calls.update(zip(map(_ref, chunk), _call_parts(chunk), strict=True))
        elif self._clocks_todo:
            keys, self._clocks_todo = self._clocks_todo[:count], self._clocks_todo[count:]
            agents = service.agents
            self.clocks.update((key, _clock_part(agents, key)) for key in keys)
        return not (self._calls_todo or self._clocks_todo)

    def take(self, service: ServiceLevel) -> SavedDay:
        """The state to save now (:meth:`~ServiceLevel.to_dict`'s day, in the day
        file's form), encoding only what changed since the last take."""
        from rtdash.core.service import STATE_VERSION

        while not self.fill(service, len(self._calls_todo) + len(self._clocks_todo)):
            pass  # a fill under way is finished at once
        metrics = service.metrics
        tracker = service.tracker
        self._take_calls(tracker)
        self._take_clocks(service.agents)
        self._take_minutes(metrics)
        head = {
            "version": STATE_VERSION,
            "zone": service.zone.key,
            "sl_seconds": metrics.sl_seconds,
            "short_abandon": metrics.short_abandon,
            "saved_at": metrics.now or 0.0,
        }
        counts = {
            "day_start": metrics.day_start,
            "now": metrics.now,
            "day": metrics.day.to_dict(),
            "gaps": [list(gap) for gap in metrics.gaps],
        }
        return SavedDay(
            (
                _encode(head)[:-1] + b',"tracker":{"calls":[',
                list(self.calls.values()),
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

    def _take_calls(self, tracker: OutcomeTracker) -> None:
        whole = tracker.changes is not self._calls_mark
        taken = tracker.take_changes()
        self._calls_mark = tracker.changes
        calls = tracker.calls
        if taken is None or whole:
            self.calls = dict(zip(calls, _call_parts(calls.values()), strict=True))
            return
        changes, created = taken
        parts = self.calls
        for ref in created:  # a callRef made again goes last, as it does in the tracker
            parts.pop(ref, None)
        made = [calls[ref] for ref in created if ref in calls]
        parts.update(zip(map(_ref, made), _call_parts(made), strict=True))
        for ref in changes:
            if ref not in calls:
                parts.pop(ref, None)
        kept = [calls[ref] for ref in changes if ref in calls and ref not in created]
        parts.update(zip(map(_ref, kept), _call_parts(kept), strict=True))

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


def _call_parts(calls: list[TrackedCall] | object) -> list[bytes]:
    return list(map(_encode, kept_lists(calls)))  # type: ignore[arg-type]


def _clock_part(agents: AgentTime, key: str) -> bytes:
    return _encode({key: agents.kept(key)})[1:-1]
