"""Fixtures for Pilot and snapshot tests: a deterministic simulator on loopback and an
app whose clock is frozen at the simulator's time, so every screen is repeatable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rtdash.sim import SimConfig, Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(seed=7, agents=20, load=24, realtime=False)).start(port=0) as running:
        yield running
