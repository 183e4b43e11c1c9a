"""The dashboard through a real OpenSSH server: ``ssh -t … rtdash --demo`` in tmux.

sshd runs on a loopback port with host and user keys generated into a temporary folder;
the ssh client runs in a real terminal (tmux), as a supervisor working from home would.
Needs Debian's openssh-server and openssh-client, and tmux (CI's ``.ci/run`` installs
them; locally the tests skip without them).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.procs import need
from tests.e2e.sshd import (
    SSH,
    SSH_KEYGEN,
    SSHD,
    Sshd,
    processes_with_env,
    remote_rtdash,
    wait_until,
)
from tests.smoke.tmux_drive import Terminal

_TIME = re.compile(r"\b\d+:\d\d\b")
#: a UK mobile caller as the grid shows one
_MOBILE = re.compile(r"\+44 7700 \d{6}")


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    need(SSHD, "sshd", "openssh-server")
    need(SSH, "ssh", "openssh-client")
    need(SSH_KEYGEN, "ssh-keygen", "openssh-client")
    need("/usr/bin/tmux", "tmux", "tmux")
    with Sshd(tmp_path / "sshd") as server:
        yield server


def _terminal(sshd: Sshd, tmp_path: Path, marker: str, width: int, height: int) -> Terminal:
    remote = remote_rtdash(["--demo"], tmp_path / "home", {"RTDASH_E2E_SESSION": marker})
    ssh = shlex.join(sshd.ssh_command(remote))
    local = {"TERM": "xterm-256color", "HOME": str(tmp_path / "client-home")}
    return Terminal(["sh", "-c", f"{ssh}; echo SSH-EXIT=$?"], width, height, local)


def _live(screen: str) -> bool:
    return "Ringing" in screen and "Bridged" in screen and "data as of" in screen


@pytest.mark.parametrize(("width", "height"), [(80, 24), (160, 48)])
def test_dashboard_over_ssh(sshd: Sshd, tmp_path: Path, width: int, height: int) -> None:
    marker = f"RTDASH_E2E_SESSION={uuid.uuid4().hex}"
    term = _terminal(sshd, tmp_path, marker.split("=", 1)[1], width, height)
    try:
        first = term.wait_for(_live, "live data through ssh", timeout=30)
        assert "DEMO" in first
        # the app runs on the far side of sshd: a child of its session process
        apps = processes_with_env(marker)
        assert len(apps) == 1, apps
        parent = Path(f"/proc/{apps[0]}/stat").read_text().rsplit(")", 1)[1].split()[1]
        assert Path(f"/proc/{parent}/cmdline").read_bytes().startswith(b"sshd"), parent
        # live: times in state tick
        before = _TIME.findall(first)
        term.wait_for(lambda s: _TIME.findall(s) != before, "times ticking through ssh", timeout=15)
        # Tab Tab Enter looks the caller up; Escape closes it
        term.keys("Tab", "Tab")
        term.keys("Enter")
        lookup = term.wait_for(
            lambda s: "Caller lookup" in s and "Attribution" in s, "the lookup", timeout=15
        )
        assert "Channel" in lookup
        term.keys("Escape")
        term.wait_for(lambda s: "Caller lookup" not in s and "Ringing" in s, "the dashboard")
        # l, a number and Enter in one write (typed fast, they cross the link together):
        # the number is looked up, none of it lost on the dashboard under the dialog
        caller = _MOBILE.search(first)
        assert caller is not None, "a mobile caller on the first screen"
        national = "0" + caller.group(0).removeprefix("+44 ")
        term.keys(f"l{national}", "Enter")
        typed = term.wait_for(
            lambda s: f"Caller lookup — {caller.group(0)}" in s and "Attribution" in s,
            "the typed-ahead lookup",
            timeout=15,
        )
        assert national in typed
        term.keys("Escape")
        term.wait_for(lambda s: "Caller lookup" not in s and "Ringing" in s, "the dashboard")
        # q quits the app, which ends the ssh session with status 0
        term.keys("q")
        term.wait_for(lambda s: "SSH-EXIT=0" in s, "the ssh session to end", timeout=15)
        assert wait_until(lambda: not processes_with_env(marker), 5), "the app exited"
    finally:
        term.close()
    assert f"Accepted publickey for {sshd.user} from 127.0.0.1" in sshd.log_text()


def test_a_dropped_ssh_client_ends_the_remote_app(sshd: Sshd, tmp_path: Path) -> None:
    """The supervisor's laptop goes away: the app on the server must not live on."""
    session = uuid.uuid4().hex
    marker = f"RTDASH_E2E_SESSION={session}"
    term = _terminal(sshd, tmp_path, session, 80, 24)
    try:
        term.wait_for(_live, "live data through ssh", timeout=30)
        apps = processes_with_env(marker)
        assert len(apps) == 1, apps
        clients = _ssh_clients(sshd.port)
        assert len(clients) == 1, clients
        os.kill(clients[0], signal.SIGKILL)
        gone = wait_until(lambda: not processes_with_env(marker), 10)
        assert gone, f"the app {apps} outlived its ssh session"
    finally:
        for pid in processes_with_env(marker):  # never leave one behind, even on failure
            os.kill(pid, signal.SIGKILL)
        term.close()


def _ssh_clients(port: int) -> list[int]:
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == SSH.encode() and str(port).encode() in argv:
            found.append(int(proc.name))
    return found
