"""bench.line_cut cuts the simulator's real bodies both ways and writes its section."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import line_cut
from rtdash.api import line_cut as cuts

pytestmark = pytest.mark.skipif(cuts.scanner is None, reason="the C scanner is not built")


def test_both_routes_bodies_are_cut_both_ways_and_the_section_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = line_cut._bodies(200)
    assert [tail for _, tail in bodies] == [line_cut.CALL_TAIL, ()]
    assert all(body.count(b"\n") >= 90 for body, _ in bodies)  # 200 calls, 100 users
    report = tmp_path / "RESULTS.md"
    monkeypatch.setattr(line_cut, "RESULTS", report)
    assert line_cut.main(["--sizes", "200", "--rounds", "1"]) == 0
    text = report.read_text()
    assert "<!-- kept:line-cut -->" in text
    row = next(line for line in text.splitlines() if line.startswith("| 200 |"))
    size_mb, scanner_ms, pattern_ms, ratio = (float(cell) for cell in row.split("|")[2:6])
    assert size_mb > 0 and scanner_ms >= 0 and pattern_ms > 0
    assert ratio > 0  # printed to two places: the small figures above are rounded
