"""Where each command's log lines go, and that no secret reaches the log file."""

from __future__ import annotations

import argparse
import base64
import logging
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rtdash import logs
from rtdash.sim import Simulator
from tests.support import a_password

if TYPE_CHECKING:
    from rtdash.config import Settings
    from rtdash.sim import Simulator
    from tests.cli.conftest import RunCli


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "state" / "rtdash" / "log" / "rtdash.log"
    assert logs.log_path() == path
    return path


@pytest.fixture
def noisy_dashboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in TUI that logs at every level, as app code might mid-screen."""
    levels: list[str] = []

    def run_dashboard(settings: Settings, *, demo: bool, record: object = None) -> int:
        log = logging.getLogger("rtdash.ui.app")
        log.debug("debug line")
        log.info("info line")
        log.warning("warning line")
        log.error("error line with %s", settings.connection.password)
        levels.append(logging.getLevelName(logging.getLogger().level))
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", run_dashboard)
    return levels


@pytest.mark.parametrize("level", ["debug", "info", "warning", "error"])
def test_the_dashboard_never_logs_to_stderr(
    rtdash: RunCli,
    noisy_dashboard: list[str],
    log_file: Path,
    level: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RTDASH_USERNAME", "sup")
    word = a_password("Dash-Secret")
    monkeypatch.setenv("RTDASH_PASSWORD", word)
    run = rtdash("--log-level", level)
    assert (run.code, run.out, run.err) == (0, "", "")
    assert noisy_dashboard == [level.upper()]
    text = log_file.read_text()
    assert "error line with ***" in text
    assert ("debug line" in text) is (level == "debug")
    assert ("warning line" in text) is (level != "error")
    assert word not in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_default_level_is_warning_and_stderr_stays_clean(
    rtdash: RunCli, noisy_dashboard: list[str], log_file: Path
) -> None:
    assert rtdash().err == ""
    assert noisy_dashboard == ["WARNING"]
    text = log_file.read_text()
    assert "warning line" in text and "info line" not in text


@pytest.fixture
def chatty_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """``rtdash calls`` that logs one info and one warning line on its way."""
    from rtdash.cli import data

    original = data.calls_command

    def calls_command(args: argparse.Namespace, settings: Settings) -> int:
        log = logging.getLogger("rtdash.cli")
        log.info("info from calls")
        log.warning("warning from calls")
        return original(args, settings)

    monkeypatch.setattr(data, "calls_command", calls_command)


@pytest.mark.parametrize(
    ("level", "expected_err"),
    [
        (
            "debug",
            [
                "rtdash: INFO rtdash.cli: info from calls",
                "rtdash: WARNING rtdash.cli: warning from calls",
            ],
        ),
        (
            "info",
            [
                "rtdash: INFO rtdash.cli: info from calls",
                "rtdash: WARNING rtdash.cli: warning from calls",
            ],
        ),
        ("warning", []),
        (None, []),
        ("error", []),
    ],
)
def test_subcommands_copy_to_stderr_only_at_debug_and_info(
    rtdash: RunCli,
    sim_env: list[str],
    chatty_calls: None,
    log_file: Path,
    level: str | None,
    expected_err: list[str],
) -> None:
    flags = ["--log-level", level] if level else []
    run = rtdash("calls", *sim_env, "--json", *flags)
    assert run.code == 0
    ours = [line for line in run.err_lines if " rtdash.cli: " in line]
    assert ours == expected_err
    # at debug the request lines come too (the polled GETs' lane logs them as httpx does)
    others = [line for line in run.err_lines if line not in ours]
    asked = any(" rtdash.api.http11: HTTP Request: GET" in line for line in others)
    assert asked is (level == "debug")
    assert bool(others) is (level == "debug")
    assert all(line.startswith("rtdash: ") for line in run.err_lines)
    file_text = log_file.read_text() if log_file.exists() else ""
    assert ("warning from calls" in file_text) is (level != "error")
    assert ("info from calls" in file_text) is (level in ("debug", "info"))


def test_a_quiet_run_writes_no_log_file(rtdash: RunCli, sim_env: list[str], log_file: Path) -> None:
    run = rtdash("users", *sim_env)
    assert (run.code, run.err) == (0, "")
    assert not log_file.exists()


def test_no_secret_in_the_log_file_at_debug(
    rtdash: RunCli, sim: Simulator, sim_env: list[str], log_file: Path
) -> None:
    rtdash("calls", *sim_env, "--log-level", "debug")
    rtdash("lookup", *sim_env, "c-0", "--log-level", "debug")
    text = log_file.read_text()
    assert "HTTP Request: GET" in text  # debug did log
    basic = base64.b64encode(f"{sim.username}:{sim.password}".encode()).decode()
    assert sim.password not in text
    assert basic not in text


def test_secrets_are_forgotten_after_a_run(rtdash: RunCli, sim_env: list[str]) -> None:
    rtdash("users", *sim_env)
    assert logs.redact(Simulator.password) == Simulator.password
