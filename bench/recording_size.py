"""How big a recording grows: bytes per hour (and per 8-hour day) at the medium load.

Runs the simulator frozen (``realtime=False``) at the medium load, polls it over
loopback HTTP every 2 simulated seconds for one simulated hour (``advance(2)`` between
polls, no real waiting), and feeds every snapshot to several writers at once:

- the :class:`Recorder` as shipped (keyframe every 5 min, field-level deltas with a
  tick, flushed after every record, so a killed app loses nothing written);
- the same, flushed every 10 s of recorded time;
- whole changed rows instead of field patches (no tick prediction), for comparison;
- a full snapshot every poll, for comparison.

Then it loads the shipped recording and times a load, a cold seek and a play step.

    python -m bench.recording_size            # one hour, medium load
    python -m bench.recording_size --minutes 10 --load 30 --agents 20
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.recording import ROW_KEYS, Recorder, compact_row
from rtdash.core.replay import Player, Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.sim import DEFAULT_INSTALLATIONS, SimConfig, Simulator

INTERVAL = 2.0


class RowDeltaWriter:
    """Whole changed rows + removed keys, keyframe every 5 min: the simple scheme."""

    def __init__(self, path: Path, keyframe_every: float = 300.0, flush_every: float = 0.0):
        self.file = gzip.open(path, "ab")  # noqa: SIM115 (closed by close())
        self.raw_bytes = 0
        self.keyframe_every = keyframe_every
        self.flush_every = flush_every
        self.last: dict[str, dict[str, dict[str, Any]]] = {}
        self.last_keyframe: dict[str, Any] = {}
        self.last_flush = None

    def record(self, kind: str, when, rows: list[dict[str, Any]], unreadable: int) -> None:
        key = ROW_KEYS[kind]
        current = {row[key]: row for row in rows}
        record: dict[str, Any] = {"t": when.isoformat(), "kind": kind}
        last = self.last_keyframe.get(kind)
        if last is None or (when - last).total_seconds() >= self.keyframe_every:
            record.update(rows=rows, unreadable=unreadable)
            self.last_keyframe[kind] = when
        else:
            before = self.last[kind]
            add = [row for k, row in current.items() if before.get(k) != row]
            dele = [k for k in before if k not in current]
            if not add and not dele:
                return
            record.update({"add": add} if add else {}, **({"del": dele} if dele else {}))
        self.last[kind] = current
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        self.raw_bytes += len(line)
        self.file.write(line)
        if self.last_flush is None or (when - self.last_flush).total_seconds() >= self.flush_every:
            self.file.flush()
            self.last_flush = when

    def close(self) -> None:
        self.file.close()


async def record(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    config = SimConfig(
        seed=7,
        agents=args.agents,
        load=args.load,
        realtime=False,
        installations=[DEFAULT_INSTALLATIONS[0]],
    )
    polls = int(args.minutes * 60 / INTERVAL)
    paths = {
        name: folder / f"{name}.rtrec"
        for name in ("shipped", "flush-10s", "row-delta", "full-every-poll")
    }
    with Simulator(config) as sim:
        common = {"installation": "bench", "igrp": sim.igrp, "tz": "Europe/London"}
        started = sim.now
        shipped = Recorder(paths["shipped"], started=started, **common)
        flush_10s = Recorder(paths["flush-10s"], started=started, flush_every=10, **common)
        full = Recorder(paths["full-every-poll"], started=started, keyframe_every=0, **common)
        rows_only = RowDeltaWriter(paths["row-delta"])
        client = InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, sim.password),
            base_url=sim.url,
            tz="Europe/London",
        )
        record_seconds: list[float] = []
        calls_seen: list[int] = []
        try:
            for _ in range(polls):
                calls = await client.active_calls()
                users = await client.user_status()
                now = sim.now
                calls_snap = CallsSnapshot.build(calls.rows, now, calls.unreadable)
                users_snap = UsersSnapshot.build(users.rows, now, users.unreadable)
                calls_seen.append(len(calls.rows))
                began = time.perf_counter()
                shipped.record_calls(calls_snap)
                shipped.record_users(users_snap)
                record_seconds.append(time.perf_counter() - began)
                for recorder in (flush_10s, full):
                    recorder.record_calls(calls_snap)
                    recorder.record_users(users_snap)
                rows_only.record("calls", now, [compact_row(c) for c in calls_snap.calls], 0)
                rows_only.record("users", now, [compact_row(u) for u in users_snap.users], 0)
                sim.advance(INTERVAL)
        finally:
            await client.aclose()
            for recorder in (shipped, flush_10s, full):
                recorder.close()
            rows_only.close()
    raw = {
        "shipped": shipped.raw_bytes,
        "flush-10s": flush_10s.raw_bytes,
        "full-every-poll": full.raw_bytes,
        "row-delta": rows_only.raw_bytes,
    }
    return {
        "polls": polls,
        "paths": paths,
        "raw": raw,
        "records": shipped.records,
        "keyframes": shipped.keyframes,
        "calls_mean": statistics.mean(calls_seen),
        "record_ms_median": statistics.median(record_seconds) * 1000,
        "record_ms_max": max(record_seconds) * 1000,
    }


def human(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="simulated minutes")
    parser.add_argument("--load", type=int, default=200, help="live calls (medium: 200)")
    parser.add_argument("--agents", type=int, default=100, help="PBX users (medium: 100)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rtdash-bench-") as tmp:
        result = asyncio.run(record(args, Path(tmp)))
        hours = args.minutes / 60
        print(
            f"load: ~{result['calls_mean']:.0f} live calls, {args.agents} users; "
            f"{result['polls']} polls every {INTERVAL:g} s = {args.minutes:g} simulated min "
            f"(seed 7); {time.perf_counter() - began:.1f} s wall"
        )
        print(
            f"shipped recorder: {result['records']} records ({result['keyframes']} keyframes) "
            f"for {2 * result['polls']} snapshots; record_calls+record_users "
            f"{result['record_ms_median']:.2f} ms median, {result['record_ms_max']:.1f} ms max"
        )
        print()
        header = f"{'format':<44} {'gzip /h':>10} {'gzip /8h day':>13} {'raw /h':>10}"
        print(header)
        print("-" * len(header))
        labels = {
            "shipped": "shipped: patches + tick, flush each record",
            "flush-10s": "same, flushed every 10 s",
            "row-delta": "whole changed rows (no tick), flush each",
            "full-every-poll": "full snapshot every poll, flush each",
        }
        for name, label in labels.items():
            size = result["paths"][name].stat().st_size / hours
            raw = result["raw"][name] / hours
            print(f"{label:<44} {human(size):>10} {human(size * 8):>13} {human(raw):>10}")
        path = result["paths"]["shipped"]
        began = time.perf_counter()
        recording = Recording.load(path)
        loaded = time.perf_counter() - began
        player = Player(recording)
        began = time.perf_counter()
        player.seek_fraction(0.77)
        player.state_at()
        seek = time.perf_counter() - began
        began = time.perf_counter()
        steps = 50
        for _ in range(steps):
            player.seek(INTERVAL)
            player.state_at()
        step = (time.perf_counter() - began) / steps
        print()
        print(
            f"replay of the shipped file: load {loaded * 1000:.0f} ms, cold seek "
            f"{seek * 1000:.1f} ms, play step {step * 1000:.2f} ms; "
            f"{recording.end - recording.start} long"
            + ("" if recording.end - recording.start > timedelta(0) else " (empty)")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
