"""Threshold breaches: which are active, and which just began (ring the bell once).

A breach is a headline number at its alert level: the longest wait, the calls
waiting, or agents available below the floor, or a number a consumer of the feed
derives (today's SL % or abandons, through :attr:`AlertTracker.sources`), so every
breach flashes, rings and stays quiet on stale data by one rule. It "begins" when it goes from not
breached to breached; it must clear before it can begin again, so a wallboard rings
once per breach, not once per poll.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from rtdash.core.metrics import Metrics
from rtdash.core.thresholds import Level, Thresholds

BREACHES = ("longest_wait", "waiting", "agents_available")


@dataclass(slots=True)
class AlertTracker:
    thresholds: Thresholds
    active: set[str] = field(default_factory=set)
    #: when each active breach began (to flash for a while, then hold steady)
    since: dict[str, datetime] = field(default_factory=dict)
    total: int = 0
    #: more levels by name (a consumer's derived numbers): an ALERT there is a breach
    sources: list[Callable[[], dict[str, Level]]] = field(default_factory=list)
    #: the numbers past their warning level but not their alert one: no bell, but an
    #: installation's tab must not read "nothing past a threshold" while its headline
    #: shows an amber number
    warned: set[str] = field(default_factory=set)

    def update(self, metrics: Metrics, now: datetime, *, with_sources: bool = True) -> set[str]:
        """Return the breaches that began with this observation. A number not known yet
        (None: no data) is never a breach, so no data is not "no agents available".
        ``with_sources`` False: the sources' breaches are left out (not yet current)."""
        levels = metrics.levels(self.thresholds, now)
        judged = {name: levels[name] for name in BREACHES}
        for source in self.sources if with_sources else ():
            judged.update(source())
        current = {name for name, level in judged.items() if level is Level.ALERT}
        self.warned = {name for name, level in judged.items() if level is Level.WARN}
        began = current - self.active
        for name in began:
            self.since[name] = now
        for name in self.active - current:
            self.since.pop(name, None)
        self.active = current
        self.total += len(began)
        return began

    def flashing(self, now: datetime, flash_seconds: float) -> set[str]:
        return {
            name
            for name, start in self.since.items()
            if (now - start).total_seconds() < flash_seconds
        }
