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

Every measure alternates rtdash and the baseline repeat by repeat, so both see the same
machine; the report gives medians, spreads and the ratio rtdash/baseline. FLOOR measures
neither: it times a bare Textual app of the same shape (bench/floor_app.py) as P2 and P4
time the apps, so the report can show what the framework alone costs next to the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from bench.loads import APPS, BASELINE, INTERVAL, LOADS, RTDASH, AppKind, Load, make_sim
from bench.plan import FULL, MEASURES, QUICK, Plan
from bench.rows import FloorRow, Row, Target
from bench.scale import ScaleResult
from bench.stats import Summary

HERE = Path(__file__).resolve().parent


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def alternate(repeats: int) -> list[AppKind]:
    """rtdash, baseline, baseline, rtdash, …: neither always goes first."""
    order: list[AppKind] = []
    for index in range(repeats):
        order.extend(APPS if index % 2 == 0 else tuple(reversed(APPS)))
    return order


# --- the measures -----------------------------------------------------------------------


def run_p1(plan: Plan) -> list[Row]:
    from bench.measures.inprocess import measure_ticks

    rows = []
    for name in plan.p1_loads:
        load = LOADS[name]
        target = None
        if name == "large":
            target = Target(
                "≤ 1/5 of baseline and ≤ 100 ms",
                lambda r, b: r.median <= b.median / 5 and r.median <= 0.100,
            )
        row = Row("P1", "CPU per refresh tick", name, "160×48, 1 poll + 1 tick", "ms", 1e3)
        row.target = target
        parts: dict[str, dict[str, list[float]]] = {}
        for kind in alternate(plan.repeats):
            say(f"P1 {name} {kind.name}")
            run = asyncio.run(measure_ticks(kind, load, plan.p1_ticks, warmup=plan.p1_warmup))
            row.samples.setdefault(kind.name, []).extend(run.total)
            mine = parts.setdefault(kind.name, {"poll": [], "tick": [], "bytes": []})
            mine["poll"].extend(run.poll)
            mine["tick"].extend(run.tick)
            mine["bytes"].extend(run.bytes)
        for app, part in parts.items():
            poll = Summary.of(part["poll"]).median * 1e3
            tick = Summary.of(part["tick"]).median * 1e3
            sent = Summary.of(part["bytes"]).median / 1024
            row.notes.append(
                f"{app}: poll applied {poll:.1f} ms + time tick {tick:.1f} ms (medians); "
                f"{sent:.1f} KiB of escape codes per refresh tick"
            )
        rows.append(row)
    return rows


def run_p2(plan: Plan) -> list[Row]:
    from bench.measures.terminal import first_data

    rows = []
    for name in plan.p2_loads:
        load = LOADS[name]
        row = Row(
            "P2",
            "start to first data",
            name,
            f"{plan.p2_size[0]}×{plan.p2_size[1]} pty",
            "s",
            1.0,
        )
        if name == "medium":
            row.target = Target("≤ 0.6 s", lambda r, b: r.median <= 0.6)
        with make_sim(load) as sim:
            if not plan.quick:
                for kind in APPS:  # a first start fills the bytecode caches: not counted
                    first_data(kind, sim, plan.p2_size)
            for kind in alternate(plan.p2_repeats):
                say(f"P2 {name} {kind.name}")
                row.samples.setdefault(kind.name, []).append(first_data(kind, sim, plan.p2_size))
        rows.append(row)
    return rows


def run_p3(plan: Plan) -> list[Row]:
    from bench.measures.terminal import bytes_per_second

    rows = []
    for name in plan.p3_loads:
        for size in plan.p3_sizes:
            row = Row(
                "P3",
                "terminal bytes per second",
                name,
                f"{size[0]}×{size[1]} pty, live centre",
                "KiB/s",
                1 / 1024,
            )
            if name == "large":
                # the baseline needs more than the interval to draw one refresh here (P1),
                # so it draws fewer frames and its bytes/s fall: a ratio against it
                # would measure how far it falls behind, not what a link carries
                row.notes.append(
                    "(info, not a target) the baseline cannot keep up at this load (see P1 "
                    "large: its refresh takes longer than the interval), so it sends fewer frames"
                )
            else:
                row.target = Target("≤ 1/3 of baseline", lambda r, b: r.median <= b.median / 3)
            for kind in alternate(plan.repeats):
                say(f"P3 {name} {size} {kind.name}")
                rate = bytes_per_second(
                    kind, LOADS[name], size, warmup=plan.p3_warmup, window=plan.p3_window
                )
                row.samples.setdefault(kind.name, []).append(rate)
            rows.append(row)
    return rows


