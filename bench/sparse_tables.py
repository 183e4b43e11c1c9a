"""What keeping the C parts' tables sparse saves, in the step and in a whole round.

    python -m bench.sparse_tables [--calls 2000 50000] [--rounds 8] [--repeats 3]

Two open-addressing tables are looked up once for every row a poll holds: the line
reader's head table (``Heads.take``, rtdash/api/_heads.c: each line's row by its
head's key) and the set of a poll's gone rows that a group made again is checked
against (``replaced``, rtdash/core/_drop.c: every kept row's address). Fuller tables
walk runs of varying length, and the branch that ends a run is then mispredicted.
Both are kept sparse (``fill``: slots a row); here that is weighed against half full,
the way they were kept before:

* the step alone on the simulator's calls body at the largest size, read into its rows
  as a poll reads them (``Heads.take`` on a table built up at each fill; ``replaced``
  with a poll's share of gone rows), on caches swept as in bench/cold_rows.py, the two
  fills taking turns;
* SCALE's round (a poll of both routes and a tick drawn, bench/measures/scaling.py) at
  each size, a fresh app for each fill (its tables are built up at that fill), the
  fills and sizes taking turns; and the growth exponent of each fill's rounds.

The medians go into bench/RESULTS.md as the kept section ``sparse-tables``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import ModuleType

from bench.cold_rows import GONE_EVERY, SWEEP, require_c_parts, rows_and_keys, timed_cold
from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.line_cut import sim_bodies
from bench.stats import growth_exponent
from rtdash.api import c_parts
from rtdash.api.line_table import HeadTable

#: the fill the tables were kept at before, against which the built one is weighed
HALF = 2


def parts() -> tuple[ModuleType, ModuleType]:
    heads_part = c_parts.built("_heads")
    drop_part = c_parts.built("_drop", "rtdash.core")
    assert heads_part is not None and drop_part is not None
    return heads_part, drop_part


def built_fills() -> tuple[int, int]:
    """The fills the head table and the gone rows' set are built with."""
    heads_part, drop_part = parts()
    heads_fill, drop_fill = heads_part.fill(HALF), drop_part.fill(HALF)
    heads_part.fill(heads_fill)
    drop_part.fill(drop_fill)
    return heads_fill, drop_fill


@contextmanager
def filled(sparse: bool) -> Iterator[None]:
    """Tables made while inside kept as built (``sparse``) or half full; as they were
    again after."""
    heads_part, drop_part = parts()
    heads_fill, drop_fill = built_fills() if sparse else (HALF, HALF)
    was = heads_part.fill(heads_fill), drop_part.fill(drop_fill)
    try:
        yield
    finally:
        heads_part.fill(was[0])
        drop_part.fill(was[1])


