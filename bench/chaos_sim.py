"""The chaos run's upstream: a simulator in a process of its own, so the memory and CPU
the chaos run measures are the app's alone, and the faults it serves are counted where
they are served.

``python -m bench.chaos_sim --seed 1 --speed 20`` serves it (:func:`serve_simulator`);
:class:`SimulatorProcess` starts that child and drives it over its stdin and stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from rtdash.sim.faults import Fault, FaultPlan


class CountingFaultPlan(FaultPlan):
    """The simulator's fault plan, counting the requests it is asked about per route."""

    NAMES: ClassVar[dict[str, str]] = {"pbxActiveCalls": "calls", "pbxUserStatus": "users"}

    def __init__(self) -> None:
        super().__init__()
        self.requests: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    def take(self, route: str) -> Fault | None:
        with self._count_lock:
            self.requests[self.NAMES.get(route, route)] += 1
        return super().take(route)


def serve_simulator(seed: int, speed: float) -> None:
    """The upstream, in its own process, so the app's memory and CPU are measured alone.

    Prints its address as one JSON line, then answers one JSON line per command read
    from stdin: ``["random", rate, kinds, seed]``, ``["clear"]``, ``["stats"]`` (requests
    per route and faults by kind), ``["stop"]``.
    """
    from rtdash.sim import SimConfig, Simulator

    sim = Simulator(SimConfig(seed=seed, speed=speed, start=datetime.now(UTC)))
    plan = sim.faults = CountingFaultPlan()
    sim.start(port=0)
    print(json.dumps([sim.url, sim.igrp, sim.username, sim.password]), flush=True)
    try:
        for line in sys.stdin:
            command, *args = json.loads(line)
            answer: object = None
            if command == "random":
                plan.random(*args)
            elif command == "clear":
                plan.clear()
            elif command == "stats":
                answer = [dict(plan.requests), plan.stats]
            print(json.dumps(answer), flush=True)
            if command == "stop":
                break
    finally:
        sim.stop()


class SimulatorProcess:
    """``serve_simulator`` in a child process, driven over its stdin and stdout."""

    def __init__(self, seed: int, speed: float) -> None:
        root = Path(__file__).resolve().parents[1]
        path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.chaos_sim",
                "--seed",
                str(seed),
                "--speed",
                str(speed),
            ],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url, self.igrp, self.username, self.password = self._read()

    def _read(self) -> Any:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the simulator process ended")
        return json.loads(line)

    def ask(self, *command: object) -> Any:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(command) + "\n")
        self._process.stdin.flush()
        return self._read()

    def stats(self) -> tuple[Counter[str], dict[str, int]]:
        requests, faults = self.ask("stats")
        return Counter(requests), faults

    def stop(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            self.ask("stop")
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chaos_sim", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speed", type=float, default=20.0, help="simulated time per second")
    args = parser.parse_args(argv)
    serve_simulator(args.seed, args.speed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
