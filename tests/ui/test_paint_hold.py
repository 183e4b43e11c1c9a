"""``textual_internals.PaintHold``, on its own: a held screen is laid out (its widgets
know their sizes) but neither painted nor restyled on its first resume, and is painted
whole once released. These lean on Textual's ``Screen._compositor_refresh`` and
``ScreenResume.refresh_styles``: a Textual upgrade that changes them fails here first."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
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
