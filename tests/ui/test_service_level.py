"""Today's service level where people look: wallboard tiles that move with the day, the
dashboard's headline, the unwatched gaps."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.app import App

from rtdash.core.service import ServiceLevel
from rtdash.core.service_report import fmt_gaps
from rtdash.sim import Simulator
from rtdash.ui.widgets.metrics_bar import MetricTile
from tests.ui.helpers import (
    a_wallboard,
    make_app,
    poll_after,
    screen_text,
    settings_for,
    wait_for_data,
    wait_until,
)


async def test_wallboard_tiles_move_as_the_day_goes_on(sim: Simulator) -> None:
    app = a_wallboard(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        tiles = {tile.key: tile for tile in view.query(MetricTile)}
        assert list(tiles)[-3:] == ["sl", "answered", "abandoned"]
        assert tiles["sl"].label == "SL 20s today"
        service = view.feed.find(ServiceLevel)
        assert service is not None
        first = service.report().total
        for _ in range(12):
            await poll_after(pilot, view, 20, sim)
        later = service.report().total
        assert later.answered > first.answered
        assert later.offered > first.offered
        await pilot.pause(1.1)  # the once-a-second redraw
        assert tiles["answered"].number == str(later.answered)
        assert tiles["abandoned"].number == str(later.abandoned - later.short_abandoned)
        sl = later.sl_percent
        assert tiles["sl"].number == ("–" if sl is None else f"{sl:.0f}%")


async def test_wallboard_tiles_follow_the_config(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.service.wallboard_tiles = ["offered", "sl"]
    app = make_app(sim, settings, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        keys = [tile.key for tile in app.screen.view.query(MetricTile)]
        assert keys[-2:] == ["offered", "sl"] and "answered" not in keys


async def test_the_talk_tile_shows_todays_average_talk(sim: Simulator) -> None:
    """Asked for in ``wallboard_tiles`` (it is not there by default), the tile reads
    the average talk of the calls answered and ended today, as minutes and seconds."""
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.service.wallboard_tiles = ["sl", "talk"]
    app = make_app(sim, settings, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        tiles = {tile.key: tile for tile in view.query(MetricTile)}
        assert list(tiles)[-2:] == ["sl", "talk"]
        assert tiles["talk"].label == "Avg talk today"
        service = view.feed.find(ServiceLevel)
        for _ in range(60):  # twenty minutes of the simulated day at most
            if service.report().total.talked >= 3:
                break
            await poll_after(pilot, view, 20, sim)
        talk = service.report().total.avg_talk
        assert talk is not None
        whole = round(talk)
        shown = f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole}s"
        await wait_until(pilot, lambda: tiles["talk"].number == shown)


@pytest.mark.parametrize(
    ("wallboard", "size"), [(True, (160, 48)), (False, (80, 24))], ids=["wallboard", "dashboard"]
)
async def test_the_unwatched_gap_is_said_under_the_headline(
    sim: Simulator, wallboard: bool, size: tuple[int, int]
) -> None:
    """Today's totals (the wallboard's tiles, the dashboard's SL and abandoned) miss
    what happened while nothing watched, from the night before the first poll (the
    simulator's day starts at 09:00) to an outage: both views say which periods, in the
    words `rtdash stats` uses, once, on a line of its own under the headline (the
    dashboard's only once there is an outage: the night alone would take a call's row)."""
    app = a_wallboard(sim) if wallboard else make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        gaps = view.feed.find(ServiceLevel).metrics.gaps
        (night,) = gaps
        night_said = fmt_gaps([tuple(datetime.fromtimestamp(t, view.zone) for t in night)])
        assert night_said == "not watching 00:00–09:00"
        if wallboard:
            await wait_until(pilot, lambda: "Today's totals: " + night_said in _lines(app))
        else:  # alone, not worth a row the waiting calls need at 80x24
            await pilot.pause()
            assert not any(line.startswith("Today's totals") for line in _lines(app))
        await poll_after(pilot, view, 180, sim)  # three minutes without a poll
        await wait_until(pilot, lambda: len(gaps) == 2)
        periods = [tuple(datetime.fromtimestamp(t, view.zone) for t in gap) for gap in gaps]
        said = "Today's totals: " + fmt_gaps(periods)
        assert said.startswith(f"Today's totals: {night_said}, ")
        await wait_until(pilot, lambda: said in _lines(app))
        lines = _lines(app)
        if not wallboard:  # the line under the one-line headline
            assert lines[1] == said, lines[:3]


def _lines(app: App[object]) -> list[str]:
    return [line.strip() for line in screen_text(app).splitlines() if line.strip()]


async def test_dashboard_headline_has_sl_and_abandoned_at_80x24(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        for _ in range(6):
            await poll_after(pilot, app.screen.view, 20, sim)
        await pilot.pause(1.1)
        line = screen_text(app).splitlines()[0]
        total = app.screen.view.feed.find(ServiceLevel).report().total
        assert "Waiting" in line and "Available" in line
        assert f"Abandoned {total.abandoned - total.short_abandoned}" in line
        assert "SL " in line and len(line.rstrip()) <= 80


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
async def test_recent_window_tiles_show_the_services_own_windows(
    sim: Simulator, size: tuple[int, int]
) -> None:
    """``sl_15m`` and ``sl_60m`` in ``wallboard_tiles``: the SL % of the last 15 and 60
    minutes beside the day's, each the service's own figure, under a label that fits:
    whole on a TV's tiles, the terse one on the 80-column line beside every other."""
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.service.wallboard_tiles = ["sl", "abandoned", "sl_15m", "sl_60m"]
    app = make_app(sim, settings, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        tiles = {tile.key: tile for tile in view.query(MetricTile)}
        assert list(tiles)[-4:] == ["sl", "abandoned", "sl_15m", "sl_60m"]
        service = view.feed.find(ServiceLevel)
        for _ in range(12):
            await poll_after(pilot, view, 20, sim)
        await pilot.pause(1.1)  # the once-a-second redraw

        def percent(window: str) -> str:
            value = service.metrics.total(window).sl_percent
            return "–" if value is None else f"{value:.0f}%"

        assert tiles["sl_15m"].number == percent("15m")
        assert tiles["sl_60m"].number == percent("60m")
        if size == (160, 48):
            assert tiles["sl_15m"]._label_text.startswith("SL 20s last 15 min")
            assert tiles["sl_60m"]._label_text.startswith("SL 20s last 60 min")
        else:
            line = screen_text(app).splitlines()[0]
            assert f"SL15m {percent('15m')}" in line and f"SL60m {percent('60m')}" in line
            assert len(line) <= 80 and not line.endswith("…"), line
