"""The CLI, run in-process against the real simulator over loopback HTTP.

Every test gets an environment with no rtdash variables, no config file and a log
directory of its own, so what a developer has in ``~/.config/rtdash`` or their shell never
leaks into a result, and no test writes to their real log file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rtdash.config import Settings
from rtdash.sim import Simulator
from tests.support import Run, isolate_cli, point_cli_at, run_cli, today_sim

RunCli = Callable[..., Run]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_cli(monkeypatch, tmp_path)
    # the test runner's stdin is no keyboard either (often /dev/null): in-process runs
    # stand in for the terminal; tests/hostile/test_streams.py runs the real check
    monkeypatch.setattr("rtdash.ui.stdin_watch.stdin_gone", lambda fd: None)


@pytest.fixture
def rtdash(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``rtdash("calls", "--json")``: run ``cli.main`` and capture what it printed."""

    def run(*argv: str) -> Run:
        return run_cli(capsys, *argv)

    return run


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """One frozen-clock simulator per module: its state only moves when a test says so,
    and its clock reads today so times in state look as they would live."""
    with today_sim() as simulator:
        yield simulator


@pytest.fixture
def sim_env(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Demo credentials in the environment; returns the flags that point at ``sim``."""
    return point_cli_at(sim, monkeypatch)


@pytest.fixture
def dashboard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Settings, bool]]:
    """Stand in for ``run_dashboard`` and record what the CLI hands it."""
    launched: list[tuple[Settings, bool]] = []

    def run_dashboard(settings: Settings, *, demo: bool, record: object = None) -> int:
        launched.append((settings, demo))
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", run_dashboard)
    return launched


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Stand in for ``rtdash.cli.serve.serve`` (which serves until stopped) and record
    the dashboard words each ``rtdash serve`` would hand its tabs."""
    words_served: list[list[str]] = []

    def serve(words: list[str], **_: object) -> int:
        words_served.append(words)
        return 0

    monkeypatch.setattr("rtdash.cli.serve.serve", serve)
    return words_served