def measure_steps(calls: int, rounds: int) -> tuple[int, int, dict[str, dict[bool, list[float]]]]:
    """How many rows the body has, how many of them go, and the CPU seconds of each
    step per round, as built (True) and half full (False)."""
    _, drop_part = parts()
    body = sim_bodies(calls)[0][0]
    tables: dict[bool, HeadTable] = {}
    for sparse in (True, False):
        with filled(sparse):
            reader, rows, keys = rows_and_keys(body)  # its table built up at this fill
            assert reader.lines is not None
            tables[sparse] = reader.lines.heads
    group = tuple(rows)
    gone = list(rows[::GONE_EVERY])
    new = [object() for _ in gone]
    places = sorted(random.Random(7).randrange(len(group) + 1) for _ in new)
    sweep, filler = bytearray(SWEEP), bytes(range(256)) * (SWEEP // 256)
    times: dict[str, dict[bool, list[float]]] = {
        "take": {True: [], False: []},
        "replaced": {True: [], False: []},
    }
    for index in range(rounds):
        for sparse in (True, False) if index % 2 == 0 else (False, True):
            take = partial(tables[sparse].take, keys)
            times["take"][sparse].append(timed_cold(sweep, filler, take))
            tables[sparse].settle()  # every row found: none let go
            with filled(sparse):
                made = timed_cold(
                    sweep, filler, lambda: drop_part.replaced(group, gone, new, places)
                )
            times["replaced"][sparse].append(made)
    return len(rows), len(gone), times


def measure_rounds(
    sizes: list[int], rounds: int, repeats: int
) -> dict[tuple[bool, int], list[float]]:
    """The median of SCALE's rounds of each repeat, by (as built, size), a fresh app
    each time; the fills and sizes taking turns."""
    from bench.loads import RTDASH
    from bench.measures.remote_sim import remote_sim
    from bench.measures.scaling import measure_scale, scale_load

    medians: dict[tuple[bool, int], list[float]] = {}
    for index in range(repeats):
        order = (True, False) if index % 2 == 0 else (False, True)
        for calls in sizes if index % 2 == 0 else sizes[::-1]:
            with remote_sim(scale_load(calls)) as sim:
                for sparse in order:
                    with filled(sparse):
                        run = asyncio.run(
                            measure_scale(RTDASH, sim, polls=rounds, warmup=2, slow=None)
                        )
                    medians.setdefault((sparse, calls), []).append(statistics.median(run.total))
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sparse_tables", description=__doc__)
    parser.add_argument("--calls", type=int, nargs="+", default=[2_000, 50_000])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    require_c_parts(parser)
    sizes = sorted(args.calls)
    before = os.getloadavg()[0]
    heads_fill, drop_fill = built_fills()
    count, gone, steps = measure_steps(sizes[-1], max(15, args.rounds))
    rounds = measure_rounds(sizes, args.rounds, args.repeats)

    as_built = f"as built (head table {heading(heads_fill)}, gone rows {heading(drop_fill)})"
    body = [
        f"| step or round | {as_built}, ms | half full, ms | as built / half full |",
        "| --- | ---: | ---: | ---: |",
    ]
    names = {
        "take": f"`Heads.take`: {count:,} lines' rows found by their heads' keys",
        "replaced": f"`replaced`: a group of {count:,} rows made again, its gone rows out",
    }
    for step, times in steps.items():
        body.append(_row(names[step], times[True], times[False]))
    for calls in sizes:
        body.append(
            _row(
                f"SCALE's round at {calls:,} calls (median of {args.repeats} repeats' medians)",
                rounds[(True, calls)],
                rounds[(False, calls)],
            )
        )
    if len(sizes) > 1:
        body.append("")
        for sparse, name in ((True, "as built"), (False, "half full")):
            each = [
                growth_exponent(small, big, sizes[0], sizes[-1])
                for small, big in zip(
                    rounds[(sparse, sizes[0])], rounds[(sparse, sizes[-1])], strict=True
                )
            ]
            whole = growth_exponent(
                statistics.median(rounds[(sparse, sizes[0])]),
                statistics.median(rounds[(sparse, sizes[-1])]),
                sizes[0],
                sizes[-1],
            )
            body.append(
                f"- Growth exponent {sizes[0]:,} → {sizes[-1]:,} calls, {name}: **{whole:.2f}**"
                f" (each repeat: {', '.join(f'{e:.2f}' for e in each)})"
            )
    command = rerun_command(parser, args, ["rounds", "repeats"])
    if args.calls != parser.get_default("calls"):
        command += " --calls " + " ".join(map(str, args.calls))
    publish(
        "sparse-tables",
        f"## Tables kept sparse against half full (`{command}`)",
        f"{stamp(before)} CPU ms, medians. The steps: on the simulator's calls body at "
        f"{sizes[-1]:,} calls, read into its rows as a poll reads them, the head table "
        f"built up at each fill; {gone:,} gone rows; the caches swept ({SWEEP >> 20} MiB "
        "written) before each timed call, as a poll finds the rows it last touched a poll "
        f"ago; "
        f"{max(15, args.rounds)} rounds, the fills taking turns. The rounds: SCALE's "
        f"measure ({args.rounds} counted rounds after 2), a fresh app for each fill, "
        "the fills and sizes taking turns. A ratio below 1: the sparse tables save that "
        "share.",
        body,
        args.output,
    )
    return 0


def heading(fill: int) -> str:
    return f"{fill} slots a row"


def _row(name: str, built: list[float], half: list[float]) -> str:
    ratio = statistics.median(built) / statistics.median(half)
    return f"| {name} | {_ms(built)} | {_ms(half)} | {ratio:.2f} |"


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1e3:.4f}"


if __name__ == "__main__":
    raise SystemExit(main())
