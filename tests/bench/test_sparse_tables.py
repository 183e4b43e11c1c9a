"""``python -m bench.sparse_tables`` weighs the C parts' tables kept sparse against half
full: each step alone on the simulator's calls body, then SCALE's round at each size
with a fresh app for each fill, and keeps its section."""

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


def test_each_step_and_round_is_timed_both_ways_and_the_ratio_is_theirs(
    tmp_path: Path,
) -> None:
    section = kept_section(
        tmp_path,
        "bench.sparse_tables",
        "sparse-tables",
        "--calls",
        "300",
        "1000",
        "--rounds",
        "2",
        "--repeats",
        "1",
    ).split("<!-- /kept -->", 1)[0]
    assert "`python -m bench.sparse_tables --rounds 2 --repeats 1 --calls 300 1000`" in section
    assert (
        "| step or round | as built (head table 4 slots a row, gone rows 16 slots a row), ms "
        "| half full, ms | as built / half full |"
    ) in section
    rows = re.findall(r"^\| ([^|]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", section, re.M)
    assert [name.split(":")[0] for name, *_ in rows] == [
        "`Heads.take`",
        "`replaced`",
        "SCALE's round at 300 calls (median of 1 repeats' medians)",
        "SCALE's round at 1,000 calls (median of 1 repeats' medians)",
    ]
    for _, built, half, ratio in rows:
        assert float(built) > 0 and float(half) > 0
        assert float(ratio) == pytest.approx(float(built) / float(half), rel=0.05, abs=0.01)
    exponents = re.findall(
        r"^- Growth exponent 300 → 1,000 calls, (as built|half full): ", section, re.M
    )
    assert exponents == ["as built", "half full"]
