"""What the cyclic garbage collector walks at a big centre, with the rows, the day's
tracked calls and the agents' clocks out of its sight (as rtdash ships,
``rtdash/api/_untrack.c``) and followed by it (as Python would have them), in one run.

    python -m bench.gc_census [--calls 50000] [--rounds 3] [--polls 8]

Each side runs SCALE's measure (``bench.measures.scaling``: the app in-process at
160x48, the simulator in a process of its own, medium churn, poll + tick per round) in a
fresh process, the two alternated ``--rounds`` times. Reported per side (medians over
the rounds): the CPU of a poll + tick; the collector's CPU per counted round, by
generation; then, after the last round with the app still running, the objects the
collector follows and the CPU of one full collection of them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import time
from collections import Counter
from typing import Any

from bench.kept import RESULTS, rerun_command, write_section
from bench.measures.child import child_answer

SIDES = ("untracked", "followed")
#: the types named in the census, most numerous first
SHOWN = 6


class Census:
    """Handed to the measure as its profiler: the collector's CPU while a counted round
    runs, and a census of what it follows once the last round is done."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self.counting = False
        self.done = 0
        self.by_generation = [0.0, 0.0, 0.0]
        self.collections = [0, 0, 0]
        self._started = 0.0
        self.followed: Counter[str] = Counter()
        self.full_collection = 0.0
        gc.callbacks.append(self._heard)

    def _heard(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.process_time()
        elif self.counting:
            self.by_generation[info["generation"]] += time.process_time() - self._started
            self.collections[info["generation"]] += 1

    def enable(self) -> None:
        self.counting = True

    def disable(self) -> None:
        self.counting = False
        self.done += 1
        if self.done == self.rounds:
            self.followed = Counter(type(obj).__qualname__ for obj in gc.get_objects())
            began = time.process_time()
            gc.collect()
            self.full_collection = time.process_time() - began


def _side(side: str, calls: int, polls: int) -> dict[str, Any]:
    """One side's run, in this process."""
    from bench.loads import RTDASH
    from bench.measures.remote_sim import remote_sim
    from bench.measures.scaling import measure_scale, scale_load

    if side == "followed":  # every untrack a no-op: the objects stay the collector's
        from rtdash.api import row_base
        from rtdash.core import agent_time, tracked_call

        for module in (row_base, tracked_call, agent_time):
            module.untrack = lambda obj: obj  # type: ignore[attr-defined]  # the side measured without it
    census = Census(polls)
    with remote_sim(scale_load(calls)) as sim:
        run = asyncio.run(
            measure_scale(RTDASH, sim, polls=polls, warmup=2, slow=None, profiler=census)
        )
    return {
        "round": statistics.median(run.total),
        "gc": [seconds / polls for seconds in census.by_generation],
        "collections": census.collections,
        "followed": sum(census.followed.values()),
        "types": census.followed.most_common(SHOWN),
        "full": census.full_collection,
    }


def _ask(side: str, calls: int, polls: int) -> dict[str, Any]:
    return child_answer(
        "bench.gc_census", "--side", side, "--calls", str(calls), "--polls", str(polls)
    )


def section(runs: dict[str, list[dict[str, Any]]], command: str, calls: int) -> list[str]:
    def median(side: str, pick: Any) -> float:
        return statistics.median(pick(run) for run in runs[side])

    load = os.getloadavg()[0]
    lines = [
        f"## What the garbage collector walks at {calls:,} calls (`{command}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load:.1f} "
        f"after. {len(runs['untracked'])} alternated runs a side, each SCALE's measure in a "
        "fresh process (medians). *untracked*: as rtdash ships, its rows, the day's tracked "
        "calls and the agents' clocks out of the collector's sight (`rtdash/api/_untrack.c`); "
        "*followed*: the same code with that one call made a no-op. CPU ms per counted "
        "round (poll + tick); of it, the collector's, by generation; objects the collector "
        "follows after the last round, and the CPU of one full collection of them.",
        "",
        "| side | poll + tick ms | collector ms a round (young / middle / old) "
        "| objects followed | one full collection ms |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for side in SIDES:
        spent = " / ".join(
            f"{median(side, lambda run, g=g: run['gc'][g]) * 1000:.1f}" for g in range(3)
        )
        lines.append(
            f"| {side} | {median(side, lambda run: run['round']) * 1000:.1f} | {spent} "
            f"| {median(side, lambda run: run['followed']):,.0f} "
            f"| {median(side, lambda run: run['full']) * 1000:.0f} |"
        )
    lines += ["", "The types most followed, last run of each side:", ""]
    for side in SIDES:
        named = ", ".join(f"{name} {count:,}" for name, count in runs[side][-1]["types"])
        lines.append(f"- *{side}*: {named}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gc_census", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--polls", type=int, default=8)
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.side:  # a worker: one side's run, as JSON on the last line
        print(json.dumps(_side(args.side, args.calls, args.polls)))
        return 0
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for index in range(args.rounds):
        for side in SIDES[index % 2 :] + SIDES[: index % 2]:
            print(f"gc census: {side} {index + 1}/{args.rounds}", file=sys.stderr)
            runs[side].append(_ask(side, args.calls, args.polls))
    lines = section(runs, rerun_command(parser, args, ["calls", "rounds", "polls"]), args.calls)
    print("\n".join(lines))
    if not args.no_write:
        write_section("gc-census", lines, RESULTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
