"""P2, P3, P4 and P5: the app as a separate process in a real pseudo-terminal.

The child is ``python -m rtdash`` or ``python -m bench.baseline`` with the same flags,
pointed at a simulator served from this process, with the credentials in its
environment and a fresh HOME (so no config file of the machine's is read). A thread
drains the pty master all the time, as a terminal would, counting bytes and noting when
a marker of data first appears.

The framework floor (``python -m bench.floor_app``, a bare Textual app of the same
shape) runs the same way, minus the simulator and the credentials.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from bench.loads import REPO, AppKind, Load, make_sim
from bench.measures.proc_status import status_mb
from rtdash.sim import Simulator

#: the status bar says this once the first poll has returned
DATA_MARKER = b"data as of"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Terminal:
    """A child process on a pty of a given size, and what it has written so far."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        size: tuple[int, int],
        cwd: Path | None = None,
    ) -> None:
        """``cwd``: where the child runs (``python -m rtdash`` imports the rtdash found
        there: another commit's, exported); this checkout by default."""
        columns, rows = size
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.total = 0
        self.seen: dict[bytes, float] = {}
        self._markers = (DATA_MARKER,)
        self._tail = b""
        #: the last few KiB written, to say why a child failed
        self.last_output = b""
        self._lock = threading.Lock()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd or REPO,
            start_new_session=True,
            preexec_fn=_controlling_tty,  # setsid first, then the pty becomes its terminal
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, name="bench-pty", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _drain(self) -> None:
        keep = max(len(marker) for marker in self._markers) - 1
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            with self._lock:
                self.total += len(chunk)
                window = self._tail + chunk
                for marker in self._markers:
                    if marker not in self.seen and marker in window:
                        self.seen[marker] = now
                self._tail = window[-keep:]
                self.last_output = (self.last_output + chunk)[-4096:]

    def wait_for(self, marker: bytes = DATA_MARKER, timeout: float = 60.0) -> float:
        """Seconds from spawning to the marker's first appearance."""
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            if self.process.poll() is not None:
                time.sleep(0.1)  # let the reader take the last words
                raise RuntimeError(
                    f"the app exited ({self.process.returncode}) before data: {self.said()}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {marker!r} on the terminal in {timeout:g} s")
            time.sleep(0.002)
        return self.seen[marker] - self.started

    def said(self) -> str:
        """The end of what the child wrote, without escape codes."""
        text = re.sub(
            rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b[()][0-9A-B]|\x1b[=>]", b"", self.last_output
        )
        return " ".join(text.decode("utf-8", "replace").split())[-600:]

    def bytes_so_far(self) -> int:
        with self._lock:
            return self.total

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def cpu_seconds(self) -> float:
        """utime + stime of the child (all its threads), from /proc."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_rss_mb(self) -> float:
        return status_mb(self.pid, "VmHWM")

    def close(self) -> None:
        """Quit as a user would (``q``); insist if it does not go."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.send(b"q")
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
        self._reader.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(self.master)


