"""The one-line headline of a narrow terminal (80x24 over SSH) never cuts a number:
when three-digit counts and a long wait overflow the short labels, the labels give way
(terse words, then closer together), and only past that does a whole number go, marked
with an ellipsis."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from rtdash.core.metrics import Metrics
from rtdash.core.service_tiles import Tile
from rtdash.core.thresholds import Level
from rtdash.sim import Simulator
from rtdash.ui.widgets.compact_line import compact_line
from rtdash.ui.widgets.metrics_bar import MetricsBar
from tests.ui.helpers import (
    a_wallboard,
    make_app,
    screen_text,
    settings_for,
    wait_for_data,
    wait_until,
)

OK, ALERT = Level.OK, Level.ALERT
SMALL = [("Waiting", "Wait", "7", OK), ("SL", "SL", "88%", OK), ("Abandoned", "Aband", "2", OK)]
BIG = [
    ("Waiting", "Wait", "123", ALERT),
    ("Talking", "Talk", "456", OK),
    ("Longest", "Long", "12:34", ALERT),
    ("Available", "Avail", "100", OK),
    ("SL", "SL", "45%", ALERT),
    ("Answered", "Ans", "1234", OK),
    ("Abandoned", "Aband", "123", ALERT),
]


def test_short_labels_while_they_fit() -> None:
    assert compact_line(SMALL, 80).plain == "Waiting 7  SL 88%  Abandoned 2"
    assert compact_line(SMALL).plain == compact_line(SMALL, 30).plain


def test_terse_labels_then_closer_together() -> None:
    line = compact_line(BIG, 80).plain
    assert line == "Wait 123 ‼  Talk 456  Long 12:34 ‼  Avail 100  SL 45% ‼  Ans 1234  Aband 123 ‼"
    tight = compact_line(BIG, 75).plain
    assert tight == "Wait 123 ‼ Talk 456 Long 12:34 ‼ Avail 100 SL 45% ‼ Ans 1234 Aband 123 ‼"


@pytest.mark.parametrize("width", [30, 40, 50, 60, 70])
def test_past_that_calm_numbers_give_way_before_breached_ones(width: int) -> None:
    line = compact_line(BIG, width).plain
    assert len(line) <= width and line.endswith(" …")
    shown = re.findall(r"(\S+) (\d[\d:%]*)( ‼)?", line)
    labels = [label for label, _, _ in shown]
    order = [terse for _, terse, _, _ in BIG]
    assert labels == sorted(labels, key=order.index), "in the headline's order"
    by_label = {terse: (value, level) for _, terse, value, level in BIG}
    for label, value, mark in shown:  # each number whole, with its mark
        assert (value, ALERT if mark else OK) == by_label[label]
    breached = [terse for _, terse, _, level in BIG if level is ALERT]
    if any(not mark for _, _, mark in shown):  # a calm number only when all breaches are
        assert set(breached) <= set(labels)
    assert len(shown) >= 2


async def test_the_wallboard_line_keeps_talking_at_80_columns(sim: Simulator) -> None:
    """A supervisor on SSH at 80x24 reads the wallboard's one line: it holds the four
    live numbers the README promises (talking among them) beside today's, in the
    terse words where the short ones do not fit."""
    app = a_wallboard(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]

        def line() -> str:
            return next(row for row in screen_text(app).splitlines() if "SL" in row)

        await wait_until(pilot, lambda: f"Talking {view.metrics.talking}" in line())
        assert line().index("Talking") < line().index("SL")
        await pilot.resize_terminal(80, 24)
        await pilot.press("p")  # no poll moves the numbers while the line is read
        await wait_until(pilot, lambda: view.feed.paused and "Aband" in line())
        shown = line()
        assert len(shown.rstrip()) <= 80 and "…" not in shown
        talking = view.metrics.talking
        assert re.search(rf"\bTalk(ing)? {talking}\b", shown), shown
        for label in ("Wait", "Long", "Avail", "SL", "Ans", "Aband"):
            assert label in shown


def test_breached_numbers_stay_at_60_columns() -> None:
    assert compact_line(BIG, 60).plain == "Wait 123 ‼ Talk 456 Long 12:34 ‼ SL 45% ‼ Aband 123 ‼ …"


def _big_values(bar: MetricsBar, tiles: tuple[str, ...]) -> None:
    """Three-digit counts, a 12:34 wait, today's totals in the hundreds and thousands."""
    now = bar.clock.now()
    metrics = Metrics(
        waiting=123,
        ringing=9,
        talking=456,
        longest_wait_since=now - timedelta(seconds=754),
        agents_available=100,
        agents_on_call=456,
        agents_away=12,
    )
    made = {
        "sl": Tile("sl", "SL 20s", "45%", 45.0, ALERT),
        "answered": Tile("answered", "Answered", "1234", 1234.0),
        "abandoned": Tile("abandoned", "Abandoned", "123", 123.0, ALERT),
    }
    bar.show_service(tuple(made[key] for key in tiles))
    bar.update_metrics(metrics)


async def _frozen_with_big_values(pilot: Pilot, tiles: tuple[str, ...]) -> str:
    """The app paused on its data (no poll or tick redraws the headline), big values
    shown: the top line with a headline, as the terminal shows it."""
    await wait_for_data(pilot)
    await pilot.press("p")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: all(view.feed.paused for view in screen.views))
    bar = screen.query_one(MetricsBar)
    _big_values(bar, tiles)
    await pilot.pause()
    return next(line for line in screen_text(pilot.app).splitlines() if "‼" in line)


def _numbers(line: str) -> list[str]:
    return re.findall(r"\d[\d:%]*", line)


async def test_dashboard_at_80_columns_keeps_every_number(sim: Simulator, tmp_path: Path) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        line = await _frozen_with_big_values(pilot, ("sl", "abandoned"))
        (tmp_path / "dashboard-80.svg").write_text(app.export_screenshot())
    assert len(line.rstrip()) <= 80
    assert _numbers(line) == ["123", "456", "12:34", "100", "45%", "123"]
    assert line.rstrip().endswith("Aband 123 ‼")


async def test_wallboard_at_80_columns_keeps_every_number(sim: Simulator, tmp_path: Path) -> None:
    from rtdash.core.clock import FrozenClock
    from rtdash.ui.app import RtdashApp

    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.flash = False
    settings.service.persist = False
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)) as pilot:
        line = await _frozen_with_big_values(pilot, ("sl", "answered", "abandoned"))
        (tmp_path / "wallboard-80.svg").write_text(app.export_screenshot())
    assert len(line.rstrip()) <= 80
    assert _numbers(line) == ["123", "12:34", "456", "100", "45%", "1234", "123"], line


@pytest.mark.parametrize("size", [(120, 30), (160, 48)])
async def test_big_tiles_take_the_short_label_where_the_full_one_would_be_cut(
    sim: Simulator, size: tuple[int, int]
) -> None:
    from rtdash.ui.widgets.metrics_bar import MetricTile

    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        tiles = list(app.screen.query(MetricTile))
        assert len(tiles) == 9
        labels = {}
        for tile in tiles:
            shown = str(tile.query_one(".tile-label").render())
            assert len(shown) <= tile.content_size.width, (shown, tile.content_size.width)
            labels[tile.key] = shown.split(" ‼")[0].split(" ▲")[0]
    if size == (120, 30):
        # the counts' tiles give the longest wait and SL room for big digits: their
        # labels take the terse words rather than be cut
        assert labels["waiting"] == "Wait" and labels["agents_on_call"] == "On call"
