"""Where a SCALE round goes as the centre grows, step by step, with no profiler.

    python -m bench.scale_phases [--calls 2000 50000] [--rounds 16] [--still] [--runs 1]

cProfile (``bench.scale_profile``) weighs every small call; this times only a few named
steps of the round on process time, so the rounds cost what SCALE measures (give or
take a microsecond a timed call). Each step's CPU is summed per counted round (the
measure marks where each begins and ends; a step run between rounds is not counted)
and the medians over the rounds after the warm-up go into bench/RESULTS.md as the kept
section ``scale-phases``: a column per centre size, and what each step grew by from the
smallest to the largest, which is what the growth exponent of SCALE is made of. What the
top-level steps leave of the round is the HTTP exchange around the bytes, the feed's
other consumers, the rest of the draw and the tick. A line under the table says what
exponent the round would have had if the steps that follow the events in Python had
cost nothing: a bound on what rewriting them could do.

``--runs N`` measures the sizes N times, the order turned each run, and keeps each
step's median over the runs, with each run's exponent under the table: one run's
exponent moves with the host's speed of the minute, so a verdict on the target wants
the runs' spread beside it.

``--still`` also runs the largest size with the centre standing still (every poll
brings the last body again, byte for byte, and the times tick): a step's cost then is
what the size alone asks of it, and the difference to the moving centre's is what the
change costs. The medium churn grows with the centre, so a round whose growth is mostly
the change's is one whose cost follows the change.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.kept import stamp
from bench.loads import RTDASH
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import measure_scale, scale_load
from bench.report import write_kept
from bench.stats import alternated, growth_exponent

HERE = Path(__file__).resolve().parent
#: rounds not counted: the first reads every row, the next ones fill the caches
WARMUP = 5
#: what a step inside another is shown with (its time is in the step above it)
INSIDE = "– "
#: the steps the round is made of (the others are inside one of these)
TOP_LEVEL = (
    "the socket's reads (asyncio's transport)",
    "the bytes taken in (the four steps below and the Python around them)",
    "a body's gone rows and ids",
    "calls snapshot from the changes",
    "users snapshot",
    "today's service level",
    "the headline's agents counted (after each route)",
    "the tables' rows laid out and compared",
    "the screen's changed lines painted",
)
#: the row whose steps' sum the round's rest is measured against
ROUND = "the round (poll + tick, SCALE's measure)"
#: the steps that follow a poll's events in Python once its rows are read: what any
#: rewrite of the event path (a table per call in C, say) could take off the round
EVENTS = TOP_LEVEL[2:7]
REST = "the rest of the round (HTTP around the bytes, other consumers, the tick)"


def _steps() -> list[tuple[Any, str, str]]:
    """(owner, attribute, what it does) of each timed step, in the round's order."""
    # the socket transport is private to asyncio (its stubs do not name it): its reads are timed
    from asyncio.selector_events import _SelectorSocketTransport  # type: ignore[attr-defined]

    from rtdash.api import head_cache, line_cut, line_rows, row_reader
    from rtdash.core import (
        agent_time,
        agents,
        metrics,
        outcomes,
        service,
        service_metrics,
        snapshot,
        users_snapshot,
    )
    from rtdash.ui import textual_internals
    from rtdash.ui.widgets import rows_view

    return [
        (_SelectorSocketTransport, "_read_ready__data_received", TOP_LEVEL[0]),
        (line_rows.LineFeed, "add", TOP_LEVEL[1]),
        (line_cut._Scanning, "__call__", INSIDE + "cutting the bytes into lines (C scanner)"),
        (head_cache.LineRows, "held", INSIDE + "last poll's rows found by head (C table)"),
        (row_reader.RowReader, "read_lines", INSIDE + "new lines read into rows (C reader)"),
        (line_rows, "fast_rows", INSIDE + "new lines the C reader left, decoded"),
        (line_rows.LineFeed, "finish", TOP_LEVEL[2]),
        (snapshot.CallsSnapshot, "_changed", TOP_LEVEL[3]),
        (users_snapshot.UsersSnapshot, "build", TOP_LEVEL[4]),
        (service.ServiceLevel, "feed_snapshot", TOP_LEVEL[5]),
        (outcomes.OutcomeTracker, "_observe_calls", INSIDE + "the calls' outcomes followed"),
        (service_metrics.ServiceMetrics, "handle_all", INSIDE + "outcomes counted into tallies"),
        (agents.OnCall, "moved", INSIDE + "who is on a call, moved by the bridged calls"),
        (agent_time.AgentTime, "observe", INSIDE + "the agents' clocks moved"),
        (metrics.Metrics, "with_agents", TOP_LEVEL[6]),
        (rows_view.RowsView, "update_snapshot", TOP_LEVEL[7]),
        (textual_internals.PaintHold, "_compositor_refresh", TOP_LEVEL[8]),
    ]


