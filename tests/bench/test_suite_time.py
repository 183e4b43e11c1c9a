"""The suite timer reads pytest's closing line whatever order pytest gives the counts in."""

from __future__ import annotations

import pytest

from bench.suite_time import summary_counts


@pytest.mark.parametrize(
    ("line", "counts"),
    [
        ("961 passed, 1 skipped in 331.66s (0:05:31)", (961, 0, 1)),
        ("1 failed, 1594 passed, 24 skipped in 226.71s (0:03:46)", (1594, 1, 24)),
        ("1594 passed, 2 errors in 226.71s", (1594, 2, 0)),
        ("2 errors in 27.19s", (0, 2, 0)),
    ],
)
def test_the_closing_line_gives_passed_failed_and_skipped(
    line: str, counts: tuple[int, int, int]
) -> None:
    assert summary_counts(line) == counts
