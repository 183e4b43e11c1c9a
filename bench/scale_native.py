"""Where a SCALE round's CPU goes below Python, and what of it grows with the centre.

    python -m bench.scale_native [--calls 2000 50000] [--rounds 40] [--output F]

``scale_profile`` (cProfile) sees Python's calls only, and charges to a C call whatever
CPU the process spent during it; ``scale_phases`` times named steps. Neither says what
the interpreter, the allocator, rtdash's C parts and the kernel each cost, nor which of
them grows from one size to the next, which is what the growth exponent is made of.
This runs SCALE's measure of rtdash (bench/measures/scaling.py) in a child under
``perf record``, sampling only inside the counted rounds (perf's control fifo, switched
on and off around each round through the measure's ``profiler`` hook), at each size in
turn, and writes the CPU per round of each part and of the symbols that grew most as
the kept section ``scale-native``.

Only the measuring thread is sampled (``--no-inherit``); the child also sums its own
CPU and the whole process's over the rounds, and the section gives both, so a share
spent on another thread would show. A symbol's CPU per round is its share of the
samples times the thread's CPU per round under perf (perf's hooks make the rounds a
little dearer than SCALE's own). Linux with ``perf`` installed and allowed
(``kernel.perf_event_paranoid`` at most 2); elsewhere it says so and stops.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: samples a second (a prime, so the samples do not beat with the loop's timers)
FREQUENCY = 4999
#: symbols listed, by what they grew by
TOP = 20


class PerfSwitch:
    """The measure's ``profiler``: perf samples between ``enable`` and ``disable``,
    and the CPU the rounds took is summed here (this thread's, and the process's)."""

    def __init__(self, control: str, ack: str) -> None:
        self._control = os.open(control, os.O_WRONLY)
        self._ack = os.open(ack, os.O_RDONLY)
        self.thread = self.process = 0.0
        self.rounds = 0
        self._began = (0.0, 0.0)

    def _say(self, word: bytes) -> None:
        os.write(self._control, word)
        os.read(self._ack, 16)  # perf's "ack\n" once it has switched

    def enable(self) -> None:
        self._say(b"enable\n")
        self._began = (time.thread_time(), time.process_time())

    def disable(self) -> None:
        thread, process = time.thread_time(), time.process_time()
        self._say(b"disable\n")
        self.thread += thread - self._began[0]
        self.process += process - self._began[1]
        self.rounds += 1


def _child(calls: int, rounds: int, control: str, ack: str) -> int:
    from bench.loads import RTDASH
    from bench.measures.remote_sim import remote_sim
    from bench.measures.scaling import measure_scale, scale_load

    switch = PerfSwitch(control, ack)
    with remote_sim(scale_load(calls)) as sim:
        run = asyncio.run(
            measure_scale(RTDASH, sim, polls=rounds, warmup=5, slow=None, profiler=switch)
        )
    said = {
        "round_ms": statistics.median(run.total) * 1e3,
        "thread_ms": switch.thread / switch.rounds * 1e3,
        "process_ms": switch.process / switch.rounds * 1e3,
    }
    print(json.dumps(said))
    return 0


def perf_problem() -> str | None:
    """Why perf cannot sample here, or None."""
    if shutil.which("perf") is None:
        return "perf is not installed (Debian: apt install linux-perf)"
    try:
        paranoid = int(Path("/proc/sys/kernel/perf_event_paranoid").read_text())
    except (OSError, ValueError):
        return "not Linux, or no perf events"
    if paranoid > 2 and os.geteuid() != 0:
        return f"kernel.perf_event_paranoid is {paranoid}: perf may not sample this process"
    return None


def _sample(calls: int, rounds: int, folder: Path) -> tuple[dict[str, float], dict[str, float]]:
    """The child's CPU per round (``round_ms``, ``thread_ms``, ``process_ms``) and each
    symbol's CPU ms per round ("dso\\tsymbol")."""
    control, ack, data = folder / "control", folder / "ack", folder / f"perf-{calls}.data"
    for fifo in (control, ack):
        fifo.unlink(missing_ok=True)
        os.mkfifo(fifo)
    child = [sys.executable, "-m", "bench.scale_native", "--child", str(calls), str(rounds)]
    record = [
        *("perf", "record", "-q", "-F", str(FREQUENCY), "--no-inherit", "-D", "-1"),
        *(f"--control=fifo:{control},{ack}", "-o", str(data), "--"),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*record, *child, str(control), str(ack)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"perf record failed: {done.stderr[-2000:]}")
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    report = subprocess.run(
        [
            *("perf", "report", "-i", str(data), "--no-children", "--sort", "dso,sym"),
            *("--stdio", "-g", "none", "--percent-limit", "0"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return measured, shares_in_ms(report.stdout, measured["thread_ms"])


def shares_in_ms(report: str, per_round: float) -> dict[str, float]:
    """perf report's lines ("  17.16%  libpython3.11.so.1.0  [.] name") as CPU ms per
    round each, from the share of the samples and the thread's CPU per round."""
    spent: dict[str, float] = defaultdict(float)
    for line in report.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 3 or line.lstrip().startswith("#") or not parts[0].endswith("%"):
            continue
        share = float(parts[0].rstrip("%")) / 100
        dso, symbol = parts[1], parts[2].partition("] ")[2].strip() or parts[2]
        spent[f"{dso}\t{symbol}"] += share * per_round
    return dict(spent)


def part_of(dso: str) -> str:
    """The part of the process a shared object is."""
    if dso.startswith("[kernel"):
        return "the kernel (socket reads, page faults)"
    if dso.startswith("libpython"):
        return "Python's interpreter and objects"
    if dso.startswith("libc"):
        return "libc (memchr, memcpy, malloc)"
    if dso.startswith("_") and "cpython" in dso:
        return "rtdash's C parts"
    return "other"


def table(sizes: list[int], spent: dict[int, dict[str, float]]) -> list[str]:
    small, big = spent[sizes[0]], spent[sizes[-1]]
    head = " | ".join(f"{size:,} calls" for size in sizes)
    lines = [f"| part | {head} | grew by |", "| --- |" + " ---: |" * (len(sizes) + 1)]
    by_part: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for size in sizes:
        for key, ms in spent[size].items():
            by_part[part_of(key.split("\t")[0])][size] += ms
    for part, values in sorted(by_part.items(), key=lambda item: -item[1][sizes[-1]]):
        cells = " | ".join(f"{values[size]:.2f}" for size in sizes)
        lines.append(f"| {part} | {cells} | {values[sizes[-1]] - values[sizes[0]]:+.2f} |")
    lines += ["", f"| symbol | {head} | grew by |", "| --- |" + " ---: |" * (len(sizes) + 1)]
    grown = sorted(set(small) | set(big), key=lambda key: big.get(key, 0) - small.get(key, 0))
    for key in reversed(grown[-TOP:]):
        dso, symbol = key.split("\t")
        cells = " | ".join(f"{spent[size].get(key, 0):.2f}" for size in sizes)
        growth = big.get(key, 0) - small.get(key, 0)
        lines.append(f"| `{symbol}` ({dso}) | {cells} | {growth:+.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_native", description=__doc__)
    parser.add_argument("--calls", type=int, nargs="+", default=[2000, 50_000])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        calls, rounds, control, ack = args.child
        return _child(int(calls), int(rounds), control, ack)
    problem = perf_problem()
    if problem is not None:
        print(f"bench.scale_native: {problem}", file=sys.stderr)
        return 2
    from bench.report import write_kept

    sizes = sorted(args.calls)
    measured: dict[int, dict[str, float]] = {}
    spent: dict[int, dict[str, float]] = {}
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="rtdash-native-") as folder:
        for size in sizes:
            print(f"scale_native: {size:,} calls, {args.rounds} rounds under perf", flush=True)
            measured[size], spent[size] = _sample(size, args.rounds, Path(folder))
    sizes_said = " ".join(str(size) for size in sizes)
    rounds_said = "; ".join(
        f"{size:,} calls: round {measured[size]['round_ms']:.1f} ms (median), measuring "
        f"thread {measured[size]['thread_ms']:.1f} of the process's "
        f"{measured[size]['process_ms']:.1f} ms (means)"
        for size in sizes
    )
    lines = [
        "## Where a SCALE round's CPU goes below Python (`python -m bench.scale_native "
        f"--calls {sizes_said} --rounds {args.rounds}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {before:.1f} "
        f"before, {os.getloadavg()[0]:.1f} after. perf's samples of the counted rounds "
        f"only, each size in a child of its own; CPU ms per round under perf. {rounds_said}.",
        "",
        *table(sizes, spent),
    ]
    write_kept(args.output, "scale-native", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
