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
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import redis as redis_sync

from bench.hub_ptys import PtyViewers
from bench.hub_report import DAY_INTERVAL, INTERVAL, report
from bench.loads import LOADS, REPO, make_sim
from bench.report import write_kept
from rtdash.core.poller import PollerStatus
from rtdash.core.service_feed import FollowedServiceLevel, ServiceKeeper, ServiceOptions
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.hub import codec
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber
from rtdash.sim import Simulator

PREFIX = "bench"
SECTION = "hub"
#: this benchmark's section of RESULTS.md lies between these; a full ``python -m bench``
#: run keeps it (bench.report keeps every ``<!-- kept:NAME -->`` section)


class LatencySink:
    def __init__(self, samples: list[float]) -> None:
        self.samples = samples
        self.record = False

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        if self.record and not snapshot.unchanged:
            self.samples.append(time.time() - snapshot.fetched_at.timestamp())

    def on_users(self, snapshot: UsersSnapshot) -> None:
        pass

    def on_status(self, status: PollerStatus) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = _free_port()
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", str(folder), "--maxclients", "10000"]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_sync.Redis.from_url(url)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis_sync.ConnectionError:
            time.sleep(0.05)
    client.close()
    return proc, url


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker(url: str, igrp: int, viewers: int, wire: bool, conn: Connection) -> None:
    """One worker process: ``viewers`` subscriptions on its own event loop (spawned, so
    it shares nothing with the benchmark's loop or the simulator's threads)."""
    main = _wire_main if wire else _screen_main
    asyncio.run(main(url, igrp, viewers, conn))


async def _screen_main(url: str, igrp: int, viewers: int, conn: Connection) -> None:
    """Viewers as a screen has them: a subscriber each, decoding every frame."""
    samples: list[float] = []
    sinks = [LatencySink(samples) for _ in range(viewers)]
    subs = [
        HubSubscriber(connector(url), HubKeys(PREFIX, igrp), sink, interval=INTERVAL)
        for sink in sinks
    ]
    for sub in subs:
        # as a screen's service level follows the hub's day state (attach_service)
        keeper = ServiceKeeper(FollowedServiceLevel(ZoneInfo("UTC")), ServiceOptions())
        sub.on_service = keeper.follow
    tasks = [asyncio.create_task(sub.run()) for sub in subs]
    deadline = time.monotonic() + 30
    while sum(sub.connections > 0 for sub in subs) < viewers and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    conn.send(sum(sub.connections > 0 for sub in subs))
    seconds = await asyncio.to_thread(conn.recv)  # the go: record for this long
    for sink in sinks:
        sink.record = True
    cpu0 = time.process_time()
    await asyncio.sleep(seconds)
    for sink in sinks:
        sink.record = False
    cpu = time.process_time() - cpu0
    reconnects = sum(max(0, sub.connections - 1) for sub in subs)
    for sub in subs:
        sub.stop()
    await asyncio.gather(*tasks, return_exceptions=True)
    conn.send((samples, cpu, reconnects))
    conn.close()


async def _wire_main(url: str, igrp: int, viewers: int, conn: Connection) -> None:
    """Viewers reduced to their Redis connections: each frame's arrival is stamped on
    every connection, and each distinct frame decoded once afterwards, so the figure is
    the hub's and Redis's fan-out without this machine decoding N copies."""
    channel = HubKeys(PREFIX, igrp).channel
    clients = [connector(url)() for _ in range(viewers)]
    pubsubs = [client.pubsub() for client in clients]
    for pubsub in pubsubs:
        await pubsub.subscribe(channel)
    arrivals: list[tuple[float, int]] = []
    frames: dict[int, bytes] = {}
    recording = False

    async def listen(pubsub: Any) -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is None or message.get("type") != "message" or not recording:
                continue
            data: bytes = message["data"]
            key = zlib.crc32(data) ^ len(data) << 32
            arrivals.append((time.time(), key))
            frames.setdefault(key, data)

    tasks = [asyncio.create_task(listen(pubsub)) for pubsub in pubsubs]
    conn.send(viewers)
    seconds = await asyncio.to_thread(conn.recv)
    recording = True
    cpu0 = time.process_time()
    await asyncio.sleep(seconds)
    recording = False
    cpu = time.process_time() - cpu0
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for pubsub, client in zip(pubsubs, clients, strict=True):
        await pubsub.aclose()
        await client.aclose()
    fetched: dict[int, float] = {}
    for key, data in frames.items():
        kind, at, rows = codec.peek(data)
        if kind is codec.Kind.CALLS and rows:  # as LatencySink counts
            fetched[key] = at
    samples = [arrived - fetched[key] for arrived, key in arrivals if key in fetched]
    conn.send((samples, cpu, 0))
    conn.close()


