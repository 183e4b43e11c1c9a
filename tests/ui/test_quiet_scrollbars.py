"""A table's new row count sets its scrollbar quietly (rtdash.ui.textual_internals.
set_virtual_size_quietly): the bar is repainted exactly when what it draws changes,
and what it then shows is what a full render of it shows."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from rtdash.ui.textual_internals import scrollbar_drawing, set_virtual_size_quietly


class Lines(ScrollView):
    DEFAULT_CSS = "Lines { height: 1fr; }"

    def render_line(self, y: int) -> Strip:
        text = f"line {int(self.scroll_offset.y) + y}".ljust(self.size.width)
        return Strip([Segment(text, self.rich_style)], self.size.width)


class LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines()


def _drawn(bar: Widget) -> list[list[Segment]]:
    """The bar as a full render draws it now (not as last cached)."""
    bar._styles_cache.clear()
    bar._render_content()
    return [list(strip) for strip in Widget.render_lines(bar, bar.size.region)]


async def test_a_scrollbar_is_repainted_only_when_its_drawing_changes() -> None:
    app = LinesApp()
    async with app.run_test(size=(30, 12)) as pilot:
        view = app.query_one(Lines)
        view.virtual_size = Size(30, 1000)
        await pilot.pause()
        await pilot.pause()
        bar = view.vertical_scrollbar
        repaints: list[int] = []
        original = bar.refresh

        def refresh(*args: object, **kwargs: object) -> object:
            repaints.append(bar.window_virtual_size)
            return original(*args, **kwargs)  # type: ignore[arg-type]  # passed through

        bar.refresh = refresh  # type: ignore[method-assign,assignment]  # a spy
        before = (_drawn(bar), scrollbar_drawing(bar))
        seen = []
        for rows in (1001, 1003, 990, 40, 41, 24, 13, 500, 500):
            repaints.clear()
            set_virtual_size_quietly(view, Size(30, rows))
            await pilot.pause()
            assert view.vertical_scrollbar.window_virtual_size == rows
            now = (_drawn(bar), scrollbar_drawing(bar))
            changed = now[0] != before[0]
            assert (now[1] != before[1]) == changed, rows
            assert bool(repaints) == changed, rows
            seen.append(changed)
            before = now
        # among those counts the thumb stayed put at some and moved at others
        assert set(seen) == {True, False}
