"""``config``, ``sim`` and the dashboard launch, without starting a terminal UI."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from rtdash.config import EXAMPLE_CONFIG, Settings
from rtdash.sim import DEMO_AGENTS, DEMO_LOAD
from tests.support import a_password

if TYPE_CHECKING:
    from tests.cli.conftest import RunCli


def test_config_path_default(rtdash: RunCli, tmp_path: Path) -> None:
    run = rtdash("config", "path")
    assert (run.code, run.out, run.err) == (0, f"{tmp_path / 'absent.toml'}\n", "")


def test_config_path_follows_env_and_flag(
    rtdash: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RTDASH_CONFIG", str(tmp_path / "env.toml"))
    assert rtdash("config", "path").out == f"{tmp_path / 'env.toml'}\n"
    assert rtdash("config", "path", "--config", "/x/y.toml").out == "/x/y.toml\n"


def test_config_example_prints_a_valid_file(rtdash: RunCli) -> None:
    run = rtdash("config", "example")
    assert run.code == 0
    assert run.out == EXAMPLE_CONFIG
    assert tomllib.loads(run.out)["connection"]["timezone"] == "UTC"


@pytest.fixture
def standalone_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr("rtdash.sim.run_standalone", lambda *args: calls.append(args))
    return calls


def test_sim_defaults(rtdash: RunCli, standalone_calls: list[tuple[Any, ...]]) -> None:
    assert rtdash("sim").code == 0
    assert standalone_calls == [(8765, 7, DEMO_AGENTS, DEMO_LOAD, 1.0)]


def test_sim_options(rtdash: RunCli, standalone_calls: list[tuple[Any, ...]]) -> None:
    run = rtdash(
        "sim", "--port", "0", "--seed", "3", "--agents", "5", "--load", "9", "--speed", "4"
    )
    assert run.code == 0
    assert standalone_calls == [(0, 3, 5, 9, 4.0)]


def test_sim_ctrl_c_is_a_clean_exit(rtdash: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("rtdash.sim.run_standalone", interrupted)
    assert rtdash("sim").code == 0


def test_no_command_opens_the_dashboard(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]]
) -> None:
    assert rtdash().code == 0
    ((settings, demo),) = dashboard
    assert demo is False
    assert settings.polling.interval == 2.0


def test_dashboard_flags_reach_the_settings(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RTDASH_API_KEY", a_password("key"))
    run = rtdash(
        "--demo",
        "--interval",
        "5",
        "--tz",
        "Europe/London",
        "--igrp",
        "5678",
        "--base-url",
        "http://127.0.0.1:9/reports/v2",
        "--exclude-pii",
    )
    assert run.code == 0, run.err
    ((settings, demo),) = dashboard
    assert demo is True
    assert settings.polling.interval == 5.0
    connection = settings.connection
    assert (connection.timezone, connection.igrp, connection.exclude_pii) == (
        "Europe/London",
        5678,
        True,
    )
    assert connection.base_url == "http://127.0.0.1:9/reports/v2"
    assert connection.api_key is not None


def test_dashboard_does_not_require_credentials(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]]
) -> None:
    """The TUI explains a missing setup on its welcome screen, so the CLI lets it start."""
    assert rtdash("--interval", "1").code == 0
    assert len(dashboard) == 1


def test_dashboard_flag_error_never_opens_the_dashboard(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]]
) -> None:
    assert rtdash("--interval", "0.5").code == 2
    assert dashboard == []


def test_flags_override_the_config_file(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]], tmp_path: Path
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[connection]\nigrp = 7\ntimezone = "Asia/Tokyo"\n[polling]\ninterval = 9\n')
    assert rtdash("--config", str(path), "--igrp", "8").code == 0
    settings = dashboard[0][0]
    assert settings.connection.igrp == 8  # flag
    assert settings.connection.timezone == "Asia/Tokyo"  # file
    assert settings.polling.interval == 9.0  # file
    assert settings.source == path


def test_dashboard_exit_code_is_passed_through(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rtdash.ui.app.run_dashboard", lambda settings, *, demo, record=None: 3)
    assert rtdash().code == 3


def test_logging_is_put_back_after_a_run(rtdash: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    monkeypatch.setenv("RTDASH_API_KEY", a_password("key"))
    rtdash("calls", "--igrp", "1", "--base-url", "http://127.0.0.1:9/x", "--log-level", "debug")
    assert root.handlers == handlers
    assert root.level == level


def test_sim_on_a_port_in_use_says_so_in_one_line(rtdash: RunCli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = rtdash("sim", "--port", str(port))
    assert run.code == 1
    assert run.err == f"rtdash sim: cannot listen on 127.0.0.1:{port} (Address already in use)\n"
