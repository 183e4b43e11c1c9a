"""SCALE in the harness: rtdash against the naive baseline and the idiomatic peer at
growing centres (bench/measures/scaling.py measures) and the rows it gives; its parts
of bench/RESULTS.md are :mod:`bench.scale_report`'s."""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench.loads import BASELINE, PEER, RTDASH
from bench.progress import say
from bench.stats import Summary, alternated, growth_exponent

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
        low, high = (self.row_at(calls) for calls in GROWTH)
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
        low, high = (self.row_at(calls) for calls in GROWTH)
        if low is None or high is None:
            return []
        pairs = zip(low.runs_of(app), high.runs_of(app), strict=False)
        medians = [(statistics.median(a), statistics.median(b)) for a, b in pairs if a and b]
        return [growth_exponent(a, b, low.calls, high.calls) for a, b in medians if a > 0 and b > 0]

    def row_at(self, calls: int) -> ScaleRow | None:
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
        growth = {row.calls: row for row in result.rows if row.calls in GROWTH}
        if len(growth) == len(GROWTH):

            def one(size: int) -> list[float]:
                return _growth_run(plan, size, sims[size])

            for run in alternated(GROWTH, plan.growth_runs, one):
                for size, rounds in run.items():
                    growth[size].growth.append(rounds)
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


def _growth_run(plan: Plan, calls: int, sim: RemoteSim) -> list[float]:
    """The counted rounds of one run of rtdash alone at one :data:`GROWTH` size, for
    the exponent: the table's few repeats leave it to the host's swings of a minute
    (its small round is compute-bound and moves by up to a third, the big one by a
    twentieth)."""
    from bench.measures.scaling import measure_scale

    say(f"SCALE {calls:,} calls rtdash, for the exponent")
    run = asyncio.run(
        measure_scale(RTDASH, sim, polls=plan.growth_polls, warmup=plan.scale_warmup, slow=None)
    )
    return list(run.total)


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


__all__ = ["ScaleResult", "ScaleRow", "run_scale"]
