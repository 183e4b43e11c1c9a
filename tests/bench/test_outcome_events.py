"""``python -m bench.outcome_events`` counts real SCALE polls' outcome events both ways:
the two ways count the same, and its section says what each cost."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench import outcome_events
from tests.bench.running import kept_section


def test_both_ways_count_the_same_polls_alike() -> None:
    polls = outcome_events.polls_events(2000, 3)
    assert len(polls) == 3 and sum(map(len, polls)) > 10
    states = []
    for way in outcome_events.WAYS:
        spent, service = outcome_events.replay(polls, way)
        assert len(spent) == 3
        states.append(json.dumps(service.metrics.to_dict()))
    assert states[0] == states[1]
    assert json.loads(states[0])["day"]["total"]["offered"] > 0


def test_the_section_names_each_way_and_their_ratio(tmp_path: Path) -> None:
    section = kept_section(
        tmp_path,
        "bench.outcome_events",
        "outcome-events",
        *("--calls", "2000", "--rounds", "3", "--repeats", "2"),
    )
    rows = re.findall(r"^\| (one by one|together)[^|]*\| ([\d.]+) \| ([\d.]+) \|$", section, re.M)
    assert {way for way, _, _ in rows} == {"one by one", "together"}, section
    assert all(float(ms) > 0 and float(us) > 0 for _, ms, us in rows)
    assert re.search(r"Together: \*\*[\d.]+×\*\* the CPU of one by one", section)
