"""Fixtures for Pilot and snapshot tests (the simulator and the app factory are the
shared ones in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fixed_state_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """The help screen shows the log path: the same path on every machine, and never the
    developer's own log."""
    monkeypatch.setenv("XDG_STATE_HOME", "/tmp/rtdash-test-state")
