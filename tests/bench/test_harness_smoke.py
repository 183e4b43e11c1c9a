"""The benchmark harness works: ``python -m bench --quick`` measures both apps.

Only that every measure produced a number for rtdash and for the baseline, and that the
report was written; never how fast anything was (timings belong in bench/RESULTS.md,
not in tests).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURES = {"P1", "P2", "P3", "P4", "P5", "P6"}


def test_quick_run_measures_both_apps(tmp_path: Path) -> None:
    report, raw = tmp_path / "RESULTS.md", tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(report), "--json", str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    rows = json.loads(raw.read_text())["rows"]
    assert {row["measure"] for row in rows} == MEASURES
    for row in rows:
        for app in ("rtdash", "baseline"):
            samples = row["samples"].get(app)
            assert samples, f"{row['measure']} {row['load']}: no sample for {app}"
            assert all(math.isfinite(value) and value >= 0 for value in samples), row

    text = report.read_text()
    assert "## Machine" in text and "Textual" in text
    for measure in MEASURES:
        assert f"| {measure} " in text


def test_only_and_unknown_measures_are_checked() -> None:
    from bench.run import parse_args

    assert parse_args(["--only", "p1, P3"]).only == ["P1", "P3"]
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "P9"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "P9" in done.stderr