def run_p4(plan: Plan) -> list[Row]:
    from bench.measures.terminal import idle_cpu

    rows = []
    for name in plan.p4_loads:
        for paused, setting in ((True, "paused (p)"), (False, "live, nothing changes")):
            row = Row("P4", "CPU when idle", name, f"160×48 pty, {setting}", "% core", 1.0)
            row.target = Target("≤ 0.5 % of a core", lambda r, b: r.median <= 0.5)
            for kind in alternate(plan.repeats):
                say(f"P4 {name} {setting} {kind.name}")
                used = idle_cpu(
                    kind,
                    LOADS[name],
                    paused=paused,
                    warmup=plan.p4_warmup,
                    window=plan.p4_window,
                )
                row.samples.setdefault(kind.name, []).append(used)
            if not paused:
                row.notes.append(polling_note(plan, LOADS[name]))
            rows.append(row)
    return rows


def polling_note(plan: Plan, load: Load) -> str:
    """How much of "live, nothing changes" is the polls alone (no drawing at all)."""
    from bench.measures.inprocess import poll_cpu

    say(f"P4 {load.name} polling alone")
    try:
        per_poll = Summary.of(asyncio.run(poll_cpu(load, plan.p4_polls)))
    except Exception as exc:  # a note must not lose the measured rows
        return f"polling alone could not be measured: {type(exc).__name__}: {exc}"
    share = 100.0 * per_poll.median / INTERVAL
    return (
        f"of which polling alone (both routes, unchanged bodies, rtdash's client on httpx, "
        f"in-process thread time, median of {per_poll.n} polls): {per_poll.median * 1e3:.2f} ms "
        f"a poll = {share:.2f} % of a core at a {INTERVAL:g} s interval"
    )


def run_p5(plan: Plan) -> list[Row]:
    from bench.measures.terminal import peak_memory

    rows = []
    for name in plan.p5_loads:
        row = Row("P5", "peak resident memory", name, "160×48 pty, live centre", "MB", 1.0)
        if name == "large":
            row.target = Target("≤ 80 MB", lambda r, b: r.median <= 80)
        for kind in alternate(plan.repeats):
            say(f"P5 {name} {kind.name}")
            peak = peak_memory(kind, LOADS[name], window=plan.p5_window)
            row.samples.setdefault(kind.name, []).append(peak)
        rows.append(row)
    return rows


def run_p6(plan: Plan) -> list[Row]:
    from bench.measures.inprocess import measure_delays

    rows = []
    limit = INTERVAL + 0.100
    for name in plan.p6_loads:
        row = Row(
            "P6",
            "change to screen",
            name,
            f"interval {INTERVAL:g} s, {plan.p6_changes} changes",
            "ms",
            1e3,
            statistic="p90",
        )
        row.target = Target(
            f"p90 ≤ interval + 100 ms ({limit * 1e3:.0f} ms)", lambda r, b: r.p90 <= limit
        )
        for kind in APPS:
            say(f"P6 {name} {kind.name}")
            delays = asyncio.run(
                measure_delays(kind, LOADS[name], plan.p6_changes, settle=plan.p6_settle)
            )
            row.samples.setdefault(kind.name, []).extend(delays)
        for app in row.samples:
            s = row.summary(app)
            row.notes.append(
                f"{app}: p90 {s.p90 * 1e3:.0f} ms, max {s.high * 1e3:.0f} ms over {s.n} changes"
            )
        rows.append(row)
    return rows


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
            sizes = [int(part) for part in args.scale_sizes.split(",") if part.strip()]
        except ValueError:
            sizes = []
        if not sizes or min(sizes) < 1:
            parser.error(
                f"--scale-sizes wants live-call counts like 200,2000: {args.scale_sizes!r}"
            )
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
        sizes = tuple(int(part) for part in args.scale_sizes.split(",") if part.strip())
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
