"""Exit codes 0/1/2 and the one line on stderr that goes with each failure."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rtdash.sim import Fault
from tests.support import a_password, config_lines

if TYPE_CHECKING:
    from rtdash.sim import Simulator
    from tests.cli.conftest import Run, RunCli

WRONG_PASSWORD = a_password("wrong")
WRONG_KEY = a_password("the-Key")


def one_line(run: Run, code: int) -> str:
    """The run failed with ``code``, printed nothing on stdout, one line on stderr."""
    assert run.code == code, run
    assert run.out == ""
    assert len(run.err_lines) == 1, run.err
    assert "Traceback" not in run.err
    assert run.err_lines[0].startswith("rtdash")
    return run.err_lines[0]


# --- 1: the upstream failed -----------------------------------------------------------


def test_rejected_credentials(
    rtdash: RunCli, sim_env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RTDASH_PASSWORD", WRONG_PASSWORD)
    line = one_line(rtdash("calls", *sim_env), 1)
    assert line == 'rtdash: credentials rejected (HTTP 401): "auth required"'


def test_unknown_installation(rtdash: RunCli, sim_env: list[str]) -> None:
    flags = [*sim_env[:2], "--igrp", "999"]
    line = one_line(rtdash("users", *flags, "--json"), 1)
    assert line == "rtdash: installation 999 not found (HTTP 404)"


def test_upstream_500(rtdash: RunCli, sim: Simulator, sim_env: list[str]) -> None:
    sim.faults.add(Fault(kind="status", status=500, route="pbxActiveCalls"))
    line = one_line(rtdash("calls", *sim_env), 1)
    assert line.startswith("rtdash: upstream error (HTTP 500)")


def test_rate_limited(rtdash: RunCli, sim: Simulator, sim_env: list[str]) -> None:
    sim.faults.add(Fault(kind="rate_limit", retry_after=7, route="pbxUserStatus"))
    line = one_line(rtdash("users", *sim_env), 1)
    assert line == "rtdash: rate limited (HTTP 429), retry after 7 s"


def test_bare_string_instead_of_rows(rtdash: RunCli, sim: Simulator, sim_env: list[str]) -> None:
    sim.faults.add(Fault(kind="bare_string", message="maintenance", route="pbxActiveCalls"))
    line = one_line(rtdash("calls", *sim_env, "--json"), 1)
    assert line == 'rtdash: the service sent a message instead of data: "maintenance"'


def test_connection_dropped(rtdash: RunCli, sim: Simulator, sim_env: list[str]) -> None:
    sim.faults.add(Fault(kind="drop", route="pbxActiveCalls"))
    line = one_line(rtdash("calls", *sim_env), 1)
    assert line == f"rtdash: connection to 127.0.0.1:{sim.port} dropped mid-response"


def test_nothing_listening(
    rtdash: RunCli, sim_env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = rtdash("calls", "--base-url", f"http://127.0.0.1:{port}/reports/v2", "--igrp", "1")
    assert one_line(run, 1) == f"rtdash: cannot connect to 127.0.0.1:{port} (connection refused)"


# --- 2: usage and configuration -------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["calls", "--bogus"],
            "rtdash calls: unrecognized arguments: --bogus (see `rtdash calls --help`)",
        ),
        (["nonsense"], "rtdash: argument COMMAND: invalid choice: 'nonsense'"),
        (["users", "--json", "extra"], "rtdash users: unrecognized arguments: extra"),
        (["lookup"], "rtdash lookup: give a NUMBER or --call-ref REF (see `rtdash lookup --help`)"),
        (
            ["lookup", "--call-ref", "c-1", "0770"],
            "rtdash lookup: give a NUMBER or --call-ref REF, not both",
        ),
        (["calls", "--json", "--json", "--demo", "-x"], "rtdash calls: unrecognized arguments: -x"),
        (["--interval", "nan"], "rtdash: --interval 'nan': must be a finite number ("),
        (["--interval", "inf"], "rtdash: --interval 'inf': must be a finite number ("),
        (["--interval", ""], "rtdash: --interval '': expected a number ("),
        (["--interval", "0.5"], "rtdash: --interval '0.5': must be at least 1 ("),
        (["--interval", "99999"], "rtdash: --interval '99999': must be at most 3600 ("),
        (["users", "--tz", "utc+1"], "rtdash: --tz: unknown time zone 'utc+1'"),
        (["users", "--tz", ""], "rtdash: --tz: unknown time zone ''"),
        (["users", "--igrp", "1.5"], "rtdash: --igrp '1.5': expected a whole number ("),
        (["users", "--igrp", "0"], "rtdash: --igrp '0': must be at least 1 ("),
        (["users", "--igrp", ""], "rtdash: --igrp '': expected a whole number ("),
        (
            ["calls", "--base-url", "https://"],
            "rtdash: --base-url: 'https://' is not an http(s) URL",
        ),
        (
            ["calls", "--base-url", "http://exa mple.com"],
            "rtdash: --base-url: 'http://exa mple.com' has a space in it",
        ),
        (
            ["calls", "--base-url", "http://h.example:99999/x"],
            "rtdash: --base-url: 'http://h.example:99999/x' has no valid port (1 to 65535)",
        ),
        (["doctor", "--base-url", "ws://h"], "rtdash: --base-url: 'ws://h' is not an http(s) URL"),
        (
            ["calls", "--base-url", "http://[::1"],
            "rtdash: --base-url: 'http://[::1' is not an http(s) URL",
        ),
        (["calls", "--log-level", "loud"], "rtdash calls: argument --log-level: invalid choice"),
        (["--interval", "0"], "rtdash: --interval '0': must be at least 1 ("),
        (["--interval", "-5"], "rtdash: --interval '-5': must be at least 1 ("),
        (["--interval", "soon"], "rtdash: --interval 'soon': expected a number ("),
        (["--interval", "5", "calls"], "rtdash: --interval is a dashboard option"),
        # a recording that records nothing, a hub that is not read: refused, not ignored
        (["--record", "calls.gz", "calls"], "rtdash: --record is a dashboard option; `rtdash cal"),
        (["--hub", "users"], "rtdash: --hub is a dashboard option; `rtdash users` takes none"),
        (["--wallboard", "doctor"], "rtdash: --wallboard is a dashboard option; `rtdash doc"),
        (["--no-flash", "lookup", "07700900123"], "rtdash: --no-flash is a dashboard option"),
        (
            ["calls", "--tz", "Mars/Base"],
            "rtdash: --tz: unknown time zone 'Mars/Base' (use an IANA",
        ),
        (["users", "--igrp", "12x"], "rtdash: --igrp '12x': expected a whole number ("),
        (["users", "--igrp", "-1"], "rtdash: --igrp '-1': must be at least 1 ("),
        (
            ["calls", "--base-url", "ftp://x.example"],
            "rtdash: --base-url: 'ftp://x.example' is not",
        ),
        (["calls", "--base-url", "localhost:8765"], "rtdash: --base-url: 'localhost:8765' is not"),
        (["lookup", "abc"], "rtdash lookup: 'abc' is neither: enter a phone number"),
        (["lookup", "0800 FLOWERS"], "rtdash lookup: '0800 FLOWERS' is neither"),
        (["lookup", "withheld"], "rtdash lookup: the number is withheld"),
        (["lookup", "Anonymous"], "rtdash lookup: the number is anonymous: there is nothing"),
        (["lookup", "private"], "rtdash lookup: the number is private: there is nothing"),
        (["lookup", "123"], "rtdash lookup: '123' is too short to be a phone number"),
        (["lookup", "+44", "1"], "rtdash lookup: '+44 1' is too short to be a phone number"),
        (
            ["lookup", "077009001234567890"],
            "rtdash lookup: '077009001234567890' is too long to be a phone number",
        ),
        (
            ["lookup", "+44", "7700", "900123", "456", "789"],
            "rtdash lookup: '+44 7700 900123 456 789' is too long to be a phone number",
        ),
        (["lookup", ""], "rtdash lookup: enter a phone number"),
        (
            ["lookup", "--call-ref", "c 1"],
            "rtdash lookup: --call-ref needs a reference without spaces, e.g. c-1234-000070",
        ),
        (
            ["lookup", "c-1234-000070", "--exclude-pii"],
            "rtdash lookup: the answer is a caller's personal data, which is excluded here",
        ),
        (["sim", "--port", "70000"], "rtdash sim: --port must be 0-65535"),
        (["sim", "--speed", "0"], "rtdash sim: --speed must be above 0"),
        (["sim", "--agents", "many"], "rtdash sim: argument --agents: invalid int value"),
        (["config"], "rtdash config: the following arguments are required: ACTION"),
    ],
)
def test_usage_errors_are_one_line_exit_2(rtdash: RunCli, argv: list[str], line: str) -> None:
    assert one_line(rtdash(*argv), 2).startswith(line)


def test_lookup_input_is_checked_before_credentials(rtdash: RunCli) -> None:
    """A lookup that can never match is refused without needing an account."""
    assert "is neither" in one_line(rtdash("lookup", "abc"), 2)


def test_no_credentials_says_how_to_fix(rtdash: RunCli) -> None:
    line = one_line(rtdash("calls", "--igrp", "1234"), 2)
    assert "RTDASH_USERNAME and RTDASH_PASSWORD" in line
    assert "RTDASH_API_KEY" in line
    assert "--demo" in line


def test_username_without_password_names_the_password(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RTDASH_USERNAME", "someone")
    assert "RTDASH_PASSWORD is not set" in one_line(rtdash("users", "--igrp", "1234"), 2)


def test_no_installation_says_how_to_fix(rtdash: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTDASH_API_KEY", a_password("key"))
    line = one_line(rtdash("calls"), 2)
    assert line.startswith("rtdash: no installation id: pass --igrp ID")


def test_bad_config_file_is_exit_2_naming_the_key(rtdash: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[polling]\ninterval = 0.2\n")
    line = one_line(rtdash("calls", "--config", str(path)), 2)
    assert line.startswith(f"rtdash: {path}: polling.interval:")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        # wrong types
        (
            '[connection]\nigrp = "twelve"',
            "connection.igrp: expected a whole number, got text\n",
        ),
        (
            '[connection]\nexclude_pii = "maybe"',
            "connection.exclude_pii: expected true or false, got text\n",
        ),
        ('[polling]\ninterval = "fast"', "polling.interval: expected a number, got text\n"),
        ("[polling]\ninterval = nan", "polling.interval: must be a finite number\n"),
        ("[polling]\ninterval = -inf", "polling.interval: must be a finite number\n"),
        ("[thresholds]\nwait_warn = inf", "thresholds.wait_warn: must be a finite number\n"),
        (
            "[connection]\nusername = true",
            "connection.username: expected text, got true or false\n",
        ),
        ("[mapping]\ncall_state = 5", "mapping.call_state: must be a field name or a list"),
        # unknown keys and sections
        ("[connection]\nport = 443", "connection.port: unknown key"),
        ('[colours]\nbg = "red"', "colours: unknown key"),
        ("igrp = 1234", "igrp: unknown key"),
        ('[mapping]\ncall_phase = "x"', "mapping.call_phase: unknown field"),
        # bad values
        ('[connection]\ntimezone = "Mars/Base"', "connection.timezone: unknown time zone"),
        (
            '[connection]\nbase_url = "ftp://x"',
            "connection.base_url: 'ftp://x' is not an http(s) URL",
        ),
        (
            "[thresholds]\nwait_warn = 100\nwait_alert = 50",
            "thresholds.wait_alert: must be at least",
        ),
        ("[connection\nigrp = 1", "not valid TOML (Expected ']'"),
    ],
)
def test_bad_config_content_is_one_line_exit_2(
    rtdash: RunCli, tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "rtdash.toml"
    path.write_text(content + "\n")
    # a problem that ends in a newline is the whole line
    line = one_line(rtdash("users", "--config", str(path)), 2) + "\n"
    assert line.startswith(f"rtdash: {path}: {problem}")


def test_a_secret_in_a_bad_config_value_is_not_echoed(rtdash: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "rtdash.toml"
    secret = a_password()  # drawn per run: no password value is written in the repo
    path.write_text(f'[connection]\npassword = ["{secret}"]\n')
    line = one_line(rtdash("calls", "--config", str(path)), 2)
    assert line == f"rtdash: {path}: connection.password: expected text, got a list"
    assert secret not in line


def test_missing_config_file_is_exit_2(rtdash: RunCli, tmp_path: Path) -> None:
    line = one_line(rtdash("users", "--config", str(tmp_path / "nope.toml")), 2)
    assert line.endswith("nope.toml: no such config file")


def test_help_is_exit_0_and_names_the_env_variables(rtdash: RunCli) -> None:
    run = rtdash("--help")
    assert run.code == 0
    for name in ("RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY", "exit codes"):
        assert name in run.out
    assert "--" + "password" not in run.out  # spelled apart: the repo never holds the flag
    sub = rtdash("calls", "--help")
    assert sub.code == 0 and "RTDASH_API_KEY" in sub.out and "--json" in sub.out


# --- secrets --------------------------------------------------------------------------


def test_no_secret_in_any_output_even_at_debug(
    rtdash: RunCli, sim: Simulator, sim_env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = [rtdash("calls", *sim_env, "--log-level", "debug")]
    monkeypatch.setenv("RTDASH_PASSWORD", WRONG_PASSWORD)
    runs.append(rtdash("users", *sim_env, "--log-level", "debug"))
    monkeypatch.setenv("RTDASH_API_KEY", WRONG_KEY)
    runs.append(rtdash("lookup", *sim_env, "c-1", "--log-level", "debug"))
    assert runs[0].code == 0 and "HTTP Request: GET" in runs[0].err  # debug did log
    assert runs[1].code == 1 and runs[2].code == 1
    for run in runs:
        for secret in (sim.password, WRONG_PASSWORD, WRONG_KEY):
            assert secret not in run.out + run.err


def test_loose_config_permissions_warn_on_stderr(
    rtdash: RunCli, sim: Simulator, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[connection]\n"
        + config_lines(
            base_url=sim.url, igrp=sim.igrp, username=sim.username, password=sim.password
        )
    )
    path.chmod(0o644)
    run = rtdash("calls", "--config", str(path), "--json")
    assert run.code == 0
    assert run.err_lines == [
        f"rtdash: warning: {path} holds a secret but other users can read it: chmod 600 {path}"
    ]
    path.chmod(0o600)
    assert rtdash("calls", "--config", str(path), "--json").err == ""
