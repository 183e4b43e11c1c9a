"""Flat over time: the resident memory of the dashboard and the wallboard over a long run.

One simulator runs out of process (``rtdash sim``, the medium load: 200 live calls and
100 users, churning in real time). The dashboard and the wallboard run side by side,
each ``python -m rtdash`` in its own 160×48 pseudo-terminal polling it every second.
Every few seconds this reads each app's resident set (``VmRSS``); after the warm-up it
fits a least-squares line to the samples and reports the slope in MB per 10 minutes,
with the slope of the second half alone (still rising, or levelled off?).

    python -m bench.soak                       # 3 min warm-up + 30 min, ~33 minutes
    python -m bench.soak --minutes 5 --warmup 1   # a quick look
    python -m bench.soak --trace /tmp/trace    # under tracemalloc, snapshots every 60 s
    python -m bench.soak --diff /tmp/trace/dashboard   # what grew between snapshots

The samples go to ``--samples`` (JSON, written as they come), the summary to the
``soak`` section of RESULTS.md (not with ``--trace``: traced runs find what grows, they
do not measure it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

from bench.kept import write_section
from bench.loads import LOADS, REPO
from bench.measures.proc_status import status_mb
from bench.measures.terminal import Terminal, bare_env

SECTION = "soak"
SIZE = (160, 48)
INTERVAL = 1.0
APPS = {"dashboard": [], "wallboard": ["--wallboard"]}
#: the first installation the simulator serves
IGRP = "1234"
#: the target of the issue this measures: MB per 10 minutes after the warm-up
TARGET = 0.5


@dataclass
class Series:
    name: str
    term: Terminal
    times: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)

    def sample(self, at: float) -> None:
        self.rss.append(status_mb(self.term.pid))
        self.times.append(at)


def slope(times: list[float], values: list[float]) -> float:
    """Least-squares slope of ``values`` against ``times`` (units per second)."""
    n = len(times)
    if n < 2:
        return float("nan")
    mean_t, mean_v = sum(times) / n, sum(values) / n
    spread = sum((t - mean_t) ** 2 for t in times)
    return sum((t - mean_t) * (v - mean_v) for t, v in zip(times, values, strict=True)) / spread


def per_ten_minutes(series: Series, since: float) -> float:
    pairs = [(t, v) for t, v in zip(series.times, series.rss, strict=True) if t >= since]
    return 600 * slope([t for t, _ in pairs], [v for _, v in pairs])


def start_sim(calls: int, users: int) -> tuple[subprocess.Popen[str], str, str, str]:
    """``rtdash sim`` on a free port; its URL and demo credentials, from what it prints."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rtdash",
            "sim",
            "--port",
            "0",
            "--seed",
            "7",
            "--load",
            str(calls),
            "--agents",
            str(users),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert process.stdout is not None
    url = user = ""
    drawn: str | None = None  # the simulator's own throwaway login, as it prints it
    for line in process.stdout:
        if "listening on" in line:
            url = line.split()[-1]
        elif "Basic user" in line:
            user, _, drawn = line.split()[-3:]
        if line.startswith("Ctrl-C"):
            break
    if not url or not user or drawn is None:
        process.kill()
        raise RuntimeError("rtdash sim did not start")
    return process, url, user, drawn


def run(args: argparse.Namespace) -> dict[str, Series]:
    load = LOADS[args.load]
    sim, url, user, password = start_sim(load.calls, load.users)
    homes: list[tempfile.TemporaryDirectory[str]] = []
    series: dict[str, Series] = {}
    try:
        for name, flags in APPS.items():
            if args.only and name != args.only:
                continue
            home = tempfile.TemporaryDirectory(prefix=f"rtdash-soak-{name}-")
            homes.append(home)
            env = bare_env(Path(home.name))
            env["RTDASH_USERNAME"] = user
            env["RTDASH_PASSWORD"] = password  # the local simulator's demo password
            runner = ["-m", "rtdash"]
            if args.trace:
                runner = ["-m", "bench.traced", str(Path(args.trace) / name)]
            argv = [sys.executable, *runner, "--base-url", url, "--igrp", IGRP]
            argv += ["--interval", f"{INTERVAL:g}", *flags]
            series[name] = Series(name, Terminal(argv, env, SIZE))
        for one in series.values():
            one.term.wait_for(timeout=120)
        started = time.monotonic()
        end = started + 60 * (args.warmup + args.minutes)
        while (now := time.monotonic()) < end:
            for one in series.values():
                if one.term.process.poll() is not None:
                    raise RuntimeError(f"the {one.name} exited: {one.term.said()}")
                one.sample(now - started)
            _save(args.samples, series, args.warmup * 60)
            time.sleep(args.every)
    finally:
        for one in series.values():
            one.term.close()
        sim.terminate()
        sim.wait(timeout=10)
        for home in homes:
            home.cleanup()
    return series


