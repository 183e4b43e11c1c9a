"""``textual_internals.PaintHold``, on its own: a held screen is laid out (its widgets
know their sizes) but neither painted nor restyled on its first resume, and is painted
whole once released. These lean on Textual's ``Screen._compositor_refresh`` and
``ScreenResume.refresh_styles``: a Textual upgrade that changes them fails here first."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from rtdash.ui.textual_internals import PaintHold


class HeldScreen(PaintHold):
    def __init__(self) -> None:
        super().__init__()
        self.held = True
        self.restyled = 0

    def paint_held(self) -> bool:
        return self.held

    def compose(self) -> ComposeResult:
        yield Static("held", id="line")

    def update_node_styles(self, animate: bool = True) -> None:
        self.restyled += 1
        super().update_node_styles(animate)


def painted_frames(app: App[None]) -> list[Any]:
    frames: list[Any] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if renderable is not None and isinstance(screen, HeldScreen):
            frames.append(renderable)
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_a_held_screen_is_laid_out_but_painted_only_once_released() -> None:
    app: App[None] = App()
    frames = painted_frames(app)
    async with app.run_test(size=(40, 10)) as pilot:
        screen = HeldScreen()
        await app.push_screen(screen)
        await pilot.pause()
        line = screen.query_one("#line", Static)
        assert line.region.width == 40, "laid out while held"
        assert frames == [], "not painted while held"
        assert screen.restyled == 0, "its first resume did not style it all again"
        screen.held = False
        screen.release_paint()
        await pilot.pause()
        assert len(frames) == 1


async def test_a_screen_not_held_is_painted_and_restyled_as_usual() -> None:
    app: App[None] = App()
    frames = painted_frames(app)
    async with app.run_test(size=(40, 10)) as pilot:
        screen = HeldScreen()
        screen.held = False
        await app.push_screen(screen)
        await pilot.pause()
        assert frames, "painted"
        assert screen.restyled >= 1, "restyled on resume, as Textual does"


class LayoutHeldScreen(HeldScreen):
    """Held as the live screens are at start: not even laid out at first."""

    layout_hold = True

    def layout_held(self) -> bool:
        return self.layout_hold


async def test_a_resize_to_the_released_size_is_not_laid_out_again_before_the_paint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app tells its screens the terminal's size when next idle: just after the
    held layout, at the same size, that is no reason to arrange the screen again;
    another size is, and once painted every resize is laid out as Textual does."""
    layouts: list[Size | None] = []  # every layout of the screen
    resized: list[Size] = []  # those a resize asked for
    lay_out = Screen._refresh_layout
    resize = Screen._screen_resized

    def recording(screen: Screen[Any], size: Size | None = None, scroll: bool = False) -> None:
        if isinstance(screen, LayoutHeldScreen):
            layouts.append(size)
        lay_out(screen, size, scroll)

    def recording_resize(screen: Screen[Any], size: Size) -> None:
        if isinstance(screen, LayoutHeldScreen):
            resized.append(size)
        resize(screen, size)

    monkeypatch.setattr(Screen, "_refresh_layout", recording)
    monkeypatch.setattr(Screen, "_screen_resized", recording_resize)
    app: App[None] = App()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = LayoutHeldScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert layouts == [], "not laid out while the layout is held"
        screen.layout_hold = False
        screen.release_layout()
        assert layouts == [Size(40, 10)]
        await pilot.resize_terminal(40, 10)  # the same size, told again
        await pilot.pause()
        assert resized == [], "the same size was not laid out again"
        assert Size(40, 10) not in layouts[1:]
        await pilot.resize_terminal(36, 9)
        await pilot.pause()
        assert resized and set(resized) == {Size(36, 9)}, "another size was"
        assert Size(36, 9) in layouts
        screen.held = False
        screen.release_paint()
        await pilot.pause()
        await pilot.resize_terminal(40, 10)
        told = len(resized)
        await pilot.resize_terminal(40, 10)  # the same size, told again
        await pilot.pause()
        assert resized[told:] and set(resized[told:]) == {Size(40, 10)}, (
            "once painted, the same size is laid out again as Textual does"
        )
