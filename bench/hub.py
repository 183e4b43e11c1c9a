"""``python -m bench.hub``: one hub, many viewers, one upstream poll.

A real redis-server on a free loopback port, the simulator at the medium load, one
``rtdash hub`` process, and 1, 10, 100 and 500 viewer subscriptions (each its own Redis
connection) spread over a few worker processes. Per N, two kinds of viewer: *screen*
(a hub subscriber decoding every frame, as a dashboard does) and *wire* (the bare
connection, each distinct frame decoded once afterwards: the hub and Redis alone).
Measured per step: upstream requests per route per interval (from the simulator's
``/_sim/stats``), latency from the hub holding a body (the snapshot's fetch time) to
each viewer holding the frame (p50/p99), the viewers' and the hub's CPU, and the Redis
memory the history takes, extrapolated from this run to 24 h at the default 2 s
interval.

N screens on one machine decode N copies of every frame; a real viewer decodes each
once. The report gives the viewers' CPU beside the numbers, so it shows when the
*screen* figure measures this machine rather than the hub.

    python -m bench.hub [--seconds 10] [--viewers 1,10,100,500] [--workers 4]
                        [--output bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis as redis_sync

from bench import hub_tabs
from bench.hub_ptys import PtyViewers
from bench.hub_redis import PREFIX, cpu_seconds, redis_memory, redis_used, start_redis
from bench.hub_report import INTERVAL, report
from bench.hub_tabs import ServedTabs
from bench.hub_viewers import decode_cost, worker
from bench.loads import LOADS, REPO, make_sim
from bench.report import write_kept
from rtdash.sim import Simulator

#: this benchmark's section of RESULTS.md (a full ``python -m bench`` run keeps it:
#: bench.report keeps every ``<!-- kept:NAME -->`` section)
SECTION = "hub"


def _pct(samples: list[float], p: float) -> float:
    """The ``p`` quantile of sorted ``samples`` (seconds), in ms."""
    return samples[min(len(samples) - 1, int(p * len(samples)))] * 1000 if samples else 0.0


async def _pty_step(ptys: PtyViewers, seconds: float) -> dict[str, Any]:
    """The real dashboards alone with the hub (no subscribers beside them: they would
    take the CPUs the dashboards draw with), timed for ``seconds``."""
    try:
        await asyncio.sleep(8)  # start-up: the first screens drawn
        cpu0 = sum(cpu_seconds(proc.pid) for proc in ptys.procs)
        w0 = time.time()
        await asyncio.sleep(seconds)
        w1 = time.time()
        cpu = sum(cpu_seconds(proc.pid) for proc in ptys.procs) - cpu0
        running = ptys.running()
    finally:
        ptys.stop()
    samples = ptys.samples(w0, w1)
    screens = sorted(screen for _, screen in samples)
    apps = sorted(app for app, _ in samples)
    return {
        "count": len(ptys.procs),
        "running": running,
        "timed": len(samples),
        "app_p50": _pct(apps, 0.5),
        "app_p99": _pct(apps, 0.99),
        "screen_p50": _pct(screens, 0.5),
        "screen_p99": _pct(screens, 0.99),
        "cpu": cpu / (w1 - w0) / len(ptys.procs) * 100,
    }


async def _tabs_step(tabs: ServedTabs, seconds: float) -> dict[str, Any]:
    """``rtdash serve --hub`` tabs alone with the hub, timed for ``seconds``."""
    try:
        for _ in range(60):  # start-up: the server, the browser, a process per tab
            if len(tabs.apps()) >= tabs.count:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(8)  # the first screens drawn
        apps = tabs.apps()
        cpu0 = tabs.cpu(apps)
        w0 = time.time()
        await asyncio.sleep(seconds)
        w1 = time.time()
        cpu = tabs.cpu(apps) - cpu0
        running = len(tabs.apps())
    finally:
        tabs.stop()
    samples = sorted(tabs.samples(w0, w1))
    return {
        "count": tabs.count,
        "apps": len(apps),
        "running": running,
        "timed": len(samples),
        "app_p50": _pct(samples, 0.5),
        "app_p99": _pct(samples, 0.99),
        "cpu": cpu / (w1 - w0) / max(1, len(apps)) * 100,
    }


async def _step(
    url: str,
    igrp: int,
    viewers: int,
    workers: int,
    seconds: float,
    sim: Simulator,
    hub_pid: int,
    *,
    wire: bool,
) -> dict[str, Any]:
    """``viewers`` subscriptions spread evenly over ``workers`` processes, measured for
    ``seconds``: screens (decoding every frame) or, ``wire``, bare connections."""
    context = multiprocessing.get_context("spawn")
    count = max(1, min(workers, viewers))
    shares = [viewers // count + (1 if i < viewers % count else 0) for i in range(count)]
    pipes = []
    procs = []
    for share in shares:
        mine, theirs = context.Pipe()
        proc = context.Process(target=worker, args=(url, igrp, share, wire, theirs), daemon=True)
        proc.start()
        pipes.append(mine)
        procs.append(proc)
    try:
        connected = sum([await asyncio.to_thread(pipe.recv) for pipe in pipes])
        await asyncio.sleep(1.0)
        sim.requests.reset()
        cpu0, t0 = cpu_seconds(hub_pid), time.monotonic()
        for pipe in pipes:
            pipe.send(seconds)
        results = [await asyncio.to_thread(pipe.recv) for pipe in pipes]
        elapsed = time.monotonic() - t0
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    cpu = (cpu_seconds(hub_pid) - cpu0) / elapsed
    counts = sim.stats()["requests"]
    assert isinstance(counts, dict)
    samples = sorted(sample for result in results for sample in result[0])
    worker_cpu = sum(result[1] for result in results) / seconds

    def pct(p: float) -> float:
        return _pct(samples, p)

    return {
        "viewers": viewers,
        "mode": "wire" if wire else "screen",
        "workers": count,
        "connected": connected,
        "calls_per_interval": counts["pbxActiveCalls"] / (elapsed / INTERVAL),
        "users_per_interval": counts["pbxUserStatus"] / (elapsed / INTERVAL),
        "p50": pct(0.5),
        "p99": pct(0.99),
        "received": len(samples),
        "expected": viewers * int(seconds / INTERVAL),
        "hub_cpu": cpu * 100,
        "worker_cpu": worker_cpu * 100,
        "reconnects": sum(result[2] for result in results),
    }


async def _main(args: argparse.Namespace) -> list[str]:
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="rtdash-bench-hub-"))
    redis_proc, url = start_redis(folder)
    used_before = int(redis_sync.Redis.from_url(url).info("memory")["used_memory"])
    sim = make_sim(LOADS[args.load], realtime=True)
    config = folder / "config.toml"
    config.write_text(
        f'[connection]\nbase_url = "{sim.url}"\nigrp = {sim.igrp}\n'
        f'[polling]\ninterval = {INTERVAL}\n[hub]\nprefix = "{PREFIX}"\n'
    )
    env = {
        **os.environ,
        "RTDASH_CONFIG": str(config),
        "RTDASH_HUB_URL": url,
        "RTDASH_USERNAME": sim.username,
        "RTDASH_PASSWORD": sim.password,
    }
    hub = subprocess.Popen(
        [sys.executable, "-m", "rtdash", "hub"], env=env, cwd=REPO, stderr=subprocess.DEVNULL
    )
    started = time.monotonic()
    rows = []
    pty_result: dict[str, Any] = {}
    tabs_result: dict[str, Any] = {}
    cost: dict[str, Any] = {}
    try:
        await asyncio.sleep(3)
        if args.ptys:
            # no credentials: a viewer on the hub polls nothing (lookups need them)
            quiet = {k: v for k, v in env.items() if not k.startswith("RTDASH_USER")}
            quiet = {k: v for k, v in quiet.items() if k != "RTDASH_PASSWORD"}
            pty_result = await _pty_step(PtyViewers(args.ptys, quiet, folder), args.seconds)
            print(pty_result, flush=True)
        if args.tabs and hub_tabs.available():
            quiet = {k: v for k, v in env.items() if not k.startswith("RTDASH_USER")}
            quiet = {k: v for k, v in quiet.items() if k != "RTDASH_PASSWORD"}
            tabs_result = await _tabs_step(ServedTabs(args.tabs, quiet, folder), args.seconds)
            print(tabs_result, flush=True)
        cost = await decode_cost(url, sim.igrp)
        print(cost, flush=True)  # growth from here on: the fixed costs (scripts, clients) paid
        for viewers in args.viewers:
            for wire in (False, True):
                row = await _step(
                    url, sim.igrp, viewers, args.workers, args.seconds, sim, hub.pid, wire=wire
                )
                print(row, flush=True)
                rows.append(row)
        # Redis's growth over a quiet stretch: no subscriber connections coming and going
        mark = redis_used(url, sim.igrp)
        await asyncio.sleep(args.memory_seconds)
        memory = redis_memory(url, sim.igrp, time.monotonic() - started, used_before, mark)
        memory["load_before"] = load_before
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=10)
        sim.stop()
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    return report(rows, memory, pty_result, cost, args, tabs_result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--load", default="medium", choices=sorted(LOADS))
    parser.add_argument(
        "--viewers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10, 100, 500]
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="processes the subscribers are spread over (each with its own event loop)",
    )
    parser.add_argument(
        "--ptys", type=int, default=3, help="real `rtdash --hub` dashboards in pseudo-terminals"
    )
    parser.add_argument(
        "--tabs",
        type=int,
        default=3,
        help="browser tabs on `rtdash serve --hub` (headless Chromium; skipped without it)",
    )
    parser.add_argument(
        "--memory-seconds",
        type=float,
        default=60.0,
        help="the quiet stretch over which Redis's growth is measured",
    )
    parser.add_argument(
        "--note",
        action="append",
        default=[],
        help="a paragraph added to the section (what else was measured around this run)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    lines = asyncio.run(_main(args))
    for note in args.note:
        lines += ["", note]
    write_kept(args.output, SECTION, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
