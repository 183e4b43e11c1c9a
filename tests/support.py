"""What the test tiers share, as plain functions: a simulator on loopback, settings
that point at it, and the app built on them with a clock frozen at the simulator's
time. The fixtures over these live in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rtdash.config import Settings
from rtdash.core.clock import FrozenClock
from rtdash.sim import SimConfig, Simulator
from rtdash.sim.faults import FaultPlan

#: the small centre most tests watch: frozen clock (it moves only when a test says so)
SIM_DEFAULTS: dict[str, Any] = {"seed": 7, "agents": 20, "load": 24, "realtime": False}


def sim_config(**overrides: Any) -> SimConfig:
    """:data:`SIM_DEFAULTS` with ``overrides`` (e.g. ``start=``, ``load=``)."""
    return SimConfig(**{**SIM_DEFAULTS, **overrides})


@contextmanager
def loopback_sim(
    config: SimConfig | None = None, *, faults: FaultPlan | None = None
) -> Iterator[Simulator]:
    """A simulator serving on an ephemeral loopback port for the ``with`` block."""
    simulator = Simulator(config or sim_config())
    if faults is not None:
        simulator.faults = faults
    with simulator.start(port=0) as running:
        yield running


def settings_for(sim: Simulator, *, igrp: int | None = None, **connection: object) -> Settings:
    """Settings for ``sim``'s installation with its demo credentials; ``connection``
    overrides fields of ``settings.connection``."""
    settings = Settings()
    settings.connection.base_url = sim.url
    settings.connection.igrp = igrp or sim.igrp
    settings.connection.username = connection.pop("username", sim.username)  # type: ignore[assignment]
    settings.connection.password = connection.pop("password", sim.password)  # type: ignore[assignment]
    for key, value in connection.items():
        setattr(settings.connection, key, value)
    return settings


def make_app(
    sim: Simulator,
    settings: Settings | None = None,
    *,
    flash: bool = True,
    persist: bool = False,
    app_options: dict[str, Any] | None = None,
    **connection: object,
) -> Any:
    """The dashboard app on ``sim`` with a clock frozen at the simulator's time.

    ``flash=False`` for snapshots: a blinking tile would depend on when the frame is
    taken. ``persist`` off by default: a test's totals must not reach another's (or
    the next run's) through the shared state folder. ``app_options`` go to the app
    (e.g. ``http=`` for a scripted transport).
    """
    from rtdash.ui.app import RtdashApp  # imported here: the unit tier never loads Textual

    if settings is None:
        settings = settings_for(sim, **connection)
    if not flash:
        settings.display.flash = False
    settings.service.persist = persist
    return RtdashApp(settings, clock=FrozenClock(sim.now), **(app_options or {}))
