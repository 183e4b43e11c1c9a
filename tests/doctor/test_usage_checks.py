"""``rtdash doctor`` on what it is given: no credentials or no installation is exit 2,
a config file that does not parse is one failed line, a config file others can read is
warned about, and a bad flag is one line on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rtdash.sim import Simulator
from tests.support import a_password, config_lines


def test_no_credentials_is_exit_2(doctor: Any) -> None:
    run = doctor("--igrp", "1234")
    assert run.code == 2
    assert run.checks["credentials"] == (
        "✖",
        "none: set RTDASH_USERNAME and RTDASH_PASSWORD, or RTDASH_API_KEY "
        "(or try --demo to use the built-in simulator)",
    )
    assert "base URL" not in run.checks  # nothing is tried without them


def test_no_installation_is_exit_2(doctor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTDASH_API_KEY", a_password("key"))
    run = doctor()
    assert run.code == 2
    assert run.checks["installation"][0] == "✖"
    assert run.checks["installation"][1].startswith("no installation id: pass --igrp ID")


def test_bad_config_file_is_a_failed_line_and_exit_2(doctor: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[connection]\nigrp = 'twelve'\n")
    run = doctor("--config", str(path))
    assert run.code == 2
    assert run.checks == {
        "config file": (
            "✖",
            f"{path}: connection.igrp: expected a whole number, got text",
        )
    }


def test_loose_permissions_warn_in_the_config_line(
    doctor: Any, sim: Simulator, tmp_path: Path
) -> None:
    sim.faults.clear()
    path = tmp_path / "rtdash.toml"
    path.write_text(
        "[connection]\n"
        + config_lines(
            base_url=sim.url, igrp=sim.igrp, username=sim.username, password=sim.password
        )
    )
    path.chmod(0o644)
    run = doctor("--config", str(path))
    assert run.code == 0
    assert run.checks["config file"] == (
        "⚠",
        f"{path}: parsed; {path} holds a secret but other users can read it: chmod 600 {path}",
    )
    assert run.checks["credentials"] == ("✔", "Basic for user demo (from the config file)")
    assert sim.password not in run.out


def test_a_bad_flag_is_one_line_on_stderr(doctor: Any) -> None:
    run = doctor("--tz", "Mars/Base")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("rtdash: --tz: unknown time zone 'Mars/Base'")
    assert len(run.err.splitlines()) == 1
