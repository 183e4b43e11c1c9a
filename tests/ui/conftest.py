"""Fixtures for Pilot and snapshot tests (the simulator and the app factory are the
shared ones in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rtdash.core import daystate


@pytest.fixture(autouse=True)
def fixed_state_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The help screen shows the log path: the same path on every machine, and never the
    developer's own log. The day's service state still goes to a folder of the test's
    own (see ``own_state_folder``): that fixed folder is shared by every test."""
    monkeypatch.setenv("XDG_STATE_HOME", "/tmp/rtdash-test-state")
    service: Path = tmp_path_factory.mktemp("service")
    monkeypatch.setattr(daystate, "state_dir", lambda: service)


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A truecolor terminal, as the snapshots' SVGs are drawn in: the app picks its
    colours by the terminal's (16 colours have their own), so a runner's ``TERM`` and
    ``COLORTERM`` must not decide what a test sees. The 16-colour tests set their own."""
    monkeypatch.setenv("COLORTERM", "truecolor")
