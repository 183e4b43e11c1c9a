"""Where rtdash's SCALE round goes at a big centre: cProfile over counted rounds.

    python -m bench.scale_profile [--calls 50000] [--rounds 2]

The rounds are SCALE's (bench/measures/scaling.py: one poll of both routes through the
app's poller to the frame written, then a tick), against main's or this tree's rtdash;
the top functions by cumulative and by own time go into bench/RESULTS.md as the kept
section ``scale-profile``, which ``python -m bench`` keeps.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from bench.loads import RTDASH
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import measure_scale, scale_load
from bench.report import write_kept

HERE = Path(__file__).resolve().parent
TOP = 14


def _rows(stats: pstats.Stats, key: str, total: float, *, own_code: bool = False) -> list[str]:
    """The top functions by ``key``; with ``own_code``, rtdash's own only (the event
    loop's and Textual's plumbing would fill a cumulative list otherwise)."""
    stats.sort_stats(key)
    # why the type: ignore below: pstats keeps its table in these attributes
    order = stats.fcn_list  # type: ignore[attr-defined]
    if own_code:
        package = str(Path(__file__).resolve().parent.parent / "rtdash")
        order = [func for func in order if str(func[0]).startswith(package)]
    lines = []
    for func in order[:TOP]:
        # pstats keeps its table in an attribute the type stubs do not declare
        _calls, count, own, cumulative, _callers = stats.stats[func]  # type: ignore[attr-defined]
        where = f"{Path(func[0]).name}:{func[1]} {func[2]}" if func[0] != "~" else func[2]
        lines.append(
            f"| `{where}` | {count:,} | {own * 1e3:.0f} | {cumulative * 1e3:.0f} "
            f"| {cumulative / total:.0%} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_profile", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    load = scale_load(args.calls)
    before = os.getloadavg()
    profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the simulator
    changed = _count_changes()
    with remote_sim(load) as sim:
        run = asyncio.run(
            measure_scale(RTDASH, sim, polls=args.rounds, warmup=1, slow=None, profiler=profiler)
        )
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]  # not in the stubs
    header = [
        "| function | calls | own ms | cumulative ms | of the profiled time |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    measured = ", ".join(f"{value * 1e3:.0f}" for value in run.total)
    lines = [
        f"## Where a SCALE round goes at {args.calls:,} calls (`python -m bench.scale_profile "
        f"--calls {args.calls} --rounds {args.rounds}`)",
        "",
        f"rtdash, {args.rounds} counted rounds after one uncounted (CPU ms per round with "
        f"the profiler on: {measured}; lower without it); load average "
        f"{before[0]:.1f} before, {os.getloadavg()[0]:.1f} after; {total:.2f} s of CPU "
        "profiled (cProfile on process time, so many small calls weigh more than they "
        "would unprofiled).",
        "",
        "What changed per poll (the medium churn grows with the centre; medians over the "
        "polls after the first): " + _changes_said(changed),
        "",
        _poll_said(stats, total),
        "",
        "rtdash's own functions by cumulative time:",
        "",
        *header,
        *_rows(stats, "cumulative", total, own_code=True),
        "",
        "By own time:",
        "",
        *header,
        *_rows(stats, "tottime", total),
    ]
    write_kept(args.output, "scale-profile", lines)
    print("\n".join(lines))
    return 0


def _poll_said(stats: pstats.Stats, total: float) -> str:
    """The poll's own share, named whatever its rank: on a busy machine the draw's
    functions can fill the cumulative list's top rows at a small centre."""
    # pstats keeps its table in an attribute the type stubs do not declare
    table = stats.stats  # type: ignore[attr-defined]
    found = [
        cumulative
        for (path, _line, name), (_calls, _count, _own, cumulative, _callers) in table.items()
        if name == "_poll" and Path(path).as_posix().endswith("rtdash/core/poller.py")
    ]
    if not found:
        return "The poll (`poller.py _poll`) was not profiled."
    spent = sum(found)
    return (
        f"The poll (`poller.py _poll`, both routes, fetch to snapshots and their "
        f"consumers): {spent * 1e3:.0f} ms cumulative, {spent / total:.0%} of the profiled time."
    )


def _count_changes() -> dict[str, list[tuple[int, int]]]:
    """Each body's new and gone rows as the line reader found them, by kind: what a
    poll's cost follows once rows are reused."""
    from rtdash.api import line_rows

    counted: dict[str, list[tuple[int, int]]] = {"call": [], "user": []}
    finish = line_rows.LineFeed.finish

    def counting(feed: line_rows.LineFeed) -> tuple[list[Any], int]:
        made = finish(feed)
        counted[feed.reader.kind].append((len(feed.new), len(feed.gone)))
        return made

    # the profiled process's own reader, counted as it runs: a method replaced for it
    line_rows.LineFeed.finish = counting  # type: ignore[method-assign]
    return counted


def _changes_said(counted: dict[str, list[tuple[int, int]]]) -> str:
    said = []
    for kind, rows in counted.items():
        later = rows[1:]  # the first body is every row new
        if later:
            new = statistics.median(count for count, _ in later)
            gone = statistics.median(count for _, count in later)
            said.append(f"{kind} rows {new:.0f} new and {gone:.0f} gone")
    return "; ".join(said) + "."


if __name__ == "__main__":
    raise SystemExit(main())
