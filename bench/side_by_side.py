"""P1 to P6: each measure of the apps run for rtdash and the baseline side by side,
repeat by repeat, into the report's rows with their targets and notes.

The harness (bench/run.py) picks which of these a run makes; this module holds how each
is made, so the command and its report plumbing read apart from the measures' loads,
sizes and targets.
"""

from __future__ import annotations

import asyncio

from bench.loads import APPS, INTERVAL, LOADS, AppKind, Load, make_sim
from bench.plan import Plan
from bench.progress import say
from bench.rows import Row, Target
from bench.stats import Summary


def alternate(repeats: int) -> list[AppKind]:
    """rtdash, baseline, baseline, rtdash, …: neither always goes first."""
    order: list[AppKind] = []
    for index in range(repeats):
        order.extend(APPS if index % 2 == 0 else tuple(reversed(APPS)))
    return order


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
