"""Warnings, alerts and states stay apart on every display: on a terminal of 16
colours an alert is red, a warning yellow and no state either (the terminal's nearest
of the 16 made the orange and the vermillion one yellow, the ringing title the
warnings' own yellow and two agent states one cyan); in the light theme the threshold
and agent colours read as text against the theme's own backgrounds, and a tile's
border can be seen."""

from __future__ import annotations

import io

import pytest
from rich.color import Color
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.theme import BUILTIN_THEMES

from rtdash.core.agents import AgentState
from rtdash.core.thresholds import Level
from rtdash.sim import Simulator
from rtdash.ui.widgets.metrics_bar import MetricTile
from rtdash.ui.widgets.palette import agent_text, level_text
from tests.ui.helpers import dashboard_of, make_app, settings_for, wait_for_data
from tests.ui.test_light_contrast import AA, contrast

LIGHT = "textual-light"
#: WCAG 2 AA for large text (a tile's digits) and for the lines of a frame
LARGE = 3.0
#: the SGR codes of a foreground or background in red, or in yellow
RED = {"31", "41", "91", "101"}
YELLOW = {"33", "43", "93", "103"}


def _sixteen_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    """``TERM=xterm`` and no ``COLORTERM``: a Linux console, ``screen``, many SSH logins."""
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def _codes(text: Text | Style) -> set[str]:
    """The SGR codes a 16-colour terminal is sent for ``text`` (or a cell in ``style``)."""
    out = io.StringIO()
    console = Console(file=out, color_system="standard", force_terminal=True, width=40)
    console.print(text if isinstance(text, Text) else Text("x", style=text), end="")
    sequences = out.getvalue().split("\x1b[")[1:]
    return {code for sequence in sequences for code in sequence.split("m")[0].split(";")}


def _colour_codes(text: Text | Style) -> set[str]:
    """The colour codes alone (bold, reverse and resets left out)."""
    return {code for code in _codes(text) if len(code) >= 2}


def test_sixteen_colours_tell_an_alert_from_a_warning(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sixteen_colours(monkeypatch)
    app = make_app(sim)
    assert app.console.color_system == "standard"
    warn = _colour_codes(level_text("62%", Level.WARN))
    alert = _colour_codes(level_text("53%", Level.ALERT))
    assert warn & YELLOW and not warn & RED, warn
    assert alert & RED and not alert & YELLOW, alert
    # a breached tile's border and digits, from the style sheet's variables
    variables = app.get_css_variables()
    tile_alert = _colour_codes(Style(color=variables["level-alert"]))
    tile_warn = _colour_codes(Style(color=variables["level-warn"]))
    assert tile_alert & RED and tile_warn & YELLOW, (tile_alert, tile_warn)


def test_sixteen_colours_keep_the_states_calm_and_apart(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sixteen_colours(monkeypatch)
    app = make_app(sim)
    variables = app.get_css_variables()
    titles = {
        name: _colour_codes(Style(color=variables[f"call-{name}"]))
        for name in ("ringing", "queueing", "bridged")
    }
    for name, codes in titles.items():
        assert not codes & (RED | YELLOW), (name, codes)
    assert len({frozenset(codes) for codes in titles.values()}) == len(titles), titles
    # the wallboard's agent tiles, dark text on the state's hue
    tiles = {
        name: _colour_codes(Style(bgcolor=variables[f"agent-{name}"]))
        for name in ("available", "on-call", "away")
    }
    assert len({frozenset(codes) for codes in tiles.values()}) == len(tiles), tiles
    # the users panel's symbols, and the queueing calls not in the grey of away
    symbols = {state: _colour_codes(agent_text(state, worded=False)) for state in AgentState}
    for state, codes in symbols.items():
        assert not codes & (RED | YELLOW), (state, codes)
    assert symbols[AgentState.AVAILABLE] != symbols[AgentState.ON_CALL], symbols
    assert titles["queueing"] != symbols[AgentState.AWAY], (titles, symbols)


async def test_the_ringing_title_is_not_yellow_in_sixteen_colours(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As drawn: the title's cell, sent to a 16-colour terminal."""
    _sixteen_colours(monkeypatch)
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        title = dashboard_of(app).grid.query_one("#title-ringing")
        style = app.screen.get_style_at(title.region.x + 3, title.region.y)
    codes = _colour_codes(Style(color=style.color))
    assert codes and not codes & (RED | YELLOW), codes


def _light_backgrounds() -> dict[str, Color]:
    """The light theme's backgrounds that the texts are drawn on (the screen, the
    tables), as Textual makes them."""
    generated = BUILTIN_THEMES[LIGHT].to_color_system().generate()
    return {name: Color.parse(generated[name]) for name in ("background", "surface")}


def _text_colours(text: Text) -> list[Color]:
    colours = [Style.parse(str(span.style)).color for span in text.spans]
    colours.append(Style.parse(str(text.style)).color)
    return [colour for colour in colours if colour is not None]


def test_light_theme_thresholds_and_states_read_as_text(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.theme = LIGHT
    app = make_app(sim, settings)
    variables = app.get_css_variables()
    drawn = {
        name: Color.parse(variables[name])
        for name in ("level-warn", "level-alert", "call-ringing", "call-queueing", "call-bridged")
    }
    for level in (Level.WARN, Level.ALERT):
        (drawn[f"text {level}"],) = _text_colours(level_text("1:23", level))
    for state in AgentState:
        (drawn[f"symbol {state.word}"],) = _text_colours(agent_text(state, worded=False))
    for where, background in _light_backgrounds().items():
        for name, colour in drawn.items():
            ratio = contrast(colour, background)
            assert ratio >= AA, f"{name} {colour.name} on the {where}: {ratio:.2f}:1"


async def test_light_theme_tile_borders_can_be_seen(sim: Simulator) -> None:
    """A calm tile's frame, and a breached one's, against the screen they are on."""
    settings = settings_for(sim)
    settings.display.theme = LIGHT
    app = make_app(sim, settings, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        tiles = list(dashboard_of(app).query(MetricTile))
        seen = {"calm": False, "breached": False}
        for tile in tiles:
            breached = tile.has_class("level-warn") or tile.has_class("level-alert")
            kind = "breached" if breached else "calm"
            # the top edge's middle: a line of the frame, not its corner
            x, y = tile.region.x + tile.region.width // 2, tile.region.y
            style = app.screen.get_style_at(x, y)
            assert style.color is not None and style.bgcolor is not None
            ratio = contrast(style.color, style.bgcolor)
            assert ratio >= LARGE, f"{kind} tile {tile.spec.label!r}: {ratio:.2f}:1"
            seen[kind] = True
        assert seen == {"calm": True, "breached": True}, "a calm and a breached tile to look at"
