"""Fixtures the core's tests share."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from .recording_rig import Run, record_run


@pytest.fixture(params=["in C", "in Python"])
def each_drop(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The snapshots' tests run with gone rows taken out by the part in C where it was
    built (rtdash/core/_drop.c) and by the Python every machine has."""
    from rtdash.core import row_order

    if request.param == "in Python":
        monkeypatch.setattr(row_order, "dropping", None)
    elif row_order.dropping is None:
        pytest.skip("rtdash's C parts are not built")
    return str(request.param)


@pytest.fixture
def full_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry for each time the agents are counted from every row (not moved by the
    changes): the tests that want it rare count them."""
    from rtdash.core import agent_counts

    counted: list[int] = []
    real = agent_counts.count_columns

    def counting(columns: Any, on_call: Any) -> Any:
        counted.append(1)
        return real(columns, on_call)

    monkeypatch.setattr(agent_counts, "count_columns", counting)
    return counted


@pytest.fixture(scope="package", params=[300.0, 20.0], ids=["keyframe-5min", "keyframe-20s"])
def recorded_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A real simulator run recorded (:func:`tests.core.recording_rig.record_run`), with
    a keyframe every 5 minutes and every 20 s; made once and read by several modules."""
    path: Path = tmp_path_factory.mktemp("rec") / "day.rtrec"
    return asyncio.run(record_run(path, request.param))
