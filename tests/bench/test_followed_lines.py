"""``python -m bench.followed_lines`` measures SCALE's rounds with the head table
following the last body's lines and with every line looked up, and keeps its section."""

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


def test_both_arms_are_measured_and_the_ratios_are_theirs(tmp_path: Path) -> None:
    section = kept_section(
        tmp_path,
        "bench.followed_lines",
        "followed-lines",
        "--calls",
        # 2,000 calls: a head table's step of about 0.05 ms, far from the 0.00 that
        # its two decimals would show at a few hundred on a fast machine
        "2000",
        "--rounds",
        "6",
        "--runs",
        "2",
    ).split("<!-- /kept -->", 1)[0]
    assert "`python -m bench.followed_lines --calls 2000 --rounds 6 --runs 2`" in section
    arms = {
        arm: ([float(x) for x in heads.split(", ")], [float(x) for x in rounds.split(", ")])
        for arm, heads, rounds in re.findall(
            r"^\| (looked up|followed) \| ([\d., ]+) \| ([\d., ]+) \|$", section, re.M
        )
    }
    assert set(arms) == {"looked up", "followed"}, section
    for heads, rounds in arms.values():
        assert len(heads) == len(rounds) == 2
        # the head table's step is timed, and within its round
        assert all(0 < step < whole for step, whole in zip(heads, rounds, strict=True))
    said = re.search(r"the head table's step, each run: ([\d.]+), ([\d.]+) \(median", section)
    assert said is not None, section
    for run, ratio in enumerate(said.groups()):
        # the ratio is of the unrounded steps: within what the cells' rounding allows
        followed, looked_up = arms["followed"][0][run], arms["looked up"][0][run]
        lowest = (followed - 0.005) / (looked_up + 0.005)
        highest = (followed + 0.005) / max(looked_up - 0.005, 1e-9)
        assert lowest - 0.005 <= float(ratio) <= highest + 0.005
