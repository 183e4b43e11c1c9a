"""The dashboard command holds the garbage collector back while it starts, and never
leaves it off (see ``rtdash.warmup``)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from rtdash.config import Settings
from tests.cli.conftest import RunCli


def test_the_dashboard_starts_with_the_collector_paused_and_leaves_it_on(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def fake_run(settings: Settings, *, demo: bool = False, record: Path | None = None) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", fake_run)
    assert gc.isenabled()
    assert rtdash("--demo").code == 0
    assert seen == [False], "paused while the app starts"
    assert gc.isenabled(), "on again once the dashboard is done"


def test_a_failed_start_leaves_the_collector_on(rtdash: RunCli) -> None:
    assert rtdash("--demo", "--record", "/no/such/folder/day.rtrec").code == 2
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(rtdash: RunCli) -> None:
    """Only what the command paused is resumed: an embedding program's choice stands."""
    gc.disable()
    try:
        assert rtdash("--demo", "--record", "/no/such/folder/day.rtrec").code == 2
        assert not gc.isenabled()
    finally:
        gc.enable()
