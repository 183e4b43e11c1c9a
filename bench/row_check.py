"""What the row types cost where they are checked rather than read: rows read back from
a recording (each checked against its type, as the replay does) and the memory of
importing them on the dashboard's path, against another commit's rtdash, alternated.

    python -m bench.row_check --baseline e146e5d            # 10,000 calls, 7 rounds
    python -m bench.row_check --baseline e146e5d --rows 50000 --rounds 5

Each sample is a fresh interpreter running inside the tree it measures: the CPU time
of checking ``--rows`` recorded call rows (``limits.checked_row(model_validate(
limits.row_data(row)))``, the replay's path) and, separately, the peak RSS of
``import rtdash.cli, msgspec, rtdash.api.row_types, rtdash.api.models`` (``rss``) and
of ``import rtdash.cli, msgspec, rtdash.api.row_types, rtdash.core.limits``
(``rss_rows_only``: the rows without the settings' field mapping), with the CPU time
of the first (``import_cpu``). Prints
medians and the ratio to the baseline; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.commit_tree import ROOT, export_commit

#: the worker: builds recorded call rows as the recorder writes them, then times the
#: replay's check of each; prints the CPU seconds and a digest of what was read
_CHECK = """
import sys, time
sys.path.insert(0, sys.argv[1])
import rtdash
assert rtdash.__file__.startswith(sys.argv[1]), rtdash.__file__
from rtdash.api.models import ActiveCall
from rtdash.core import limits

count = int(sys.argv[2])
rows = []
for n in range(count):
    row = {
        "callRef": f"c-{n:06d}",
        "state": ("ringing", "queueing", "bridged")[n % 3],
        "igrp": 1234,
        "callStartDatetime": f"2026-05-01T{8 + n % 9:02d}:{n % 60:02d}:{n * 7 % 60:02d}+01:00",
        "stateStartDatetime": f"2026-05-01T{9 + n % 8:02d}:{n % 60:02d}:00.{n % 1000:03d}000+01:00",
        "srcPhoneNumber": f"+4477009{n % 100000:05d}",
        "dialledPhoneNumber": "08001234567",
        "dgrp": str(n % 12),
        "dgrpName": f"Line {n % 12}",
        "queueRef": f"queue-{n % 20}",
        "queueDuration": n % 300,
        "callDuration": n % 900,
    }
    if n % 3 == 2:
        row.update(operatorRef=f"agent-{n % 200}", displayName=f"Agent {n % 200}",
                   bridgeDuration=n % 600)
    if n % 10 == 0:
        row["extra"] = {"wrapCode": "W1", "tags": ["a", "b"]}
    rows.append(row)
check = lambda row: limits.checked_row(ActiveCall.model_validate(limits.row_data(row)))
check(rows[0])  # the first check builds what the type needs once
start = time.process_time()
read = [check(row) for row in rows]
took = time.process_time() - start
assert len(read) == count
print(took, sum(row.call_duration for row in read), read[-1].to_json()["stateStartDatetime"])
"""

#: the peak RSS is this process's own high-water mark (``VmHWM``): ``ru_maxrss`` would
#: keep the parent's across the exec
_IMPORT = """
import sys, time
start = time.process_time()
sys.path.insert(0, sys.argv[1])
import rtdash
assert rtdash.__file__.startswith(sys.argv[1]), rtdash.__file__
import rtdash.cli, msgspec
if sys.argv[2] == "models":
    import rtdash.api.row_types, rtdash.api.models
else:  # the row side alone, without the settings' field mapping
    import rtdash.api.row_types, rtdash.core.limits
with open("/proc/self/status") as status:
    peak = next(line for line in status if line.startswith("VmHWM:"))
print(int(peak.split()[1]) / 1024, time.process_time() - start)
"""


def _run(script: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def measure(baseline: str, rows: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per side (``rtdash``, ``rtdash at <baseline>``): check CPU seconds and import
    peak RSS (MiB) ``rounds`` times, the sides alternated (the first round discarded)."""
    with tempfile.TemporaryDirectory(prefix="rtdash-rows-") as tmp:
        trees = {"rtdash": ROOT, f"rtdash at {baseline}": export_commit(baseline, Path(tmp))}
        sides = tuple(trees)
        seen: dict[str, dict[str, list[float]]] = {
            side: {"check": [], "rss": [], "rss_rows_only": [], "import_cpu": []} for side in sides
        }
        digests: dict[str, set[tuple[str, str]]] = {side: set() for side in sides}
        for index in range(rounds + 1):
            shift = index % len(sides)
            for side in sides[shift:] + sides[:shift]:
                took, total, last = _run(_CHECK, str(trees[side]), str(rows))
                rss, cpu = map(float, _run(_IMPORT, str(trees[side]), "models"))
                alone = float(_run(_IMPORT, str(trees[side]), "rows")[0])
                digests[side].add((total, last))
                if index:
                    seen[side]["check"].append(float(took))
                    seen[side]["rss"].append(rss)
                    seen[side]["rss_rows_only"].append(alone)
                    seen[side]["import_cpu"].append(cpu)
        if len({frozenset(found) for found in digests.values()}) != 1:
            raise SystemExit(f"the sides read different rows: {digests}")
    return seen


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.row_check", description=__doc__)
    parser.add_argument("--baseline", required=True, help="the commit to compare with")
    parser.add_argument("--rows", type=int, default=10_000, help="recorded call rows checked")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    before = os.getloadavg()
    seen = measure(args.baseline, args.rows, args.rounds)
    after = os.getloadavg()
    base = f"rtdash at {args.baseline}"
    medians = {
        side: {what: statistics.median(values) for what, values in found.items()}
        for side, found in seen.items()
    }
    print(
        json.dumps(
            {
                "rows": args.rows,
                "rounds": args.rounds,
                "load_1min_before_after": [round(before[0], 2), round(after[0], 2)],
                "samples": seen,
                "median": medians,
                "ratio_check_cpu": medians["rtdash"]["check"] / medians[base]["check"],
                "ratio_import_rss": medians["rtdash"]["rss"] / medians[base]["rss"],
                "ratio_import_cpu": medians["rtdash"]["import_cpu"] / medians[base]["import_cpu"],
                "ratio_import_rss_rows_only": medians["rtdash"]["rss_rows_only"]
                / medians[base]["rss_rows_only"],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
