"""Every fault the simulator can inject, for each scriptable command: the exit code, at
most one line on stderr (of a known shape, never a traceback) and the rows that survive.

The config file sets ``timeout = 0.5`` so a response slower than that fails fast; the
credentials come from the environment as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from rtdash.sim import Fault, SimConfig, Simulator

if TYPE_CHECKING:
    from tests.cli.conftest import Run, RunCli

ROUTE = {"calls": "pbxActiveCalls", "users": "pbxUserStatus", "lookup": "activeCall"}
COMMANDS = tuple(ROUTE)

#: fault -> its simulator parameters
FAULTS: dict[str, dict[str, Any]] = {
    "401": {"kind": "status", "status": 401},
    "403": {"kind": "status", "status": 403},
    "404": {"kind": "status", "status": 404},
    "429": {"kind": "rate_limit", "retry_after": 3},
    "500": {"kind": "status", "status": 500},
    "503": {"kind": "status", "status": 503},
    "slow": {"kind": "latency", "seconds": 1.0},
    "drop": {"kind": "drop"},
    "reset": {"kind": "reset"},
    "malformed_line": {"kind": "malformed_line"},
    "bare_string": {"kind": "bare_string", "message": "maintenance"},
    "empty_array": {"kind": "empty_array"},
    "huge_body": {"kind": "huge_body"},
    "missing_fields": {"kind": "missing_fields"},
    "extra_fields": {"kind": "extra_fields"},
}

NO_MATCH = r"rtdash lookup: no call matches reference 'c-\d{4}-\d+' in the last 24 hours"
DROPPED = r"rtdash: connection to 127\.0\.0\.1:\d+ dropped mid-response"

# What each (fault, command) must give: exit code, the stderr line (a regex; None for no
# line at all) and the JSON rows on stdout: "all" as without the fault, "some" (fewer,
# but not none), "[]" an empty array, None nothing on stdout.
Expect = tuple[int, str | None, str | None]


def _same(code: int, line: str | None, rows: str | None) -> dict[str, Expect]:
    return dict.fromkeys(COMMANDS, (code, line, rows))


EXPECTED: dict[str, dict[str, Expect]] = {
    "401": _same(1, re.escape('rtdash: credentials rejected (HTTP 401): "unauthorized"'), None),
    "403": {
        **_same(1, re.escape('rtdash: permission denied (HTTP 403): "forbidden"'), None),
        "lookup": (
            1,
            re.escape(
                'rtdash: permission denied (HTTP 403): "forbidden"; '
                "caller lookup needs the PII permission on this account"
            ),
            None,
        ),
    },
    "404": _same(1, r"rtdash: installation \d+ not found \(HTTP 404\)$", None),
    "429": _same(1, re.escape("rtdash: rate limited (HTTP 429), retry after 3 s"), None),
    "500": _same(1, re.escape('rtdash: upstream error (HTTP 500): "internal server error"'), None),
    "503": _same(1, re.escape('rtdash: upstream error (HTTP 503): "service unavailable"'), None),
    "slow": _same(1, r"rtdash: no answer from 127\.0\.0\.1:\d+ in time", None),
    "drop": _same(1, DROPPED, None),
    "reset": _same(1, DROPPED, None),
    "malformed_line": {
        # the broken line is an extra, truncated copy: every good row survives
        "calls": (
            0,
            r"rtdash: warning: 1 of (\d+) call rows unreadable \(not a JSON object\)",
            "all",
        ),
        "users": (
            0,
            r"rtdash: warning: 1 of \d+ user rows unreadable \(not a JSON object\)",
            "all",
        ),
        "lookup": (0, None, "all"),
    },
    "bare_string": {
        **_same(
            1,
            re.escape('rtdash: the service sent a message instead of data: "maintenance"'),
            None,
        ),
        # the vendor does not say what "no match" looks like: a bare string is one of them
        "lookup": (1, NO_MATCH, "[]"),
    },
    "empty_array": {
        "calls": (0, None, "[]"),
        "users": (0, None, "[]"),
        "lookup": (1, NO_MATCH, "[]"),
    },
    "huge_body": _same(
        1, re.escape("rtdash: response too large (97656 KiB; the limit is 65536 KiB)"), None
    ),
    "missing_fields": {
        # rows 0, 3, 6… lose their id, rows 1, 4, 7… their state
        "calls": (
            0,
            r"rtdash: warning: \d+ of \d+ call rows unreadable \(the first: no call reference\)",
            "some",
        ),
        "users": (
            0,
            r"rtdash: warning: \d+ of \d+ user rows unreadable "
            r"\(the first: no known user state \(none given\)\)",
            "some",
        ),
        # an activeCall row needs no field; the one without txr still reads
        "lookup": (0, None, "all"),
    },
    "extra_fields": _same(0, None, "all"),
}


@pytest.fixture(scope="module")
def fault_sim() -> Iterator[Simulator]:
    config = SimConfig(seed=7, realtime=False, start=datetime.now(UTC))
    with Simulator(config) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def healthy_rows() -> dict[str, list[dict[str, Any]]]:
    """Each command's JSON rows with no fault, filled in by the first test that needs it."""
    return {}


