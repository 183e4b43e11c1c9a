"""Service metrics from call outcomes: today's, and the last 15 and 60 minutes'.

Definitions (the README says the same):

- **offered**: calls seen, counted when their caller started waiting.
- **answered**: calls seen bridged, counted when answered; **abandoned**: calls that
  vanished never bridged, counted when they vanished. **Short abandons** (held on for
  less than ``short_abandon`` seconds) are counted apart: a caller who hangs up in two
  seconds dialled by mistake, and no staffing would have answered them.
- **service level %** = answered within ``sl_seconds`` / (answered + abandoned − short
  abandons) × 100. A call answered before rtdash first saw it, with no times in its row,
  has no known wait: it counts as answered but is left out of the service level and
  the speed of answer, which it can neither raise nor lower honestly.
- **abandon %** = (abandoned − short abandons) / (answered + abandoned − short abandons).
- **speed of answer**: the wait of answered calls (from the call's start to its
  answer); average and longest. **Longest wait** is the longest any caller waited,
  answered or not.
- **unknown**: calls that vanished unanswered while nobody watched (a gap in the
  polls): they might have been answered unseen, so they count in neither outcome.

Today is since midnight in the installation's time zone; the day's counters reset at
midnight. The rolling windows are kept as one set of counters per minute, so they move
a minute at a time.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.core.outcomes import Abandoned, Answered, Event, Offered, Unknown
from rtdash.core.service_report import AgentStats, ServiceReport, ServiceStats, fmt_gap

__all__ = [
    "AgentStats",
    "ServiceMetrics",
    "ServiceReport",
    "ServiceStats",
    "Tally",
    "fmt_gap",
]

WINDOWS: dict[str, int | None] = {"today": None, "15m": 15 * 60, "60m": 60 * 60}
DEFAULT_SL_SECONDS = 20
DEFAULT_SHORT_ABANDON = 5.0


class Tally:
    """The counters of one queue (or the installation) over one period."""

    __slots__ = (
        "abandoned",
        "answered",
        "answered_unknown",
        "longest_answer",
        "longest_wait",
        "offered",
        "short_abandoned",
        "unknown",
        "wait_sum",
        "waits",
    )

    def __init__(self) -> None:
        self.offered = self.answered = self.answered_unknown = 0
        self.abandoned = self.short_abandoned = self.unknown = 0
        self.wait_sum = self.longest_answer = self.longest_wait = 0.0
        #: answered calls by whole seconds of wait (rounded up): any threshold, later
        self.waits: Counter[int] = Counter()

    def add(self, event: Event, short_abandon: float) -> None:
        if isinstance(event, Offered):
            self.offered += 1
        elif isinstance(event, Answered):
            self.answered += 1
            wait = event.wait
            if wait is None:
                self.answered_unknown += 1
                return
            self.wait_sum += wait
            self.longest_answer = max(self.longest_answer, wait)
            self.longest_wait = max(self.longest_wait, wait)
            self.waits[_whole(wait)] += 1
        elif isinstance(event, Abandoned):
            self.abandoned += 1
            self.longest_wait = max(self.longest_wait, event.held)
            if event.held < short_abandon:
                self.short_abandoned += 1
        elif isinstance(event, Unknown):
            self.unknown += 1

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

    def merge(self, other: Tally) -> None:
        self.offered += other.offered
        self.answered += other.answered
        self.answered_unknown += other.answered_unknown
        self.abandoned += other.abandoned
        self.short_abandoned += other.short_abandoned
        self.unknown += other.unknown
        self.wait_sum += other.wait_sum
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
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in self.__slots__}
        out["waits"] = {str(k): v for k, v in sorted(self.waits.items())}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tally:
        tally = cls()
        for name in cls.__slots__:
            if name == "waits":
                tally.waits = Counter({int(k): int(v) for k, v in data.get("waits", {}).items()})
            elif name in data:
                setattr(tally, name, type(getattr(tally, name))(data[name]))
        return tally


def _whole(seconds: float) -> int:
    """Whole seconds, rounded up: a wait of 20.4 s is not "within 20 s"."""
    whole = int(seconds)
    return whole if whole == seconds else whole + 1


class _Period:
    """The counters of one minute (or one day): the installation, queues, agents."""

    __slots__ = ("agents", "queues", "total")

    def __init__(self) -> None:
        self.total = Tally()
        self.queues: dict[str, Tally] = {}
        self.agents: Counter[str] = Counter()

    def add(self, event: Event, short_abandon: float) -> None:
        self.total.add(event, short_abandon)
        tally = self.queues.get(event.queue)
        if tally is None:
            tally = self.queues[event.queue] = Tally()
        tally.add(event, short_abandon)
        if isinstance(event, Answered) and event.agent:
            self.agents[event.agent] += 1

    def remove(self, event: Event, short_abandon: float) -> None:
        self.total.remove(event, short_abandon)
        tally = self.queues.get(event.queue)
        if tally is not None:
            tally.remove(event, short_abandon)
        if isinstance(event, Answered) and event.agent and self.agents[event.agent] > 0:
            self.agents[event.agent] -= 1

    def merge(self, other: _Period) -> None:
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
    def from_dict(cls, data: dict[str, Any]) -> _Period:
        period = cls()
        period.total = Tally.from_dict(data.get("total", {}))
        period.queues = {str(k): Tally.from_dict(v) for k, v in data.get("queues", {}).items()}
        period.agents = Counter({str(k): int(v) for k, v in data.get("agents", {}).items()})
        return period


class ServiceMetrics:
    """Counts outcome events into today's and per-minute counters; reports any window."""

    def __init__(
        self,
        zone: ZoneInfo,
        *,
        sl_seconds: float = DEFAULT_SL_SECONDS,
        short_abandon: float = DEFAULT_SHORT_ABANDON,
    ) -> None:
        self.zone = zone
        self.sl_seconds = sl_seconds
        self.short_abandon = short_abandon
        self.day_start: float | None = None
        self.day = _Period()
        self.minutes: dict[int, _Period] = {}
        self.gaps: list[tuple[float, float]] = []
        #: the latest time seen (upstream clock), for windows and the day
        self.now: float | None = None

    # --- counting ------------------------------------------------------------------------

    def midnight(self, t: float) -> float:
        local = datetime.fromtimestamp(t, self.zone)
        start = datetime(local.year, local.month, local.day, tzinfo=self.zone)
        return start.timestamp()

    def advance(self, now: float) -> bool:
        """Move the clock on; True when a new day began (the day's counters reset)."""
        if self.now is not None and now < self.now:
            return False
        self.now = now
        if self.day_start is None:
            self.day_start = self.midnight(now)
            return False
        # the next midnight: a day is 23 or 25 hours long when the clocks change, so
        # look 26 hours on from this one and step back to that day's midnight
        if now >= self.midnight(self.day_start + 26 * 3600):
            self.day_start = self.midnight(now)
            self.day = _Period()
            self.gaps = [g for g in self.gaps if g[1] >= self.day_start]
            return True
        horizon = int(now // 60) - 61
        if self.minutes and min(self.minutes) < horizon:
            for minute in [m for m in self.minutes if m < horizon]:
                del self.minutes[minute]
        return False

    def handle(self, event: Event) -> None:
        if self.day_start is None:
            self.advance(event.at)
        assert self.day_start is not None
        if event.at >= self.day_start:
            self.day.add(event, self.short_abandon)
        minute = int(event.at // 60)
        if self.now is None or minute >= int(self.now // 60) - 61:
            period = self.minutes.get(minute)
            if period is None:
                period = self.minutes[minute] = _Period()
            period.add(event, self.short_abandon)

    def unhandle(self, event: Event) -> None:
        """Take back an event :meth:`handle` counted."""
        if self.day_start is not None and event.at >= self.day_start:
            self.day.remove(event, self.short_abandon)
        period = self.minutes.get(int(event.at // 60))
        if period is not None:
            period.remove(event, self.short_abandon)

    def add_gap(self, start: float, end: float) -> None:
        if self.day_start is not None and end >= self.day_start:
            self.gaps.append((max(start, self.day_start), end))

    # --- reading -------------------------------------------------------------------------

    def period(self, window: str) -> tuple[_Period, float]:
        """The counters of ``window`` ("today", "15m", "60m") and when it began."""
        if window not in WINDOWS:
            raise ValueError(f"unknown window {window!r}; expected one of {list(WINDOWS)}")
        now = self.now or 0.0
        seconds = WINDOWS[window]
        if seconds is None:
            return self.day, self.day_start or now
        first = int(now // 60) - seconds // 60 + 1
        merged = _Period()
        for minute, period in self.minutes.items():
            if minute >= first:
                merged.merge(period)
        return merged, first * 60.0

    def total(self, window: str = "today") -> ServiceStats:
        """:meth:`report`'s ``total`` alone: the tiles read it on every poll, and a
        report lists every queue and agent of the day."""
        period, _ = self.period(window)
        return period.total.stats("", self.sl_seconds)

    def report(
        self, window: str = "today", agents: tuple[AgentStats, ...] | None = None
    ) -> ServiceReport:
        period, since = self.period(window)
        now = self.now or since
        sl = self.sl_seconds
        queues = tuple(period.queues[name].stats(name, sl) for name in sorted(period.queues))
        listed = agents or ()
        if agents is None:
            listed = tuple(
                AgentStats(key=k, name=k, answered=n) for k, n in sorted(period.agents.items())
            )
        else:
            listed = tuple(
                AgentStats(
                    a.key, a.name, period.agents.get(a.key, 0), a.on_call, a.available, a.away
                )
                for a in agents
            )
        when = _dt_factory(self.zone)
        return ServiceReport(
            window=window,
            since=when(since),
            until=when(now),
            sl_seconds=sl,
            short_abandon=self.short_abandon,
            total=period.total.stats("", sl),
            queues=queues,
            agents=listed,
            gaps=tuple((when(a), when(b)) for a, b in self.gaps),
        )

    # --- state ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "day_start": self.day_start,
            "now": self.now,
            "day": self.day.to_dict(),
            "minutes": {str(m): p.to_dict() for m, p in self.minutes.items()},
            "gaps": [list(g) for g in self.gaps],
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.day_start = _float_or_none(data.get("day_start"))
        self.now = _float_or_none(data.get("now"))
        self.day = _Period.from_dict(data.get("day", {}))
        self.minutes = {int(m): _Period.from_dict(p) for m, p in data.get("minutes", {}).items()}
        self.gaps = [(float(a), float(b)) for a, b in data.get("gaps", [])]

    def follow(self, data: dict[str, Any], held: dict[str, Any]) -> None:
        """As :meth:`restore`, for ``data`` that follows ``held`` (the state restored or
        followed last): only what changed is built again, so a screen that shows
        another process's counts pays for the calls that ended, not for the day."""
        self.day_start = _float_or_none(data.get("day_start"))
        self.now = _float_or_none(data.get("now"))
        day = data.get("day", {})
        if day != held.get("day", {}):
            self.day.follow(day, held.get("day", {}))
        minutes = data.get("minutes", {})
        if minutes != held.get("minutes", {}):
            self.minutes = {int(m): _Period.from_dict(p) for m, p in minutes.items()}
        gaps = data.get("gaps", [])
        if gaps != held.get("gaps", []):
            self.gaps = [(float(a), float(b)) for a, b in gaps]


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _dt_factory(zone: ZoneInfo) -> Any:
    def when(t: float) -> datetime:
        return datetime.fromtimestamp(t, zone)

    return when
