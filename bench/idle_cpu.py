"""Quiet when nothing happens: rtdash live on a frozen centre against the ticking floor.

rtdash polls (every second) a simulator at the medium load whose clock stands still, so
nothing changes but the times in state and the data's age, as on a quiet afternoon;
the floor (``python -m bench.floor_app --ticking``) redraws a time on each of its 41
lines once a second, the least a dashboard of ticking times can do. Both in a 160×48
pseudo-terminal; % of one core over a window after a warm-up, the two alternated, the
order rotating each round. Target: rtdash ≤ 1.5 × the floor, same run.

    python -m bench.idle_cpu                  # 5 rounds of 20 s each side
    python -m bench.idle_cpu --rounds 3 --window 30

Writes the ``quiet`` section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.kept import rerun_command, write_section
from bench.loads import LOADS, RTDASH, make_sim
from bench.measures.terminal import cpu_percent, floor_terminal, terminal

SECTION = "quiet"
SIZE = (160, 48)
TARGET = 1.5
SIDES = ("rtdash", "floor --ticking")


def sample(side: str, *, warmup: float, window: float) -> tuple[float, int]:
    """% of one core, and the bytes written to the terminal in the window."""
    if side == "rtdash":
        sim = make_sim(LOADS["medium"], realtime=False, now=True)
        with sim, terminal(RTDASH, sim, SIZE) as term:
            term.wait_for()
            time.sleep(warmup)
            before = term.bytes_so_far()
            return cpu_percent(term, window), term.bytes_so_far() - before
    with floor_terminal("--ticking", size=SIZE) as term:
        term.wait_for()
        time.sleep(warmup)
        before = term.bytes_so_far()
        return cpu_percent(term, window), term.bytes_so_far() - before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle_cpu", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    seen: dict[str, list[tuple[float, int]]] = {side: [] for side in SIDES}
    for index in range(args.rounds):
        order = SIDES if index % 2 == 0 else SIDES[::-1]
        for side in order:
            seen[side].append(sample(side, warmup=args.warmup, window=args.window))
    cpu = {side: statistics.median(c for c, _ in samples) for side, samples in seen.items()}
    ratio = cpu["rtdash"] / cpu["floor --ticking"]
    met = "met" if ratio <= TARGET else "**not met**"
    command = rerun_command(parser, args, ("rounds", "warmup", "window"))
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
        lines.append(
            f"| {side} | {cpu[side]:.2f} | {min(values):.2f} | {max(values):.2f} | {rate:,.0f} |"
        )
    lines += ["", f"rtdash / floor: **{ratio:.2f}×** (target ≤ {TARGET}×: {met})."]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
