"""When the terminal goes away (an SSH drop), the dashboard exits within seconds instead
of spinning on a dead terminal. Shown in a real terminal: tmux, then kill the session.

Two ways it happens: the process gets SIGHUP as usual, or SIGHUP was ignored when it
started (``nohup``, some SSH wrappers; the ignoring is inherited across ``exec``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import time

import pytest

from tests.smoke.tmux_drive import Terminal, clean_env, rtdash_command, tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

#: "within a few seconds"
GRACE = 5.0


def exited(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # exited, not yet reaped
    except FileNotFoundError:
        return True


def app_pid(term: Terminal) -> int:
    """The app is the pane's shell's child (``env`` and ``sh -c 'exec …'`` both exec)."""
    out = subprocess.run(
        ["pgrep", "-P", str(term.pane_pid())], capture_output=True, text=True, check=False
    ).stdout.split()
    assert len(out) == 1, f"expected the app as the pane's only child, got {out}"
    pid = int(out[0])
    with open(f"/proc/{pid}/cmdline", encoding="utf-8") as cmdline:
        assert "rtdash" in cmdline.read()
    return pid


@pytest.mark.parametrize("sighup", ["delivered", "ignored"])
def test_the_app_exits_when_its_terminal_goes_away(sighup: str) -> None:
    command = [*rtdash_command(), "--demo"]
    if sighup == "ignored":
        command = ["sh", "-c", f"trap '' HUP; exec {shlex.join(command)}"]
    term = Terminal(command, 80, 24, clean_env())
    pid = None
    try:
        term.wait_for(lambda s: "Bridged" in s and "data as of" in s, "live data")
        pid = app_pid(term)
    finally:
        term.close()  # tmux kill-session: the terminal is gone
    gone_at = time.monotonic()
    while not exited(pid) and time.monotonic() - gone_at < GRACE:
        time.sleep(0.05)
    still_running = not exited(pid)
    if still_running:
        os.kill(pid, 9)  # do not leave a spinning process behind
    assert not still_running, f"the app was still running {GRACE:g} s after its terminal went"


def test_sigterm_quits_and_gives_the_terminal_back() -> None:
    """``kill`` (or a service manager) ends the dashboard as ``q`` does: the shell gets
    its screen back (no alternate screen, no mouse reporting) and exit status 143."""
    term = Terminal([*rtdash_command(), "--demo"], 80, 24, clean_env())
    try:
        term.wait_for(lambda s: "Bridged" in s and "data as of" in s, "live data")
        os.kill(app_pid(term), signal.SIGTERM)
        assert term.exit_status() == 143
        modes = subprocess.run(
            tmux("display-message", "-p", "-t", term.name, "#{alternate_on} #{mouse_any_flag}"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert modes == ["0", "0"], "the terminal was left in the app's modes"
    finally:
        term.close()
