"""Start-up: the garbage collector the command paused comes back once data is drawn, or
after ``COLLECTION_PAUSE_LIMIT`` when no data comes (see ``rtdash.warmup``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from rtdash import warmup
from rtdash.sim import Simulator
from rtdash.ui import app as app_module
from tests.support import a_password
from tests.ui.helpers import make_app, wait_for_data, wait_until


@pytest.fixture
def paused() -> Iterator[None]:
    warmup.pause_collection()
    assert not gc.isenabled()
    yield
    warmup.resume_collection()
    assert gc.isenabled()


@pytest.mark.usefixtures("paused")
async def test_collection_resumes_once_the_first_data_is_drawn(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "COLLECTION_PAUSE_LIMIT", 60.0)  # not the fallback
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, gc.isenabled)
        assert not warmup.collection_paused()


@pytest.mark.usefixtures("paused")
async def test_collection_resumes_after_a_while_without_data(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "COLLECTION_PAUSE_LIMIT", 0.2)
    app = make_app(sim, password=a_password())  # rejected: no data ever comes
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, gc.isenabled)


def test_young_collections_are_spaced_by_the_centre_s_size() -> None:
    """A big centre's poll allocates in proportion to its calls: a young collection every
    calls // 2 allocations, between Python's 700 and 20,000 (the older generations as
    they were)."""
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        for calls, young in ((200, 700), (10_000, 5_000), (50_000, 20_000), (0, 700)):
            warmup.collect_for(calls)
            assert gc.get_threshold() == (young, 10, 10)
    finally:
        gc.set_threshold(*before)


async def test_a_dashboard_at_a_small_centre_keeps_python_s_spacing(sim: Simulator) -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        app = make_app(sim)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for_data(pilot)
            assert gc.get_threshold() == (700, 10, 10)
            warmup.collect_for(50_000)  # as a poll of a big centre would
            assert gc.get_threshold()[0] == warmup.YOUNG_MOST
    finally:
        gc.set_threshold(*before)
