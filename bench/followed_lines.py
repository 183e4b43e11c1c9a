"""What following the last body's lines in order saves a big centre's poll, against
looking every line's row up in the head table, alternated in one run.

    python -m bench.followed_lines [--calls 50000] [--rounds 16] [--runs 3]

The upstream writes its lines in the same order poll after poll, so the head table
(rtdash/api/_heads.c) finds a line's row as the row of the line after the last one
found, from an array read in order (rtdash/api/_heads_order.h), and looks a line up
only where the order breaks (a new, changed or moved line). ``follow(False)`` turns
that off, so every line is looked up, as before. Each run measures both arms with
``bench.scale_phases``' measure (SCALE's rounds at one size, with the head table's step
timed), in the same process, the arms alternated run by run. Information, not a
target: the medians go into bench/RESULTS.md as the kept section ``followed-lines``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench.cold_rows import require_c_parts
from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.scale_phases import ROUND, measure
from bench.stats import alternated, each_run, ratios_line
from rtdash.api import c_parts

#: the head table's step of ``bench.scale_phases`` (its name there, with the mark of a
#: step inside another)
HEADS = "– last poll's rows found by head (C table)"
ARMS = ("looked up", "followed")


def measure_arm(following: bool, calls: int, rounds: int) -> dict[str, float]:
    """The head table's step and the round (ms, medians), lines followed or not."""
    heads_part = c_parts.built("_heads")
    assert heads_part is not None
    was = heads_part.follow(following)
    try:
        measured = measure(calls, rounds)
    finally:
        heads_part.follow(was)
    if HEADS not in measured:
        raise SystemExit(f"bench.scale_phases no longer times {HEADS!r}")
    return {"heads": measured[HEADS], "round": measured[ROUND]}


def report(calls: int, runs: list[dict[str, dict[str, float]]]) -> list[str]:
    lines = [
        f"| arm ({calls:,} calls) | the head table's step, ms a round, each run "
        "| the round, ms, each run |",
        "| --- | --- | --- |",
    ]
    for arm in ARMS:
        heads, rounds = each_run(runs, arm, "heads"), each_run(runs, arm, "round")
        lines.append(f"| {arm} | {heads} | {rounds} |")
    lines += [
        "",
        ratios_line(
            "Followed / looked up, the head table's step",
            [run["followed"]["heads"] / run["looked up"]["heads"] for run in runs],
        ),
        ratios_line(
            "Followed / looked up, the round",
            [run["followed"]["round"] / run["looked up"]["round"] for run in runs],
        ),
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.followed_lines", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    require_c_parts(parser)
    before = os.getloadavg()
    runs = alternated(
        ARMS, args.runs, lambda arm: measure_arm(arm == "followed", args.calls, args.rounds)
    )
    publish(
        "followed-lines",
        "## A body's lines followed in the last one's order against each looked up "
        f"(`{rerun_command(parser, args, ['calls', 'rounds', 'runs'])}`)",
        f"{stamp(before[0])} `bench.scale_phases`' measure per arm and run, in one "
        "process, the arms alternated; medians of the counted rounds. *looked up*: every "
        "line's row found by its key in the head table; *followed*: as built, the rows "
        "of lines in the last body's order read from it in order.",
        report(args.calls, runs),
        args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
