"""A screen of live views, one per installation, switched by number keys.

The dashboard and the wallboard screens both derive from it: each installation keeps
its own poller, data and status while hidden, so switching is instant and a background
installation's breach still shows on the installation bar.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.notifications import Notification, SeverityLevel
from textual.screen import Screen
from textual.widgets import ContentSwitcher

from rtdash.ui.command_help import TABLE_KEYS, help_ids, help_rows
from rtdash.ui.commands import LIVE, WALL, Mode
from rtdash.ui.installation_notices import InstallationNotices
from rtdash.ui.pace_note import pace_note, step_interval
from rtdash.ui.ui_settings import INSTALLATION_KEYS
from rtdash.ui.widgets.installation_bar import InstallationBar, Tab
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
        self.notices = InstallationNotices()
        if len(views) > 1:
            # each tab's mark changes with the view it sums up, as that view draws
            for view in views:
                view.level_listener = self.show_installations

    def compose_views(self) -> ComposeResult:
        if len(self.views) > 1:
            yield InstallationBar(id="installations")
        with ContentSwitcher(initial=self.views[0].id, id="views"):
            yield from self.views

    @property
    def view(self) -> LiveView:
        return self.views[self.current]

    def on_mount(self) -> None:
        self.show_installations()

    def action_help(self) -> None:
        from rtdash.ui.screens.help import HelpScreen

        # why the type: ignore below: current_keys is the ShellApp's
        keys = self.app.current_keys()  # type: ignore[attr-defined]
        self.app.push_screen(HelpScreen(self.help_rows(keys), self.help_ids()))

    def help_ids(self) -> dict[str, str]:
        """What a help row does -> the ids ``[keymap]`` remaps it by."""
        ids = help_ids(self.mode)
        ids["Show that installation"] = "installation_1 … installation_9"
        ids["Show that installation and pin it (rotation stops)"] = ids["Show that installation"]
        return ids

    def help_rows(self, keys: dict[str, str]) -> list[tuple[str, str]]:
        """(key, what it does) for each key this screen takes; ``keys``: command id ->
        key after any ``[keymap]``."""
        rows = help_rows(self.mode, keys)
        if self.mode is not WALL:
            rows.extend(TABLE_KEYS)
        if len(self.views) > 1:
            rows.append((f"1–{len(self.views)}", "Show that installation"))
        rows.append(("ctrl+p", "Command palette"))
        return rows

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's own palette entries beyond the registry's: one "Switch to"
        per installation when there are several."""
        if len(self.views) < 2:
            return
        for index, view in enumerate(self.views):
            if index != self.current:
                yield SystemCommand(
                    f"Switch to {view.label}",
                    f"Show this installation · key {index + 1}",
                    lambda index=index: self.action_show_installation(index),
                )

    # --- pause and resume: the Footer and palette say what the key will do -------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pause":
            return not self.view.feed.paused
        if action == "resume":
            return self.view.feed.paused
        return True

    def action_pause(self) -> None:
        self.action_toggle_pause()
        self.refresh_bindings()

    def action_resume(self) -> None:
        self.action_toggle_pause()
        self.refresh_bindings()

    def action_toggle_pause(self) -> None:
        """Pause the view's source, or resume it."""
        raise NotImplementedError

    def action_show_installation(self, index: int) -> None:
        if 0 <= index < len(self.views):
            self.switch_to(index)

    def notify_installation(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        view: LiveView | None = None,
    ) -> Notification:
        """A toast about ``view``'s installation (the one shown, by default): taken
        down when another is shown, held until it is shown when another is
        (:class:`InstallationNotices`). Never markup: the words may be upstream text."""
        index = self.current if view is None else self.views.index(view)
        return self.notices.notify(
            self.app, index, message, title=title, severity=severity, timeout=timeout
        )

    def switch_to(self, index: int) -> None:
        self.notices.show(self.app, index)
        self.current = index
        self.query_one(ContentSwitcher).current = self.views[index].id
        self.view.tick()
        # this installation's status bar may be another height than the last one's,
        # and one that kept its size while hidden is not resized when shown again
        self.call_after_refresh(self.view.status_bar.keep_toasts_above)
        self.show_installations()
        self.refresh_bindings()  # this installation may be paused, the last not
        self.after_switch()

    def after_switch(self) -> None:
        """Hook: focus, notes."""

    def installation_note(self) -> tuple[str, ...]:
        """What the tab bar says after the tabs, in fewer words each time: the bar
        shows the first that fits (none: nothing to say)."""
        return ()

    def action_faster(self) -> None:
        self.step_pace(-1)

    def action_slower(self) -> None:
        self.step_pace(+1)

    def step_pace(self, direction: int) -> None:
        """The next step of the poll interval, and a note that answers the key (see
        :mod:`~rtdash.ui.pace_note`). Each installation keeps its own pace, so with
        several the note says whose it is; a hub keeps its own, and the note says so."""
        view = self.view
        step = step_interval(view.poller, direction)
        status = view.feed.status  # the source published its new interval already
        if status is not None and status.via and not step.at_limit:
            view.status_bar.set_note(f"the {status.via} polls {step.pace}")
            return
        whose = ""
        if len(self.views) > 1:
            # "this tab", not the installation's name: the tab bar above names it, and
            # a name left the note cut at 80 columns; back in step with the others, it
            # is every installation's pace again
            in_step = len({other.poller.interval for other in self.views}) == 1
            whose = "all tabs" if in_step else "this tab"
        said = status is not None and step.pace in view.status_bar.headline_for(status)
        view.status_bar.set_note(pace_note(step, whose=whose, said=said))

    def show_installations(self) -> None:
        if len(self.views) < 2:
            return
        entries = []
        for view in self.views:
            # what its tab shows now is what the view compares its next level with: a
            # view that kept an older level would take a change back to it for none
            view.level = view.shown_level()
            entries.append(Tab(view.label, view.level, view.feed.paused))
        for bar in self.query(InstallationBar).results(InstallationBar):
            bar.show(entries, self.current, self.installation_note())
