"""What cutting a polled body into its lines' heads and tails costs, both ways.

    python -m bench.line_cut [--sizes 2000,10000,50000] [--rounds 7]

The simulator's two bodies at each size (after one second of medium churn) are cut as
the line reader cuts them (pieces of whole lines, rtdash.api.line_rows.segments), by
the scanner in C and by the compiled pattern (rtdash.api.line_cut), each piece's keys
and tails taken; the two ways alternate, and the fastest of ``--rounds`` is kept (this
is CPU-bound work on bytes in memory, so the least disturbed round is the measure).
The section ``line-cut`` of bench/RESULTS.md keeps the figures.
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


def _bodies(calls: int) -> list[tuple[bytes, tuple[str, ...]]]:
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


def measure(calls: int, rounds: int) -> tuple[int, float, float]:
    """The bodies' size and the least CPU seconds cutting them took, scanner and pattern."""
    bodies = _bodies(calls)
    size = sum(len(body) for body, _ in bodies)
    scanned, patterned = float("inf"), float("inf")
    for _ in range(rounds):
        by_scanner = by_pattern = 0.0
        for body, tail in bodies:
            pieces = list(segments(body, SEGMENT))
            by_scanner += _cut_all(body, pieces, line_cut.cutter(tail))
            by_pattern += _cut_all(body, pieces, line_cut.cutter(tail, scan=False))
        scanned, patterned = min(scanned, by_scanner), min(patterned, by_pattern)
    return size, scanned, patterned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.line_cut", description=__doc__)
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    if line_cut.scanner is None:
        parser.error("the C scanner is not built here (pip install needs a C compiler)")
    before = os.getloadavg()[0]
    rows = []
    for calls in (int(size) for size in args.sizes.split(",")):
        size, scanned, patterned = measure(calls, args.rounds)
        rows.append(
            f"| {calls:,} | {size / 1e6:.1f} | {scanned * 1e3:.1f} | {patterned * 1e3:.1f} "
            f"| {scanned / patterned:.2f} |"
        )
    command = rerun_command(parser, args, ["rounds"])
    if args.sizes != parser.get_default("sizes"):
        command += f" --sizes {args.sizes}"
    lines = [
        f"## Cutting a body into lines, both ways (`{command}`)",
        "",
        f"{stamp(before)} CPU ms to cut both routes' bodies into "
        "heads and tails, each head keyed and the tails digested (the least of "
        f"{args.rounds} rounds, the two ways alternating): the scanner in C "
        "(`rtdash/api/_lines.c`) and the compiled pattern a machine without a C compiler "
        "uses.",
        "",
        "| live calls | bodies MB | scanner | pattern | scanner/pattern |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ]
    print("\n".join(lines))
    write_section("line-cut", lines, RESULTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
