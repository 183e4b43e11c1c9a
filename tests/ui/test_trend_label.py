"""The trend's labelled maximum is the tallest bar's: a column summed up by ``min``
(the agents available) never shows a peak that only one of its slots reached."""

from __future__ import annotations

from textual.app import App, ComposeResult

from rtdash.ui.widgets.trend import BARS, Trend

#: a column of the chart for every this many slots of the window
SLOTS_PER_COLUMN = 4
#: an hour of half-minute slots: two agents available most of the time
HOUR = 120


def _known_hour() -> list[int | None]:
    """Two available, eight for the whole of one column's slice, and eleven for a
    single slot of another whose other slots had two."""
    values: list[int | None] = [2] * HOUR
    values[40:44] = [8] * SLOTS_PER_COLUMN
    values[80] = 11
    return values


class TrendApp(App[None]):
    CSS = "Trend { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Trend("Agents available", minutes=60, summary=min)


async def test_the_label_is_the_tallest_bar_and_the_tallest_bar_reaches_it() -> None:
    axis = len("11▕")  # room for the highest sample's label
    app = TrendApp()
    async with app.run_test(size=(axis + HOUR // SLOTS_PER_COLUMN, 6)) as pilot:
        trend = app.query_one(Trend)
        trend.show(_known_hour())
        await pilot.pause()
        _title, top_row, *_ = trend.render().plain.splitlines()
        label, bars = top_row.split("▕")
        assert label.strip() == "8", f"labelled {label.strip()!r}: the tallest bar is 8"
        assert bars[40 // SLOTS_PER_COLUMN] == BARS[-1], f"the 8s' column: {bars!r}"
        assert bars[80 // SLOTS_PER_COLUMN] == " ", "eleven for one slot of two's column"
