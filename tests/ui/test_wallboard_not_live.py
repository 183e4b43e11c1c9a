"""A wallboard whose numbers are not live says so to a room, not only to whoever stands
at the TV: paused, a calm band across the top (PAUSED, the data's time and age, the key
that resumes) and digits dimmed as stale ones are; stale on a screen with big digits, a
band taller than a line of text and digits too faint to read as numbers from across the
room. At 80 columns (a supervisor on SSH) the stale band stays one line."""

from __future__ import annotations

import pytest
from rich.color import Color
from textual.pilot import Pilot

from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.big_digits import BigNumber
from rtdash.ui.widgets.unwatched import UnwatchedLine
from tests.ui.helpers import settings_for, wait_for_data, wait_until
from tests.ui.test_light_contrast import contrast
from tests.ui.wall_helpers import screen_rows

#: a stale or paused digit on a wall screen is at most this far from the background:
#: still there for whoever walks up to it, no number from across the room (a live
#: one is far above it)
FAINT = 2.0


def wallboard_app(sim: Simulator) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.flash = False
    return RtdashApp(settings, clock=FrozenClock(sim.now))


def digit_contrast(app: RtdashApp) -> float:
    """The contrast of the Talking tile's digits (a calm number, never a breach colour)
    with what they are drawn on, as the screen shows them."""
    number = app.screen.view.query_one("#tile-talking").query_one(BigNumber)  # type: ignore[attr-defined]
    region = number.region
    rows = screen_rows(app)
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            if rows[y][x] == "█":
                style = app.screen.get_style_at(x, y)
                assert style.color is not None and style.bgcolor is not None
                return contrast(style.color, style.bgcolor)
    raise AssertionError("no digit drawn in the Talking tile")


def band_rows(app: RtdashApp, background: Color) -> list[int]:
    """The screen's rows whose first cell has the band's background."""
    return [
        y for y in range(app.size.height) if app.screen.get_style_at(0, y).bgcolor == background
    ]


async def _tick(pilot: Pilot, seconds: float) -> None:
    app = pilot.app
    app.clock.advance(seconds)  # type: ignore[attr-defined]
    app.screen.view.tick()  # type: ignore[attr-defined]
    await pilot.pause()


async def test_a_paused_wallboard_shows_a_calm_band_and_dims_its_digits(sim: Simulator) -> None:
    """The incident: one stray ``p`` on the TV's keyboard froze the board, and from across
    the room it still looked live (full-bright digits, breach colours on)."""
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        live = digit_contrast(app)
        assert live > 10
        await pilot.press("p")
        await wait_until(pilot, lambda: view.feed.paused)
        await _tick(pilot, 180)
        data_time = view.feed.data_time.astimezone(view.zone)
        expected = f"PAUSED — data from {data_time:%H:%M:%S} (3 min ago) · p resumes"
        top = [row.strip() for row in screen_rows(app)[:5]]
        assert expected in top
        # calm: not the DISCONNECTED band's alarm colour
        band = app.screen.get_style_at(0, top.index(expected)).bgcolor
        assert band is not None and band != Color.parse(app.current_theme.error or "red")
        assert not view.feed.stale and not view.banner.display
        assert digit_contrast(app) < FAINT, "paused digits are dimmed as stale ones are"
        await pilot.press("p")
        # resumed: the next poll lands (until then the held data is three minutes old)
        await wait_until(pilot, lambda: view.feed.data_time > data_time and not view.feed.stale)
        await pilot.pause()
        assert not any(row.strip().startswith("PAUSED") for row in screen_rows(app))
        assert digit_contrast(app) == live


@pytest.mark.parametrize(
    ("size", "band_height"),
    [
        pytest.param((240, 67), range(5, 9), id="240x67"),
        pytest.param((80, 24), range(1, 2), id="80x24"),
    ],
)
async def test_stale_on_a_tv_is_a_tall_band_over_faint_digits(
    sim: Simulator, size: tuple[int, int], band_height: range
) -> None:
    """A TV (a browser's full screen at the page's own font): one line of DISCONNECTED
    over grey digits read, from a distance, as numbers. An SSH terminal keeps its one
    line."""
    app = wallboard_app(sim)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        view.poller.stop()
        await wait_until(pilot, lambda: not view.poller._tasks)
        await _tick(pilot, 125)
        assert view.feed.stale and view.banner.text.startswith("DISCONNECTED — data from ")
        red = app.screen.get_style_at(0, 0).bgcolor
        assert red is not None
        assert len(band_rows(app, red)) in band_height
        if size[0] >= 120:  # under that, the headline is one line of text
            assert digit_contrast(app) < FAINT


def unwatched_contrast(app: RtdashApp) -> float:
    """The contrast of the first letter of the "Today's totals: not watching …" line
    with what it is drawn on, as the screen shows it."""
    line = app.screen.view.query_one(UnwatchedLine)  # type: ignore[attr-defined]
    assert line.display and line.region, "the demo's day has a part nobody watched"
    assert str(line.render()).startswith("Today's totals")
    x, y = line.content_region.x, line.region.y  # past the line's padding
    style = app.screen.get_style_at(x, y)
    assert style.color is not None and style.bgcolor is not None
    return contrast(style.color, style.bgcolor)


async def test_what_todays_totals_miss_is_dimmed_with_them(sim: Simulator) -> None:
    """Paused or stale, every number on the board dimmed but the line under the
    headline that says which part of the day its totals miss: it read as the one live
    thing on a still board."""
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        view = app.screen.view  # type: ignore[attr-defined]
        live = unwatched_contrast(app)
        await pilot.press("p")
        await wait_until(pilot, lambda: view.has_class("-paused"))
        await pilot.pause()
        assert unwatched_contrast(app) < live, "paused: dimmed with the numbers"
        await pilot.press("p")
        await wait_until(pilot, lambda: not view.has_class("-paused"))
        await pilot.pause()
        assert unwatched_contrast(app) == live
        view.poller.stop()
        await wait_until(pilot, lambda: not view.poller._tasks)
        await _tick(pilot, 125)
        assert view.feed.stale
        assert unwatched_contrast(app) < live, "stale: dimmed with the numbers"