@pytest.fixture
def flags(
    fault_sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[str]]:
    """Per command: the arguments that query ``fault_sim`` with a 0.5 s timeout."""
    fault_sim.faults.clear()
    monkeypatch.setenv("RTDASH_USERNAME", fault_sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", fault_sim.password)
    path = tmp_path / "rtdash.toml"
    path.write_text(
        f'[connection]\nbase_url = "{fault_sim.url}"\nigrp = {fault_sim.igrp}\ntimeout = 0.5\n'
    )
    ref = next(iter(fault_sim.model.centre(fault_sim.igrp).calls.values())).ref
    common = ["--config", str(path), "--json"]
    return {
        "calls": ["calls", *common],
        "users": ["users", *common],
        "lookup": ["lookup", *common, "--call-ref", ref],
    }


def ids(rows: list[dict[str, Any]], command: str) -> list[str]:
    """What identifies each row: the call, the user, or the caller's number group."""
    key = {"calls": "callRef", "users": "sipUserId", "lookup": "dgrp"}[command]
    return [row[key] for row in rows]


def at_most_one_line(run: Run, line: str | None) -> re.Match[str] | None:
    assert "Traceback" not in run.err
    if line is None:
        assert run.err == "", run.err
        return None
    assert len(run.err_lines) == 1, run.err
    match = re.fullmatch(line, run.err_lines[0])
    assert match, run.err_lines[0]
    return match


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault(
    rtdash: RunCli,
    fault_sim: Simulator,
    flags: dict[str, list[str]],
    healthy_rows: dict[str, list[dict[str, Any]]],
    fault: str,
    command: str,
) -> None:
    if command not in healthy_rows:  # the clock is frozen: once per command is enough
        healthy = rtdash(*flags[command])
        assert (healthy.code, healthy.err) == (0, "")
        healthy_rows[command] = healthy.json()
    good_rows = healthy_rows[command]
    assert good_rows

    fault_sim.faults.add(Fault(route=ROUTE[command], **FAULTS[fault]))
    run = rtdash(*flags[command])
    code, line, rows = EXPECTED[fault][command]

    assert run.code == code
    match = at_most_one_line(run, line)
    assert fault_sim.faults.pending == []  # the fault was served, to this route
    if rows is None:
        assert run.out == ""
    elif rows == "[]":
        assert run.json() == []
    elif rows == "all":
        assert ids(run.json(), command) == ids(good_rows, command)
    else:
        assert 0 < len(run.json()) < len(good_rows)
    if fault == "malformed_line" and command == "calls":
        assert match is not None and int(match[1]) == len(good_rows) + 1
    if fault == "extra_fields":
        assert all(row["extra"]["queuePriority"] == "2" for row in run.json())


@pytest.mark.parametrize("command", COMMANDS)
def test_connection_refused(
    rtdash: RunCli, fault_sim: Simulator, flags: dict[str, list[str]], command: str
) -> None:
    fault_sim.stop()
    try:
        run = rtdash(*flags[command])
    finally:
        fault_sim.start(port=fault_sim.port)
    assert run.code == 1
    at_most_one_line(
        run, re.escape(f"rtdash: cannot connect to 127.0.0.1:{fault_sim.port} (connection refused)")
    )
    assert run.out == ""


@pytest.mark.parametrize("fault", ["malformed_line", "missing_fields"])
@pytest.mark.parametrize("command", ["calls", "users"])
def test_surviving_rows_are_printed_as_a_table_too(
    rtdash: RunCli,
    fault_sim: Simulator,
    flags: dict[str, list[str]],
    fault: str,
    command: str,
) -> None:
    table_flags = [flag for flag in flags[command] if flag != "--json"]
    healthy = rtdash(*table_flags).out.splitlines()
    fault_sim.faults.add(Fault(route=ROUTE[command], **FAULTS[fault]))
    run = rtdash(*table_flags)
    assert run.code == 0
    at_most_one_line(run, EXPECTED[fault][command][1])
    lines = run.out.splitlines()
    assert lines[0].split() == healthy[0].split()  # the header
    if fault == "malformed_line":
        assert len(lines) == len(healthy)
    else:
        assert 1 < len(lines) < len(healthy)
