"""What a poll and a day-state save do at a big centre: the tiles read today's total
alone (not a report listing every queue and agent), the saved lists are what the
row-by-row code wrote, and the file is the JSON ``json.dumps`` would write."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall
from rtdash.core.daystate import read_state, write_state
from rtdash.core.outcomes import OutcomeTracker, TrackedCall
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions
from rtdash.core.service_metrics import ServiceMetrics

from .rows import call, user
from .test_daystate import _busy_service


def test_the_tiles_read_the_days_total_without_a_full_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = _busy_service()
    keeper = ServiceKeeper(service, ServiceOptions(persist=False))
    total = service.metrics.report("today").total
    assert service.metrics.total("today") == total
    assert service.metrics.total("15m") == service.metrics.report("15m").total
    expected = keeper.tiles()

    def no_report(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a full report on the poll path")

    monkeypatch.setattr(ServiceMetrics, "report", no_report)
    assert keeper.tiles() == expected
    assert keeper.counted() == total.answered + total.abandoned
    assert expected and any(tile.value for tile in expected)


def test_a_tracked_call_saves_the_list_it_always_saved_and_comes_back() -> None:
    tracked = TrackedCall("c-1", "sales", 10.0, 4.5)
    assert tracked.to_list() == ["c-1", "sales", 10.0, 4.5, 10.0, None, None, None, "", ""]
    tracked.state = call("c-1", "bridged").state
    tracked.answered_at, tracked.agent, tracked.agent_name = 12.0, "a.lee", "Ann Lee"
    saved = tracked.to_list()
    assert saved[7] == "bridged" and type(saved[7]) is str
    back = TrackedCall.from_list(json.loads(json.dumps(saved)))
    assert back.to_list() == saved
    tracker = OutcomeTracker(lambda event: None)
    tracker.calls = {"c-1": tracked, "c-2": TrackedCall("c-2", "", 1.0, 1.0)}
    assert tracker.to_dict()["calls"] == [saved, TrackedCall("c-2", "", 1.0, 1.0).to_list()]


def test_agent_clocks_save_their_totals_up_to_now() -> None:
    clocks = AgentTime()
    people = (user("1", "available", 0, name="Ann", operator_ref="a.lee"),)
    clocks.observe(people, OnCall(), 100.0, 100.0)
    clocks.observe(
        people, OnCall.from_calls([call("c", "bridged", agent_ref="a.lee")]), 160.0, 100.0
    )
    saved = clocks.to_dict(200.0)
    assert saved == {
        # the last list item: when Ann went on the call, at the earliest (the look before)
        "a.lee": ["Ann", "call", 200.0, {"call": 40.0, "available": 60.0, "away": 0.0}, 100.0]
    }
    assert clocks.to_dict(200.0) == saved  # reading does not move the clocks
    assert {key: (name, totals) for key, (name, _, _, totals, _) in saved.items()} == {
        key: (name, totals) for key, (name, totals) in clocks.totals(200.0).items()
    }


def test_the_state_file_is_the_json_that_json_dumps_writes(tmp_path: Path) -> None:
    rnd = random.Random(3)
    state: dict[str, Any] = {
        "version": 2,
        "zone": "Europe/London",
        "saved_at": 1_777_777_777.123456,
        "tracker": {
            "calls": [
                [f"c-{n}", "", rnd.random() * 1e9, 1e16, None, -0.0, 0.1, "queueing", "ä", "\n"]
                for n in range(50)
            ]
        },
        "metrics": {"minutes": {"29629629": {"agents": {"Zoë": 3}}}, "gaps": [[1.5, 2.5]]},
    }
    path = tmp_path / "state.json"
    write_state(path, state)
    assert read_state(path) == json.loads(json.dumps(state, separators=(",", ":")))
    assert b"\n" not in path.read_bytes()  # compact, one line, as before