def _save(path: Path, series: dict[str, Series], warmup: float) -> None:
    data = {
        name: {"warmup_s": warmup, "t": one.times, "rss_mb": one.rss}
        for name, one in series.items()
    }
    path.write_text(json.dumps(data))


def report(args: argparse.Namespace, series: dict[str, Series], load_before: float) -> list[str]:
    command = "python -m bench.soak" + (
        f" --minutes {args.minutes:g} --warmup {args.warmup:g}"
        if (args.minutes, args.warmup) != (30, 3)
        else ""
    )
    warmup = args.warmup * 60
    lines = [
        "## Flat over time (`" + command + "`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, rtdash at {args.commit}; "
        f"{os.cpu_count()} CPUs shared "
        f"with other work (load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after). `rtdash sim` out of process at the "
        f"{args.load} load ({LOADS[args.load].calls} calls, {LOADS[args.load].users} users), "
        "churning in real time; the dashboard "
        f"and the wallboard side by side, each in a {SIZE[0]}×{SIZE[1]} pty polling every "
        f"{INTERVAL:g} s; VmRSS sampled every {args.every:g} s. Slope: least squares over "
        f"the samples after a {args.warmup:g}-minute warm-up ({args.minutes:g} minutes); "
        f"target ≤ {TARGET} MB per 10 minutes.",
        "",
        "| app | RSS at warm-up end MB | RSS at end MB | peak MB | slope MB / 10 min "
        "| second-half slope MB / 10 min | target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, one in series.items():
        after = [v for t, v in zip(one.times, one.rss, strict=True) if t >= warmup]
        whole = per_ten_minutes(one, warmup)
        half = per_ten_minutes(one, warmup + (one.times[-1] - warmup) / 2)
        met = "met" if whole <= TARGET else "**not met**"
        lines.append(
            f"| {name} | {after[0]:.1f} | {after[-1]:.1f} | {max(one.rss):.1f} | "
            f"{whole:+.2f} | {half:+.2f} | {met} |"
        )
    return lines


def diff(folder: Path, top: int) -> None:
    """What grew between the first snapshot after the warm-up and the last."""
    snaps = sorted(folder.glob("snap-*.bin"))
    if len(snaps) < 2:
        raise SystemExit(f"fewer than two snapshots in {folder}")
    first = snaps[min(3, len(snaps) - 2)]
    last = snaps[-1]
    filters = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
    ]
    old = tracemalloc.Snapshot.load(str(first)).filter_traces(filters)
    new = tracemalloc.Snapshot.load(str(last)).filter_traces(filters)
    print(f"{first.name} -> {last.name}")
    for key in ("lineno", "traceback"):
        print(f"--- by {key}")
        grown = [stat for stat in new.compare_to(old, key) if stat.size_diff > 0]
        for stat in sorted(grown, key=lambda stat: -stat.size_diff)[:top]:
            print(stat)
            if key == "traceback":
                for line in stat.traceback.format()[-12:]:
                    print("   ", line)


def _commit() -> str:
    """The checkout's commit, ``+ local changes`` when the tree differs from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "rtdash"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    return (head or "an unknown commit") + (" + local changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=30, help="measured, after warm-up")
    parser.add_argument("--warmup", type=float, default=3, help="minutes not counted")
    parser.add_argument("--every", type=float, default=5, help="seconds between samples")
    parser.add_argument("--load", default="medium", choices=sorted(LOADS))
    parser.add_argument("--only", choices=sorted(APPS), help="one app instead of both")
    parser.add_argument("--samples", type=Path, default=Path(tempfile.gettempdir()) / "soak.json")
    parser.add_argument("--trace", help="run under tracemalloc, snapshots in this folder")
    parser.add_argument("--diff", type=Path, help="diff the snapshots in this folder")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    if args.diff:
        diff(args.diff, args.top)
        return 0
    load_before = os.getloadavg()[0]
    args.commit = _commit()  # the code the apps start from, before the long run
    series = run(args)
    lines = report(args, series, load_before)
    print("\n".join(lines))
    if not args.trace:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
