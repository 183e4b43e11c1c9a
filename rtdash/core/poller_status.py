"""What a source says about its data: each route's health and the phase of the whole.

Every source speaks it, not only the poller: the replay player and the hub subscriber
make these statuses too, and the status bar, the live feed and the hub's codec read
them. Kept apart from the poller so that whoever only reads or makes a status does not
load the poller and the upstream client with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from rtdash.api import errors

#: data older than this many polling intervals is stale: the status bar says so, and the
#: live feed freezes its times and raises no new alert from it
STALE_INTERVALS = 3


class Route(StrEnum):
    CALLS = "calls"
    USERS = "users"


class Phase(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    RETRYING = "retrying"
    AUTH_FAILED = "credentials rejected"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class RouteHealth:
    last_success: datetime | None = None
    failures: int = 0
    error: errors.ApiError | None = None
    #: loop time of the next try (None while a request is in flight)
    next_try: float | None = None
    unreadable: int = 0


@dataclass(frozen=True, slots=True)
class PollerStatus:
    phase: Phase
    interval: float
    routes: dict[Route, RouteHealth]
    #: loop time when this status was made, to turn ``next_try`` into "in N s"
    made_at: float = 0.0
    slow: bool = False
    #: where the data comes from when this process does not poll (``"hub"``), what is
    #: wrong on the way there (``"hub unreachable"``; "" when nothing) and why
    via: str = ""
    via_problem: str = ""
    via_detail: str = ""
    #: the interval the data shown was polled under, when longer than ``interval``: the
    #: interval was just shortened, and the data is not late until a poll at the new
    #: pace is (0 when it is ``interval``)
    data_interval: float = 0.0

    @property
    def stale_after(self) -> float:
        """Seconds of age past which the data is stale."""
        return STALE_INTERVALS * max(self.interval, self.data_interval)

    @property
    def last_success(self) -> datetime | None:
        """The oldest of the routes' last successes: the age of what the screen shows."""
        stamps = [health.last_success for health in self.routes.values()]
        if any(stamp is None for stamp in stamps):
            known = [stamp for stamp in stamps if stamp is not None]
            return min(known) if known else None
        return min(stamps)  # type: ignore[type-var]  # no stamp is None here (checked above)

    def with_data_times(self, held: dict[Route, datetime]) -> PollerStatus:
        """This status, with each route it knows no success for taking the time of the
        data a screen still holds for it. A source that has lost its own memory (a hub
        started again while the upstream fails) says "no data yet" while the data from
        before is still shown: read as no data, that picture would count as fresh."""
        routes = {
            route: (
                replace(health, last_success=held[route])
                if health.last_success is None and route in held
                else health
            )
            for route, health in self.routes.items()
        }
        if all(routes[route] is self.routes[route] for route in routes):
            return self
        return replace(self, routes=routes)

    @property
    def unreadable(self) -> int:
        return sum(health.unreadable for health in self.routes.values())

    def failing(self) -> list[tuple[Route, RouteHealth]]:
        return [(route, health) for route, health in self.routes.items() if health.error]
