"""``python -m bench.heap_reads`` runs SCALE's rounds with the socket's reads mapped
each time and from the heap, in children of their own, and keeps its section: the
mapped reads' page faults show in it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bench.running import kept_section


def test_mapped_reads_fault_and_heap_reads_do_not(tmp_path: Path) -> None:
    # 4,000 calls: a calls body past a megabyte, so the first one sets the heap
    section = kept_section(
        tmp_path,
        "bench.heap_reads",
        "heap-reads",
        "--calls",
        "4000",
        "--rounds",
        "8",
        "--runs",
        "1",
    )
    found = re.findall(
        r"^\| (each read mapped|reads from the heap)[^|]*\| ([\d.]+) \| ([\d.]+) \| ([\d,]+) \|$",
        section,
        re.M,
    )
    arms = {
        arm: (float(ms), float(kernel), int(faults.replace(",", "")))
        for arm, ms, kernel, faults in found
    }
    assert set(arms) == {"each read mapped", "reads from the heap"}, section
    # a round reads a body of about 1.6 MB in reads of up to 256 KiB (smaller on a
    # busy machine): mapped, each read's pages are faulted in afresh every round, at
    # least a read's worth; from the heap, the block of one read is the next one's.
    # The counts are a round's mean: on a quiet machine the heap's are a handful
    # (6 against 1,314); beside the whole suite they once read 333 over 4 rounds
    # against 1,202, about one mapped round's worth in all, as if faulted once: hence
    # 8 rounds, and the heap's under half the mapped reads'
    mapped, heap = arms["each read mapped"][2], arms["reads from the heap"][2]
    assert mapped >= 64
    assert heap * 2 < mapped
    assert all(ms > 0 for ms, _, _ in arms.values())
    assert re.search(r"each run: [\d.]+ \(median [\d.]+\)\.", section)
