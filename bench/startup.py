"""Start at the floor: first data on screen, rtdash against the framework floor, one run.

Each sample spawns a fresh process in a 160×48 pseudo-terminal and times from the spawn
to the first ``data as of`` on its terminal: rtdash polling a simulator at the medium
load (served from this process), the floor app (``python -m bench.floor_app``, a bare
Textual app of the same shape) and the floor app importing the rest of rtdash's stack
first (``--stack``: httpx, pydantic, platformdirs). The three alternate, in a rotating
order, so a busy moment of the shared machine falls on each alike; the first round only
warms the caches and is not counted. Target: rtdash ≤ the stacked floor + 0.15 s.

    python -m bench.startup               # 7 counted rounds
    python -m bench.startup --runs 11
    python -m bench.startup --baseline b780a75   # that commit's rtdash as a fourth side

Writes the ``start`` section of RESULTS.md, with the import-time summary of
:mod:`bench.start_imports` (``--no-imports`` leaves that out).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.kept import write_section
from bench.loads import LOADS, RTDASH, make_sim
from bench.measures.terminal import floor_terminal, terminal
from rtdash.sim import Simulator

SECTION = "start"
SIZE = (160, 48)
#: seconds rtdash may take over the stacked floor
MARGIN = 0.15
SIDES = ("rtdash", "floor + stack", "floor")


def sample(side: str, sim: Simulator, trees: dict[str, Path]) -> tuple[float, float]:
    """Seconds to the first data, and the CPU seconds the process had used by then (read
    as soon as the marker is seen: on a busy machine the wall time stretches with the
    other work, the CPU time much less). ``trees``: where each rtdash side runs from."""
    if side in trees:
        context = terminal(RTDASH, sim, SIZE, trees[side])
    else:
        context = floor_terminal(*(("--stack",) if side == "floor + stack" else ()), size=SIZE)
    with context as term:
        took = term.wait_for()
        return took, term.cpu_seconds()


def measure(runs: int, baseline: str | None = None) -> dict[str, list[tuple[float, float]]]:
    """Every side ``runs`` times, alternated; with ``baseline``, that commit's rtdash
    (exported to a temporary folder) as one more side."""
    from bench.commit_tree import ROOT, export_commit

    with tempfile.TemporaryDirectory(prefix="rtdash-start-") as tmp:
        trees = {"rtdash": ROOT}
        sides: tuple[str, ...] = SIDES
        if baseline:
            trees[f"rtdash at {baseline}"] = export_commit(baseline, Path(tmp))
            sides = ("rtdash", f"rtdash at {baseline}", *SIDES[1:])
        seen: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
        with make_sim(LOADS["medium"], realtime=True) as sim:
            for index in range(runs + 1):
                shift = index % len(sides)
                for side in sides[shift:] + sides[:shift]:
                    took = sample(side, sim, trees)
                    if index:
                        seen[side].append(took)
    return seen


def report(
    seen: dict[str, list[tuple[float, float]]],
    runs: int,
    load: tuple[float, float],
    baseline: str | None = None,
) -> list[str]:
    medians = {side: statistics.median(t for t, _ in samples) for side, samples in seen.items()}
    cpu = {side: statistics.median(c for _, c in samples) for side, samples in seen.items()}
    over = medians["rtdash"] - medians["floor + stack"]
    met = "met" if over <= MARGIN else "**not met**"
    command = "python -m bench.startup" + (f" --runs {runs}" if runs != 7 else "")
    command += f" --baseline {baseline}" if baseline else ""
    lines = [
        f"## Start at the floor (`{command}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs shared "
        f"with other work (load average {load[0]:.1f} before, {load[1]:.1f} after). Seconds "
        f"from spawning the process to the first `data as of` on its {SIZE[0]}×{SIZE[1]} "
        f"terminal; {runs} rounds, the {len(seen)} sides alternated in a rotating order (a first "
        "round not counted). rtdash polls a simulator at the medium load. *CPU*: the "
        "process's user + system seconds when the marker was seen (all its threads).",
        "",
        "| side | median s | min s | max s | CPU s (median) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for side, samples in seen.items():
        times = [t for t, _ in samples]
        lines.append(
            f"| {side} | {medians[side]:.3f} | {min(times):.3f} | {max(times):.3f} "
            f"| {cpu[side]:.3f} |"
        )
    lines += [
        "",
        f"rtdash − floor with the stack: **{over:+.3f} s** (target ≤ +{MARGIN} s: {met}); "
        f"in CPU {cpu['rtdash'] - cpu['floor + stack']:+.3f} s.",
    ]
    if baseline:
        before = f"rtdash at {baseline}"
        lines[-1] += (
            f" At {baseline}, same run: {medians[before] - medians['floor + stack']:+.3f} s "
            f"(CPU {cpu[before] - cpu['floor + stack']:+.3f} s); this tree against it "
            f"{medians['rtdash'] - medians[before]:+.3f} s (CPU "
            f"{cpu['rtdash'] - cpu[before]:+.3f} s)."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", help="a commit whose rtdash runs as one more side")
    parser.add_argument("--no-imports", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    before = os.getloadavg()[0]
    seen = measure(args.runs, args.baseline)
    lines = report(seen, args.runs, (before, os.getloadavg()[0]), args.baseline)
    if not args.no_imports:
        from bench.start_imports import summary

        lines += ["", *summary()]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
