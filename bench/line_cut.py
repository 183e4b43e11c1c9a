"""What cutting a polled body into its lines' heads and tails costs, every way.

    python -m bench.line_cut [--sizes 2000,10000,50000] [--rounds 7]

The simulator's two bodies at each size (after one second of medium churn) are cut as
the line reader cuts them (pieces of whole lines, rtdash.api.line_rows.segments), by
the scanner in C keying heads with each hash this CPU can run (AES where it has the
instructions, and the multiply-fold) and by the compiled pattern
(rtdash.api.line_cut), each piece's keys and tails taken; the ways take turns, and
the fastest of ``--rounds`` is kept (this is CPU-bound work on bytes in memory, so the
least disturbed round is the measure). The section ``line-cut`` of bench/RESULTS.md
keeps the figures.
"""

from __future__ import annotations

import argparse
import os
import time

import httpx

from bench.kept import RESULTS, rerun_command, stamp, write_section
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import scale_load
from rtdash.api import line_cut
from rtdash.api.client import ACTIVE_CALLS, USER_STATUS, InfinityClient
from rtdash.api.credentials import Credentials, Secret
from rtdash.api.line_cut import LineCutter
from rtdash.api.line_rows import SEGMENT, segments

#: the durations the simulator writes last on a call's line (a user's line has none)
CALL_TAIL = ("ringTime", "queueDuration", "bridgeDuration", "callDuration")


def sim_bodies(calls: int) -> list[tuple[bytes, tuple[str, ...]]]:
    with remote_sim(scale_load(calls)) as sim:
        sim.advance(1.0)
        address = sim.address
        client = InfinityClient(
            igrp=address.igrp,
            credentials=Credentials(address.username, Secret(address.password)),
            base_url=address.url,
        )
        auth = (address.username, address.password)
        found = []
        for route, tail in ((ACTIVE_CALLS, CALL_TAIL), (USER_STATUS, ())):
            answer = httpx.get(client.route_url(route), params={"tz": client.tz}, auth=auth)
            answer.raise_for_status()
            found.append((answer.content, tail))
        return found


def _cut_all(body: bytes, pieces: list[tuple[int, int]], cut: LineCutter) -> float:
    start = time.process_time()
    tails = cut.new_tails()
    for begin, end in pieces:
        done = cut(body, tails, begin, end)
        assert done is not None, "the simulator's lines all end in plain tails"
        done.keys()
    tails.digest()
    return time.process_time() - start


#: the pattern's arm, beside the scanner's hashes
PATTERN = "pattern"


def ways() -> list[str]:
    """The scanner's hashes on this CPU (AES first where it has them), then the pattern."""
    assert line_cut.scanner is not None
    return [*sorted(line_cut.scanner.hashes(), key=lambda name: name != "aes"), PATTERN]


def _cut_way(way: str, tail: tuple[str, ...], body: bytes, pieces: list[tuple[int, int]]) -> float:
    if way == PATTERN:
        return _cut_all(body, pieces, line_cut.cutter(tail, scan=False))
    assert line_cut.scanner is not None
    was = line_cut.scanner.use(way)
    try:
        return _cut_all(body, pieces, line_cut.cutter(tail))
    finally:
        line_cut.scanner.use(was)


def measure(calls: int, rounds: int) -> tuple[int, dict[str, float]]:
    """The bodies' size and the least CPU seconds cutting them took, each way."""
    bodies = sim_bodies(calls)
    size = sum(len(body) for body, _ in bodies)
    pieces = [list(segments(body, SEGMENT)) for body, _ in bodies]
    least = dict.fromkeys(ways(), float("inf"))
    for _ in range(rounds):
        for way in least:
            spent = 0.0
            for (body, tail), cut in zip(bodies, pieces, strict=True):
                spent += _cut_way(way, tail, body, cut)
            least[way] = min(least[way], spent)
    return size, least


def _heading(names: list[str]) -> list[str]:
    """The table's heading and its alignment row, for the ways ``names``."""
    scanners = [f"scanner, {way}" for way in names[:-1]]
    cells = ["live calls", "bodies MB", *scanners, PATTERN]
    cells += [f"{way}/pattern" for way in scanners]
    if "aes" in names:
        cells.append("aes/multiply")
    return ["| " + " | ".join(cells) + " |", "| ---: " * len(cells) + "|"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.line_cut", description=__doc__)
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    if line_cut.scanner is None:
        parser.error("the C scanner is not built here (pip install needs a C compiler)")
    before = os.getloadavg()[0]
    rows = []
    names = ways()
    for calls in (int(size) for size in args.sizes.split(",")):
        size, least = measure(calls, args.rounds)
        times = " | ".join(f"{least[way] * 1e3:.1f}" for way in names)
        ratios = " | ".join(f"{least[way] / least[PATTERN]:.2f}" for way in names[:-1])
        aes = f" | {least['aes'] / least['multiply']:.2f}" if "aes" in least else ""
        rows.append(f"| {calls:,} | {size / 1e6:.1f} | {times} | {ratios}{aes} |")
    command = rerun_command(parser, args, ["rounds"])
    if args.sizes != parser.get_default("sizes"):
        command += f" --sizes {args.sizes}"
    lines = [
        f"## Cutting a body into lines, every way (`{command}`)",
        "",
        f"{stamp(before)} CPU ms to cut both routes' bodies into "
        "heads and tails, each head keyed and the tails digested (the least of "
        f"{args.rounds} rounds, the ways taking turns): the scanner in C "
        "(`rtdash/api/_lines.c`) keying heads with each hash this CPU can run (AES "
        "where it has the instructions, the one used then; else the multiply-fold), and "
        "the compiled pattern a machine without a C compiler uses.",
        "",
        *_heading(names),
        *rows,
    ]
    print("\n".join(lines))
    write_section("line-cut", lines, RESULTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
