"""Fixtures of the doctor's tests: simulators to check, and ``doctor(*argv)``, which runs
``rtdash doctor`` in-process in an environment of its own (no rtdash variables, no
config file, its own log) and reads its report; for ``--fix``, the stand-in service and
a config home with no config file yet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rtdash.sim import Simulator
from tests.support import isolate_cli, run_cli, today_sim

from .doctor_rig import Doctor
from .stand_in import PASSWORD, USERNAME, StandIn

RunDoctor = Callable[..., Doctor]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with today_sim() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def renamed_sim() -> Iterator[Simulator]:
    """An upstream that calls the call-state field ``callPhase``."""
    with today_sim(field_renames={"callState": "callPhase"}) as simulator:
        yield simulator


@pytest.fixture
def doctor(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> RunDoctor:
    """``doctor("--demo")``: ``rtdash doctor --demo`` run in-process, its report read."""
    isolate_cli(monkeypatch, tmp_path)

    def run(*argv: str) -> Doctor:
        return Doctor(*run_cli(capsys, "doctor", *argv))

    return run


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No config file yet: the platformdirs location under a fresh XDG_CONFIG_HOME."""
    for name in ("RTDASH_CONFIG", "RTDASH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("RTDASH_USERNAME", USERNAME)
    monkeypatch.setenv("RTDASH_PASSWORD", PASSWORD)
    return tmp_path / "config" / "rtdash" / "config.toml"
