"""``rtdash serve --hub`` with a few browser tabs (headless Chromium), timed from fetch
to each tab's app holding the snapshot.

textual-serve starts one ``rtdash --hub`` process per tab; each appends, per calls
snapshot its screen is given, the snapshot's fetch time and the moment
(``RTDASH_HUB_TRACE``, one file for all: a line is one small append). What the browser
then draws is not timed here (the terminal benchmark times the redraw); the CPU of the
tabs' app processes is read from ``/proc``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.hub_redis import cpu_seconds, free_port
from bench.loads import REPO
from bench.measures.procs import rtdash_processes
from rtdash.hub.viewer import TRACE_ENV

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
)


def available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


class ServedTabs:
    """``rtdash serve --hub`` on a free loopback port, and Chromium with ``count`` tabs
    on it."""

    def __init__(self, count: int, env: dict[str, str], folder: Path) -> None:
        self.count = count
        self.trace = folder / "tabs.trace"
        port = free_port()
        self.server = subprocess.Popen(
            [sys.executable, "-m", "rtdash", "serve", "--port", str(port), "--hub"],
            env={**env, TRACE_ENV: str(self.trace)},
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_port(port, 20)
        profile = folder / "chromium"
        self.browser = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # a tab per page, opened through DevTools' HTTP endpoint
        devtools = _devtools_port(profile, 20)
        for _ in range(count):
            opened = urllib.request.Request(
                f"http://127.0.0.1:{devtools}/json/new?http://127.0.0.1:{port}/", method="PUT"
            )
            with urllib.request.urlopen(opened, timeout=10) as answer:
                answer.read()

    def apps(self) -> list[int]:
        """The tabs' running ``python -m rtdash`` processes (the server's group)."""
        return rtdash_processes(self.server.pid)

    def cpu(self, pids: list[int]) -> float:
        total = 0.0
        for pid in pids:
            with contextlib.suppress(OSError):
                total += cpu_seconds(pid)
        return total

    def samples(self, start: float, end: float) -> list[float]:
        """Seconds from fetch to a tab's app holding the snapshot, in the window."""
        if not self.trace.exists():
            return []
        out = []
        for line in self.trace.read_text().splitlines():
            fetched, given = (float(x) for x in line.split())
            if start <= given <= end:
                out.append(given - fetched)
        return out

    def stop(self) -> None:
        for proc in (self.browser, self.server):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in (self.browser, self.server):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _devtools_port(profile: Path, timeout: float) -> int:
    """The port Chromium wrote to ``DevToolsActivePort`` once DevTools listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, IndexError, ValueError):
            return int((profile / "DevToolsActivePort").read_text().splitlines()[0])
        time.sleep(0.1)
    raise RuntimeError("Chromium did not open DevTools")


def _wait_port(port: int, timeout: float) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"rtdash serve did not listen on {port}")
