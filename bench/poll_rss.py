"""Memory of the dashboard at a big installation: RSS of the app, in a pty at 160x48,
polling a simulator that runs in a process of its own, against another commit's app
in the same run.

    python -m bench.poll_rss [--baseline main] [--sizes 10000,50000] [--seconds 60]

The simulator runs in real time (its calls arrive, move and end as the app polls
every second). After the app first shows data, RSS (``VmRSS``) is read every second
for ``--seconds``; the figures are the median and the last reading, and the peak
(``VmHWM``) over the whole run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.commit_tree import ROOT, export_commit
from bench.measures.proc_status import status_mb
from bench.measures.terminal import Terminal, bare_env

SIM = """
import json, sys
from datetime import UTC, datetime
from rtdash.sim import DEFAULT_INSTALLATIONS, SimConfig, Simulator
calls = int(sys.argv[1])
sim = Simulator(SimConfig(seed=7, agents=max(100, calls // 3), load=calls, realtime=True,
    start=datetime.now(UTC), warm_up=1800, installations=[DEFAULT_INSTALLATIONS[0]]))
sim.start(port=0)
print(json.dumps({"url": sim.url, "igrp": sim.igrp, "username": sim.username,
    "password": sim.password}), flush=True)
sys.stdin.read()
"""


def rss_mb(pid: int, field: str = "VmRSS:") -> float:
    return status_mb(pid, field.rstrip(":"))


def measure(tree: Path, calls: int, seconds: float) -> dict[str, float]:
    sim = subprocess.Popen(
        [sys.executable, "-c", SIM, str(calls)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert sim.stdout is not None
        address = json.loads(sim.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="rtdash-rss-") as home:
            env = bare_env(Path(home))
            env["PYTHONPATH"] = str(tree)
            env["RTDASH_USERNAME"] = address["username"]
            env["RTDASH_PASSWORD"] = address["password"]
            # -P: the tree on PYTHONPATH, not the checkout the pty starts in, is the
            # rtdash that runs (without it both sides ran this checkout's)
            argv = [
                sys.executable,
                "-P",
                "-m",
                "rtdash",
                "--base-url",
                address["url"],
                "--igrp",
                str(address["igrp"]),
                "--interval",
                "1",
            ]
            term = Terminal(argv, env, (160, 48))
            try:
                term.wait_for(timeout=180)
                samples = []
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    time.sleep(1.0)
                    samples.append(rss_mb(term.pid))
                return {
                    "median": statistics.median(samples),
                    "last": samples[-1],
                    "peak": rss_mb(term.pid, "VmHWM:"),
                }
            finally:
                term.close()
                try:
                    term.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    term.process.kill()
    finally:
        if sim.stdin is not None:
            sim.stdin.close()
        try:
            sim.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a big centre can take long to wind down
            sim.kill()
            sim.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| live calls | side | RSS median MB | RSS last MB | peak (VmHWM) MB |")
    print("|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="rtdash-rss-tree-") as tmp:
        trees = {"baseline": export_commit(args.baseline, Path(tmp)), "branch": ROOT}
        for calls in (int(size) for size in args.sizes.split(",")):
            for side, tree in trees.items():
                got = measure(tree, calls, args.seconds)
                print(
                    f"| {calls:,} | {side} | {got['median']:.0f} | {got['last']:.0f} "
                    f"| {got['peak']:.0f} |",
                    flush=True,
                )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
