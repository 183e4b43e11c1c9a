"""SCALE's parts of bench/RESULTS.md: its lines of the Targets table, the scaling
table and its notes, and its method (the figures are :mod:`bench.scale`'s)."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from bench.loads import RTDASH
from bench.scale import (
    COST_TARGETS,
    EXPONENT_TARGET,
    GROWTH,
    RSS_TARGETS,
    SCALE_APPS,
    SHOWN,
    ScaleResult,
    ScaleRow,
)
from bench.stats import Summary

if TYPE_CHECKING:
    from bench.plan import Plan


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    ms = value * 1e3
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}"


def _spread(row: ScaleRow, app: str) -> str:
    samples = row.total.get(app)
    if not samples:
        return "not run"
    s = Summary.of(samples)
    if s.n == 1:
        return f"{_ms(s.median)} (n=1)"
    return f"{_ms(s.median)} [{_ms(s.low)}–{_ms(s.high)}]"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else "PASS" if ok else "FAIL"


def target_lines(result: ScaleResult | None) -> list[str]:
    """SCALE's lines of the Targets table (same columns: the peers' figures in the
    baseline column, naive then idiomatic)."""
    if result is None:
        return []
    lines = []
    for calls, limit in COST_TARGETS.items():
        row = result.row_at(calls)
        if row is None or row.median("rtdash") is None:
            continue
        ours = row.median("rtdash")
        assert ours is not None
        peers = "; ".join(
            f"{SHOWN[app]} {_ms(row.median(app))} ms"
            for app in ("baseline", "peer")
            if row.total.get(app)
        )
        ratios = "; ".join(
            f"{SHOWN[app]} {_ratio(row.ratio(app))}"
            for app in ("baseline", "peer")
            if row.total.get(app)
        )
        lines.append(
            f"| SCALE CPU per poll + tick, {calls:,} calls, 160×48, medium churn: "
            f"≤ {limit * 1e3:.0f} ms | {_ms(ours)} ms | {peers} | {ratios} "
            f"| {_verdict(ours <= limit)} |"
        )
    grown = result.exponent()
    if grown is not None:
        peer = result.exponent("peer")
        lines.append(
            f"| SCALE growth exponent of that cost, {GROWTH[0]:,} → {GROWTH[1]:,} calls: "
            f"≤ {EXPONENT_TARGET:g} | {grown:.2f} "
            f"| idiomatic peer {'—' if peer is None else f'{peer:.2f}'} | "
            f"| {_verdict(grown <= EXPONENT_TARGET)} |"
        )
    for rss in result.rss:
        most = RSS_TARGETS.get(rss.calls)
        if most is None or not rss.samples:
            continue
        peak = Summary.of(rss.samples).median
        lines.append(
            f"| SCALE peak resident memory, {rss.calls:,} calls, 160×48 pty, simulator "
            f"out of process: ≤ {most:.0f} MB | {peak:.1f} MB | | | {_verdict(peak <= most)} |"
        )
    return lines


def section(result: ScaleResult | None, plan: Plan) -> list[str]:
    if result is None:
        return ["Not measured in this run (`--only` without SCALE)."]
    lines = [
        "CPU per poll + tick (ms; median [min–max] of the counted rounds): one poll of both",
        "routes through the app's own poller, from the request to the frame written (fetch",
        "over loopback HTTP, decode, map, snapshot, metrics, draw), plus one tick drawn.",
        "rtdash/naive and rtdash/idiomatic are ratios of medians; below 1 rtdash is cheaper.",
        "",
        "| live calls (users) | rtdash | naive | idiomatic peer | rtdash/naive "
        "| rtdash/idiomatic | rtdash poll + tick |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result.rows:
        parts = (
            f"{_ms(row.median('rtdash', 'poll'))} + {_ms(row.median('rtdash', 'tick'))}"
            if row.total.get("rtdash")
            else "—"
        )
        lines.append(
            f"| {row.calls:,} ({row.users:,}) | {_spread(row, 'rtdash')} "
            f"| {_spread(row, 'baseline')} | {_spread(row, 'peer')} "
            f"| {_ratio(row.ratio('baseline'))} | {_ratio(row.ratio('peer'))} | {parts} |"
        )
    lines.append("")
    for app in SCALE_APPS:
        grown = result.exponent(app.name)
        if grown is not None:
            lines.append(
                f"- Growth exponent of {SHOWN[app.name]}'s cost, {GROWTH[0]:,} → "
                f"{GROWTH[1]:,} calls (log-log slope): **{grown:.2f}**"
                + (f" (target ≤ {EXPONENT_TARGET:g}){_pooled(result)}" if app is RTDASH else "")
            )
    by_repeat = result.exponents_by_repeat()
    if len(by_repeat) > 1:
        lines.append(
            "- rtdash's exponent of each repeat alone (its run at "
            f"{GROWTH[0]:,} calls against its run at {GROWTH[1]:,}, minutes apart): "
            + ", ".join(f"{one:.2f}" for one in by_repeat)
            + f" (median {statistics.median(by_repeat):.2f}; information: how far the host"
            " moved the figure within this run)"
        )
    for row in result.rows:
        for note in row.notes:
            lines.append(f"- {row.calls:,} calls: {note}")
        peers = [app for app in ("baseline", "peer") if row.tick.get(app)]
        if peers and row.tick.get("rtdash"):
            split = "; ".join(
                f"{SHOWN[app]} {_ms(row.median(app, 'poll'))} + {_ms(row.median(app, 'tick'))}"
                for app in peers
            )
            lines.append(f"- {row.calls:,} calls, poll + tick ms (medians): {split}")
        if row.harness:
            lines.append(
                f"- {row.calls:,} calls: one `Pilot.pause` on rtdash settled costs "
                f"{_ms(Summary.of(row.harness).median)} ms (median), the harness's own, "
                "not counted (each draw is waited for by `settle`; the rounds before "
                "2026-12-04 counted two such waits)"
            )
    if result.rss:
        lines += [
            "",
            "Resident memory of rtdash (MB) in a 160×48 pty after its first data",
            f"and {plan.rss_window:g} s of the live centre, the simulator in the harness's"
            " process:",
            "",
            "| live calls (users) | peak (VmHWM) | at the end (VmRSS) | n "
            "| target (on the peak, as P5) |",
            "| ---: | ---: | ---: | ---: | --- |",
        ]
        for rss in result.rss:
            s = Summary.of(rss.samples)
            limit = RSS_TARGETS.get(rss.calls)
            now = f"{Summary.of(rss.current).median:.1f}" if rss.current else "—"
            lines.append(
                f"| {rss.calls:,} ({rss.users:,}) | {s.median:.1f} | {now} | {s.n} "
                f"| {'' if limit is None else f'≤ {limit:.0f} MB'} |"
            )
    return lines


def _pooled(result: ScaleResult) -> str:
    """What rtdash's exponent was read from, when runs were made for it alone."""
    rows = [row for calls in GROWTH if (row := result.row_at(calls)) is not None]
    extra = min((len(row.growth) for row in rows), default=0)
    if not extra:
        return ""
    counts = " and ".join(f"{len(row.growth_rounds(RTDASH.name))}" for row in rows)
    return (
        f", the medians of {counts} rounds: the table's repeats and {extra} runs of rtdash"
        " alone at the two sizes, taking turns"
    )


