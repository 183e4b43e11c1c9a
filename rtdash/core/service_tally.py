"""The counters of one period (a minute, or a day): for the installation, each queue
and each agent, built from outcome events and saved as plain data.

A correction takes an outcome back (:meth:`Tally.remove`), and a screen that follows
another process's counts becomes its state where it changed (:meth:`Period.follow`):
the counters are kept so that both cost one event, not the day. The definitions of
what is counted are :mod:`rtdash.core.service_metrics`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, cast

from rtdash.core.outcomes import Abandoned, Answered, Event, Offered, Talked, Unknown
from rtdash.core.service_report import ServiceStats

#: a tally's fields, as saved (named here, not read from ``__slots__``: compiled, as
#: ``bench.compiled_service`` compiles this module, a class has no ``__slots__``)
TALLY_FIELDS = (
    "abandoned",
    "answered",
    "answered_unknown",
    "longest_answer",
    "longest_talk",
    "longest_wait",
    "offered",
    "short_abandoned",
    "talk_sum",
    "talked",
    "unknown",
    "wait_sum",
    "waits",
)


class Tally:
    """The counters of one queue (or the installation) over one period."""

    __slots__ = TALLY_FIELDS

    def __init__(self) -> None:
        self.offered = self.answered = self.answered_unknown = 0
        self.abandoned = self.short_abandoned = self.unknown = 0
        self.wait_sum = self.longest_answer = self.longest_wait = 0.0
        #: answered calls that ended with a known end, and their talk (a state saved
        #: before talk was counted has none: its calls count as not talked)
        self.talked = 0
        self.talk_sum = self.longest_talk = 0.0
        #: answered calls by whole seconds of wait (rounded up): any threshold, later
        self.waits: Counter[int] = Counter()

    def add(self, event: Event, short_abandon: float) -> None:
        counter(type(event))(self, event, short_abandon)

    def remove(self, event: Event, short_abandon: float) -> None:
        """Take back an outcome counted by :meth:`add` (a corrected one). The longest
        waits stay: a maximum cannot be taken back, and a correction only ever turns
        an abandon into an answer, whose wait the abandon's held time bounds."""
        if isinstance(event, Answered):
            self.answered -= 1
            if event.wait is None:
                self.answered_unknown -= 1
            else:
                self.wait_sum -= event.wait
                self.waits[_whole(event.wait)] -= 1
        elif isinstance(event, Abandoned):
            self.abandoned -= 1
            if event.held < short_abandon:
                self.short_abandoned -= 1
        elif isinstance(event, Unknown):
            self.unknown -= 1
        elif isinstance(event, Talked):
            self.talked -= 1
            self.talk_sum -= event.talk

    def merge(self, other: Tally) -> None:
        self.offered += other.offered
        self.answered += other.answered
        self.answered_unknown += other.answered_unknown
        self.abandoned += other.abandoned
        self.short_abandoned += other.short_abandoned
        self.unknown += other.unknown
        self.wait_sum += other.wait_sum
        self.talked += other.talked
        self.talk_sum += other.talk_sum
        self.longest_talk = max(self.longest_talk, other.longest_talk)
        self.longest_answer = max(self.longest_answer, other.longest_answer)
        self.longest_wait = max(self.longest_wait, other.longest_wait)
        self.waits.update(other.waits)

    def within(self, seconds: float) -> int:
        return sum(n for wait, n in self.waits.items() if wait <= seconds)

    def stats(self, name: str, sl_seconds: float) -> ServiceStats:
        known = self.answered - self.answered_unknown
        counted = known + self.abandoned - self.short_abandoned
        within = self.within(sl_seconds)
        return ServiceStats(
            name=name,
            offered=self.offered,
            answered=self.answered,
            abandoned=self.abandoned,
            short_abandoned=self.short_abandoned,
            unknown=self.unknown,
            answered_unknown_wait=self.answered_unknown,
            answered_within_sl=within,
            sl_percent=100.0 * within / counted if counted else None,
            abandon_percent=(
                100.0 * (self.abandoned - self.short_abandoned) / counted if counted else None
            ),
            asa=self.wait_sum / known if known else None,
            longest_answer=self.longest_answer if known else None,
            longest_wait=self.longest_wait if known or self.abandoned else None,
            talked=self.talked,
            avg_talk=self.talk_sum / self.talked if self.talked else None,
            longest_talk=self.longest_talk if self.talked else None,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in TALLY_FIELDS}
        out["waits"] = {str(k): v for k, v in sorted(self.waits.items())}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tally:
        tally = cls()
        for name in TALLY_FIELDS:
            if name == "waits":
                tally.waits = Counter({int(k): int(v) for k, v in data.get("waits", {}).items()})
            elif name in data:
                setattr(tally, name, type(getattr(tally, name))(data[name]))
        return tally


def _whole(seconds: float) -> int:
    """Whole seconds, rounded up: a wait of 20.4 s is not "within 20 s"."""
    whole = int(seconds)
    return whole if whole == seconds else whole + 1


#: how one event is counted into a tally (``short_abandon`` the threshold)
Count = Callable[[Tally, Any, float], None]


def _offered(tally: Tally, event: Offered, short_abandon: float) -> None:
    tally.offered += 1


