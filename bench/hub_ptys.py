"""Real ``rtdash --hub`` dashboards in pseudo-terminals, timed from fetch to screen."""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import os
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from bench.loads import REPO
from rtdash.hub.viewer import TRACE_ENV


class PtyViewers:
    """A few real ``rtdash --hub`` dashboards, each in its own pseudo-terminal (120x40),
    beside the in-process subscribers. Each writes, per calls snapshot its screen is
    given, the snapshot's fetch time and the moment (``RTDASH_HUB_TRACE``); a thread per
    terminal stamps every write the app makes to it. Publish-to-screen for one snapshot
    is then the first write to the terminal at or after it was given to the screen (the
    redraw that shows it) minus its fetch time."""

    def __init__(self, count: int, env: dict[str, str], folder: Path) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.traces: list[Path] = []
        self.writes: list[list[float]] = []
        self._masters: list[int] = []
        for i in range(count):
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            trace = folder / f"viewer-{i}.trace"
            proc = subprocess.Popen(
                [sys.executable, "-m", "rtdash", "--hub"],
                env={**env, "TERM": "xterm-256color", TRACE_ENV: str(trace)},
                cwd=REPO,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                start_new_session=True,
            )
            os.close(slave)
            writes: list[float] = []
            threading.Thread(target=_drain, args=(master, writes), daemon=True).start()
            self.procs.append(proc)
            self.traces.append(trace)
            self.writes.append(writes)
            self._masters.append(master)

    def samples(self, start: float, end: float) -> list[tuple[float, float]]:
        """Per snapshot given to a screen in the window: seconds from fetch to the app
        holding it, and to the terminal write that shows it."""
        out: list[tuple[float, float]] = []
        for trace, writes in zip(self.traces, self.writes, strict=True):
            if not trace.exists():
                continue
            stamps = sorted(writes)
            for line in trace.read_text().splitlines():
                fetched, given = (float(x) for x in line.split())
                if not start <= given <= end:
                    continue
                i = bisect.bisect_left(stamps, given)
                if i < len(stamps):
                    out.append((given - fetched, stamps[i] - fetched))
        return out

    def running(self) -> int:
        return sum(proc.poll() is None for proc in self.procs)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for master in self._masters:
            with contextlib.suppress(OSError):
                os.close(master)


def _drain(master: int, writes: list[float]) -> None:
    """Read a terminal's output as the app writes it (else the app blocks), stamping
    each write."""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            return
        if not data:
            return
        writes.append(time.time())