def _controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def bare_env(home: Path) -> dict[str, str]:
    """This process's environment without anything that configures rtdash or Textual,
    and a fresh ``home``: every child starts from the same clean slate.

    ``PYTHONDONTWRITEBYTECODE`` goes too: with it, a module whose cached bytecode is out
    of date is compiled again at every start (a fresh install has it all compiled), and
    the uncounted first start of P2 could not fill the caches as it is there to do."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RTDASH_", "TEXTUAL", "XDG_"))
        and key not in {"NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE"}
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


def child_env(sim: Simulator, home: Path) -> dict[str, str]:
    env = bare_env(home)
    env["RTDASH_USERNAME"] = sim.username
    # the local simulator's demo password, handed over in the environment as a user would
    env["RTDASH_PASSWORD"] = sim.password
    return env


@contextlib.contextmanager
def terminal(
    kind: AppKind, sim: Simulator, size: tuple[int, int], cwd: Path | None = None
) -> Iterator[Terminal]:
    with tempfile.TemporaryDirectory(prefix="rtdash-bench-") as home:
        term = Terminal(kind.argv(sim), child_env(sim, Path(home)), size, cwd)
        try:
            yield term
        finally:
            term.close()


def floor_argv(*flags: str) -> list[str]:
    """The framework floor's command: by default the status redrawn once a second;
    ``--still``, ``--ticking`` and ``--stack`` as in :mod:`bench.floor_app`."""
    return [sys.executable, "-m", "bench.floor_app", *flags]


@contextlib.contextmanager
def floor_terminal(*flags: str, size: tuple[int, int]) -> Iterator[Terminal]:
    """The framework floor in a pty: no simulator, so no credentials, but the same
    fresh HOME and scrubbed environment as the apps under test."""
    with tempfile.TemporaryDirectory(prefix="rtdash-bench-floor-") as home:
        term = Terminal(floor_argv(*flags), bare_env(Path(home)), size)
        try:
            yield term
        finally:
            term.close()


def cpu_percent(term: Terminal, window: float) -> float:
    """% of one core the child uses over the next ``window`` seconds."""
    start_cpu, start = term.cpu_seconds(), time.monotonic()
    time.sleep(window)
    used, elapsed = term.cpu_seconds() - start_cpu, time.monotonic() - start
    return 100.0 * used / elapsed


# --- the measures ----------------------------------------------------------------------


def first_data(kind: AppKind, sim: Simulator, size: tuple[int, int]) -> float:
    """P2: seconds from spawning the process to the first data on its terminal."""
    with terminal(kind, sim, size) as term:
        return term.wait_for()


def bytes_per_second(
    kind: AppKind, load: Load, size: tuple[int, int], *, warmup: float, window: float
) -> float:
    """P3: bytes the app writes to its terminal per second at steady state, with the
    simulated centre running in real time (calls arrive, queue, are answered, end)."""
    with make_sim(load, realtime=True) as sim, terminal(kind, sim, size) as term:
        term.wait_for()
        time.sleep(warmup)
        before = term.bytes_so_far()
        time.sleep(window)
        return (term.bytes_so_far() - before) / window


def idle_cpu(
    kind: AppKind, load: Load, *, paused: bool, warmup: float, window: float, size=(160, 48)
) -> float:
    """P4: % of one core the app uses while paused (``p``), or live on a frozen centre
    (nothing changes but the clock: times in state and the data's age tick)."""
    with make_sim(load, realtime=False, now=True) as sim, terminal(kind, sim, size) as term:
        term.wait_for()
        time.sleep(0.5)
        if paused:
            term.send(b"p")
        time.sleep(warmup)
        return cpu_percent(term, window)


def peak_memory(kind: AppKind, load: Load, *, window: float, size=(160, 48)) -> float:
    """P5: the child's peak resident set (VmHWM, MB) after ``window`` s of live data."""
    with make_sim(load, realtime=True) as sim, terminal(kind, sim, size) as term:
        term.wait_for()
        time.sleep(window)
        return term.peak_rss_mb()


def floor_first_paint(size: tuple[int, int], *, stack: bool = False) -> float:
    """Floor of P2: seconds from spawning the bare Textual app to ``data as of`` on its
    terminal, which it draws in its first frame (there is nothing to fetch); with
    ``stack``, after importing the rest of rtdash's stack first."""
    with floor_terminal(*(("--stack",) if stack else ()), size=size) as term:
        return term.wait_for()


def floor_cpu(*flags: str, warmup: float, window: float, size=(160, 48)) -> float:
    """Floor of P4: % of one core the bare Textual app uses, timed as P4 is, with its
    status line redrawn once a second (no flag), every line (``--ticking``) or nothing
    (``--still``)."""
    with floor_terminal(*flags, size=size) as term:
        term.wait_for()
        time.sleep(0.5 + warmup)  # as idle_cpu: half a second to settle, then the warm-up
        return cpu_percent(term, window)
