"""``python -m bench.scale_phases`` times the steps of real SCALE rounds at each size
asked for and keeps its section."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bench.running import kept_section


def test_the_steps_of_scale_rounds_at_two_sizes_land_in_a_kept_section(tmp_path: Path) -> None:
    section = kept_section(
        tmp_path, "bench.scale_phases", "scale-phases", "--calls", "2000", "200", "--rounds", "5"
    )
    # the sizes in ascending order, whatever order they were asked in
    assert "| step (ms per round) | 200 calls | 2,000 calls | grew by, 200 → 2,000 |" in section
    rows = re.findall(r"^\| \**(.+?)\** \| ([\d.]+) \| ([\d.]+) \| ([+-][\d.]+) \|$", section, re.M)
    steps = {what: (float(small), float(big), float(grew)) for what, small, big, grew in rows}
    assert len(steps) == 14, section
    for small, big, grew in steps.values():  # the growth is the larger size's less the smaller's
        assert abs(big - small - grew) <= 0.011
    taken_in = "the bytes taken in (the four steps below and the Python around them)"
    inside = [what for what in steps if what.startswith("– ")]
    assert len(inside) == 4
    for column in (0, 1):
        # each step ran in real rounds at both sizes, and the steps inside the bytes'
        # intake sum to no more than it (a rounding each)
        for step in (
            "the socket's reads (asyncio's transport)",
            taken_in,
            "calls snapshot from the changes",
            "today's service level",
            "the screen's changed lines painted",
        ):
            assert steps[step][column] > 0, step
        assert sum(steps[what][column] for what in inside) <= steps[taken_in][column] + 0.04
        assert steps[taken_in][column] < steps["the round (poll + tick, SCALE's measure)"][column]
