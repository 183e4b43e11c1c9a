"""SCALE in the harness: rtdash against the naive baseline and the idiomatic peer at
growing centres (bench/measures/scaling.py measures), the rows it gives, and its parts
of bench/RESULTS.md (the scaling table, its targets, its method)."""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench.loads import BASELINE, PEER, RTDASH
from bench.progress import say
from bench.stats import Summary, growth_exponent

if TYPE_CHECKING:
    from bench.measures.remote_sim import RemoteSim
    from bench.plan import Plan

#: the apps of the scaling table, in the order they take turns
SCALE_APPS = (RTDASH, BASELINE, PEER)
#: how the report names them
SHOWN = {"rtdash": "rtdash", "baseline": "naive", "peer": "idiomatic peer"}
#: the growth exponent is taken between these sizes (calls)
GROWTH = (2_000, 50_000)
#: per poll + tick targets by size (calls -> seconds)
COST_TARGETS = {10_000: 0.040, 50_000: 0.100}
EXPONENT_TARGET = 0.3
#: peak RSS targets by size (calls -> MB)
RSS_TARGETS = {10_000: 80.0, 50_000: 150.0}


@dataclass
class ScaleRow:
    """One centre size: CPU seconds per poll + tick for each app that ran there."""

    calls: int
    users: int
    total: dict[str, list[float]] = field(default_factory=dict)
    poll: dict[str, list[float]] = field(default_factory=dict)
    tick: dict[str, list[float]] = field(default_factory=dict)
    #: CPU seconds of one ``Pilot.pause`` on rtdash settled (not counted in the rounds)
    harness: list[float] = field(default_factory=list)
    #: each repeat's counted rounds (``total`` cut by run), by app
    runs: dict[str, list[list[float]]] = field(default_factory=dict)
    #: rtdash's runs at this size measured for the growth exponent alone (the sizes
    #: of :data:`GROWTH` taking turns), each run's counted rounds
    growth: list[list[float]] = field(default_factory=list)
    #: apps measured fewer times than the plan says, or not at all, and why
    notes: list[str] = field(default_factory=list)

    def median(self, app: str, part: str = "total") -> float | None:
        samples: dict[str, list[float]] = getattr(self, part)
        return Summary.of(samples[app]).median if samples.get(app) else None

    def growth_rounds(self, app: str) -> list[float]:
        """Every counted round of ``app`` here that the growth exponent reads: the
        table's repeats, and for rtdash the runs made for the exponent alone."""
        extra = [one for run in self.growth for one in run] if app == RTDASH.name else []
        return [*self.total.get(app, []), *extra]

    def runs_of(self, app: str) -> list[list[float]]:
        """``app``'s runs here, each its counted rounds: the table's repeats, then the
        runs made for the exponent alone (rtdash's)."""
        return [*self.runs.get(app, []), *(self.growth if app == RTDASH.name else [])]

    def ratio(self, app: str) -> float | None:
        ours, theirs = self.median("rtdash"), self.median(app)
        return ours / theirs if ours is not None and theirs else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "users": self.users,
            "total": self.total,
            "poll": self.poll,
            "tick": self.tick,
            "summary": {app: Summary.of(s).as_dict() for app, s in self.total.items() if s},
            "runs": self.runs,
            "growth": self.growth,
            "notes": self.notes,
        }


@dataclass
class RssRow:
    calls: int
    users: int
    #: peak resident set (VmHWM), MB: what the target judges, as P5
    samples: list[float] = field(default_factory=list)
    #: resident set at the end of the window (VmRSS), MB
    current: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "users": self.users,
            "samples": self.samples,
            "current": self.current,
        }


@dataclass
class ScaleResult:
    rows: list[ScaleRow] = field(default_factory=list)
    rss: list[RssRow] = field(default_factory=list)
    #: CPU seconds a round may take before its app is counted once at that size
    slow: float = 3.0

    def exponent(self, app: str = "rtdash") -> float | None:
        """Growth exponent of ``app``'s cost against calls (log-log slope) between
        the :data:`GROWTH` sizes."""
        low, high = (self._at(calls) for calls in GROWTH)
        if low is None or high is None:
            return None
        small, big = low.growth_rounds(app), high.growth_rounds(app)
        if not small or not big:
            return None
        a, b = statistics.median(small), statistics.median(big)
        if not a or not b:
            return None
        return growth_exponent(a, b, low.calls, high.calls)

    def exponents_by_repeat(self, app: str = "rtdash") -> list[float]:
        """The exponent of each repeat alone (its run at one :data:`GROWTH` size
        against its run at the other, minutes apart at most), the runs made for the
        exponent alone after the table's: how far the host moved the figure within
        this run."""
        low, high = (self._at(calls) for calls in GROWTH)
        if low is None or high is None:
            return []
        pairs = zip(low.runs_of(app), high.runs_of(app), strict=False)
        medians = [(statistics.median(a), statistics.median(b)) for a, b in pairs if a and b]
        return [growth_exponent(a, b, low.calls, high.calls) for a, b in medians if a > 0 and b > 0]

    def _at(self, calls: int) -> ScaleRow | None:
        return next((row for row in self.rows if row.calls == calls), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": [row.as_dict() for row in self.rows],
            "rss": [row.as_dict() for row in self.rss],
            "exponent": {app.name: self.exponent(app.name) for app in SCALE_APPS},
        }


