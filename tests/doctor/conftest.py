"""Fixtures of the doctor's tests: simulators to check, and ``doctor(*argv)``, which runs
``rtdash doctor`` in-process in an environment of its own (no rtdash variables, no
config file, its own log) and reads its report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rtdash.sim import Simulator
from tests.support import isolate_cli, run_cli, today_sim

from .doctor_rig import Doctor

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
