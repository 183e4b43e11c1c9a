"""A config file that parses but that the dashboard refuses (a theme it does not have,
a keymap naming no command, two commands on one key) fails the doctor's config check
with the dashboard's own line, with and without ``--fix``: the doctor must not pass a
set-up the dashboard will not start with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import run_cli

from .stand_in import StandIn

REFUSED = [
    '[display]\ntheme = "nosuch"\n',
    '[keymap]\nnosuchcmd = "x"\n',
    '[keymap]\nlookup = "q"\n',
]


def dashboard_says(capsys: pytest.CaptureFixture[str], monkeypatch: Any, path: Path) -> str:
    """The one line ``rtdash --demo --config path`` exits 2 with, before any screen."""
    monkeypatch.setattr("rtdash.ui.stdin_watch.stdin_gone", lambda fd: None)
    code, out, err = run_cli(capsys, "--demo", "--config", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    return err.strip().removeprefix("rtdash: ")


@pytest.mark.parametrize("toml", REFUSED)
def test_doctor_fails_the_config_file_the_dashboard_refuses(
    doctor: Any,
    tmp_path: Path,
    toml: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "rtdash.toml"
    path.write_text(toml)
    run = doctor("--demo", "--config", str(path))
    assert run.code == 2
    assert run.checks["config file"] == ("✖", dashboard_says(capsys, monkeypatch, path))
    assert run.checks["config file"][1].startswith(f"{path}: ")
    assert "base URL" not in run.checks  # nothing is tried with a file the dashboard refuses


@pytest.mark.parametrize("toml", REFUSED[:2])
def test_fix_does_not_pass_a_config_file_the_dashboard_refuses(
    stand_in: StandIn, config_home: Path, toml: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config_home.parent.mkdir(parents=True)
    config_home.write_text(toml)
    config_home.chmod(0o600)

    code, out, _ = run_cli(capsys, "doctor", "--base-url", stand_in.url, "--igrp", "4321", "--fix")
    assert code == 2, out
    assert "checks passed" not in out
    assert f"✖ config file: {config_home}: " in out
    assert config_home.read_text() == toml  # nothing written to a file that cannot be used
