"""A screen of live views, one per installation, switched by number keys.

The dashboard and the wallboard screens both derive from it: each installation keeps
its own poller, data and status while hidden, so switching is instant and a background
installation's breach still shows on the installation bar.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import ContentSwitcher

from rtdash.ui.commands import LIVE, WALL, Mode, help_rows
from rtdash.ui.shell import INSTALLATION_KEYS
from rtdash.ui.widgets.installation_bar import InstallationBar
from rtdash.ui.widgets.live_view import LiveView

__all__ = ["INSTALLATION_KEYS", "ViewsScreen"]


class ViewsScreen(Screen[None]):
    #: which of the registry's commands the screen takes (its help and palette list them)
    mode: Mode = LIVE

    def __init__(self, views: list[LiveView]) -> None:
        super().__init__()
        if not views:
            raise ValueError("at least one installation is needed")
        self.views = views
        self.current = 0

    def compose_views(self) -> ComposeResult:
        if len(self.views) > 1:
            yield InstallationBar(id="installations")
        with ContentSwitcher(initial=self.views[0].id, id="views"):
            yield from self.views

    @property
    def view(self) -> LiveView:
        return self.views[self.current]

    def on_mount(self) -> None:
        if len(self.views) > 1:
            self.set_interval(1.0, self.show_installations, name="installations")
            self.show_installations()

    def action_help(self) -> None:
        from rtdash.ui.screens.help import HelpScreen

        # why the type: ignore below: current_keys is RtdashApp's
        self.app.push_screen(HelpScreen(self.help_rows(self.app.current_keys())))  # type: ignore[attr-defined]

    def help_rows(self, keys: dict[str, str]) -> list[tuple[str, str]]:
        """(key, what it does) for each key this screen takes; ``keys``: command id ->
        key after any ``[keymap]``."""
        rows = help_rows(self.mode, keys)
        if self.mode is not WALL:
            rows.append(("Tab", "Move between the call groups and the users"))
        if len(self.views) > 1:
            rows.append((f"1–{len(self.views)}", "Show that installation"))
        rows.append(("ctrl+p", "Command palette"))
        return rows

    def action_show_installation(self, index: int) -> None:
        if 0 <= index < len(self.views):
            self.switch_to(index)

    def switch_to(self, index: int) -> None:
        self.current = index
        self.query_one(ContentSwitcher).current = self.views[index].id
        self.view.tick()
        self.show_installations()
        self.after_switch()

    def after_switch(self) -> None:
        """Hook: focus, notes."""

    def installation_note(self) -> str:
        return ""

    def show_installations(self) -> None:
        if len(self.views) < 2:
            return
        entries = [(view.label, view.feed.health()) for view in self.views]
        bar = self.query_one(InstallationBar)
        bar.show(entries, self.current, self.installation_note())
