"""The installed ``rtdash`` script and ``python -m rtdash``, and a light start-up path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import a_password

SCRIPT = Path(sys.executable).parent / "rtdash"


def run(argv: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RTDASH_")}
    clean |= {"RTDASH_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path), **env}
    clean["XDG_STATE_HOME"] = str(tmp_path / "state")
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=clean)


@pytest.mark.skipif(not SCRIPT.exists() and not shutil.which("rtdash"), reason="not installed")
def test_console_script_runs_a_demo_query(tmp_path: Path) -> None:
    script = str(SCRIPT) if SCRIPT.exists() else "rtdash"
    result = run([script, "calls", "--demo", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["state"] for row in rows} == {"ringing", "queueing", "bridged"}


def test_python_m_rtdash_returns_the_exit_code(tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "rtdash", "users", "--igrp", "nope"], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "rtdash: --igrp 'nope': expected a whole number (see `rtdash users --help`)"
    ]


PROBE = """
import sys
from rtdash.cli import main
code = main({argv!r})
heavy = ("textual", "rtdash.sim", "rtdash.ui", "httpx", "pydantic", "asyncio", "rtdash.api.client")
loaded = [m for m in heavy if m in sys.modules]
print("LOADED", code, ",".join(loaded), file=sys.stderr)
"""


def loaded_after(argv: list[str], tmp_path: Path, **env: str) -> tuple[int, set[str]]:
    result = run([sys.executable, "-c", PROBE.format(argv=argv)], tmp_path, **env)
    last = result.stderr.strip().splitlines()[-1].split(" ")
    assert last[0] == "LOADED", result.stderr
    return int(last[1]), set(filter(None, (last[2] if len(last) > 2 else "").split(",")))


def test_help_loads_nothing_heavy(tmp_path: Path) -> None:
    code, loaded = loaded_after(["--help"], tmp_path)
    assert code == 0
    assert loaded == set()


def test_a_query_never_loads_textual_or_the_simulator(tmp_path: Path) -> None:
    code, loaded = loaded_after(
        ["calls", "--igrp", "1", "--base-url", "http://127.0.0.1:9/reports/v2"],
        tmp_path,
        RTDASH_API_KEY=a_password("key"),
    )
    assert code == 1  # nothing listens on port 9
    assert "rtdash.api.client" in loaded  # the query was asked (the probe sees loads)
    # httpx neither: a plain-http query goes through the client's own HTTP/1.1 lane
    assert not loaded & {"textual", "rtdash.sim", "rtdash.ui", "httpx"}


def test_demo_loads_the_simulator_but_not_textual(tmp_path: Path) -> None:
    code, loaded = loaded_after(["users", "--demo", "--json"], tmp_path)
    assert code == 0
    assert "rtdash.sim" in loaded
    assert not loaded & {"textual", "rtdash.ui"}


def test_doctor_never_loads_textual(tmp_path: Path) -> None:
    code, loaded = loaded_after(["doctor", "--demo", "--json"], tmp_path)
    assert code == 0
    assert "rtdash.sim" in loaded
    assert not loaded & {"textual", "rtdash.ui"}


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    """``rtdash calls --json | head -1``: the reader leaves before rtdash writes."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RTDASH_")}
    clean |= {"RTDASH_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path)}
    clean["XDG_STATE_HOME"] = str(tmp_path / "state")
    child = subprocess.Popen(
        [sys.executable, "-m", "rtdash", "calls", "--demo", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the simulator has even started
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0
    assert stderr == ""