def method(plan: Plan) -> list[str]:
    sizes = " / ".join(f"{calls:,}" for calls in plan.scale_sizes)
    return [
        f"- **SCALE** at {sizes} live calls (users: half as many), in-process as P1",
        "  (`run_test(size=(160, 48))`, every frame rendered to escape codes), the simulator",
        "  in a process of its own over loopback HTTP, frozen between rounds. A round: the",
        "  centre moves on 1 s (medium churn: arrivals, departures, state changes, and every",
        "  call's durations tick, so no body repeats), `time.process_time()` around one poll",
        "  of both routes through the app's own poller and its draw, then a tick half a",
        "  frozen second later and its draw, each draw waited for by letting the event",
        "  loop run until no message is queued or being handled (`settle`), then the frame",
        "  written, not by Textual's `Pilot.pause`, which posts a message to every widget",
        "  of the screen and waits for them all (its cost is said per size below, not",
        "  counted). The alert flash is off (it draws alike in every",
        f"  app). {plan.scale_warmup} uncounted rounds, then {plan.scale_polls} counted, per "
        f"repeat; {plan.scale_repeats} repeats,",
        "  each visiting every size (smallest first, then largest first the next: the host's",
        "  drift over the run reaches every size alike), a simulator per size, the apps",
        "  taking turns against it, a different one first each",
        f"  repeat. A peer whose round takes more than {plan.scale_slow:g} s of CPU is counted "
        "once at that size",
        f"  (one repeat; rtdash never is); the naive baseline is not run above "
        f"{plan.scale_naive_max:,} calls.",
        "- **idiomatic peer** (`bench/peer.py`): rtdash's app with each table a stock",
        "  `DataTable` by row key: `remove_row` for departures, `add_row` for arrivals,",
        "  `update_cell` only for cells whose value changed (times at the poll and the",
        "  tick); rows out of the snapshot's order are removed and added again in order;",
        "  an unchanged snapshot is skipped, as rtdash skips it. Its cost grows faster than",
        "  its rows: Textual's `remove_row` rebuilds the table's row index on every removal,",
        "  and every departure, state change and reordered row is one.",
        "- Growth exponent: log(cost at 50,000 / cost at 2,000) / log(25), rtdash's medians.",
        f"  After the table's repeats, rtdash alone runs {plan.growth_runs} more times at each",
        f"  of those two sizes ({plan.growth_polls} counted rounds a run, the sizes taking",
        "  turns, the order turned each run), and its exponent reads the medians of every",
        "  counted round at the two sizes: the table's three short repeats left it to the",
        "  host's swings (one run's exponent moves by about ±0.05 here).",
    ]
