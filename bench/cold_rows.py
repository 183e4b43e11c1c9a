"""What asking for rows early saves where a poll first touches a big centre's rows.

    python -m bench.cold_rows [--calls 50000] [--rounds 15]

A poll finds every row it keeps in the line reader's head table (``Heads.take``,
rtdash/api/_heads.c: each row found is counted in the list it makes), and a snapshot
makes each group again without its gone rows (``replaced``, rtdash/core/_drop.c: each
row kept is counted in the tuple it makes). By then the body's bytes have passed
through the CPU's caches, and the rows, last touched a poll ago, are cold: each count
waits on memory. Both ask for the rows some way ahead of the one they count
(``ahead``). Here the simulator's calls body is read into its rows by the reader, as a
poll reads it; the caches are swept before each timed call (a write over more memory
than they hold), and the distance as built, a short one and none take turns. The
medians go into bench/RESULTS.md as the kept section ``cold-rows``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.line_cut import sim_bodies
from rtdash.api import c_parts
from rtdash.api.line_rows import SEGMENT, read_body, segments
from rtdash.api.mapping import FieldMapping
from rtdash.api.row_reader import RowReader

#: bytes written over before each timed call: more than the CPU's caches hold
SWEEP = 96 << 20
#: a poll's gone rows at medium churn: about one row in this many
GONE_EVERY = 70
#: the short distance measured beside the built one and none
SHORT = 8


STEPS = {
    "take": "`Heads.take`: every line's row found by its head's key",
    "replaced": "`replaced`: a group of every row made again, its gone rows out",
}


def rows_and_keys(body: bytes) -> tuple[RowReader, list[Any], array[int]]:
    """The calls body read as a poll reads it (the reader's head table holds its rows),
    its rows, and every line's head key in order."""
    reader = RowReader("call", FieldMapping(), ZoneInfo("UTC"))
    reader.learn_lines_of(body)
    feed = read_body(reader, body)
    assert feed is not None and reader.lines is not None, "the simulator's lines are plain"
    keys: array[int] = array("q")
    for begin, end in segments(body, SEGMENT):
        cut = reader.lines.cut(body, None, begin, end)
        assert cut is not None
        keys.extend(cut.keys())
    assert len(keys) == len(feed.rows), "a row for every line"
    return reader, feed.rows, keys


def timed_cold(sweep: bytearray, filler: bytes, call: Callable[[], object]) -> float:
    """CPU seconds of ``call`` on cold caches."""
    sweep[:] = filler
    start = time.process_time()
    call()
    return time.process_time() - start


def measure(calls: int, rounds: int) -> tuple[int, list[int], dict[str, dict[int, list[float]]]]:
    """Each step's CPU seconds per round, by distance: (rows, the distances with the
    built one first, times)."""
    heads_part = c_parts.built("_heads")
    drop_part = c_parts.built("_drop", "rtdash.core")
    assert heads_part is not None and drop_part is not None
    body = sim_bodies(calls)[0][0]
    reader, rows, keys = rows_and_keys(body)
    assert reader.lines is not None
    table = reader.lines.heads
    group = tuple(rows)
    gone = list(rows[::GONE_EVERY])
    new = [object() for _ in gone]
    places = sorted(random.Random(7).randrange(len(group) + 1) for _ in new)
    built = heads_part.ahead(0)
    heads_part.ahead(built)
    sweep, filler = bytearray(SWEEP), bytes(range(256)) * (SWEEP // 256)

    distances = sorted({built, SHORT, 0}, key=lambda distance: (distance != built, -distance))
    times: dict[str, dict[int, list[float]]] = {step: {d: [] for d in distances} for step in STEPS}
    for _ in range(rounds):
        for distance in distances:
            heads_part.ahead(distance)
            drop_part.ahead(distance)
            try:
                times["take"][distance].append(timed_cold(sweep, filler, lambda: table.take(keys)))
                table.settle()  # every row was found: none let go, all unmarked for the next
                made = timed_cold(
                    sweep, filler, lambda: drop_part.replaced(group, gone, new, places)
                )
                times["replaced"][distance].append(made)
            finally:
                heads_part.ahead(built)
                drop_part.ahead(built)
    return len(rows), distances, times


def require_c_parts(parser: argparse.ArgumentParser) -> None:
    """One clear message, and out, where the C parts these measures weigh (the head
    table and the groups' pass) were not built."""
    if c_parts.built("_heads") is None or c_parts.built("_drop", "rtdash.core") is None:
        parser.error("the C parts are not built here (pip install needs a C compiler)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_rows", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    require_c_parts(parser)
    before = os.getloadavg()[0]
    count, distances, times = measure(args.calls, args.rounds)
    built, slowest = distances[0], distances[-1]

    def heading(distance: int) -> str:
        shown = "not asked" if not distance else f"asked {distance} ahead"
        return shown + (" (as built)" if distance == built else "")

    body = [
        f"| step ({count:,} rows) | "
        + " | ".join(f"{heading(d)}, ms" for d in distances)
        + f" | as built / {heading(slowest)} |",
        "| --- |" + " ---: |" * (len(distances) + 1),
    ]
    for step, what in STEPS.items():
        medians = {d: statistics.median(times[step][d]) * 1e3 for d in distances}
        cells = " | ".join(f"{medians[d]:.3f}" for d in distances)
        body.append(f"| {what} | {cells} | {medians[built] / medians[slowest]:.2f} |")
    command = rerun_command(parser, args, ["calls", "rounds"])
    publish(
        "cold-rows",
        f"## Rows asked for early on cold caches (`{command}`)",
        f"{stamp(before)} CPU ms of each step on the simulator's calls body at "
        f"{args.calls:,} calls, read into its rows as a poll reads them, the caches swept "
        f"({SWEEP >> 20} MiB written) before each timed call; medians of {args.rounds} "
        "rounds, the distances taking turns (a distance of d asks for the rows d ahead "
        "and, in the table, the slots 2d ahead). A ratio below 1: asking early saves that "
        "share.",
        body,
        args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
