"""What today's service level report holds: rows per queue and agent, and the gaps.

Plain frozen dataclasses with a JSON shape (:meth:`ServiceReport.to_dict`), so the
wallboard, ``rtdash stats`` and an export read the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
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


#: a gap shorter than this is said to the second: "17:35–17:36" for a restart of
#: seconds reads as a minute missed
TO_THE_SECOND = timedelta(minutes=2)


#: how every unwatched period is introduced, once however many follow
NOT_WATCHING = "not watching "
#: stands for the unwatched periods left out of a line too short for them all
LEFT_OUT = "…"


def fmt_gaps(gaps: Sequence[tuple[datetime, datetime]], room: int | None = None) -> str:
    """Today's unwatched periods on one line, said once: ``not watching 00:00–09:01,
    13:00:46–13:01:14``. Where ``room`` (in characters) is too short for them all, the
    first stays if the latest fits beside it, as it is most often the part of the day
    before the first watch, the largest; then the latest that fit, with ``…`` for those
    left out between."""
    said: list[str] = []
    ended: datetime | None = None
    for start, end in gaps:
        said.append(fmt_period(start, end, after=ended))
        ended = end
    if room is not None:
        said = _fitted(said, room - len(NOT_WATCHING))
    return NOT_WATCHING + ", ".join(said)


def _fitted(said: list[str], room: int) -> list[str]:
    """``said`` whole if it fits ``room``, else its first, ``…`` and as many of its
    latest as fit; the latest one at least, as it is the news, so where the first does
    not fit beside it the first goes too and ``…`` stands for it (a line cut after a
    comma had lost the latest and said nothing of what was missing)."""
    if len(", ".join(said)) <= room or len(said) < 2:
        return said
    first = said[:1] if len(", ".join([said[0], LEFT_OUT, said[-1]])) <= room else []
    latest = [said[-1]]
    for words in reversed(said[len(first) : -1]):
        if len(", ".join([*first, LEFT_OUT, words, *latest])) > room:
            break
        latest.insert(0, words)
    return [*first, LEFT_OUT, *latest]


def fmt_period(start: datetime, end: datetime, *, after: datetime | None = None) -> str:
    """``09:12–09:15``: the minute the period began to the minute it ended, both rounded
    down, so its end is never a time still to come (the screen's data is as of that
    moment) and never later than the start of the period after it.

    To the second (``17:35:52–17:35:59``, also rounded down) where minutes would mislead:
    a period under two minutes, which in minutes reads as one or two missed, and one that
    began in the minute the period before it (``after``, its end) ended, which in minutes
    would begin before that one ended and hide the watched moment between them. Rounding
    both ends the same way moves a period rather than shrinking it, so one of two minutes
    or more never reads as shorter than two."""
    began_before = after is not None and start.replace(second=0, microsecond=0) <= after
    if end - start < TO_THE_SECOND or began_before:
        return f"{start:%H:%M:%S}–{end:%H:%M:%S}"
    return f"{start:%H:%M}–{end:%H:%M}"
