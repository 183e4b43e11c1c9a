"""``textual_internals.LayoutHold``, on its own: a held screen is neither laid out nor
restyled on its first resume, and is laid out once when released. These lean on
Textual's ``Screen._refresh_layout`` and ``ScreenResume.refresh_styles``: a Textual
upgrade that changes them fails here first."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from rtdash.ui.textual_internals import LayoutHold


class HeldScreen(LayoutHold):
    def __init__(self) -> None:
        super().__init__()
        self.held = True
        self.restyled = 0

    def layout_held(self) -> bool:
        return self.held

    def compose(self) -> ComposeResult:
        yield Static("held", id="line")

    def update_node_styles(self, animate: bool = True) -> None:
        self.restyled += 1
        super().update_node_styles(animate)


async def test_a_held_screen_is_laid_out_once_it_is_released() -> None:
    app: App[None] = App()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = HeldScreen()
        await app.push_screen(screen)
        await pilot.pause()
        line = screen.query_one("#line", Static)
        assert line.region.width == 0, "not laid out while held"
        assert screen.restyled == 0, "its first resume did not style it all again"
        screen.held = False
        screen.release_layout()
        await pilot.pause()
        assert line.region.width == 40


async def test_a_screen_not_held_is_laid_out_as_usual() -> None:
    app: App[None] = App()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = HeldScreen()
        screen.held = False
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.query_one("#line", Static).region.width == 40
        assert screen.restyled >= 1, "restyled on resume, as Textual does"
