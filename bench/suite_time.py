"""How long the whole test suite takes, against the suite of another commit, in the same run.

    python -m bench.suite_time [--baseline 7bd0d1b] [--rounds 2] [--keep /tmp/suites] [--no-write]

Each side is a fresh clone of this repository at its commit with its own virtual
environment, installed the way that commit's README says (``pip install -e ".[test]"``,
with ``constraints.txt`` where the commit has one), so each suite runs exactly as CI
ran it then. The two suites are run in turn (A B A B ...), so a busy machine slows
both alike; the report gives each run's wall time and test count, the medians and the
ratio, and go to the ``suite`` section of bench/RESULTS.md. The default baseline is the
last commit before the live feed moved into core.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.report import write_kept

ROOT = Path(__file__).resolve().parent.parent
#: pytest's closing line, e.g. "1 failed, 1594 passed, 24 skipped in 226.71s"
COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?)\b")


@dataclass(frozen=True)
class SuiteRun:
    seconds: float
    passed: int
    failed: int
    skipped: int


def _clone(ref: str, where: Path) -> Path:
    """A clone at ``ref`` with its own environment, made once and reused."""
    tree = where / ref
    if not (tree / ".venv" / "bin" / "pytest").exists():
        subprocess.run(["rm", "-rf", str(tree)], check=True)
        subprocess.run(["git", "clone", "-q", str(ROOT), str(tree)], check=True)
        subprocess.run(["git", "-C", str(tree), "checkout", "-q", ref], check=True)
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        install = [str(tree / ".venv" / "bin" / "pip"), "install", "-q"]
        if (tree / "constraints.txt").exists():
            install += ["-c", "constraints.txt"]
        subprocess.run([*install, "-e", ".[test]"], cwd=tree, check=True)
    return tree


def summary_counts(line: str) -> tuple[int, int, int]:
    """Passed, failed (errors included) and skipped, from pytest's closing line."""
    counts = {
        word.rstrip("s") if word.startswith("error") else word: int(n)
        for n, word in COUNT.findall(line)
    }
    return (
        counts.get("passed", 0),
        counts.get("failed", 0) + counts.get("error", 0),
        counts.get("skipped", 0),
    )


def _run_suite(tree: Path) -> SuiteRun:
    env = dict(os.environ, RTDASH_E2E_REQUIRED="1")
    env.pop("NO_COLOR", None)
    started = time.monotonic()
    done = subprocess.run(
        [str(tree / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    passed, failed, skipped = summary_counts(tail)
    if passed == 0:
        raise SystemExit(f"no passing tests from {tree}: {tail!r}")
    return SuiteRun(seconds, passed, failed, skipped)


def _label(tree: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.suite_time", description=__doc__)
    parser.add_argument("--baseline", default="7bd0d1b", help="the commit to compare against")
    parser.add_argument("--candidate", default="HEAD", help="the commit measured")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/rtdash-suites"))
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    candidate = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.candidate],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    sides = {
        "baseline": _clone(args.baseline, args.keep),
        "candidate": _clone(candidate, args.keep),
    }
    runs: dict[str, list[SuiteRun]] = {side: [] for side in sides}
    for round_ in range(args.rounds):
        order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
        for side in order:
            run = _run_suite(sides[side])
            runs[side].append(run)
            print(f"{side} {_label(sides[side])}: {run}", flush=True)
    load = os.getloadavg()
    medians = {side: statistics.median(run.seconds for run in runs[side]) for side in sides}
    lines = [
        f"## The test suite against an earlier commit's (`python -m bench.suite_time "
        f"--baseline {args.baseline} --rounds {args.rounds}`)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; each side a fresh clone with its own "
        "environment, running `pytest` as its README says, the sides alternated; load "
        f"average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min).",
        "",
        "| side | commit | tests passed / failed / skipped | wall s per run | median s |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for side, tree in sides.items():
        last = runs[side][-1]
        each = ", ".join(f"{run.seconds:.0f}" for run in runs[side])
        lines.append(
            f"| {side} | {_label(tree)} | {last.passed} / {last.failed} / {last.skipped} "
            f"| {each} | {medians[side]:.0f} |"
        )
    ratio = medians["candidate"] / medians["baseline"]
    lines += ["", f"Candidate ÷ baseline wall time: **{ratio:.2f}**."]
    print("\n".join(lines))
    if not args.no_write:
        write_kept(args.output, "suite", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
