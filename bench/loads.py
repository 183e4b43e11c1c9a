"""The loads: simulated centres, deterministic by seed, and the two apps under test."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rtdash.sim import DEFAULT_INSTALLATIONS, DEFAULT_START, SimConfig, Simulator

SEED = 7
#: the poll interval every measure uses (the floor, and the worst case for CPU and bytes)
INTERVAL = 1.0
#: where ``python -m bench.baseline`` resolves from
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Load:
    name: str
    calls: int
    users: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.calls} calls, {self.users} users)"


LOADS = {
    load.name: load
    for load in (
        Load("small", 30, 20),
        Load("medium", 200, 100),
        Load("large", 2000, 1000),
    )
}


def make_sim(
    load: Load, *, realtime: bool = False, speed: float = 1.0, now: bool = False
) -> Simulator:
    """A started simulator of one installation at ``load``.

    Frozen (``realtime=False``) sims start at the simulator's fixed date, so in-process
    runs with a frozen clock repeat exactly. Realtime sims start at the real now, so an
    app in a terminal, on the system clock, shows true times in state (as ``--demo``);
    ``now=True`` does that for a frozen sim too (a centre where nothing happens, seen
    on the system clock: times in state of minutes, not months).
    """
    config = SimConfig(
        seed=SEED,
        agents=load.users,
        load=load.calls,
        realtime=realtime,
        speed=speed,
        start=datetime.now(UTC) if realtime or now else DEFAULT_START,
        installations=[DEFAULT_INSTALLATIONS[0]],
    )
    return Simulator(config).start(port=0)


@dataclass(frozen=True)
class AppKind:
    """One of the apps under test, by its in-process class and its command: rtdash,
    the naive baseline (P1–P6 and SCALE) and the idiomatic peer (SCALE)."""

    name: str
    module: str

    def app_class(self) -> type:
        if self.name == "baseline":
            from bench.baseline import BaselineApp

            return BaselineApp
        if self.name == "peer":
            from bench.peer import PeerApp

            return PeerApp
        from rtdash.ui.app import RtdashApp

        return RtdashApp

    def argv(self, sim: Simulator) -> list[str]:
        return [
            sys.executable,
            "-m",
            self.module,
            "--base-url",
            sim.url,
            "--igrp",
            str(sim.igrp),
            "--interval",
            f"{INTERVAL:g}",
        ]


RTDASH = AppKind("rtdash", "rtdash")
BASELINE = AppKind("baseline", "bench.baseline")
PEER = AppKind("peer", "bench.peer")
APPS = (RTDASH, BASELINE)
