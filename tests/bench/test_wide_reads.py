"""``python -m bench.wide_reads`` runs SCALE's rounds with the arms taking turns, and
keeps its section: the wide arm's body comes in fewer reads."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bench.running import kept_section


def test_wide_reads_take_fewer_reads_a_round(tmp_path: Path) -> None:
    # 4,000 calls: a calls body of about 1.6 MB, past the size that widens the reads
    section = kept_section(
        tmp_path, "bench.wide_reads", "wide-reads", "--calls", "4000", "--rounds", "4"
    )
    found = dict(
        (arm, (float(ms), int(reads)))
        for arm, ms, reads in re.findall(
            r"^\| (asyncio's reads|wide reads)[^|]*\| ([\d.]+) \| (\d+) \|$", section, re.M
        )
    )
    assert set(found) == {"asyncio's reads", "wide reads"}, section
    # asyncio's 256 KiB reads need at least seven for the calls body alone; wide ones
    # need no more (fewer when the socket fills between reads; on a busy machine a
    # read gives what has come, alike in both arms: tests/api/test_http11_stream.py
    # shows the wide reads with a reader that lets the socket fill)
    narrow, wide = found["asyncio's reads"][1], found["wide reads"][1]
    assert narrow >= 7
    assert wide <= narrow
    assert all(ms > 0 for ms, _ in found.values())
    assert re.search(r"Wide reads / asyncio's, round CPU: [\d.]+×\.", section)
