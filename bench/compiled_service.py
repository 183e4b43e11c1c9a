"""How much of today's service level a big centre's poll spends in the interpreter: the
service level's modules compiled with mypyc (mypy's compiler, installed with the test
extras) against the same code interpreted, alternated in one run.

    python -m bench.compiled_service [--calls 50000] [--rounds 16] [--runs 2]

The service level's work grows with the centre (each call that changes is an event) and
is most of what stands between SCALE's growth exponent and its target. If it were bound
by the interpreter's dispatch, compiling it would cut it by half or more; if it is bound
by what CPython already does in C (looking things up in tables of tens of thousands of
entries, making objects), compiling cuts it little. That tells whether writing the same
work in C is the next step (see the ``scale-exponent`` section of bench/RESULTS.md).

A copy of ``rtdash``, ``bench`` and ``styles`` is made in a temporary folder and
:data:`COMPILED` compiled there; each arm then runs ``bench.scale_phases``' measure in a
child process with its own tree first on the path, and says where its tracker was
loaded from (a compiled module is a shared object). Information, not a target: the medians go into
bench/RESULTS.md as the kept section ``compiled-service``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.scale_phases import ROUND, TOP_LEVEL
from bench.stats import alternated, each_run, ratios_line

ROOT = Path(__file__).resolve().parents[1]
#: the modules of today's service level that a poll's events go through (service.py,
#: which hands the snapshots to them, stays interpreted: ``scale_phases`` times it)
COMPILED = (
    "rtdash/core/outcomes.py",
    "rtdash/core/tracked_call.py",
    "rtdash/core/outcome_times.py",
    "rtdash/core/poll_rows.py",
    "rtdash/core/service_tally.py",
    "rtdash/core/service_metrics.py",
    "rtdash/core/agent_time.py",
)
ARMS = ("interpreted", "compiled")
#: the step of ``bench.scale_phases`` reported beside its round (looked up there: a
#: step renamed there fails here at once)
SERVICE = TOP_LEVEL[TOP_LEVEL.index("today's service level")]


def compiled_tree(folder: Path) -> Path:
    """A copy of the repository's code in ``folder`` with :data:`COMPILED` compiled
    there (no config of the repository's: mypyc type-checks the modules as the default
    mypy does, and builds them with this interpreter's headers)."""
    tree = folder / "tree"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "RESULTS.md")
    for part in ("rtdash", "bench", "styles"):
        shutil.copytree(ROOT / part, tree / part, ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "mypyc", *COMPILED],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
    )
    return tree


def child(calls: int, rounds: int) -> dict[str, Any]:
    """This tree's service level and round (ms, medians), and the tracker's file."""
    from bench.scale_phases import measure
    from rtdash.core import outcomes

    measured = measure(calls, rounds)
    return {"service_ms": measured[SERVICE], "round_ms": measured[ROUND], "from": outcomes.__file__}


def _sized(calls: int, rounds: int) -> list[str]:
    return ["--calls", str(calls), "--rounds", str(rounds)]


def run_arm(tree: Path, calls: int, rounds: int) -> dict[str, Any]:
    """One arm in a child process, ``tree`` first on its path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.compiled_service", "--child", *_sized(calls, rounds)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the arm run from {tree} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def report(calls: int, runs: list[dict[str, dict[str, Any]]]) -> list[str]:
    lines = [
        f"| arm ({calls:,} calls) | service level ms, each run | round ms, each run "
        "| the tracker loaded from |",
        "| --- | --- | --- | --- |",
    ]
    for arm in ARMS:
        service, rounds = each_run(runs, arm, "service_ms"), each_run(runs, arm, "round_ms")
        loaded = Path(runs[-1][arm]["from"]).name
        lines.append(f"| {arm} | {service} | {rounds} | `{loaded}` |")
    ratio = [run["compiled"]["service_ms"] / run["interpreted"]["service_ms"] for run in runs]
    lines += [
        "",
        ratios_line("Compiled / interpreted, the service level's CPU", ratio),
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compiled_service", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.calls, args.rounds)))
        return 0
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rtdash-compiled-") as folder:
        trees = {"interpreted": ROOT, "compiled": compiled_tree(Path(folder))}
        runs = alternated(ARMS, args.runs, lambda arm: run_arm(trees[arm], args.calls, args.rounds))
    publish(
        "compiled-service",
        "## Today's service level compiled with mypyc against interpreted "
        f"(`{rerun_command(parser, args, ['calls', 'rounds', 'runs'])}`)",
        f"{stamp(before[0])} `bench.scale_phases`' measure in a child process per arm "
        "and run, the arms alternated; the compiled arm's modules: "
        + ", ".join(f"`{Path(path).stem}`" for path in COMPILED)
        + ". Medians of the counted rounds.",
        report(args.calls, runs),
        args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
