"""``python -m bench.scale_profile`` profiles real SCALE rounds and keeps its section."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bench.running import run_module


def test_profile_of_scale_rounds_lands_in_a_kept_section(tmp_path: Path) -> None:
    report = tmp_path / "RESULTS.md"
    report.write_text("# rtdash benchmark results\n\n## Targets\n\nfigures\n")
    # 2,000 calls: at 200 the poll's cumulative share fell to the bottom of the table's
    # top rows behind the draw, and under a loaded machine out of it
    command = ["bench.scale_profile", "--calls", "2000", "--rounds", "1"]
    for _ in range(2):  # a second run replaces the first's section
        done = run_module(*command, "--output", str(report))
        assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text()
    assert text.startswith("# rtdash benchmark results\n\n## Targets\n\nfigures\n")
    assert text.count("<!-- kept:scale-profile -->") == 1 and text.count("<!-- /kept -->") == 1
    section = text.split("<!-- kept:scale-profile -->", 1)[1]
    # the poll path was profiled: its share is said whatever its rank among the
    # functions (on a busy machine the draw's can fill the top rows at 2,000 calls)
    poll = re.search(r"The poll \(`poller\.py _poll`[^)]*\): (\d+) ms cumulative, (\d+)%", section)
    assert poll is not None, section[:800]
    assert int(poll.group(1)) > 0 and 0 < int(poll.group(2)) <= 100
    # and what changed per poll, as the line reader found it (the churn the cost follows)
    found = re.search(r"call rows (\d+) new and (\d+) gone", section)
    assert found is not None, section[:800]
    assert int(found.group(1)) > 0 and int(found.group(2)) > 0  # calls came and went
