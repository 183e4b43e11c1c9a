"""The chaos run, short: ten seconds of random faults against the running app."""

from __future__ import annotations

import pytest

from bench.chaos import run
from rtdash.core import poller


@pytest.mark.slow
async def test_ten_seconds_of_chaos_no_crash_and_recoveries() -> None:
    # seed 4 at one request in five: a reset, a 5xx and rows missing fields come early
    report = await run(10, rate=0.2, speed=20, seed=4, trace_memory=False)
    print(report.markdown())
    assert report.crashes == []
    assert report.recoveries >= 1
    assert report.phase_recoveries >= 1
    assert len(report.faults) >= 3, report.faults
    assert sum(report.polls.values()) >= 10
    assert sum(report.failed.values()) >= 1
    assert len(report.memory) >= 9  # sampled once a second


async def test_a_bug_while_polling_counts_as_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """The detector can fail: a poll that raises is caught and logged, and reported."""

    build = poller.CallsSnapshot.build
    calls = []

    def broken_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return build(*args, **kwargs)

    monkeypatch.setattr(poller.CallsSnapshot, "build", broken_once)
    report = await run(1, rate=0.0, seed=1, trace_memory=False)
    assert len(calls) >= 2  # the poller carried on after the bug
    assert report.crashes, "a poll that raised was not reported"
    assert any("unexpected failure polling calls" in crash for crash in report.crashes)
