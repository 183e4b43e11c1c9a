"""The call groups' titles are legible in the light theme: the ringing hue (the
Okabe-Ito yellow, made for a dark background) gives way to a darker one there, with at
least the WCAG AA contrast for text (4.5:1) against the background it is drawn on;
the dark theme keeps its colours."""

from __future__ import annotations

import pytest
from rich.color import Color

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.widgets.palette import BRIDGED, QUEUEING, RINGING
from tests.ui.helpers import dashboard_of, make_app, settings_for, wait_for_data

#: WCAG 2 AA, normal text
AA = 4.5


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: Color, two: Color) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula() -> None:
    black, white = Color.parse("#000000"), Color.parse("#ffffff")
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(Color.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)


async def _title_colours(sim: Simulator, theme: str) -> dict[CallState, tuple[Color, Color]]:
    """(text, background) of each call group's title word, as drawn on screen."""
    settings = settings_for(sim)
    settings.display.theme = theme
    settings.service.persist = False
    app = make_app(sim, settings, flash=False)
    out: dict[CallState, tuple[Color, Color]] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        grid = dashboard_of(app).grid
        for state in (CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED):
            title = grid.query_one(f"#title-{state}")
            # " ☎ Ringing 2": the first letter of the word
            style = app.screen.get_style_at(title.region.x + 3, title.region.y)
            assert style.color is not None and style.bgcolor is not None
            out[state] = (style.color, style.bgcolor)
    return out


async def test_group_titles_are_legible_in_the_light_theme(sim: Simulator) -> None:
    colours = await _title_colours(sim, "textual-light")
    for state, (text, background) in colours.items():
        assert contrast(text, background) >= AA, state


async def test_the_dark_theme_keeps_its_hues(sim: Simulator) -> None:
    colours = await _title_colours(sim, "textual-dark")
    drawn = {state: text.get_truecolor().hex.upper() for state, (text, _) in colours.items()}
    assert drawn == {
        CallState.RINGING: RINGING.upper(),
        CallState.QUEUEING: QUEUEING.upper(),
        CallState.BRIDGED: BRIDGED.upper(),
    }
