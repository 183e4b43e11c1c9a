"""A wallboard restarted the same day draws the trend it saw, dotted where it was not
running: its charts agree with the "not watching" line under the headline."""

from __future__ import annotations

from typing import Any

from rtdash.sim import Simulator
from rtdash.ui.widgets.trend import Trend
from tests.ui.helpers import make_app, poll_after, settings_for, wait_for_data, wait_until

#: a bucket of the trend, and the polls and buckets the board is away for
BUCKET = 30.0
AWAY = 4


def _sampled(feed: Any) -> bool:
    """Tick ``feed``: whether the trend has a bucket for now (the poll it waits on may
    still be on its way)."""
    feed.tick()
    return feed.history.window(feed.clock.now())[0][-1] is not None


def _wallboard(sim: Simulator) -> Any:
    """The wallboard on ``sim``, saving its day (to the test's own state folder)."""
    settings = settings_for(sim)
    settings.display.wallboard = True
    return make_app(sim, settings, flash=False, persist=True)


async def test_a_restarted_wallboard_draws_the_trend_it_saw(sim: Simulator) -> None:
    first = _wallboard(sim)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        view = first.screen.view
        for _ in range(8):
            await poll_after(pilot, view, BUCKET, sim)
            # the feed samples the trend on its once-a-second tick: one now, rather
            # than a bucket left empty when the next poll comes first
            await wait_until(pilot, lambda: _sampled(view.feed))
    # what the first board's history held when it quit (its day saved on the way out)
    waiting, available = view.feed.history.window(first.clock.now())
    assert sum(value is not None for value in waiting) >= 8, "a trend worth keeping"
    sim.advance(AWAY * BUCKET)  # back later
    second = _wallboard(sim)
    async with second.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        shown_waiting = second.screen.query_one("#trend-waiting", Trend)
        shown_available = second.screen.query_one("#trend-available", Trend)
        await pilot.pause(1.1)  # the once-a-second redraw
        kept = shown_waiting.values[:-AWAY]
        assert kept == waiting[AWAY:], "the restarted board lost the trend it saw"
        assert shown_available.values[:-AWAY] == available[AWAY:]
        # away: dotted, up to the restart's own first bar
        assert shown_waiting.values[-AWAY:-1] == [None] * (AWAY - 1)
        assert shown_waiting.values[-1] is not None
