"""The harness: run the measures, rtdash and baseline side by side, and write the report.

    python -m bench                  # everything (about 45 minutes), bench/RESULTS.md
    python -m bench --quick          # tiny loads, one repeat, 1-3 minutes: checks it works
    python -m bench --only P1,P3     # some measures
    python -m bench --json out.json  # the raw samples too
    python -m bench --only FLOOR     # only the framework floor (a bare Textual app)
    python -m bench --only SCALE     # rtdash, naive and idiomatic peer, 200 to 50,000 calls
                                     # (about 12 minutes on a shared 2-core machine)

``--only`` rewrites only what it measured: the other measures' rows, notes and sections
are carried over from the report it replaces (bench/merge.py), which names the run each
came from. Scripts that measure on their own (bench.hub, a soak, bench.poll_cost) put
their sections between ``<!-- kept:NAME -->`` markers (``bench.report.write_kept``);
every run keeps those as they are.

How P1 to P6 are measured is bench/side_by_side.py; this module is the command: which
measures a run makes, the framework floor, and the report and samples written.

Every measure alternates rtdash and the baseline repeat by repeat, so both see the same
machine; the report gives medians, spreads and the ratio rtdash/baseline. FLOOR measures
neither: it times a bare Textual app of the same shape (bench/floor_app.py) as P2 and P4
time the apps, so the report can show what the framework alone costs next to the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from bench.loads import BASELINE, LOADS, RTDASH, Load
from bench.plan import FULL, MEASURES, QUICK, Plan
from bench.progress import say
from bench.rows import FloorRow, Row
from bench.scale import ScaleResult
from bench.side_by_side import run_p1, run_p2, run_p3, run_p4, run_p5, run_p6

HERE = Path(__file__).resolve().parent


# --- the framework floor ----------------------------------------------------------------


def run_floor(plan: Plan) -> list[FloorRow]:
    """The framework floor, timed as P2 (starts) and P4 (CPU at rest) time the apps:
    what any Textual app of this shape costs here, whatever rtdash does."""
    return [*floor_start_rows(plan), *floor_cpu_rows(plan)]


def floor_start_rows(plan: Plan) -> list[FloorRow]:
    from bench.measures.terminal import floor_first_paint

    columns, lines = plan.p2_size
    pty = f"{columns}×{lines} pty"
    bare = FloorRow("start to first paint", pty, "s", 1.0, "P2 start to first data")
    stack = FloorRow(
        "start to first paint",
        f"{pty}, httpx + pydantic + platformdirs imported first",
        "s",
        1.0,
        "P2 start to first data",
    )
    if not plan.quick:  # a first start fills the bytecode caches: not counted, as in P2
        floor_first_paint(plan.p2_size, stack=True)
    for index in range(plan.p2_repeats):
        order = (bare, stack) if index % 2 == 0 else (stack, bare)
        for row in order:
            say(f"FLOOR start {row.setting} {index + 1}/{plan.p2_repeats}")
            row.samples.append(floor_first_paint(plan.p2_size, stack=row is stack))
    return [bare, stack]


def floor_cpu_rows(plan: Plan) -> list[FloorRow]:
    from bench.measures.terminal import floor_cpu

    against = "P4 live, nothing changes"
    rows = {
        (): FloorRow("CPU at rest", "160×48 pty, one line redrawn 1/s", "% core", 1.0, against),
        ("--ticking",): FloorRow(
            "CPU at rest",
            "160×48 pty, a time on each of 41 lines redrawn 1/s",
            "% core",
            1.0,
            against,
        ),
        ("--still",): FloorRow(
            "CPU at rest", "160×48 pty, nothing redrawn", "% core", 1.0, "P4 paused"
        ),
    }
    flags = list(rows)
    for index in range(plan.repeats):
        # rotate which goes first, as the apps under test alternate
        for mode in flags[index % 3 :] + flags[: index % 3]:
            row = rows[mode]
            say(f"FLOOR cpu {row.setting}")
            row.samples.append(floor_cpu(*mode, warmup=plan.p4_warmup, window=plan.p4_window))
    return list(rows.values())


def run_scale(plan: Plan) -> list[ScaleResult]:
    from bench.scale import run_scale as measure

    return [measure(plan)]


RUNNERS: dict[str, Callable[[Plan], Sequence[Row | FloorRow | ScaleResult]]] = {
    "P1": run_p1,
    "P2": run_p2,
    "P3": run_p3,
    "P4": run_p4,
    "P5": run_p5,
    "P6": run_p6,
    "SCALE": run_scale,
    "FLOOR": run_floor,
}


# --- the command ------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure rtdash against the naive baseline and write bench/RESULTS.md.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny loads, one repeat")
    parser.add_argument(
        "--only", metavar="P1,P3", help=f"run only these measures ({', '.join(MEASURES)})"
    )
    parser.add_argument("--repeats", type=int, help="repeats per measure (default 3)")
    parser.add_argument(
        "--output", type=Path, default=HERE / "RESULTS.md", help="the report (Markdown)"
    )
    parser.add_argument("--json", type=Path, help="also write every sample as JSON here")
    parser.add_argument("--no-profile", action="store_true", help="skip the P1 profile")
    parser.add_argument(
        "--scale-sizes",
        metavar="200,2000",
        help="SCALE's centre sizes in live calls (default 200,2000,10000,50000)",
    )
    args = parser.parse_args(argv)
    if args.only:
        chosen = [part.strip().upper() for part in args.only.split(",") if part.strip()]
        unknown = [part for part in chosen if part not in MEASURES]
        if unknown:
            parser.error(f"unknown measure(s): {', '.join(unknown)} (known: {MEASURES})")
        args.only = chosen
    if args.scale_sizes:
        try:
            sizes = tuple(int(part) for part in args.scale_sizes.split(",") if part.strip())
        except ValueError:
            sizes = ()
        if not sizes or min(sizes) < 1:
            parser.error(
                f"--scale-sizes wants live-call counts like 200,2000: {args.scale_sizes!r}"
            )
        args.scale_sizes = sizes
    return args


def main(argv: Sequence[str] | None = None) -> int:
    from bench.report import write_report

    args = parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.repeats:
        plan = replace(
            plan,
            repeats=args.repeats,
            p2_repeats=max(args.repeats, 1),
            scale_repeats=args.repeats,
        )
    if args.scale_sizes:
        sizes = args.scale_sizes
        plan = replace(plan, scale_sizes=sizes, rss_sizes=tuple(set(plan.rss_sizes) & set(sizes)))
    if args.no_profile:
        plan = replace(plan, profile_load=None)
    measures = args.only or list(MEASURES)
    started = time.monotonic()
    rows: list[Row] = []
    floor: list[FloorRow] = []
    scale: ScaleResult | None = None
    failures: list[str] = []
    load_before = os.getloadavg()
    for measure in measures:
        try:
            for result in RUNNERS[measure](plan):
                if isinstance(result, FloorRow):
                    floor.append(result)
                elif isinstance(result, ScaleResult):
                    scale = result
                else:
                    rows.append(result)
        except Exception as exc:  # one broken measure must not lose the others
            failures.append(f"{measure}: {type(exc).__name__}: {exc}")
            say(f"{measure} failed: {exc}")
    if plan.quick:  # tiny loads: numbers that prove the harness, not the targets
        for row in rows:
            row.target = None
    profile = None
    if plan.profile_load and "P1" in measures:
        from bench.profile import run_profile

        say(f"profile P1 {plan.profile_load} rtdash")
        try:
            profile = run_profile(LOADS[plan.profile_load], plan.profile_ticks, plan.p1_warmup)
        except Exception as exc:
            failures.append(f"profile: {type(exc).__name__}: {exc}")
    elapsed = time.monotonic() - started
    argv = list(sys.argv[1:]) if argv is None else list(argv)
    write_report(
        args.output,
        rows,
        plan=plan,
        floor=floor,
        scale=scale,
        profile=profile,
        elapsed=elapsed,
        argv=argv,
        failures=failures,
        measured=measures,
        load=(load_before, os.getloadavg()),
    )
    say(f"wrote {args.output} in {elapsed:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "plan": plan.__dict__,
                    "rows": [row.as_dict() for row in rows],
                    "floor": [row.as_dict() for row in floor],
                    "scale": None if scale is None else scale.as_dict(),
                },
                indent=1,
                default=list,
            )
        )
    return 1 if failures else 0


__all__ = ["BASELINE", "RTDASH", "Load", "main"]
