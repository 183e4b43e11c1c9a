"""Fixtures for resilience tests: a simulator that records when each request arrived,
and an app polling it at the 1 s floor with a clock frozen at the simulator's time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from rtdash.config import Settings
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault, FaultPlan
from rtdash.ui.app import RtdashApp
from tests import support
from tests.support import loopback_sim, settings_for

CALLS_ROUTE, USERS_ROUTE = "pbxActiveCalls", "pbxUserStatus"


class RecordingFaultPlan(FaultPlan):
    """The simulator asks its plan once per request, as the request arrives: recording
    here gives every request's arrival time, including ones answered by a fault."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, str]] = []
        self._arrivals_lock = threading.Lock()

    def take(self, route: str) -> Fault | None:
        with self._arrivals_lock:
            self.arrivals.append((time.monotonic(), route))
        return super().take(route)

    def times(self, route: str) -> list[float]:
        with self._arrivals_lock:
            return [at for at, name in self.arrivals if name == route]

    def count(self, route: str) -> int:
        return len(self.times(route))


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """The shared small centre, with a fault plan that notes every request's arrival."""
    with loopback_sim(faults=RecordingFaultPlan()) as running:
        yield running


def resilient_settings(sim: Simulator, **connection: object) -> Settings:
    settings = settings_for(sim, **connection)
    settings.polling.interval = 1.0
    return settings


def make_app(sim: Simulator, settings: Settings | None = None, **kwargs: object) -> RtdashApp:
    """The shared app factory, polling at the floor unless ``settings`` say otherwise;
    ``kwargs`` go to the app."""
    return support.make_app(sim, settings or resilient_settings(sim), app_options=kwargs)  # type: ignore[no-any-return]
