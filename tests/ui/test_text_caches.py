"""Rich's cache of text widths stays small on a live view: the texts a view measures
every second (the data's age, times in state) are not all held for the day."""

from __future__ import annotations

import pytest
from rich import cells

from rtdash.sim import Simulator
from rtdash.ui import text_caches
from rtdash.ui.text_caches import HELD, trim_width_cache
from tests.ui.helpers import dashboard_of, make_app, wait_for_data


def _measure(count: int, tag: str) -> None:
    for number in range(count):
        assert cells.cell_len(f"{tag} {number} s ago") == len(f"{tag} {number} s ago")


def test_the_cache_is_emptied_past_its_bound_and_left_alone_below_it() -> None:
    cache = cells.cached_cell_len
    cache.cache_clear()
    _measure(HELD, "below")
    assert not trim_width_cache()
    assert cache.cache_info().currsize == HELD  # a screen's worth is kept
    _measure(1, "past")
    assert trim_width_cache()
    assert cache.cache_info().currsize == 0
    # widths are measured as before once it is emptied, wide characters too
    assert cells.cell_len("東京 9:05") == 9 and cells.cell_len("9:05") == 4


def test_a_rich_without_the_cache_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cells, "cached_cell_len", lambda text, version="auto": len(text))
    assert not trim_width_cache()
    monkeypatch.delattr(cells, "cached_cell_len")
    assert not trim_width_cache()


async def test_a_live_views_tick_keeps_the_cache_within_its_bound(sim: Simulator) -> None:
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        for second in range(3):
            _measure(text_caches.HELD + 40, f"run {second}")  # a long run's texts
            clock.advance(1)
            board.tick()
            await pilot.pause()
            # emptied by the tick, then only what this second drew was measured
            assert cells.cached_cell_len.cache_info().currsize < HELD // 2
