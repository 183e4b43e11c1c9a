"""The dashboard's headline between 120 and 160 columns (a browser tab's 142, a tmux
window beside another): the tiles share the width by what each number needs, so the
longest wait and today's SL, the numbers read first, are drawn in big digits beside
the one-digit counts rather than as the smallest text on the row."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from rtdash.sim import Simulator
from rtdash.ui.widgets.big_digits import PLACEHOLDER, BigNumber
from rtdash.ui.widgets.big_number import render_big
from rtdash.ui.widgets.metrics_bar import MetricTile
from tests.ui.helpers import dashboard_of, make_app, wait_for_data

BLOCKS = set("█▀▄")


def _number_rows(number: BigNumber) -> list[str]:
    """The lines a tile's number hands to the screen at its size, blank ones left out."""
    width, height = number.size
    strips = number.render_lines(Region(0, 0, width, height))
    assert all(strip.cell_length == width for strip in strips)
    return [strip.text for strip in strips if strip.text.strip()]


@pytest.mark.parametrize("width", [120, 142, 150])
async def test_longest_wait_and_sl_are_drawn_in_big_digits(sim: Simulator, width: int) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(width, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")  # no poll changes a number while the screen is read
        await pilot.pause()
        tiles = {tile.key: tile for tile in dashboard_of(app).metrics_bar.query(MetricTile)}
        for key in ("longest_wait", "sl"):
            tile = tiles[key]
            assert tile.number != PLACEHOLDER, f"{key}: the centre has a value to show"
            lines = _number_rows(tile.query_one(BigNumber))
            assert len(lines) >= 3, f"{key} {tile.number!r} in small text: {lines}"
            assert set("".join(lines)) <= BLOCKS | {" "}, lines


@pytest.mark.parametrize("width", [120, 142, 150])
async def test_no_tile_number_is_cut(sim: Simulator, width: int) -> None:
    """Each number whole: in big digits inside its tile, or in plain text that reads
    as the number (never a glyph or a digit off the tile's edge)."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(width, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        await pilot.pause()
        for tile in dashboard_of(app).metrics_bar.query(MetricTile):
            number = tile.query_one(BigNumber)
            drawn = number.render().plain.splitlines()
            assert max(len(line.rstrip()) for line in drawn) <= number.size.width, tile.key
            lines = _number_rows(number)
            if set("".join(lines)) <= BLOCKS | {" "}:
                big = render_big(tile.number, number.scale())
                expected = [line.strip() for line in big if line.strip()]
                assert [line.strip() for line in lines] == expected, tile.key
            else:
                assert [line.strip() for line in lines] == [tile.number], tile.key
