"""What today's service level report holds: rows per queue and agent, and the gaps.

Plain frozen dataclasses with a JSON shape (:meth:`ServiceReport.to_dict`), so the
wallboard, ``rtdash stats`` and an export read the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class ServiceStats:
    """One row of the report: a queue, or the installation (``name`` "")."""

    name: str
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    unknown: int
    answered_unknown_wait: int
    answered_within_sl: int
    sl_percent: float | None
    abandon_percent: float | None
    asa: float | None
    longest_answer: float | None
    longest_wait: float | None
    #: answered calls that ended (a call last seen before a gap in polling is left
    #: out: its end is unknown), their average and longest talk in seconds; talk, not
    #: handle time, as the wrap-up never shows in the feed
    talked: int = 0
    avg_talk: float | None = None
    longest_talk: float | None = None


@dataclass(frozen=True, slots=True)
class AgentStats:
    key: str
    name: str
    answered: int
    #: seconds today on a call / available / away (unavailable and on no call)
    on_call: float = 0.0
    available: float = 0.0
    away: float = 0.0


@dataclass(frozen=True, slots=True)
class ServiceReport:
    window: str
    since: datetime
    until: datetime
    sl_seconds: float
    short_abandon: float
    total: ServiceStats
    queues: tuple[ServiceStats, ...]
    agents: tuple[AgentStats, ...] = ()
    #: periods today when nothing was watched (restarts, long outages)
    gaps: tuple[tuple[datetime, datetime], ...] = field(default=())

    def queue(self, name: str) -> ServiceStats | None:
        return next((q for q in self.queues if q.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types: the ``rtdash stats --json`` shape."""
        return {
            "window": self.window,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "sl_seconds": self.sl_seconds,
            "short_abandon": self.short_abandon,
            "total": asdict(self.total),
            "queues": [asdict(q) for q in self.queues],
            "agents": [asdict(a) for a in self.agents],
            "gaps": [[a.isoformat(), b.isoformat()] for a, b in self.gaps],
        }


#: a gap shorter than this is said to the second: "17:35–17:36" for a 7 s restart
#: reads as a minute missed
TO_THE_SECOND = timedelta(minutes=2)


def fmt_gap(start: datetime, end: datetime) -> str:
    """``not watching 09:12–09:15`` (minutes rounded outwards, so a short gap shows);
    a gap of under two minutes to the second (``not watching 17:35:52–17:35:59``)."""
    short = end - start < TO_THE_SECOND
    step, shape = (timedelta(seconds=1), "%H:%M:%S") if short else (timedelta(minutes=1), "%H:%M")

    def down(moment: datetime) -> datetime:
        return moment.replace(microsecond=0) if short else moment.replace(second=0, microsecond=0)

    a, b = down(start), down(end)
    if b < end:
        b += step
    return f"not watching {a:{shape}}–{b:{shape}}"
