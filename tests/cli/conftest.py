"""The CLI, run in-process against the real simulator over loopback HTTP.

Every test gets an environment with no rtdash variables, no config file and a log
directory of its own, so what a developer has in ``~/.config/rtdash`` or their shell never
leaks into a result, and no test writes to their real log file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rtdash import cli
from rtdash.config import Settings
from rtdash.sim import SimConfig, Simulator
from tests.support import loopback_sim

ENV_NAMES = ("RTDASH_CONFIG", "RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


RunCli = Callable[..., Run]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "absent.toml")
    # the log file goes under XDG_STATE_HOME (platformdirs reads it on every call)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # the test runner's stdin is no keyboard either (often /dev/null): in-process runs
    # stand in for the terminal; tests/hostile/test_streams.py runs the real check
    monkeypatch.setattr("rtdash.ui.stdin_watch.stdin_gone", lambda fd: None)


@pytest.fixture
def rtdash(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``rtdash("calls", "--json")``: run ``cli.main`` and capture what it printed."""

    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """One frozen-clock simulator per module: its state only moves when a test says so,
    and its clock reads today so times in state look as they would live."""
    with loopback_sim(SimConfig(seed=7, realtime=False, start=datetime.now(UTC))) as simulator:
        yield simulator


@pytest.fixture
def sim_env(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Demo credentials in the environment; returns the flags that point at ``sim``."""
    sim.faults.clear()
    monkeypatch.setenv("RTDASH_USERNAME", sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", sim.password)
    return ["--base-url", sim.url, "--igrp", str(sim.igrp)]


@pytest.fixture
def dashboard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Settings, bool]]:
    """Stand in for ``run_dashboard`` and record what the CLI hands it."""
    launched: list[tuple[Settings, bool]] = []

    def run_dashboard(settings: Settings, *, demo: bool, record: object = None) -> int:
        launched.append((settings, demo))
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", run_dashboard)
    return launched
