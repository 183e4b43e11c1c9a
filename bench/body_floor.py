"""What the bytes alone cost: the floor under SCALE's poll as the centre grows.

    python -m bench.body_floor [--sizes 2000,10000,50000] [--rounds 7]

The upstream answers every poll with the whole centre, so some of a poll's cost grows
with the rows whatever the app does with them. Per size, against the simulator in a
process of its own (as SCALE has it) after one second of medium churn, CPU of this
process (the simulator's is not counted), alternated round by round:

* *socket*: the two routes' bodies read off a plain blocking socket into one buffer made
  ready beforehand (``recv_into``, no HTTP library, no event loop): what any client
  spends to take the bytes in, nearly all of it the kernel's;
* *receive*: the two routes' bodies fetched with a bare ``httpx.AsyncClient``, held as
  bytes (the HTTP library's floor);
* *split*: those bodies cut into lines (``bytes.split``), nothing decoded;
* *rtdash*: the two routes through rtdash's own client, from the request to the rows
  (receive, split, compare with the poll before, decode what is new, map).

The section ``body-floor`` of bench/RESULTS.md says how much of SCALE's per-size
targets the receive and split already take.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import statistics
import time
from dataclasses import dataclass, field

import httpx

from bench.kept import RESULTS, rerun_command, write_section
from bench.measures.remote_sim import RemoteSim, remote_sim
from bench.measures.scaling import scale_load
from bench.scale import COST_TARGETS
from rtdash.api.client import ACTIVE_CALLS, USER_STATUS, InfinityClient
from rtdash.api.credentials import Credentials, Secret


@dataclass
class Floor:
    calls: int
    body_bytes: int = 0
    socket: list[float] = field(default_factory=list)
    receive: list[float] = field(default_factory=list)
    split: list[float] = field(default_factory=list)
    rtdash: list[float] = field(default_factory=list)


def _socket_get(url: httpx.URL, authorization: str, buffer: bytearray) -> int:
    """One GET over a new blocking socket, its answer read into ``buffer`` with
    ``recv_into``: the bytes taken in, head and body."""
    request = (
        f"GET {url.raw_path.decode()} HTTP/1.1\r\nHost: {url.netloc.decode()}\r\n"
        f"Authorization: {authorization}\r\n\r\n"
    ).encode()
    view = memoryview(buffer)
    with socket.create_connection((url.host, url.port or 80)) as conn:
        conn.sendall(request)
        got, wanted = 0, -1
        while wanted < 0 or got < wanted:
            count = conn.recv_into(view[got:])
            if not count:
                raise ConnectionError("the simulator closed the connection early")
            got += count
            if wanted < 0 and (end := buffer.find(b"\r\n\r\n", 0, got)) >= 0:
                head = bytes(buffer[:end]).lower()
                length = head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0]
                wanted = end + 4 + int(length)
    return got


async def _measure(sim: RemoteSim, calls: int, rounds: int) -> Floor:
    floor = Floor(calls)
    address = sim.address
    credentials = Credentials(address.username, Secret(address.password))
    async with (
        InfinityClient(igrp=address.igrp, credentials=credentials, base_url=address.url) as ours,
        httpx.AsyncClient(auth=(address.username, address.password)) as bare,
    ):
        # the queries rtdash's client sends (users sorted by the time in state)
        routes = [
            (ours.route_url(ACTIVE_CALLS), {"tz": ours.tz}),
            (ours.route_url(USER_STATUS), {"tz": ours.tz, "sort[]": "stateStartDatetime-asc"}),
        ]
        urls = [httpx.URL(url, params=params) for url, params in routes]
        basic = base64.b64encode(f"{address.username}:{address.password}".encode()).decode()
        buffer = bytearray(64 << 20)  # bigger than both bodies at 50,000 calls
        for index in range(rounds + 1):  # the first round fills rtdash's line table
            await asyncio.to_thread(sim.advance, 1.0)
            before = time.process_time()
            for url in urls:
                _socket_get(url, f"Basic {basic}", buffer)
            start = time.process_time()
            bodies = [(await bare.get(url, params=params)).content for url, params in routes]
            received = time.process_time()
            for body in bodies:
                body.split(b"\n")
            split = time.process_time()
            await ours.active_calls()
            await ours.user_status()
            done = time.process_time()
            if index:
                floor.socket.append(start - before)
                floor.receive.append(received - start)
                floor.split.append(split - received)
                floor.rtdash.append(done - split)
                floor.body_bytes = sum(map(len, bodies))
    return floor


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


def section(floors: list[Floor], command: str, load: tuple[float, float]) -> list[str]:
    lines = [
        f"## What the bytes alone cost (`{command}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load[0]:.1f} "
        f"before, {load[1]:.1f} after. CPU ms of one poll of both routes (medians), the "
        "simulator in its own process after one second of medium churn: *socket* read off a "
        "plain socket into a ready buffer (the least any client spends to take the bytes "
        "in), *receive* with a bare `httpx.AsyncClient`, *split* those bodies into lines, "
        "*rtdash* the same poll through rtdash's client to its rows.",
        "",
        "| live calls | bodies MB | socket | receive | split | receive + split "
        "| rtdash's client | SCALE target (poll + tick) | of it, socket |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for floor in floors:
        pairs = zip(floor.receive, floor.split, strict=True)
        bytes_floor = statistics.median(a + b for a, b in pairs)
        target = COST_TARGETS.get(floor.calls)
        share = f"{statistics.median(floor.socket) / target:.0%}" if target else "—"
        lines.append(
            f"| {floor.calls:,} | {floor.body_bytes / 1e6:.1f} | {_ms(floor.socket)} "
            f"| {_ms(floor.receive)} "
            f"| {_ms(floor.split)} | {bytes_floor * 1000:.1f} | {_ms(floor.rtdash)} "
            f"| {f'{target * 1000:.0f} ms' if target else '—'} | {share} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.body_floor", description=__doc__)
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    before = os.getloadavg()
    floors = []
    for calls in (int(size) for size in args.sizes.split(",")):
        with remote_sim(scale_load(calls)) as sim:
            floors.append(asyncio.run(_measure(sim, calls, args.rounds)))
    command = rerun_command(parser, args, ["rounds"])
    if args.sizes != parser.get_default("sizes"):
        command += f" --sizes {args.sizes}"
    lines = section(floors, command, (before[0], os.getloadavg()[0]))
    print("\n".join(lines))
    write_section("body-floor", lines, RESULTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
