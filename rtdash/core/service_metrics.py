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
- **talk**: of answered calls that ended, the time from the answer (the bridged row's
  state start) to the end (halfway between the last poll that saw the call and the
  next, as for an abandon); average and longest. Talk, not handle time: the wrap-up
  after a call never shows in the feed. A call last seen before a gap in the polls
  has no known end and no talk.
- **unknown**: calls that vanished unanswered while nobody watched (a gap in the
  polls): they might have been answered unseen, so they count in neither outcome.

Today is since midnight in the installation's time zone; the day's counters reset at
midnight. The rolling windows are kept as one set of counters per minute, so they move
a minute at a time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.constants import SERVICE_WINDOWS
from rtdash.core.outcomes import Event, Offered
from rtdash.core.service_report import AgentStats, ServiceReport, ServiceStats
from rtdash.core.service_tally import Period, Tally, counter

__all__ = [
    "AgentStats",
    "ServiceMetrics",
    "ServiceReport",
    "ServiceStats",
    "Tally",
]

WINDOWS = SERVICE_WINDOWS
DEFAULT_SL_SECONDS = 20
DEFAULT_SHORT_ABANDON = 5.0


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
        self.day = Period()
        self.minutes: dict[int, Period] = {}
        self.gaps: list[tuple[float, float]] = []
        #: the latest time seen (upstream clock), for windows and the day
        self.now: float | None = None
        #: for a save that writes what changed (:mod:`rtdash.core.daysave`): the minutes
        #: counted into since the saver last looked (None: every minute, and nothing is
        #: noted until a saver asks again; see :meth:`take_changes`)
        self.changes: set[int] | None = None

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
            self.day = Period()
            self.gaps = [g for g in self.gaps if g[1] >= self.day_start]
            return True
        horizon = int(now // 60) - 61
        if self.minutes and min(self.minutes) < horizon:
            for minute in [m for m in self.minutes if m < horizon]:
                del self.minutes[minute]
        return False

    def handle(self, event: Event) -> None:
        """Count ``event`` into the day and its minute (the minutes of the last hour
        are kept; see :meth:`handle_all`)."""
        self.handle_all([event])

    def handle_all(self, events: list[Event]) -> None:
        """Count each of ``events``, in order, into the day (when it is today's) and its
        minute (when that is within the last hour): a poll's together, without a call
        each, as a big centre's poll brings hundreds. A call offered, most of them, is
        counted here (as :func:`~rtdash.core.service_tally.counter` would count it)."""
        if not events:
            return
        if self.day_start is None:
            self.advance(events[0].at)
        day_start = self.day_start
        assert day_start is not None
        first_minute = None if self.now is None else int(self.now // 60) - 61
        day, minutes, changes, short = self.day, self.minutes, self.changes, self.short_abandon
        #: the last event's minute and its counters: a poll's events share one or two
        last_minute, period = None, day
        for event in events:
            at, kind = event.at, type(event)
            minute = int(at // 60)
            counted = first_minute is None or minute >= first_minute
            if counted and minute != last_minute:
                period = minutes.get(minute) or minutes.setdefault(minute, Period())
                last_minute = minute
            if kind is Offered:
                queue = event.queue
                if at >= day_start:
                    day.offer(queue)
                if counted:
                    period.offer(queue)
            else:
                count = counter(kind)
                if at >= day_start:
                    day.add(event, short, count)
                if counted:
                    period.add(event, short, count)
            if counted and changes is not None:
                changes.add(minute)

    def unhandle(self, event: Event) -> None:
        """Take back an event :meth:`handle` counted."""
        if self.day_start is not None and event.at >= self.day_start:
            self.day.remove(event, self.short_abandon)
        minute = int(event.at // 60)
        period = self.minutes.get(minute)
        if period is not None:
            period.remove(event, self.short_abandon)
            if self.changes is not None:
                self.changes.add(minute)

    def add_gap(self, start: float, end: float) -> None:
        if self.day_start is not None and end >= self.day_start:
            self.gaps.append((max(start, self.day_start), end))

    # --- reading -------------------------------------------------------------------------

    def period(self, window: str) -> tuple[Period, float]:
        """The counters of ``window`` ("today", "15m", "60m") and when it began."""
        if window not in WINDOWS:
            raise ValueError(f"unknown window {window!r}; expected one of {list(WINDOWS)}")
        now = self.now or 0.0
        seconds = WINDOWS[window]
        if seconds is None:
            return self.day, self.day_start or now
        first = int(now // 60) - seconds // 60 + 1
        merged = Period()
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

    def take_changes(self) -> set[int] | None:
        """The minutes counted into since the last call (their saved form changed;
        minutes dropped are those no longer kept), or None when every minute must be
        taken (the first time, after a restore)."""
        changes, self.changes = self.changes, set()
        return changes

    def restore(self, data: dict[str, Any]) -> None:
        self.changes = None
        self.day_start = _float_or_none(data.get("day_start"))
        self.now = _float_or_none(data.get("now"))
        self.day = Period.from_dict(data.get("day", {}))
        self.minutes = {int(m): Period.from_dict(p) for m, p in data.get("minutes", {}).items()}
        self.gaps = [(float(a), float(b)) for a, b in data.get("gaps", [])]

    def follow(self, data: dict[str, Any], held: dict[str, Any]) -> None:
        """As :meth:`restore`, for ``data`` that follows ``held`` (the state restored or
        followed last): only what changed is built again, so a screen that shows
        another process's counts pays for the calls that ended, not for the day."""
        self.changes = None
        self.day_start = _float_or_none(data.get("day_start"))
        self.now = _float_or_none(data.get("now"))
        day = data.get("day", {})
        if day != held.get("day", {}):
            self.day.follow(day, held.get("day", {}))
        minutes, was = data.get("minutes", {}), held.get("minutes", {})
        if minutes != was:
            # a poll changes a minute or two of the hour: the others are kept as built
            kept = self.minutes
            self.minutes = {
                int(m): kept[int(m)] if was.get(m) == p and int(m) in kept else Period.from_dict(p)
                for m, p in minutes.items()
            }
        gaps = data.get("gaps", [])
        if gaps != held.get("gaps", []):
            self.gaps = [(float(a), float(b)) for a, b in gaps]


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _dt_factory(zone: ZoneInfo) -> Any:
    def when(t: float) -> datetime:
        return datetime.fromtimestamp(t, zone)

    return when
