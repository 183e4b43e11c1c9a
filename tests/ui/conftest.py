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


@pytest.fixture(autouse=True)
def fixed_state_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """The help screen shows the log path: the same path on every machine, and never the
    developer's own log."""
    monkeypatch.setenv("XDG_STATE_HOME", "/tmp/rtdash-test-state")
