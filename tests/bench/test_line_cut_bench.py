"""bench.line_cut cuts the simulator's real bodies every way (the scanner with each hash
this CPU runs, and the pattern) and writes its section."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import line_cut
from rtdash.api import line_cut as cuts

pytestmark = pytest.mark.skipif(cuts.scanner is None, reason="the C scanner is not built")


def test_both_routes_bodies_are_cut_both_ways_and_the_section_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = line_cut.sim_bodies(200)
    assert [tail for _, tail in bodies] == [line_cut.CALL_TAIL, ()]
    assert all(body.count(b"\n") >= 90 for body, _ in bodies)  # 200 calls, 100 users
    report = tmp_path / "RESULTS.md"
    monkeypatch.setattr(line_cut, "RESULTS", report)
    assert line_cut.main(["--sizes", "200", "--rounds", "1"]) == 0
    text = report.read_text()
    assert "<!-- kept:line-cut -->" in text
    lines = text.splitlines()
    heading = next(line for line in lines if line.startswith("| live calls |"))
    row = next(line for line in lines if line.startswith("| 200 |"))
    cells = dict(
        zip(
            (cell.strip() for cell in heading.split("|")[1:-1]),
            (cell.strip() for cell in row.split("|")[1:-1]),
            strict=True,
        )
    )
    hashes = cuts.scanner.hashes() if cuts.scanner is not None else ()
    assert {f"scanner, {name}" for name in hashes} <= cells.keys()
    assert float(cells["bodies MB"]) > 0 and float(cells["pattern"]) > 0
    for name in hashes:
        assert float(cells[f"scanner, {name}"]) >= 0
        # printed to two places: the small figures above are rounded
        assert float(cells[f"scanner, {name}/pattern"]) > 0
    assert ("aes/multiply" in cells) == ("aes" in hashes)
