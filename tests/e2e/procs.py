"""Processes for the end-to-end tests: free ports, bounded waits, whole-group cleanup.

Every process is started in its own session, so stopping it stops what it started too
(textual-serve's app processes, Chromium's helpers, sshd's session children).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: set by .ci/run: a missing browser or sshd is then a failure, not a skip
REQUIRED = os.environ.get("RTDASH_E2E_REQUIRED") == "1"


def need(path: str, what: str, package: str) -> str:
    """``path`` if it is an executable; otherwise skip (or fail under CI) saying why."""
    found = path if os.access(path, os.X_OK) else shutil.which(Path(path).name)
    if found:
        return found
    reason = f"{what} not found at {path}: apt-get install {package} (CI's .ci/run does)"
    if REQUIRED:
        pytest.fail(reason + "; RTDASH_E2E_REQUIRED=1 makes this a failure")
    pytest.skip(reason)


def rtdash_command(*words: str) -> list[str]:
    """``rtdash WORDS…`` as a user runs it: the console script installed beside this
    interpreter (``python -m rtdash`` only if there is none)."""
    script = Path(sys.executable).with_name("rtdash")
    if script.is_file():
        return [str(script), *words]
    return [sys.executable, "-m", "rtdash", *words]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Until something accepts on 127.0.0.1:``port``; AssertionError on timeout or exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode}")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f} s")


def app_env(home: Path) -> dict[str, str]:
    """A clean environment for rtdash: a fresh HOME, no credentials, this checkout."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RTDASH_", "TEXTUAL")) and key != "NO_COLOR"
    }
    env.update(
        HOME=str(home),
        TERM="xterm-256color",
        PYTHONPATH=str(REPO),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".state"),
    )
    return env


def start(
    command: Sequence[str], log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` in a new session, stdout and stderr to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM the process group, SIGKILL what is left after ``grace`` seconds."""
    try:
        group = os.getpgid(process.pid)
    except ProcessLookupError:
        group = process.pid
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _group_alive(group):
            process.poll()
            time.sleep(0.05)
        if not _group_alive(group):
            break
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - reported, not hidden
        print(f"process {process.pid} did not exit", file=sys.stderr)


def _group_alive(group: int) -> bool:
    """Whether any process of ``group`` is still running (zombies do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == group and state not in ("Z", "X"):
            return True
    return False


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
