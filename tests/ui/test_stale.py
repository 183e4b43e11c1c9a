"""Stale means frozen and obvious, on the wallboard as on the dashboard: once the data is
older than three intervals its times stop, no breach begins and no bell rings from it,
and a DISCONNECTED banner says so in the main area; fresh data clears it. Under
``NO_COLOR`` a breach is bold and reverse, never dimmer than a normal number."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rtdash.core.clock import FrozenClock
from rtdash.core.format import duration
from rtdash.core.thresholds import Level
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.metrics_bar import MetricsBar, MetricTile
from rtdash.ui.widgets.palette import LEVEL_STYLE
from tests.ui.helpers import settings_for, wait_for_data, wait_until


def wallboard_app(sim: Simulator) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = True
    return RtdashApp(settings, clock=FrozenClock(sim.now))


async def test_the_wallboard_freezes_stale_data_and_rings_nothing(sim: Simulator) -> None:
    """The incident: two minutes after the service died the wallboard counted the
    longest wait into its alert colour and rang the bell, from a call last seen then."""
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: view.feed.status is not None)
        tile = view.query_one("#tile-longest_wait", MetricTile)
        wait_before = tile._value
        assert "longest_wait" not in view.alerts.active  # under two minutes so far
        bells = view.bells
        app.clock.advance(125)  # type: ignore[attr-defined]  # no await: no poll lands
        view.tick()
        assert view.feed.stale
        assert view.banner.display and view.banner.text is not None
        assert view.banner.text.startswith("DISCONNECTED — data from ")
        assert view.banner.text.endswith("(2 min ago)")
        # the longest wait stopped where it was when the data became stale, three
        # intervals after it: what the live board showed then, never counted back
        frozen = view.feed.frozen_at
        assert frozen == view.feed.data_time + timedelta(seconds=view.feed.status.stale_after)
        shown = view.query_one(MetricsBar).values()["longest_wait"][0]
        assert shown == duration(view.feed.metrics.longest_wait(frozen))
        assert _seconds(shown) == _seconds(wait_before) + view.feed.status.stale_after
        app.clock.advance(60)  # type: ignore[attr-defined]
        view.tick()
        assert view.query_one(MetricsBar).values()["longest_wait"][0] == shown
        assert "longest_wait" not in view.alerts.active, "no breach from invented time"
        assert view.bells == bells
        await wait_until(pilot, lambda: not view.feed.stale)
        await wait_until(pilot, lambda: not view.banner.display)


async def test_a_paused_dashboard_is_old_but_not_disconnected(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        await pilot.press("p")
        await wait_until(pilot, lambda: view.feed.paused)
        app.clock.advance(300)  # type: ignore[attr-defined]
        view.tick()
        assert not view.feed.stale and not view.banner.display


async def test_no_color_breaches_are_bold_reverse_never_dim(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = wallboard_app(sim)
    assert app.no_color
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for_data(pilot)
            view = app.screen.view  # type: ignore[attr-defined]
            breached = [tile for tile in view.query(MetricTile) if tile.has_class("level-alert")]
            assert breached, "the simulated centre has a breach to look at"
            style = breached[0].query_one(".tile-value").styles.text_style
            assert style.bold and style.reverse
            assert LEVEL_STYLE[Level.ALERT] == "bold reverse"
    finally:
        monkeypatch.delenv("NO_COLOR")
        RtdashApp(settings_for(sim))  # the next app sets the colour styles back
    assert LEVEL_STYLE[Level.ALERT].endswith("#D55E00")


def _seconds(shown: str) -> int:
    minutes, seconds = shown.split(":")
    return int(minutes) * 60 + int(seconds)
