"""Quiet when nothing happens: rtdash live on a frozen centre against the ticking floor.

rtdash polls (every second) a simulator at the medium load whose clock stands still, so
nothing changes but the times in state and the data's age, as on a quiet afternoon;
the floor (``python -m bench.floor_app --ticking``) redraws a time on each of its 41
lines once a second, the least a dashboard of ticking times can do. Both in a 160×48
pseudo-terminal; % of one core over a window after a warm-up, the two alternated, the
order rotating each round. Target: rtdash ≤ 1.5 × the floor, same run.

    python -m bench.idle_cpu                  # 5 rounds of 20 s each side
    python -m bench.idle_cpu --rounds 3 --window 30
    python -m bench.idle_cpu --baseline b780a75   # and that commit's rtdash, alternated

``--baseline`` exports a commit with ``git archive``, its C parts built
(:mod:`bench.commit_tree`), and runs its rtdash as a third side (``python -P -m rtdash``
with the export first on ``PYTHONPATH``, so the export's code, not this tree's, is
imported), so a before/after ratio comes from the same run.

Writes the ``quiet`` section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.commit_tree import export_commit
from bench.kept import rerun_command, write_section
from bench.loads import LOADS, RTDASH, make_sim
from bench.measures.terminal import Terminal, child_env, cpu_percent, floor_terminal, terminal
from rtdash.sim import Simulator

SECTION = "quiet"
SIZE = (160, 48)
TARGET = 1.5
SIDES = ("rtdash", "floor --ticking")
BASELINE = "baseline"


def sample(
    side: str, *, warmup: float, window: float, tree: Path | None = None
) -> tuple[float, int]:
    """% of one core, and the bytes written to the terminal in the window."""
    if side in ("rtdash", BASELINE):
        return rtdash_sample(warmup=warmup, window=window, tree=tree)
    with floor_terminal("--ticking", size=SIZE) as term:
        term.wait_for()
        time.sleep(warmup)
        before = term.bytes_so_far()
        return cpu_percent(term, window), term.bytes_so_far() - before


def rtdash_sample(
    *,
    warmup: float,
    window: float,
    tree: Path | None = None,
    flags: tuple[str, ...] = (),
    keys: bytes = b"",
) -> tuple[float, int]:
    """rtdash (this tree's, or the exported ``tree``'s) on a frozen medium centre with
    ``flags`` added to its command line, ``keys`` typed once the data is in."""
    sim = make_sim(LOADS["medium"], realtime=False, now=True)
    with sim, rtdash_terminal(sim, tree, flags) as term:
        term.wait_for()
        if keys:
            term.send(keys)
        time.sleep(warmup)
        before = term.bytes_so_far()
        return cpu_percent(term, window), term.bytes_so_far() - before


@contextlib.contextmanager
def rtdash_terminal(
    sim: Simulator, tree: Path | None = None, flags: tuple[str, ...] = ()
) -> Iterator[Terminal]:
    """rtdash in a pty as the harness runs it (``bench.measures.terminal``), or the
    exported commit's: ``-P`` keeps the working directory (this tree) off sys.path, so
    the export, first on ``PYTHONPATH``, is what is imported."""
    argv = [*RTDASH.argv(sim), *flags]
    if tree is None:
        with terminal(RTDASH, sim, SIZE) if not flags else _own(argv, sim) as term:
            yield term
        return
    argv[1:1] = ["-P"]
    with _own(argv, sim, tree) as term:
        yield term


@contextlib.contextmanager
def _own(argv: list[str], sim: Simulator, tree: Path | None = None) -> Iterator[Terminal]:
    with tempfile.TemporaryDirectory(prefix="rtdash-bench-") as home:
        env = child_env(sim, Path(home))
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        term = Terminal(argv, env, SIZE)
        try:
            yield term
        finally:
            term.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle_cpu", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument(
        "--baseline", default=None, help="a commit whose rtdash runs as a third side"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    sides = SIDES if args.baseline is None else (*SIDES, BASELINE)
    seen: dict[str, list[tuple[float, int]]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="rtdash-idle-") as folder:
        tree = (
            export_commit(args.baseline, Path(folder), compile_bytecode=True)
            if args.baseline
            else None
        )
        for index in range(args.rounds):
            # the order rotates, so no side always follows the same one
            shift = index % len(sides)
            order = sides[shift:] + sides[:shift]
            if index % 2:
                order = order[::-1]
            for side in order:
                seen[side].append(
                    sample(
                        side,
                        warmup=args.warmup,
                        window=args.window,
                        tree=tree if side == BASELINE else None,
                    )
                )
    cpu = {side: statistics.median(c for c, _ in samples) for side, samples in seen.items()}
    ratio = cpu["rtdash"] / cpu["floor --ticking"]
    met = "met" if ratio <= TARGET else "**not met**"
    command = rerun_command(parser, args, ("rounds", "warmup", "window"))
    if args.baseline:
        command += f" --baseline {args.baseline}"
    lines = [
        f"## Quiet when nothing happens (`{command}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs shared "
        f"with other work (load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after). % of one core (user + system, all threads) over "
        f"{args.window:g} s after {args.warmup:g} s, {args.rounds} rounds alternated; rtdash "
        "live (1 s poll) on a frozen medium centre, the floor redrawing a time on each of "
        "its 41 lines every second; both 160×48.",
        "",
        "| side | CPU % median | min | max | bytes to the terminal / s (median) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for side, samples in seen.items():
        values = [c for c, _ in samples]
        rate = statistics.median(b for _, b in samples) / args.window
        name = f"rtdash at {args.baseline} (baseline)" if side == BASELINE else side
        lines.append(
            f"| {name} | {cpu[side]:.2f} | {min(values):.2f} | {max(values):.2f} | {rate:,.0f} |"
        )
    lines += ["", f"rtdash / floor: **{ratio:.2f}×** (target ≤ {TARGET}×: {met})."]
    if args.baseline:
        before = cpu[BASELINE] / cpu["floor --ticking"]
        lines.append(
            f"Baseline ({args.baseline}) / floor in the same run: {before:.2f}×; "
            f"rtdash uses {cpu['rtdash'] / cpu[BASELINE]:.2f}× the baseline's CPU."
        )
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