async def _decode_cost(url: str, igrp: int, frames: int = 8, rounds: int = 7) -> dict[str, Any]:
    """What one viewer spends on one calls frame, full frame against delta, measured
    alternately in this run on frames this run's hub published (the deltas as they
    came, the full frames re-encoded from the same snapshots): a ratio that the
    machine's other work moves far less than the latencies above."""
    keys = HubKeys(PREFIX, igrp)
    redis = connector(url)()
    pubsub = redis.pubsub()
    await pubsub.subscribe(keys.channel)
    held: CallsSnapshot | None = None
    pairs: list[tuple[bytes, bytes, CallsSnapshot]] = []  # (delta, full, its base)
    deadline = time.monotonic() + 30
    while len(pairs) < frames and time.monotonic() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
        if message is None or message.get("type") != "message":
            continue
        data: bytes = message["data"]
        if codec.peek(data)[0] is not codec.Kind.CALLS:
            continue
        try:
            frame = codec.decode(data, base_calls=held)
        except codec.NeedBase:
            latest = await redis.hget(keys.latest, "calls")
            snapshot = codec.decode(latest).snapshot
            held = snapshot if isinstance(snapshot, CallsSnapshot) else None
            continue
        if frame.snapshot is None:
            continue
        assert isinstance(frame.snapshot, CallsSnapshot)
        if held is not None and frame.snapshot is not None:
            pairs.append((data, codec.encode_full(frame.snapshot), held))
        held = frame.snapshot
    await pubsub.aclose()
    await redis.aclose()
    full_ms: list[float] = []
    delta_ms: list[float] = []
    for _ in range(rounds):
        for delta, full, base in pairs:
            t0 = time.perf_counter()
            codec.decode(full)
            t1 = time.perf_counter()
            codec.decode(delta, base_calls=base)
            t2 = time.perf_counter()
            full_ms.append((t1 - t0) * 1000)
            delta_ms.append((t2 - t1) * 1000)
    full_ms.sort()
    delta_ms.sort()
    return {
        "frames": len(pairs),
        "rounds": rounds,
        "full_bytes": sum(len(f) for _, f, _ in pairs) / max(1, len(pairs)),
        "delta_bytes": sum(len(d) for d, _, _ in pairs) / max(1, len(pairs)),
        "full_ms": full_ms[len(full_ms) // 2] if full_ms else 0.0,
        "delta_ms": delta_ms[len(delta_ms) // 2] if delta_ms else 0.0,
    }


def _pct(samples: list[float], p: float) -> float:
    """The ``p`` quantile of sorted ``samples`` (seconds), in ms."""
    return samples[min(len(samples) - 1, int(p * len(samples)))] * 1000 if samples else 0.0


async def _pty_step(ptys: PtyViewers, seconds: float) -> dict[str, Any]:
    """The real dashboards alone with the hub (no subscribers beside them: they would
    take the CPUs the dashboards draw with), timed for ``seconds``."""
    try:
        await asyncio.sleep(8)  # start-up: the first screens drawn
        cpu0 = sum(_cpu_seconds(proc.pid) for proc in ptys.procs)
        w0 = time.time()
        await asyncio.sleep(seconds)
        w1 = time.time()
        cpu = sum(_cpu_seconds(proc.pid) for proc in ptys.procs) - cpu0
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
        proc = context.Process(target=_worker, args=(url, igrp, share, wire, theirs), daemon=True)
        proc.start()
        pipes.append(mine)
        procs.append(proc)
    try:
        connected = sum([await asyncio.to_thread(pipe.recv) for pipe in pipes])
        await asyncio.sleep(1.0)
        sim.requests.reset()
        cpu0, t0 = _cpu_seconds(hub_pid), time.monotonic()
        for pipe in pipes:
            pipe.send(seconds)
        results = [await asyncio.to_thread(pipe.recv) for pipe in pipes]
        elapsed = time.monotonic() - t0
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    cpu = (_cpu_seconds(hub_pid) - cpu0) / elapsed
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


def _used(url: str, igrp: int) -> tuple[float, int, int]:
    """The time, Redis's ``used_memory`` and the history's and trend's bytes now."""
    db = redis_sync.Redis.from_url(url)
    keys = HubKeys(PREFIX, igrp)
    streams = (db.memory_usage(keys.history, samples=0) or 0) + (
        db.memory_usage(keys.trend, samples=0) or 0
    )
    used = int(db.info("memory")["used_memory"])
    db.close()
    return time.monotonic(), used, streams


def _memory(
    url: str, igrp: int, seconds: float, used_before: int, mark: tuple[float, int, int]
) -> dict[str, Any]:
    """What the run left in Redis, measured (``MEMORY USAGE`` per key, ``INFO memory``),
    and the history's growth extrapolated to a day at the default interval."""
    keys = HubKeys(PREFIX, igrp)
    db = redis_sync.Redis.from_url(url)
    history = db.memory_usage(keys.history, samples=0) or 0
    trend = db.memory_usage(keys.trend, samples=0) or 0
    entries = db.xlen(keys.history)
    kinds: dict[str, int] = {}
    for _, fields in db.xrange(keys.history):
        kind = fields[b"k"].decode()
        kinds[kind] = kinds.get(kind, 0) + len(fields[b"f"])
    trend_entries = db.xlen(keys.trend)
    latest = db.memory_usage(keys.latest, samples=0) or 0
    used = int(db.info("memory")["used_memory"])
    db.close()
    now, used_now, streams_now = _used(url, igrp)
    span = now - mark[0]
    return {
        "span": span,
        "used_rate": (used_now - mark[1]) / span,
        "streams_rate": (streams_now - mark[2]) / span,
        "day_used_rate_mb": (used_now - mark[1]) / span * 86400 * INTERVAL / DAY_INTERVAL / 1e6,
        "day_streams_rate_mb": (streams_now - mark[2])
        / span
        * 86400
        * INTERVAL
        / DAY_INTERVAL
        / 1e6,
        "entries": entries,
        "seconds": seconds,
        "history_bytes": history,
        "frame_bytes": kinds,
        "per_entry": history / max(1, entries),
        "trend_bytes": trend,
        "trend_per_entry": trend / max(1, trend_entries),
        "latest_bytes": latest,
        "used_memory": used,
        "used_growth": used - used_before,
    }


async def _main(args: argparse.Namespace) -> list[str]:
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="rtdash-bench-hub-"))
    redis_proc, url = _start_redis(folder)
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
    cost: dict[str, Any] = {}
    try:
        await asyncio.sleep(3)
        if args.ptys:
            # no credentials: a viewer on the hub polls nothing (lookups need them)
            quiet = {k: v for k, v in env.items() if not k.startswith("RTDASH_USER")}
            quiet = {k: v for k, v in quiet.items() if k != "RTDASH_PASSWORD"}
            pty_result = await _pty_step(PtyViewers(args.ptys, quiet, folder), args.seconds)
            print(pty_result, flush=True)
        cost = await _decode_cost(url, sim.igrp)
        print(cost, flush=True)  # growth from here on: the fixed costs (scripts, clients) paid
        for viewers in args.viewers:
            for wire in (False, True):
                row = await _step(
                    url, sim.igrp, viewers, args.workers, args.seconds, sim, hub.pid, wire=wire
                )
                print(row, flush=True)
                rows.append(row)
        # Redis's growth over a quiet stretch: no subscriber connections coming and going
        mark = _used(url, sim.igrp)
        await asyncio.sleep(args.memory_seconds)
        memory = _memory(url, sim.igrp, time.monotonic() - started, used_before, mark)
        memory["load_before"] = load_before
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=10)
        sim.stop()
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    return report(rows, memory, pty_result, cost, args)


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
        "--memory-seconds",
        type=float,
        default=60.0,
        help="the quiet stretch over which Redis's growth is measured",
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    lines = asyncio.run(_main(args))
    write_kept(args.output, SECTION, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
