"""Each assumption rtdash.ui.textual_internals makes about how Textual works inside,
checked on its own, so a Textual upgrade that breaks one fails here by name (and not
as a slow table or a wrong snapshot somewhere else)."""

from __future__ import annotations

import inspect
from importlib.metadata import version

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region, Size
from textual.notifications import Notification, Notify
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from rtdash.sim import Simulator
from rtdash.ui import textual_internals
from rtdash.ui.textual_internals import (
    CHECKED_TEXTUAL,
    FOOTER_PALETTE,
    footer_keys,
    has_plain_box,
    lines_past_style_cache,
    set_virtual_size_quietly,
    withdraw_notification,
)


class Lines(ScrollView):
    """A Line API widget: one numbered line per row, in the widget's own colours."""

    DEFAULT_CSS = "Lines { height: 1fr; }"

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        text = f"line {row}".ljust(self.size.width)
        return Strip([Segment(text, self.rich_style)], self.size.width)


class LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines()


def test_textual_is_the_minor_version_these_were_checked_against() -> None:
    """When this fails, Textual was upgraded: run this file, fix what fails in
    rtdash/ui/textual_internals.py, then update CHECKED_TEXTUAL and pyproject's range."""
    major, minor = (int(part) for part in version("textual").split(".")[:2])
    assert (major, minor) == CHECKED_TEXTUAL


def test_the_private_and_overridden_methods_have_the_shapes_used() -> None:
    assert list(inspect.signature(Widget._scroll_update).parameters) == ["self", "virtual_size"]
    assert list(inspect.signature(Widget.render_lines).parameters) == ["self", "crop"]
    assert "_styles_cache" in inspect.getsource(Widget.render_lines)
    assert list(inspect.signature(Widget.render_line).parameters) == ["self", "y"]
    # render_only_dirty_lines: the compositor pieces its partial update is built from
    from textual import _compositor

    assert list(inspect.signature(_compositor.ChopsUpdate).parameters) == [
        "chops",
        "spans",
        "chop_ends",
    ]
    source = inspect.getsource(_compositor.Compositor)
    for name in ("_dirty_regions", "_regions_to_spans", "def cuts", "def visible_widgets"):
        assert name in source, name


async def test_a_quiet_virtual_size_moves_the_scrollbar_without_a_layout() -> None:
    app = LinesApp()
    async with app.run_test(size=(30, 10)) as pilot:
        view = app.query_one(Lines)
        layouts: list[object] = []
        original = app.screen._refresh_layout

        def refresh_layout(*args: object, **kwargs: object) -> None:
            layouts.append(args)
            original(*args, **kwargs)  # type: ignore[arg-type]  # passed through as given

        app.screen._refresh_layout = refresh_layout  # type: ignore[method-assign]  # spy
        view.virtual_size = Size(30, 20)  # the scrollbar shows already, after a layout
        # on a busy machine that layout can land a pause or two later: wait it out
        seen = -1
        for _ in range(20):
            await pilot.pause()
            if layouts and len(layouts) == seen:
                break  # a pause went by with no new layout: settled
            seen = len(layouts)
        assert layouts, "setting virtual_size the usual way lays the screen out"
        layouts.clear()
        set_virtual_size_quietly(view, Size(30, 50))
        await pilot.pause()
        assert view.virtual_size == Size(30, 50)
        assert view.show_vertical_scrollbar
        assert view.vertical_scrollbar.window_virtual_size == 50
        assert layouts == []


async def test_lines_past_the_style_cache_are_the_lines_the_cache_draws() -> None:
    app = LinesApp()
    async with app.run_test(size=(30, 10)) as pilot:
        view = app.query_one(Lines)
        view.virtual_size = Size(30, 50)
        await pilot.pause()
        assert has_plain_box(view)
        for crop in (view.size.region, Region(3, 2, 10, 4)):
            view._styles_cache.clear()
            assert lines_past_style_cache(view, crop) == view.render_lines(crop)
        for rule, value in (("padding", (0, 1)), ("border", ("round", "red")), ("tint", "red 10%")):
            boxed = Lines()
            await app.mount(boxed)
            setattr(boxed.styles, rule, value)
            assert not has_plain_box(boxed), rule


def test_the_module_is_the_only_user_of_textual_privates() -> None:
    """The shortcut calls go through this one module (its functions are the list)."""
    names = {name for name, _ in inspect.getmembers(textual_internals, inspect.isfunction)}
    assert {
        "set_virtual_size_quietly",
        "has_plain_box",
        "lines_past_style_cache",
        "render_only_dirty_lines",
        "withdraw_notification",
    } <= names