def _answered(tally: Tally, event: Answered, short_abandon: float) -> None:
    tally.answered += 1
    wait = event.wait
    if wait is None:
        tally.answered_unknown += 1
        return
    tally.wait_sum += wait
    # max() kept by comparison: the longest stays itself when the wait is no longer
    if wait > tally.longest_answer:
        tally.longest_answer = wait
    if wait > tally.longest_wait:
        tally.longest_wait = wait
    # as ``waits[_whole(wait)] += 1``, without Counter's __missing__ (a call into
    # Python) for a wait not counted yet, which most of a minute's are
    waits = tally.waits
    whole = int(wait)
    key = whole if whole == wait else whole + 1  # _whole's, inline
    waits[key] = waits.get(key, 0) + 1


def _abandoned(tally: Tally, event: Abandoned, short_abandon: float) -> None:
    tally.abandoned += 1
    held = event.held
    if held > tally.longest_wait:
        tally.longest_wait = held
    if held < short_abandon:
        tally.short_abandoned += 1


def _unknown(tally: Tally, event: Unknown, short_abandon: float) -> None:
    tally.unknown += 1


def _talked(tally: Tally, event: Talked, short_abandon: float) -> None:
    tally.talked += 1
    talk = event.talk
    tally.talk_sum += talk
    if talk > tally.longest_talk:
        tally.longest_talk = talk


def _ignored(tally: Tally, event: object, short_abandon: float) -> None:
    """Anything else is no outcome: nothing is counted."""


#: the outcomes, in the order an event is asked which it is
_OUTCOMES: tuple[tuple[type, Count], ...] = (
    (Offered, _offered),
    (Answered, _answered),
    (Abandoned, _abandoned),
    (Unknown, _unknown),
    (Talked, _talked),
)
#: the counter of each kind of event, found once per kind (a poll of a big centre
#: counts hundreds of events into four tallies each: asking what each event is, in
#: every tally, was most of their cost)
_COUNTERS: dict[type, Count] = dict(_OUTCOMES)


def counter(kind: type) -> Count:
    """How an event of ``kind`` is counted: as the first of the outcomes it is an
    instance of (a subclass counts as its outcome), else not at all."""
    count = _COUNTERS.get(kind)
    if count is None:
        count = next(
            (found for base, found in _OUTCOMES if issubclass(kind, base)),
            _ignored,
        )
        _COUNTERS[kind] = count
    return count


class Period:
    """The counters of one minute (or one day): the installation, queues, agents."""

    __slots__ = ("agents", "queues", "total")

    def __init__(self) -> None:
        self.total = Tally()
        self.queues: dict[str, Tally] = {}
        self.agents: Counter[str] = Counter()

    def add(self, event: Event, short_abandon: float, count: Count | None = None) -> None:
        """Count ``event``; ``count``: its :func:`counter`, when the caller has it."""
        if count is None:
            count = counter(type(event))
        count(self.total, event, short_abandon)
        tally = self.queues.get(event.queue)
        if tally is None:
            tally = self.queues[event.queue] = Tally()
        count(tally, event, short_abandon)
        if count is _answered:
            agent = cast(Answered, event).agent
            if agent:  # as ``agents[agent] += 1`` (see _answered)
                agents = self.agents
                agents[agent] = agents.get(agent, 0) + 1

    def offer(self, queue: str) -> None:
        """:meth:`add` of an :class:`Offered` call in ``queue``, without the event."""
        self.total.offered += 1
        tally = self.queues.get(queue)
        if tally is None:
            tally = self.queues[queue] = Tally()
        tally.offered += 1

    def remove(self, event: Event, short_abandon: float) -> None:
        self.total.remove(event, short_abandon)
        tally = self.queues.get(event.queue)
        if tally is not None:
            tally.remove(event, short_abandon)
        if isinstance(event, Answered) and event.agent and self.agents[event.agent] > 0:
            self.agents[event.agent] -= 1

    def merge(self, other: Period) -> None:
        self.total.merge(other.total)
        for name, tally in other.queues.items():
            mine = self.queues.get(name)
            if mine is None:
                mine = self.queues[name] = Tally()
            mine.merge(tally)
        self.agents.update(other.agents)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total.to_dict(),
            "queues": {name: t.to_dict() for name, t in self.queues.items()},
            "agents": dict(self.agents),
        }

    def follow(self, data: dict[str, Any], held: dict[str, Any]) -> None:
        """Become ``data`` where it differs from ``held`` (this period's own state):
        an event changes the total and one queue, so the other tallies stay."""
        if data.get("total", {}) != held.get("total", {}):
            self.total = Tally.from_dict(data.get("total", {}))
        queues, was = data.get("queues", {}), held.get("queues", {})
        if queues != was:
            mine = self.queues
            self.queues = {
                str(k): mine[str(k)] if v == was.get(k) and str(k) in mine else Tally.from_dict(v)
                for k, v in queues.items()
            }
        if data.get("agents", {}) != held.get("agents", {}):
            self.agents = Counter({str(k): int(v) for k, v in data.get("agents", {}).items()})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Period:
        period = cls()
        period.total = Tally.from_dict(data.get("total", {}))
        period.queues = {str(k): Tally.from_dict(v) for k, v in data.get("queues", {}).items()}
        period.agents = Counter({str(k): int(v) for k, v in data.get("agents", {}).items()})
        return period
