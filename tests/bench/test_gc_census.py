"""``python -m bench.gc_census`` runs both sides of SCALE's measure and shows what the
collector follows: the side whose rows, tracked calls and clocks stay the collector's
follows at least a centre's rows more."""

from __future__ import annotations

import re

import pytest

from rtdash.api import untrack
from tests.bench.running import run_module

CALLS = 2000


@pytest.mark.skipif(untrack.built is None, reason="the C part is not built")
def test_the_census_shows_the_rows_out_of_the_collectors_sight() -> None:
    command = ["bench.gc_census", "--calls", str(CALLS), "--rounds", "1", "--polls", "2"]
    done = run_module(*command, "--no-write", timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    followed = {
        side: int(count.replace(",", ""))
        for side, count in re.findall(
            r"^\| (\w+) \| [\d.]+ \| [^|]+ \| ([\d,]+) \|", done.stdout, re.M
        )
    }
    assert set(followed) == {"untracked", "followed"}, done.stdout
    # the live calls' rows alone are this many; the users and the day's calls come on top
    assert followed["followed"] - followed["untracked"] >= CALLS, followed
