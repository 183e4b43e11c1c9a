"""``python -m bench.wide_reads`` runs SCALE's rounds with the arms taking turns, and
keeps its section: each arm's reads a round are counted (whether the wide ones are
fewer is the machine's, see below)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bench.running import kept_section


def test_each_arms_reads_a_round_are_counted(tmp_path: Path) -> None:
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
    # asyncio's 256 KiB reads need at least seven for the calls body alone. How many
    # the wide ones take depends on how full the socket is at each read, which the
    # machine's load decides (beside the whole suite a read gives what has come,
    # alike in both arms), so the two arms' counts are not compared here:
    # tests/api/test_http11_stream.py shows the wide reads with a reader that lets
    # the socket fill
    narrow, wide = found["asyncio's reads"][1], found["wide reads"][1]
    assert narrow >= 7
    assert wide >= 1
    assert all(ms > 0 for ms, _ in found.values())
    assert re.search(r"Wide reads / asyncio's, round CPU: [\d.]+×\.", section)
