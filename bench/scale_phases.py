"""Where a SCALE poll goes at a big centre, phase by phase, with no profiler.

    python -m bench.scale_phases [--calls 50000] [--rounds 16]

cProfile (``bench.scale_profile``) weighs every small call; this times only a few named
steps of the poll on process time, so the rounds cost what SCALE measures (give or take
a microsecond a timed call). Each step's CPU is summed per poll (a poll's calls
snapshot starts its count) and the medians over the polls after the warm-up go into
bench/RESULTS.md as the kept section ``scale-phases``, with SCALE's own median round of
the same run: what the steps leave is the HTTP exchange, the feed's other consumers,
the draw and the tick.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.loads import RTDASH
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import measure_scale, scale_load
from bench.report import write_kept

HERE = Path(__file__).resolve().parent
#: polls not counted: the first reads every row, the next ones fill the caches
SKIPPED = 3


def _steps() -> list[tuple[Any, str, str]]:
    """(owner, attribute, what it does) of each timed step, in the poll's order."""
    from rtdash.api import line_cut, line_rows, row_reader
    from rtdash.core import service, snapshot, users_snapshot

    return [
        (line_cut._Scanning, "__call__", "cutting the bytes into lines (C scanner)"),
        (line_rows.LineRows, "held", "last poll's rows found by head (C table)"),
        (row_reader.RowReader, "read_lines", "new lines read into rows (C reader)"),
        (line_rows, "fast_rows", "new lines the C reader left, decoded"),
        (line_rows.LineFeed, "finish", "a body's gone rows and ids"),
        (line_rows.LineFeed, "add", "the bytes taken in (all of the above but finish)"),
        (snapshot.CallsSnapshot, "_changed", "calls snapshot from the changes"),
        (users_snapshot.UsersSnapshot, "build", "users snapshot"),
        (service.ServiceLevel, "feed_snapshot", "today's service level"),
    ]


@contextmanager
def timed(polls: list[dict[str, float]]) -> Iterator[list[str]]:
    """Each step's CPU added to the current poll's counter (a new one at each calls
    snapshot) while inside; the steps' descriptions, in order."""
    saved: list[tuple[Any, str, Any]] = []
    said = []
    for owner, name, what in _steps():
        original = getattr(owner, name)
        saved.append((owner, name, original))
        said.append(what)
        setattr(owner, name, _timing(original, what, polls, starts=name == "_changed"))
    try:
        yield said
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _timing(
    original: Callable[..., Any], what: str, polls: list[dict[str, float]], *, starts: bool
) -> Callable[..., Any]:
    clock = time.process_time

    def step(*args: Any, **kwargs: Any) -> Any:
        if starts:
            polls.append({})
        begun = clock()
        try:
            return original(*args, **kwargs)
        finally:
            if polls:
                spent = polls[-1]
                spent[what] = spent.get(what, 0.0) + clock() - begun

    return step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_phases", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    before = os.getloadavg()
    polls: list[dict[str, float]] = []
    with timed(polls) as said, remote_sim(scale_load(args.calls)) as sim:
        run = asyncio.run(measure_scale(RTDASH, sim, polls=args.rounds, warmup=2, slow=None))
    counted = polls[SKIPPED:]
    if not counted:
        raise SystemExit("too few polls to count: give more --rounds")
    lines = [
        f"## Where a SCALE poll goes, step by step, at {args.calls:,} calls "
        f"(`python -m bench.scale_phases --calls {args.calls} --rounds {args.rounds}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
        f"{before[0]:.1f} before, {os.getloadavg()[0]:.1f} after. CPU ms per poll "
        f"(medians over {len(counted)} polls after the first {SKIPPED}); the round in the "
        f"same run (poll + tick, SCALE's measure): {statistics.median(run.total) * 1e3:.1f} "
        f"ms, of it the poll {statistics.median(run.poll) * 1e3:.1f} ms.",
        "",
        "| step | ms per poll |",
        "| --- | ---: |",
        *(
            f"| {what} | {statistics.median(poll.get(what, 0.0) for poll in counted) * 1e3:.2f} |"
            for what in said
        ),
    ]
    write_kept(args.output, "scale-phases", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
