"""Drive the real ``rtdash --demo`` in a real terminal (tmux) as a person would.

Starts the app at a given size, waits for live data, opens a lookup on the selected
call, closes it, types a number lookup, closes it and quits — checking the screen text
at each step. Run it alone (``python -m tests.smoke.tmux_drive``) or through pytest.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

#: what the shell prints once the command has exited, with its status
EXITED = re.compile(r"\[exited (\d+)\]")

#: the test run's own tmux server (``tmux -L``): a person's tmux, or a
#: ``tmux kill-server`` run elsewhere on the machine, neither sees nor ends these terminals
SOCKET = f"rtdash-tests-{os.getpid()}"


def tmux(*arguments: str) -> list[str]:
    """A tmux command line on the test run's own server."""
    return ["tmux", "-L", SOCKET, *arguments]


def _new_session(name: str, width: int, height: int) -> None:
    """``tmux new-session``, tried again if it lands while the tmux server is exiting
    (killing the last session ends the server, and a new session at that moment fails
    with "server exited unexpectedly"): the tests run one terminal after another."""
    command = tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height))
    for attempt in range(3):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return
        time.sleep(0.2 * (attempt + 1))
    raise AssertionError(f"tmux new-session failed: {done.stderr.strip()}")


class Terminal:
    """One tmux session running one command."""

    def __init__(self, command: list[str], width: int, height: int, env: dict[str, str]) -> None:
        self.name = f"rtdash-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        line = f"env {exports} {shlex.join(command)}; echo [exited $?]"
        _new_session(self.name, width, height)
        subprocess.run(tmux("set-option", "-t", self.name, "remain-on-exit", "on"), check=True)
        self.keys(line, "Enter")

    def screen(self) -> str:
        result = subprocess.run(
            tmux("capture-pane", "-p", "-t", self.name),
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(tmux("send-keys", "-t", self.name, *keys), check=True)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def pane_pid(self) -> int:
        out = subprocess.run(
            tmux("display-message", "-p", "-t", self.name, "#{pane_pid}"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.strip())

    def exit_status(self, timeout: float = 10.0) -> int:
        """The command's exit status, once it has exited: the shell that ran it says
        so on the screen."""
        screen = self.wait_for(
            lambda s: EXITED.search(s) is not None, "the command to exit", timeout
        )
        match = EXITED.search(screen)
        assert match is not None
        return int(match.group(1))

    def close(self) -> None:
        subprocess.run(tmux("kill-session", "-t", self.name), check=False)


def rtdash_command() -> list[str]:
    return [sys.executable, "-m", "rtdash"]


def clean_env() -> dict[str, str]:
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"rtdash-home-{uuid.uuid4().hex[:6]}"
    home.mkdir(parents=True, exist_ok=True)
    # a fresh HOME: no user config, no credentials — the demo needs none
    return {
        "HOME": str(home),
        "TERM": "xterm-256color",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "RTDASH_USERNAME": "",
        "RTDASH_PASSWORD": "",
        "RTDASH_API_KEY": "",
    }


_TIME = re.compile(r"\b\d+:\d\d\b")


def drive(width: int = 80, height: int = 24, env: dict[str, str] | None = None) -> list[str]:
    """Run the walk-through; return the screens seen (raises AssertionError on a miss).

    ``env`` adds to the clean environment (``NO_COLOR``, say).
    """
    screens: list[str] = []
    term = Terminal([*rtdash_command(), "--demo"], width, height, {**clean_env(), **(env or {})})
    try:
        first = term.wait_for(
            lambda s: "Ringing" in s and "Bridged" in s and "data as of" in s,
            "live data in three groups",
        )
        screens.append(first)
        assert "DEMO" in first, "the demo badge is shown"
        assert "Users" in first and "available" in first
        # time in state ticks between polls: some m:ss value changes
        before = _TIME.findall(first)
        term.wait_for(lambda s: _TIME.findall(s) != before, "times in state ticking", timeout=15)
        # Tab to the bridged calls, Enter looks the caller up
        term.keys("Tab", "Tab")
        term.keys("Enter")
        lookup = term.wait_for(
            lambda s: "Caller lookup" in s and "Attribution" in s, "the lookup modal"
        )
        screens.append(lookup)
        assert "Channel" in lookup
        term.keys("Escape")
        term.wait_for(lambda s: "Caller lookup" not in s and "Ringing" in s, "back to dashboard")
        # a typed number that no call has: a clear message inside the modal
        term.keys("l")
        term.wait_for(lambda s: "Phone number" in s, "the lookup input")
        term.keys("020 7946 0999", "Enter")
        no_match = term.wait_for(lambda s: "No call matches" in s, "the no-match message")
        screens.append(no_match)
        term.keys("Escape")
        term.wait_for(lambda s: "Caller lookup" not in s, "the modal closed")
        term.keys("q")
        term.wait_for(lambda s: "Ringing" not in s, "the app to quit", timeout=10)
        assert term.exit_status() == 0, term.screen()
    finally:
        term.close()
    return screens


def main() -> int:
    for width, height in ((80, 24), (160, 48)):
        screens = drive(width, height)
        print(f"{width}x{height}: ok ({len(screens)} screens checked)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
