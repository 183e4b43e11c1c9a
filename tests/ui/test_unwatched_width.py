"""Today's unwatched periods fit the terminal they are drawn on: on a narrow one the
latest period (the news) stays whole after ``…``, and the line never ends in a comma
with the rest wrapped out of sight."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from textual.app import App, ComposeResult

from rtdash.ui.widgets.unwatched import UnwatchedLine
from tests.ui.helpers import screen_text

ZONE = ZoneInfo("UTC")


def at(clock: str) -> float:
    return datetime.fromisoformat(f"2026-05-01T{clock}+00:00").timestamp()


#: the night before the first watch, an outage, and a restart a moment ago
GAPS = [
    (at("00:00:00"), at("09:00:00")),
    (at("09:12:00"), at("09:15:00")),
    (at("22:15:37"), at("22:16:47")),
]

#: what each width shows: all of it; the latest after what is left out; and where even
#: that and the lead words do not fit, the lead words give way to the periods
SAID = {
    80: "Today's totals: not watching 00:00–09:00, 09:12–09:15, 22:15:37–22:16:47",
    58: "Today's totals: not watching …, 22:15:37–22:16:47",
    40: "not watching …, 22:15:37–22:16:47",
}


class LineApp(App[None]):
    def compose(self) -> ComposeResult:
        yield UnwatchedLine()

    def on_mount(self) -> None:
        self.query_one(UnwatchedLine).show(GAPS, ZONE)


def drawn(app: App[None]) -> str:
    """The line's row as the terminal shows it, without its padding."""
    return screen_text(app).splitlines()[0].strip()  # type: ignore[arg-type]


@pytest.mark.parametrize("width", sorted(SAID))
async def test_the_periods_are_fitted_to_the_width_they_are_drawn_in(width: int) -> None:
    app = LineApp()
    async with app.run_test(size=(width, 4)) as pilot:
        await pilot.pause()
        assert drawn(app) == SAID[width]


async def test_a_resize_fits_the_periods_again() -> None:
    app = LineApp()
    async with app.run_test(size=(80, 4)) as pilot:
        for width in (58, 40, 80):
            await pilot.resize_terminal(width, 4)
            await pilot.pause()
            assert drawn(app) == SAID[width], width
