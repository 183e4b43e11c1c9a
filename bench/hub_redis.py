"""The hub benchmark's Redis: a real redis-server on a free loopback port, and what the
run leaves in it (``MEMORY USAGE`` per key, ``INFO memory``), with the CPU time of a
process from ``/proc``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import redis as redis_sync

from bench.hub_report import DAY_INTERVAL, INTERVAL
from rtdash.hub.keys import HubKeys

#: the key prefix the benchmark's hub publishes under
PREFIX = "bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_used(url: str, igrp: int) -> tuple[float, int, int]:
    """The time, Redis's ``used_memory`` and the history's and trend's bytes now."""
    db = redis_sync.Redis.from_url(url)
    keys = HubKeys(PREFIX, igrp)
    streams = (db.memory_usage(keys.history, samples=0) or 0) + (
        db.memory_usage(keys.trend, samples=0) or 0
    )
    used = int(db.info("memory")["used_memory"])
    db.close()
    return time.monotonic(), used, streams


def redis_memory(
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
    now, used_now, streams_now = redis_used(url, igrp)
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