async def test_a_withdrawn_toast_goes_and_a_queued_one_never_shows() -> None:
    """``withdraw_notification`` relies on ``App._unnotify`` taking a toast down, and
    on an expired notification never being mounted."""
    app = LinesApp()
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        shown = Notification("shown", timeout=30)
        app.post_message(Notify(shown))
        await pilot.pause()
        assert len(app.screen.query("Toast")) == 1
        withdraw_notification(app, shown)
        queued = Notification("queued", timeout=30)
        app.post_message(Notify(queued))
        withdraw_notification(app, queued)  # before its Notify is handled
        await pilot.pause()
        await pilot.pause()
        assert len(app.screen.query("Toast")) == 0


def test_no_other_module_reaches_into_textual() -> None:
    """No ui module but textual_internals names a Textual private attribute, whether
    to read it or (worse, by accident) to shadow it with one of its own."""
    import ast
    from pathlib import Path

    from textual.dom import DOMNode
    from textual.screen import Screen

    import rtdash

    private = {
        name
        for cls in (App, Screen, ScrollView, Widget, DOMNode)
        for name in dir(cls)
        if name.startswith("_") and not name.startswith("__")
    }
    root = Path(rtdash.__file__).parent / "ui"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "textual_internals.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.attr}")
    assert found == []


class KeysApp(App[None]):
    BINDINGS = [("r", "refresh_now", "Refresh"), ("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        from textual.widgets import Footer

        yield Footer()


async def test_footer_keys_names_each_key_by_its_action_and_the_palettes_apart() -> None:
    """footer_keys: the Footer's keys are its own children, each with its ``action``,
    and the palette's key is the one of class ``-command-palette``."""
    from textual.widgets import Footer

    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        keys = footer_keys(app.query_one(Footer))
        assert [action for _, action in keys] == ["refresh_now", "quit", FOOTER_PALETTE]
        assert all(key.parent is app.query_one(Footer) for key, _ in keys)


def _cells(strip: Strip) -> list[tuple[str, object]]:
    return [
        (char, segment.style) for segment in strip if not segment.control for char in segment.text
    ]


def _written(update: object) -> dict[int, dict[int, tuple[str, object]]]:
    """What a partial update writes, cell by cell, as ``ChopsUpdate.render_segments``
    writes it: each chop that meets a span, from the chop's start to the span's end."""
    written: dict[int, dict[int, tuple[str, object]]] = {}
    for y, x1, x2 in update.spans:  # type: ignore[attr-defined]
        line = written.setdefault(y, {})
        ends = update.chop_ends[y]  # type: ignore[attr-defined]
        for end, (x, strip) in zip(ends, update.chops[y].items(), strict=False):  # type: ignore[attr-defined]
            if strip is None or x > x2 or end <= x1:
                continue
            for offset, cell in enumerate(_cells(strip.crop(0, min(end, x2) - x))):
                line[x + offset] = cell
    return written


async def test_a_partial_update_paints_what_a_full_render_shows(sim: Simulator) -> None:
    """render_only_dirty_lines: for dirty regions as a tick makes them (a time column,
    a headline number, the status line) and odd ones (overlapping, across widgets, at
    the edges), every cell of every dirty span is written, and written as the full
    render of the same screen draws it, and nothing else is written."""
    from tests.ui.helpers import make_app, wait_for_data, wait_for_footer_keys

    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        # the screen standing still: with the Footer's keys mounted but not laid out,
        # the full render and the partial ones would each draw a different footer
        await wait_for_footer_keys(pilot)
        compositor = app.screen._compositor
        full = compositor.render_strips()
        cases = [
            [Region(0, 9, 19, 17), Region(55, 2, 14, 3), Region(0, 46, 160, 1)],
            [Region(107, 9, 10, 37), Region(100, 20, 30, 5)],
            [Region(0, 0, 160, 1), Region(150, 47, 10, 1), Region(30, 10, 100, 2)],
            [Region(5, 5, 1, 1)],
        ]
        for regions in cases:
            compositor._dirty_regions.update(regions)
            update = compositor.render_partial_update()
            assert update is not None
            written = _written(update)
            dirty = {
                (x, y)
                for region in regions
                for y in region.line_range
                for x in range(region.x, region.right)
            }
            # exactly the dirty cells: Textual alone writes each touched chop whole
            assert {(x, y) for y, line in written.items() for x in line} == dirty
            for y, line in written.items():
                assert any(y in region.line_range for region in regions)
                expected = _cells(full[y])
                for x, cell in line.items():
                    assert cell == expected[x], (x, y)