def run_scale(plan: Plan) -> ScaleResult:
    """Each repeat measures every size, smallest first, then largest first the next
    time: the host's speed drifts over a run of minutes, and measured size after size
    that drift reached the largest centre alone (the 50,000-call stage came last), so
    the growth exponent moved with it. A simulator per size runs from the start (a
    frozen one costs nothing while it is not asked)."""
    from contextlib import ExitStack

    from bench.measures.remote_sim import remote_sim
    from bench.measures.scaling import scale_load

    result = ScaleResult(slow=plan.scale_slow)
    sims: dict[int, RemoteSim] = {}
    #: per size, the apps found slow there (counted once, then left out)
    slow: dict[int, set[str]] = {}
    with ExitStack() as running:
        for calls in plan.scale_sizes:
            row = ScaleRow(calls, scale_load(calls).users)
            result.rows.append(row)
            if calls > plan.scale_naive_max:
                row.notes.append(
                    f"naive not run above {plan.scale_naive_max:,} calls: it rebuilds every "
                    "table on every poll and tick, tens of seconds each at this size"
                )
            say(f"SCALE {calls:,} calls: starting the simulator")
            sims[calls] = running.enter_context(remote_sim(scale_load(calls)))
            slow[calls] = set()
        for index in range(plan.scale_repeats):
            rows = result.rows if index % 2 == 0 else result.rows[::-1]
            for row in rows:
                _scale_turn(plan, row, sims[row.calls], index, slow[row.calls])
        growth = [row for calls in GROWTH for row in result.rows if row.calls == calls]
        if len(growth) == len(GROWTH):
            for index in range(plan.growth_runs):
                for row in growth if index % 2 == 0 else growth[::-1]:
                    _growth_run(plan, row, sims[row.calls], index)
    for row in result.rows:
        for name in sorted(slow[row.calls]):
            count = len(row.total.get(name, []))
            row.notes.append(
                f"{SHOWN[name]}: a poll + tick above {plan.scale_slow:g} s of CPU, so "
                f"counted {count} time{'s' if count != 1 else ''} (one repeat)"
            )
    for calls in plan.rss_sizes:
        result.rss.append(run_rss(calls, plan))
    return result


def _scale_turn(plan: Plan, row: ScaleRow, sim: RemoteSim, index: int, slow: set[str]) -> None:
    """One repeat at one size: each app that runs there, a different one first each
    repeat, so none always meets a fresh machine."""
    from bench.measures.scaling import measure_scale

    calls = row.calls
    apps = [kind for kind in SCALE_APPS if kind is not BASELINE or calls <= plan.scale_naive_max]
    turn = apps[index % len(apps) :] + apps[: index % len(apps)]
    for kind in turn:
        if kind.name in slow:
            continue
        # rtdash is what the targets judge: always every repeat and round
        cap = None if kind is RTDASH else plan.scale_slow
        say(f"SCALE {calls:,} calls {kind.name} {index + 1}/{plan.scale_repeats}")
        run = asyncio.run(
            measure_scale(kind, sim, polls=plan.scale_polls, warmup=plan.scale_warmup, slow=cap)
        )
        row.total.setdefault(kind.name, []).extend(run.total)
        row.runs.setdefault(kind.name, []).append(list(run.total))
        row.poll.setdefault(kind.name, []).extend(run.poll)
        row.tick.setdefault(kind.name, []).extend(run.tick)
        if kind is RTDASH:
            row.harness.extend(run.harness)
        if cap is not None and any(v > cap for v in run.total + run.warmup):
            slow.add(kind.name)


def _growth_run(plan: Plan, row: ScaleRow, sim: RemoteSim, index: int) -> None:
    """One run of rtdash alone at one :data:`GROWTH` size, for the exponent: the
    table's few repeats leave it to the host's swings of a minute (its small round is
    compute-bound and moves by up to a third, the big one by a twentieth)."""
    from bench.measures.scaling import measure_scale

    say(f"SCALE {row.calls:,} calls rtdash, for the exponent {index + 1}/{plan.growth_runs}")
    run = asyncio.run(
        measure_scale(RTDASH, sim, polls=plan.growth_polls, warmup=plan.scale_warmup, slow=None)
    )
    row.growth.append(list(run.total))


def run_rss(calls: int, plan: Plan) -> RssRow:
    from bench.measures.scaling import peak_rss, scale_load

    load = scale_load(calls)
    row = RssRow(calls, load.users)
    for index in range(plan.rss_repeats):
        say(f"SCALE RSS {calls:,} calls rtdash {index + 1}/{plan.rss_repeats}")
        peak, current = peak_rss(RTDASH, load, window=plan.rss_window)
        row.samples.append(peak)
        row.current.append(current)
    return row


# --- the report -----------------------------------------------------------------------


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
        row = result._at(calls)
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
    rows = [row for calls in GROWTH if (row := result._at(calls)) is not None]
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


__all__ = ["ScaleResult", "method", "run_scale", "section", "target_lines"]
