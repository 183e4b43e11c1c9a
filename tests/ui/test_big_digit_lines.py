"""A headline number's lines, made by BigNumber itself for a plain box, are the lines
Textual's own way (its content layout and per-widget line cache) draws for the same
text: cell by cell, character and style, in every look a tile has."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from rtdash.sim import Simulator
from rtdash.ui.widgets.big_digits import BigNumber
from rtdash.ui.widgets.metrics_bar import MetricTile
from tests.ui.helpers import make_app, wait_for_data


def _segments(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    """Each line's segments: text and style, without Textual's mouse offsets (what a
    terminal is sent is the same either way); an empty segment too, which a
    screenshot's SVG shows."""
    return [
        [
            (segment.text, segment.style.clear_meta_and_links() if segment.style else None)
            for segment in strip
        ]
        for strip in strips
    ]


def _textuals(number: BigNumber) -> list[Strip]:
    number._styles_cache.clear()  # drawn afresh, not as last cached
    number._render_content()
    return Widget.render_lines(number, number.size.region)


def _same_lines(numbers: list[BigNumber]) -> list[str]:
    """The numbers whose lines differ from Textual's, by value (none: all the same)."""
    differ = []
    for number in numbers:
        kept = number.own_scale()
        number._own = None
        assert number.own_scale() == kept, "the kept scale is the scale worked out afresh"
        ours = number.render_lines(number.size.region)
        number._drawn = None
        again = number.render_lines(number.size.region)
        assert _segments(ours) == _segments(again), "kept lines are the lines made"
        if _segments(ours) != _segments(_textuals(number)):
            differ.append(number.value)
    return differ


async def test_big_numbers_draw_what_textual_draws_in_every_look(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        tiles = list(app.screen.query(MetricTile))
        numbers = list(app.screen.query(BigNumber))
        assert numbers and all(number.size.area for number in numbers)
        assert _same_lines(numbers) == []
        looks: list[dict[str, Any]] = [
            {"level-warn": True},
            {"level-alert": True},
            {"level-alert": True, "breached": True},
        ]
        for look in looks:
            for tile in tiles:
                tile.update_classes(look)
            await pilot.pause()
            assert _same_lines(numbers) == [], look
        for tile in tiles:
            tile.flash(True, True)  # the flash's lit look: inline styles
        await pilot.pause()
        assert _same_lines(numbers) == [], "lit"
        app.set_class(True, "-no-color")
        await pilot.pause()
        assert _same_lines(numbers) == [], "NO_COLOR"
        app.theme = "textual-light"
        await pilot.pause()
        assert _same_lines(numbers) == [], "a light theme"
        for value in ("7", "12:34", "123456789", "–"):
            numbers[0].update(value)
            await pilot.pause()
            assert _same_lines(numbers) == [], value
        for height in (9, 14):  # a taller tile (a wallboard's): blank lines above and below
            numbers[1].styles.height = height
            await pilot.pause()
            assert numbers[1].size.height == height
            assert _same_lines(numbers) == [], height
