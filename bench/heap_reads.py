"""What the C heap's settings cost a SCALE round at a big centre: the socket's reads
from the heap (today's :mod:`rtdash.api.heap`) against each read a mapping of its own
(the mapping threshold at 256 KiB, as it was), alternated in one run.

    python -m bench.heap_reads [--calls 50000] [--rounds 16] [--runs 3]

Each arm runs in a child process of its own (the C heap cannot be put back as it was
within one process), SCALE's rounds (``measure_scale``: one poll of both routes to the
frame written, then a tick) against the simulator in a process of its own. Besides the
round's CPU, each counted round's kernel time and minor page faults are read from
``getrusage``: what a fresh mapping for every read costs shows there. The medians go
into bench/RESULTS.md as the kept section ``heap-reads``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
from pathlib import Path
from typing import Any

from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.loads import RTDASH
from bench.measures.child import child_answer
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import measure_scale, scale_load
from bench.stats import alternated, each_run, ratios_line

ARMS = ("mapped", "heap")
#: what the arms are called in the report
SAID = {
    "mapped": "each read mapped (threshold 256 KiB, the trim threshold left)",
    "heap": "reads from the heap (today's rtdash.api.heap)",
}


class _Usage:
    """Handed to ``measure_scale`` as its profiler: it is enabled and disabled around
    each counted round, so each round's kernel time and page faults are taken here."""

    def __init__(self) -> None:
        self.system: list[float] = []
        self.faults: list[int] = []
        self._at: resource.struct_rusage | None = None

    def enable(self) -> None:
        self._at = resource.getrusage(resource.RUSAGE_SELF)

    def disable(self) -> None:
        began, now = self._at, resource.getrusage(resource.RUSAGE_SELF)
        assert began is not None
        self.system.append(now.ru_stime - began.ru_stime)
        self.faults.append(now.ru_minflt - began.ru_minflt)


def _map_each_read() -> None:
    """The heap as it was: a fixed 256 KiB mapping threshold, set by the first big
    body, and glibc's trim threshold left as that makes it."""
    from rtdash.api import heap

    def after_body(size: int) -> bool:
        if heap._done or size < heap.BIG_BODY:
            return False
        heap._done = True
        libc = heap._libc()
        return libc is not None and bool(libc.mallopt(heap.M_MMAP_THRESHOLD, 256 * 1024))

    heap.after_body = after_body


def child(arm: str, calls: int, rounds: int) -> dict[str, float]:
    """One arm's medians (ms, faults) over ``rounds`` counted rounds."""
    if arm == "mapped":
        _map_each_read()
    usage = _Usage()
    with remote_sim(scale_load(calls)) as sim:
        run = asyncio.run(
            measure_scale(RTDASH, sim, polls=rounds, warmup=2, slow=None, profiler=usage)
        )
    return {
        "round_ms": statistics.median(run.total) * 1e3,
        "system_ms": statistics.median(usage.system) * 1e3,
        "faults": statistics.median(usage.faults),
    }


def _run_arm(arm: str, calls: int, rounds: int) -> dict[str, Any]:
    return child_answer(
        "bench.heap_reads", "--child", arm, "--calls", str(calls), "--rounds", str(rounds)
    )


def report(calls: int, runs: list[dict[str, dict[str, float]]]) -> list[str]:
    lines = [
        f"| arm ({calls:,} calls) | round ms, each run | kernel ms a round | page faults a round |",
        "| --- | --- | --- | --- |",
    ]
    for arm in ARMS:
        rounds_ms = each_run(runs, arm, "round_ms", ".1f")
        system = each_run(runs, arm, "system_ms", ".1f")
        faults = each_run(runs, arm, "faults", ",.0f")
        lines.append(f"| {SAID[arm]} | {rounds_ms} | {system} | {faults} |")
    ratio = [run["heap"]["round_ms"] / run["mapped"]["round_ms"] for run in runs]
    lines += [
        "",
        ratios_line("Reads from the heap / each read mapped, round CPU", ratio),
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.heap_reads", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=ARMS, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.calls, args.rounds)))
        return 0
    before = os.getloadavg()
    runs = alternated(ARMS, args.runs, lambda arm: _run_arm(arm, args.calls, args.rounds))
    publish(
        "heap-reads",
        "## The socket's reads from the heap or each one mapped "
        f"(`{rerun_command(parser, args, ['calls', 'rounds', 'runs'])}`)",
        f"{stamp(before[0])} SCALE's rounds (CPU per poll + tick, medians of the counted "
        "rounds), each arm in a child process of its own, the arms alternated; kernel "
        "time and minor page faults from `getrusage` over the same rounds.",
        report(args.calls, runs),
        args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
