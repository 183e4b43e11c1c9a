"""``python -m bench.scale_phases`` times the steps of real SCALE polls and keeps its
section."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_steps_of_scale_polls_land_in_a_kept_section(tmp_path: Path) -> None:
    report = tmp_path / "RESULTS.md"
    report.write_text("# rtdash benchmark results\n\n## Targets\n\nfigures\n")
    command = [sys.executable, "-m", "bench.scale_phases", "--calls", "2000", "--rounds", "5"]
    done = subprocess.run(
        [*command, "--output", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text()
    assert text.count("<!-- kept:scale-phases -->") == 1
    section = text.split("<!-- kept:scale-phases -->", 1)[1]
    steps = dict(
        (what, float(ms)) for what, ms in re.findall(r"^\| ([^|]+?) \| ([\d.]+) \|$", section, re.M)
    )
    assert len(steps) == 9, section
    taken_in = steps["the bytes taken in (all of the above but finish)"]
    parts = [
        "cutting the bytes into lines (C scanner)",
        "last poll's rows found by head (C table)",
        "new lines read into rows (C reader)",
        "new lines the C reader left, decoded",
    ]
    # each step was timed in real polls, and the steps inside the bytes' intake sum to
    # no more than it (a rounding each)
    assert steps["calls snapshot from the changes"] > 0 and steps["today's service level"] > 0
    assert sum(steps[part] for part in parts) <= taken_in + 0.01 * len(parts)
    round_ms = float(re.search(r"poll \+ tick, SCALE's measure\): ([\d.]+) ms", section).group(1))  # type: ignore[union-attr]
    assert taken_in < round_ms
