"""The dashboard command's start, as a user runs it: the settings load imports neither
httpx, phone numbers nor Textual; on a terminal the first requests leave before the app
is built, their answers are what the first frame shows (no "connecting…" frame before
the data) and nothing is asked twice (the simulator counts, ``GET /_sim/stats``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bench.measures.terminal import DATA_MARKER, Terminal, child_env
from bench.start_imports import loaded_at_first_data
from rtdash.sim import Simulator
from tests.support import a_password

SETTINGS_PROBE = """
import argparse, json, sys
import rtdash.cli
from rtdash.cli.flags import load_run_settings
args = argparse.Namespace(config=None, igrp=[4242], interval=2.0, command=None)
settings = load_run_settings(args)
assert settings.connection.credentials().usable
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:9"])
def test_loading_the_settings_imports_no_http_client_phone_numbers_or_textual(
    tmp_path: Path, base_url: str | None
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RTDASH_")}
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        RTDASH_USERNAME="someone",
        RTDASH_PASSWORD=a_password(),
    )
    probe = SETTINGS_PROBE
    if base_url:  # plain http on loopback: the insecure-http check has a look
        probe = probe.replace("command=None", f"command=None, base_url={base_url!r}")
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "rtdash.config" in modules, "the probe did load the settings"
    # httpx neither: the plain-http check reads the URL without it (as it reads it)
    wanted_out = {"phonenumbers", "textual", "rtdash.ui", "httpx", "urllib.request"}
    if base_url is None:  # https: nothing about the http client is needed yet
        wanted_out |= {"rtdash.api.client"}
    assert sorted(wanted_out & modules) == []


class RecordingTerminal(Terminal):
    """The harness's terminal, keeping everything the child wrote (not only its tail)."""

    everything = b""

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.everything += chunk
            if DATA_MARKER in self.everything and DATA_MARKER not in self.seen:
                self.seen[DATA_MARKER] = 0.0


def run_dashboard(sim: Simulator) -> tuple[bytes, dict[str, Any]]:
    """``rtdash`` in a 160x48 pseudo-terminal until its first data: what it wrote up to
    the marker, and the simulator's request counts then."""
    argv = [sys.executable, "-m", "rtdash", "--base-url", sim.url, "--igrp", str(sim.igrp)]
    argv += ["--interval", "3600"]  # one poll in the test's time
    with tempfile.TemporaryDirectory(prefix="rtdash-test-") as home:
        term = RecordingTerminal(argv, child_env(sim, Path(home)), (160, 48))
        try:
            term.wait_for(DATA_MARKER, timeout=60)
            counts: Any = sim.stats()["requests"]
            written = term.everything
        finally:
            term.close()
    return written, counts


def test_the_first_frame_on_a_terminal_is_the_first_answer_asked_for_once(
    sim: Simulator,
) -> None:
    written, counts = run_dashboard(sim)
    assert counts.get("pbxActiveCalls") == 1
    assert counts.get("pbxUserStatus") == 1
    before_data = written.split(DATA_MARKER)[0]
    assert b"connecting" not in before_data, "an empty dashboard was painted first"
    assert len(before_data) > 1000, "the frame with the data is written whole"


#: what the first data does without: the polls go through the client's own HTTP/1.1
#: lane (rtdash/api/http11.py), whose URLs are read without httpx
#: (rtdash/api/request_url.py); httpx's transport, httpcore and anyio, come with it,
#: as do ``urllib.request``, ``http.client`` and ``email``; ctypes comes with a big
#: body (rtdash/api/heap.py), glob with a replay's error (rtdash/cli)
NOT_BEFORE_THE_FIRST_DATA = (
    "httpx",
    "httpcore",
    "anyio",
    "urllib.request",
    "http.client",
    "email.utils",
    "ctypes",
    "glob",
)


def test_a_start_draws_its_first_data_without_httpx() -> None:
    """A real start in a pty, on the medium simulator over plain http: the modules
    loaded when the first ``data as of`` is handed to the terminal, threads included."""
    loaded = loaded_at_first_data(("textual.app", "h11", *NOT_BEFORE_THE_FIRST_DATA))
    assert {"textual.app", "h11"} <= loaded, "the probe sees what the start loads"
    assert sorted(loaded & set(NOT_BEFORE_THE_FIRST_DATA)) == []
