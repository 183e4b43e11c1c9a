"""The simulator in a process of its own, driven over a pipe (for P6).

In-process, the simulator's HTTP thread builds each answer while holding the GIL: at the
large load that is tens of milliseconds per poll taken from the app being measured, on
the very path P6 times. A real service does that work on another machine; here it does
it in another process, as it already does for the terminal measures (P2 to P5):
``python -m bench.measures.remote_sim LOAD``, asked for each change on its stdin.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.loads import LOADS, REPO, Load, make_sim
from rtdash.sim import Simulator


@dataclass(frozen=True)
class SimAddress:
    """What an app needs to reach the simulator (as ``Simulator`` has it)."""

    url: str
    igrp: int
    username: str
    password: str
    now: datetime


class RemoteSim:
    """The simulator's process, asked for a change one line at a time."""

    def __init__(self, process: subprocess.Popen[str], address: SimAddress) -> None:
        self._process = process
        self.address = address

    def new_call(self) -> tuple[set[str], float]:
        """Advance the centre until a new call arrives: its refs, and the
        ``time.perf_counter()`` (system-wide on Linux) just after it arrived."""
        answer = self._ask("new call")
        return set(answer["refs"]), float(answer["at"])

    def advance(self, seconds: float) -> None:
        """Move the centre on ``seconds`` (calls arrive, end and change state; every
        live call's durations tick): one poll's worth of medium churn for 1 s."""
        self._ask(f"advance {seconds:g}")

    def _ask(self, line: str) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()
        reply = self._process.stdout.readline()
        if not reply:
            raise RuntimeError("the simulator process ended")
        answer: dict[str, Any] = json.loads(reply)
        return answer


def live_refs(sim: Simulator) -> set[str]:
    centre = sim.model.centre(sim.igrp)
    assert centre is not None
    with sim._lock:
        return set(centre.calls)


def serve(load: Load) -> None:
    """The simulator process: frozen (it moves only when told), one new call per
    ``new call``, a move of so many seconds per ``advance SECONDS``."""
    with make_sim(load) as sim:
        _say(
            {
                "url": sim.url,
                "igrp": sim.igrp,
                "username": sim.username,
                "password": sim.password,
                "now": sim.now.isoformat(),
            }
        )
        for line in sys.stdin:
            if line.startswith("advance "):
                sim.advance(float(line.split()[1]))
                _say({"at": time.perf_counter()})
                continue
            before = live_refs(sim)
            new: set[str] = set()
            while not new:
                sim.advance(1)
                new = live_refs(sim) - before
            _say({"refs": sorted(new), "at": time.perf_counter()})


def _say(answer: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def remote_sim(load: Load) -> Iterator[RemoteSim]:
    """The simulator of ``load`` in a process of its own (a load of the table by its
    name, any other by its sizes)."""
    spec = load.name if LOADS.get(load.name) == load else f"{load.calls}:{load.users}"
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.measures.remote_sim", spec],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline() or "null")
        if not first:
            raise RuntimeError("the simulator process did not start")
        first["now"] = datetime.fromisoformat(first["now"])
        yield RemoteSim(process, SimAddress(**first))
    finally:
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_of(spec: str) -> Load:
    """A load by name (``medium``) or by its sizes (``10000:5000``, calls:users)."""
    if ":" in spec:
        calls, users = (int(part) for part in spec.split(":"))
        return Load(f"{calls} calls", calls, users)
    return LOADS[spec]


if __name__ == "__main__":
    serve(load_of(sys.argv[1]))
