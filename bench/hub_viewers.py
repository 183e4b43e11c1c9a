"""The hub benchmark's viewers, in worker processes: *screen* subscribers (a
:class:`~rtdash.hub.subscriber.HubSubscriber` each, decoding every frame and following
the day's state as a dashboard on the hub does) or *wire* connections (the bare pub/sub
connection), and one viewer's decode cost of a calls frame, full against delta."""

from __future__ import annotations

import asyncio
import time
import zlib
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any
from zoneinfo import ZoneInfo

from bench.hub_redis import PREFIX
from bench.hub_report import INTERVAL
from rtdash.core.poller_status import PollerStatus
from rtdash.core.service import ServiceLevel
from rtdash.core.service_feed import FollowedServiceLevel, ServiceKeeper, ServiceOptions
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.hub import codec, rows
from rtdash.hub.connect import connector
from rtdash.hub.keys import HubKeys
from rtdash.hub.subscriber import HubSubscriber


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


def worker(url: str, igrp: int, viewers: int, wire: bool, conn: Connection) -> None:
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


async def decode_cost(url: str, igrp: int, frames: int = 8, rounds: int = 7) -> dict[str, Any]:
    """What one viewer spends on one calls frame and on one day state, measured
    alternately in this run on frames this run's hub published: a calls delta against
    the full frame (re-encoded from the same snapshot) and against the same delta read
    row by row and sorted again, as a viewer did before; a day-state delta decoded and
    followed by its changes against the whole state decoded and restored, as a viewer
    did before. Ratios that the machine's other work moves far less than the latencies
    above."""
    keys = HubKeys(PREFIX, igrp)
    redis = connector(url)()
    pubsub = redis.pubsub()
    await pubsub.subscribe(keys.channel)
    held: CallsSnapshot | None = None
    held_day: tuple[float, dict[str, Any]] | None = None
    pairs: list[tuple[bytes, bytes, CallsSnapshot]] = []  # (delta, full, its base)
    days: list[tuple[bytes, bytes, tuple[float, dict[str, Any]]]] = []  # the same, days
    deadline = time.monotonic() + 30
    while (len(pairs) < frames or len(days) < frames) and time.monotonic() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
        if message is None or message.get("type") != "message":
            continue
        data: bytes = message["data"]
        kind, at, _ = codec.peek(data)
        if kind is codec.Kind.SERVICE:
            try:
                state = codec.decode(data, base_service=held_day).service
            except codec.NeedBase:
                stored = codec.decode(await redis.hget(keys.latest, "service"))
                if stored.service is not None:
                    held_day = (stored.at, stored.service)
                continue
            if state is not None and held_day is not None and at > held_day[0]:
                days.append((data, codec.encode_service(state, at), held_day))
                held_day = (at, state)
            continue
        if kind is not codec.Kind.CALLS:
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
    timed: dict[str, list[float]] = {
        "full": [],
        "delta": [],
        "rowwise": [],
        "restore": [],
        "follow": [],
    }

    def clock(name: str, t0: float) -> float:
        now = time.perf_counter()
        timed[name].append((now - t0) * 1000)
        return now

    for _ in range(rounds):
        for delta, full, base in pairs:
            t0 = time.perf_counter()
            codec.decode(full)
            t0 = clock("full", t0)
            codec.decode(delta, base_calls=base)
            t0 = clock("delta", t0)
            body = codec._unpack(delta)
            fetched = datetime.fromisoformat(body["t"])
            rows._calls_row_by_row(body["r"], base, body["s"], fetched, body["u"], None)
            clock("rowwise", t0)
        restoring = ServiceLevel(ZoneInfo("UTC"))
        following = FollowedServiceLevel(ZoneInfo("UTC"))
        if days:
            following.follow(days[0][2][1])
        for day_delta, day_whole, day_base in days:
            t0 = time.perf_counter()
            state = codec.decode(day_whole).service
            assert state is not None
            restoring.restore(state)
            t0 = clock("restore", t0)
            state = codec.decode(day_delta, base_service=day_base).service
            assert state is not None
            following.follow(state)
            clock("follow", t0)

    def median(name: str) -> float:
        values = sorted(timed[name])
        return values[len(values) // 2] if values else 0.0

    return {
        "frames": len(pairs),
        "days": len(days),
        "rounds": rounds,
        "full_bytes": sum(len(f) for _, f, _ in pairs) / max(1, len(pairs)),
        "delta_bytes": sum(len(d) for d, _, _ in pairs) / max(1, len(pairs)),
        "whole_day_bytes": sum(len(w) for _, w, _ in days) / max(1, len(days)),
        "day_delta_bytes": sum(len(d) for d, _, _ in days) / max(1, len(days)),
        **{f"{name}_ms": median(name) for name in timed},
    }
