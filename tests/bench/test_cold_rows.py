"""``python -m bench.cold_rows`` reads the simulator's calls body into its rows, times
the head table's look-ups and a group made again at each distance rows are asked for
ahead at, and keeps its section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rtdash.api import c_parts
from tests.bench.running import kept_section

pytestmark = pytest.mark.skipif(
    c_parts.built("_heads") is None or c_parts.built("_drop", "rtdash.core") is None,
    reason="rtdash's C parts are not built",
)


def test_each_step_is_timed_at_each_distance_and_the_ratio_is_theirs(tmp_path: Path) -> None:
    section = kept_section(
        tmp_path, "bench.cold_rows", "cold-rows", "--calls", "3000", "--rounds", "2"
    ).split("<!-- /kept -->", 1)[0]
    assert "`python -m bench.cold_rows --calls 3000 --rounds 2`" in section
    heading = re.search(r"^\| step \(([\d,]+) rows\) \| (.+) \|$", section, re.M)
    assert heading is not None, section
    # the simulator's calls load at 3,000 calls is a few thousand lines
    assert 2_000 <= int(heading.group(1).replace(",", "")) <= 6_000
    columns = heading.group(2).split(" | ")
    assert columns == [
        "asked 32 ahead (as built), ms",
        "asked 8 ahead, ms",
        "not asked, ms",
        "as built / not asked",
    ]
    rows = re.findall(r"^\| `(Heads\.take|replaced)`[^|]*\| (.+) \|$", section, re.M)
    assert [step for step, _ in rows] == ["Heads.take", "replaced"]
    for _, cells in rows:
        built, short, none, ratio = (float(cell) for cell in cells.split(" | "))
        assert built > 0 and short > 0 and none > 0
        assert ratio == pytest.approx(built / none, rel=0.05, abs=0.01)
