"""A group title's line, made by TitleLine itself for a plain box, is the line
Textual's own way (content layout, per-widget line cache) draws for the same text:
segment by segment, text and style (its mouse offsets too), in every state a title has."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from rtdash.sim import Simulator
from rtdash.ui.widgets.title_line import TitleLine
from tests.ui.helpers import dashboard_of, make_app, wait_for_data


def _segments(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    """Text and style of each segment, the mouse offsets in the styles' meta too."""
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


def _differing(titles: list[TitleLine]) -> list[str]:
    """The titles whose line is not Textual's, by id (none: all the same)."""
    differ = []
    for title in titles:
        ours = title.render_lines(title.size.region)
        title._styles_cache.clear()  # Textual's, drawn afresh
        title._render_content()
        if _segments(ours) != _segments(Widget.render_lines(title, title.size.region)):
            differ.append(str(title.id))
    return differ


async def test_titles_draw_what_textual_draws_in_every_state(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        titles = list(app.screen.query(TitleLine))
        assert len(titles) == 4 and all(title._line() is not None for title in titles)
        assert _differing(titles) == []
        board.grid.set_filter("44")  # "3 of 17 (filter: 44)"
        board.user_panel.set_filter("a")
        board.user_panel.toggle_all()  # "(all users)", in italics
        await pilot.pause()
        shown = titles[0]._text
        assert shown is not None and "filter" in shown.plain
        assert _differing(titles) == []
        app.set_class(True, "-no-color")
        await pilot.pause()
        assert _differing(titles) == [], "NO_COLOR"
        app.theme = "textual-light"
        await pilot.pause()
        assert _differing(titles) == [], "a light theme"


async def test_a_title_too_long_for_its_line_is_cut_with_an_ellipsis(sim: Simulator) -> None:
    """Textual's way wrapped it onto a second line the title's one line hides, cut with
    no sign that anything was left out (a long filter's words)."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        title = app.screen.query(TitleLine).first()
        title.update(Text("x" * 200, style="bold"))
        await pilot.pause()
        line = title._line()
        assert line is not None and line.cell_length == title.size.width
        drawn = "".join(text for text, _ in _segments(title.render_lines(title.size.region))[0])
        assert drawn == "x" * (title.size.width - 1) + "…"
