"""Scale and the standalone entry point."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import httpx
import pytest

from rtdash.sim import Installation, SimConfig, Simulator

from .conftest import route_url, rows_of


def test_a_large_centre_holds_its_load(client: httpx.Client) -> None:
    config = SimConfig(
        realtime=False, load=2000, agents=1000, installations=[Installation(1234, "Big")]
    )
    with Simulator(config) as sim:
        r = client.get(route_url(sim, "pbxActiveCalls"), params={"tz": "Europe/London"})
        rows = rows_of(r)
        users = rows_of(client.get(route_url(sim, "pbxUserStatus")))
    assert 1500 <= len(rows) <= 2500
    assert len({row["callRef"] for row in rows}) == len(rows)
    assert {row["callState"] for row in rows} == {"ringing", "queueing", "bridged"}
    assert len(users) == 1000
    # bridged calls never exceed the agents, and each agent has at most one call
    agents = [row["operatorRef"] for row in rows if row["callState"] == "bridged"]
    assert len(agents) == len(set(agents)) <= 1000


def _ignore_interrupts() -> None:
    """In the child before it runs: SIGINT ignored, as a background job of a script (or
    a test runner's worker) starts its children."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("sigint", ["default", "ignored by the parent"])
def test_run_standalone_serves_until_interrupted(sigint: str) -> None:
    """Served until Ctrl-C, then a clean exit. Started from a parent that ignores SIGINT
    the child inherited that, and Python installs no handler for an ignored SIGINT: it
    served on until killed (seen as a timeout in the full suite, whose workers can
    leave SIGINT ignored)."""
    code = "from rtdash.sim import run_standalone; run_standalone(0, 7, 6, 6, 1.0)"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_ignore_interrupts if sigint != "default" else None,
    )
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(7)]
        url = banner[0].split()[-1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/reports/v2")
        text = "".join(banner)
        assert "1234  Northwind Contact Centre (advanced)" in text
        assert "5678  Harbour Lettings (basic)" in text
        rest = proc.stdout.readline() + proc.stdout.readline()
        # the login that process drew, as it printed it
        found = re.search(r"Basic user\s+demo / (\S+)", text + rest)
        assert found is not None and re.search(r"API key\s+\S{16,}", text + rest)
        assert found.group(1) != Simulator.password  # its own, not this process's
        r = httpx.get(f"{url}/igrps/1234/pbxUserStatus", auth=("demo", found.group(1)))
        assert r.status_code == 200 and len(r.text.splitlines()) == 6
        assert json.loads(r.text.splitlines()[0])["igrp"] == "1234"
        proc.send_signal(signal.SIGINT)
        # a clean exit takes about a second; a loaded machine (the suite's four workers
        # on two cores) once took over ten, which did not come back in 310 runs after
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "simulator stopped" in out
    assert "Traceback" not in err