class Rounds:
    """Each counted round's steps, ms by step: :func:`measure_scale` opens a round
    (``enable``) just before it and closes it (``disable``) just after, as it does a
    profiler's; a step run between rounds (the harness's own waits) is not counted."""

    def __init__(self) -> None:
        self.polls: list[dict[str, float]] = []
        self.open = False

    def enable(self) -> None:
        self.polls.append({})
        self.open = True

    def disable(self) -> None:
        self.open = False


@contextmanager
def timed(rounds: Rounds) -> Iterator[list[str]]:
    """Each step's CPU added to the open round's counter while inside; the steps'
    descriptions, in order. A static or class method is wrapped as what it was, so it
    is called as before."""
    saved: list[tuple[Any, str, Any]] = []
    said = []
    for owner, name, what in _steps():
        raw = inspect.getattr_static(owner, name)
        saved.append((owner, name, raw))
        said.append(what)
        step = _timing(getattr(owner, name), what, rounds)
        wrapped = staticmethod(step) if isinstance(raw, staticmethod | classmethod) else step
        setattr(owner, name, wrapped)
    try:
        yield said
    finally:
        for owner, name, raw in saved:
            setattr(owner, name, raw)


def _timing(original: Callable[..., Any], what: str, rounds: Rounds) -> Callable[..., Any]:
    clock = time.process_time

    def step(*args: Any, **kwargs: Any) -> Any:
        begun = clock()
        try:
            return original(*args, **kwargs)
        finally:
            if rounds.open:
                spent = rounds.polls[-1]
                spent[what] = spent.get(what, 0.0) + clock() - begun

    return step


def measure(calls: int, rounds: int, *, moved: float = 1.0) -> dict[str, float]:
    """Median ms of each step per round at ``calls`` live calls, with the round's own
    (SCALE's measure, in the same run) and what the top-level steps leave of it;
    ``moved``: the seconds the centre moves on before each round (0: it stands still)."""
    marks = Rounds()
    with timed(marks) as said, remote_sim(scale_load(calls)) as sim:
        run = asyncio.run(
            measure_scale(
                RTDASH, sim, polls=rounds, warmup=WARMUP, slow=None, profiler=marks, moved=moved
            )
        )
    counted = marks.polls
    if len(counted) != len(run.total):
        raise SystemExit("the measure did not mark each counted round")
    medians = {what: statistics.median(p.get(what, 0.0) for p in counted) * 1e3 for what in said}
    medians[ROUND] = statistics.median(run.total) * 1e3
    medians[REST] = medians[ROUND] - sum(medians[what] for what in TOP_LEVEL)
    return medians


def report(
    sizes: list[int], measured: list[dict[str, float]], still: dict[str, float] | None = None
) -> list[str]:
    """The table: a column per size, then (with two sizes or more) what each step grew
    by from the smallest to the largest and the growth exponent the round would have
    had if that step alone had not grown (the round's own exponent on its row); with
    ``still`` (the largest size, the centre standing still), that column and what the
    change costs beside it (the moving centre's less the standing one's)."""
    heads = " | ".join(f"{calls:,} calls" for calls in sizes)
    grows = len(sizes) > 1
    extra = (
        f" grew by, {sizes[0]:,} → {sizes[-1]:,} | the round's exponent had it not grown |"
        if grows
        else ""
    )
    if still is not None:
        extra += f" {sizes[-1]:,} calls, standing still | the change's own |"
    columns = len(sizes) + (2 if grows else 0) + (2 if still is not None else 0)
    lines = [f"| step (ms per round) | {heads} |{extra}", "| --- |" + " ---: |" * columns]
    order = [*measured[0].keys()]
    order.remove(ROUND)
    order.remove(REST)
    small, big = measured[0], measured[-1]
    for what in [*order, REST, ROUND]:
        cells = [f"{one[what]:.2f}" for one in measured]
        if grows:
            # the round with this step at the larger size costing what it did at the smaller
            flat = big[ROUND] - (0.0 if what == ROUND else big[what] - small[what])
            exponent = growth_exponent(small[ROUND], flat, sizes[0], sizes[-1])
            cells += [f"{big[what] - small[what]:+.2f}", f"{exponent:.3f}"]
        if still is not None:
            cells += [f"{still[what]:.2f}", f"{big[what] - still[what]:+.2f}"]
        shown = f"**{what}**" if what == ROUND else what
        lines.append(f"| {shown} | {' | '.join(cells)} |")
    return lines


def still_said(calls: int, moving: dict[str, float], still: dict[str, float]) -> str:
    """The round's split at the largest size: what the size alone costs, and the change."""
    size, change = still[ROUND], moving[ROUND] - still[ROUND]
    said = (
        f"At {calls:,} calls the round costs {size:.2f} ms with the centre standing still "
        "(every poll the last body again, the times ticking)"
    )
    if change <= 0:  # a centre so small that its change is lost in the noise
        return said + " and no more for a second of medium churn."
    return (
        f"{said} and {change:.2f} ms more for a second of medium churn: "
        f"{change / moving[ROUND]:.0%} of the round is the change's."
    )


def events_said(sizes: list[int], measured: list[dict[str, float]]) -> str:
    """The exponent the round would have had if the events' steps (:data:`EVENTS`) had
    cost nothing at either size: the most a rewrite of the event path could bring it
    down to, the bytes, the screen and the rest left as they are."""
    small, big = measured[0], measured[-1]
    spared = [one[ROUND] - sum(one[what] for what in EVENTS) for one in (small, big)]
    exponent = growth_exponent(spared[0], spared[1], sizes[0], sizes[-1])
    return (
        f"Had the events' steps ({', '.join(EVENTS)}) cost nothing at either size, the "
        f"round would cost {spared[0]:.2f} ms at {sizes[0]:,} calls and {spared[1]:.2f} ms "
        f"at {sizes[-1]:,}: an exponent of {exponent:.3f} (the round's own: "
        f"{growth_exponent(small[ROUND], big[ROUND], sizes[0], sizes[-1]):.3f})."
    )


def medians_of(sizes: list[int], runs: list[dict[int, dict[str, float]]]) -> list[dict[str, float]]:
    """Each step's median over the runs, size by size."""
    return [
        {what: statistics.median(run[calls][what] for run in runs) for what in runs[0][calls]}
        for calls in sizes
    ]


def runs_said(sizes: list[int], runs: list[dict[int, dict[str, float]]]) -> str:
    """Each run's round at the smallest and the largest size, its exponent, and their
    median: how far the host moves the figure from run to run."""
    low, high = sizes[0], sizes[-1]
    each = [
        (
            run[low][ROUND],
            run[high][ROUND],
            growth_exponent(run[low][ROUND], run[high][ROUND], low, high),
        )
        for run in runs
    ]
    shown = ", ".join(
        f"{small:.2f} → {big:.2f} ms ({exponent:.3f})" for small, big, exponent in each
    )
    middle = statistics.median(exponent for _, _, exponent in each)
    return (
        f"Each of the {len(runs)} runs, the round at {sizes[0]:,} and at {sizes[-1]:,} calls "
        f"(its exponent): {shown}; the median of the runs' exponents {middle:.3f}. The "
        "table holds each step's median over the runs."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_phases", description=__doc__)
    parser.add_argument("--calls", type=int, nargs="+", default=[2_000, 50_000])
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument(
        "--still", action="store_true", help="and the largest size with the centre standing still"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="measure the sizes this many times, alternated"
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    sizes = sorted(args.calls)
    before = os.getloadavg()
    # each size in turn, the order turned each run: a slow stretch of the host that met
    # one size alone would move that run's exponent with it
    runs = alternated(sizes, args.runs, lambda calls: measure(calls, args.rounds))
    measured = medians_of(sizes, runs)
    still = measure(sizes[-1], args.rounds, moved=0.0) if args.still else None
    shown = " ".join(map(str, sizes)) + (" --still" if args.still else "")
    shown += f" --runs {args.runs}" if args.runs > 1 else ""
    lines = [
        "## Where a SCALE round goes, step by step, as the centre grows "
        f"(`python -m bench.scale_phases --calls {shown} --rounds {args.rounds}`)",
        "",
        f"{stamp(before[0])} CPU ms per round (medians "
        f"over the rounds after the first {WARMUP}), each size in its own run with the "
        "simulator out of process. Steps marked – are inside the step above them; the "
        "round is SCALE's own measure in the same run, and the timers add a little to it.",
        "",
        *report(sizes, measured, still),
    ]
    if len(sizes) > 1 and len(runs) > 1:
        lines += ["", runs_said(sizes, runs)]
    if len(sizes) > 1:
        lines += ["", events_said(sizes, measured)]
    if still is not None:
        lines += ["", still_said(sizes[-1], measured[-1], still)]
    write_kept(args.output, "scale-phases", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
