"""One app shell for the dashboard, the wallboard and a replay.

:class:`ShellApp` holds what every mode shares: the style sheets and breakpoints, the
theme and keymap (checked before the terminal is taken over, so a bad one is one line
and exit 2 in every mode), the level and state colours for the display (its theme's
background, its terminal's colours, ``NO_COLOR``), the shell's exit codes on
SIGHUP/SIGTERM, and the command registry's mode, from which the Footer, help and
palette are built.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Iterable
from functools import partial
from pathlib import Path, PurePath

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from rtdash.config import Settings
from rtdash.constants import EXIT_HANGUP, EXIT_TERMINATED
from rtdash.core.clock import Clock, SystemClock
from rtdash.ui.commands import (
    COMMANDS,
    KEY_LABELS,
    LIVE,
    WALL,
    Mode,
    commands_for,
    key_label,
)
from rtdash.ui.stdin_watch import watch_stdin
from rtdash.ui.strip_caches import lazy_strip_caches
from rtdash.ui.textual_internals import render_only_dirty_lines
from rtdash.ui.typeahead import typed_ahead
from rtdash.ui.ui_settings import INSTALLATION_KEYS, check_ui_settings
from rtdash.ui.widgets.palette import Hues, hues_for, use_colours
from rtdash.ui.widgets.short_screen import WIDE_FROM

log = logging.getLogger(__name__)

STYLE_FILES = ("app.tcss", "dashboard.tcss", "wallboard.tcss", "modals.tcss")
#: the files each mode's app parses at start; the wallboard's tiles are the dashboard's
#: restyled. The dialogs' rules come with the first dialog (:data:`MODAL_STYLES`)
MODE_STYLES: dict[str, tuple[str, ...]] = {
    "live": ("app.tcss", "dashboard.tcss"),
    "replay": ("app.tcss", "dashboard.tcss"),
    "wall": ("app.tcss", "dashboard.tcss", "wallboard.tcss"),
}

#: the shell's codes for "ended by SIGHUP" and "ended by SIGTERM"
HANGUP_EXIT = EXIT_HANGUP
TERMINATED_EXIT = EXIT_TERMINATED


def style_paths(names: tuple[str, ...] = STYLE_FILES) -> list[Path]:
    """The TCSS files: ``rtdash/styles`` in an installed wheel, ``styles/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    folder = package / "styles"
    if not (folder / STYLE_FILES[0]).is_file():
        folder = package.parent / "styles"
    return [folder / name for name in names]


#: the dialogs' rules (lookup, help, queues, welcome), as their screens' ``CSS_PATH``:
#: read when the first of them opens, not parsed and matched against every widget of
#: a start that may never open one
MODAL_STYLES: list[str | PurePath] = [*style_paths(("modals.tcss",))]


class ShellApp(App[int]):
    """The base of :class:`~rtdash.ui.app.RtdashApp` (live and wall) and the replay app."""

    # Textual's CSS_PATH is an invariant list[str | PurePath]; each mode's own: __init__
    CSS_PATH = style_paths(MODE_STYLES["live"])  # type: ignore[assignment]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, settings: Settings, *, mode: Mode, clock: Clock | None = None) -> None:
        """Raises ConfigError for a bad theme or keymap, before any terminal output."""
        check_ui_settings(settings)
        render_only_dirty_lines()  # a tick paints a few cells, not the whole screen
        lazy_strip_caches()  # a strip drawn once makes none of its seven caches
        own: list[str | PurePath] = [*style_paths(MODE_STYLES[mode.value])]
        super().__init__(css_path=own)
        self.settings = settings
        self.mode = mode
        self.clock = clock or SystemClock()
        self.theme = settings.display.theme
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self._use_colours()
        self.set_class(self.no_color, "-no-color")

    # --- colours ----------------------------------------------------------------------

    @property
    def hues(self) -> Hues:
        """The level and state colours for this display: its theme (light or dark)
        and its terminal's colours (16 of them need their own, see the palette)."""
        return hues_for(light=not self.current_theme.dark, color_system=self.console.color_system)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The level and state colours, for the TCSS (``$level-alert``…)."""
        return {**super().get_theme_variable_defaults(), **self.hues.variables()}

    def watch_theme(self) -> None:
        """A theme picked while running: the texts made from now on take its colours
        (the TCSS takes them from :meth:`get_theme_variable_defaults`)."""
        self._use_colours()

    def _use_colours(self) -> None:
        # breached values must never read dimmer than normal ones in monochrome
        use_colours(self.hues, no_color=self.no_color)

    @property
    def wallboard(self) -> bool:
        return self.mode is WALL

    # --- ending -----------------------------------------------------------------------

    def exit_on_signals(self) -> None:
        """The terminal went away (an SSH drop): exit. Handled even when SIGHUP was
        ignored at start (nohup), or the input thread spins on the dead terminal.
        SIGTERM (a service manager, ``kill``) quits as ``q`` does: the terminal is
        still there and gets its screen, cursor and mouse back."""
        with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self.hang_up)
            loop.add_signal_handler(signal.SIGTERM, self.terminate)
        watch_stdin(self, HANGUP_EXIT, self.hang_up)  # stdin at end of file: a hang-up

    def terminate(self) -> None:
        log.warning("terminated (SIGTERM): quitting")
        self.exit(return_code=TERMINATED_EXIT)

    def hang_up(self) -> None:
        """Leave at once: there is no terminal to restore, and an orderly shutdown can
        block for good writing to it (Textual's writer queue, seen here). What must
        be saved is saved first (:meth:`before_hang_up`)."""
        self.before_hang_up()
        log.warning("the terminal went away: exiting")
        logging.shutdown()
        os._exit(HANGUP_EXIT)

    def before_hang_up(self) -> None:
        """Hook: close what this process holds that matters (recordings)."""

    def on_key(self, event: events.Key) -> None:
        """A key that came back unhandled: typed ahead of a move of the focus, it is
        typed where the focus went (:mod:`rtdash.ui.typeahead`), ahead of the bindings."""
        if typed_ahead(self.screen, event):
            event.prevent_default()  # the key was typed: no binding of it runs
            event.stop()

    # --- commands -------------------------------------------------------------------

    def current_keys(self) -> dict[str, str]:
        """Command id -> key as bound now (after any keymap)."""
        keymap = dict(getattr(self, "_keymap", {}))
        return {command.id: keymap.get(command.id, command.key) for command in COMMANDS}

    def get_key_display(self, binding: Binding) -> str:
        """Keys as they are typed (``?``, ``/``, ``-``), after any ``[keymap]`` too
        (Textual drops a binding's own label when a keymap moves it)."""
        return (
            binding.key_display or KEY_LABELS.get(binding.key) or super().get_key_display(binding)
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """rtdash's commands, titled with the word a user types ("export", "pause"),
        then Theme. Textual's other built-ins are left out: Keys opens a side panel
        that squeezes the tables, Maximize and Screenshot do nothing a supervisor
        needs, and its Quit would duplicate rtdash's."""
        from rtdash.ui.screens.views import ViewsScreen

        if isinstance(screen, ViewsScreen):
            yield from self._registry_commands(screen)
            yield from screen.palette_commands()
        else:
            yield SystemCommand("Quit", "Quit rtdash", self.action_quit)
        # the theme picker restyles the running app (the level and state colours
        # are theme variables); display.theme in the config keeps one
        yield SystemCommand(
            "Theme",
            "Change the colours for this session (display.theme keeps one)",
            self.action_change_theme,
        )

    def _registry_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        keys = self.current_keys()
        for command in commands_for(self.mode):
            if not command.palette:
                continue
            title, name = command.palette_title, command.action
            if command.resume and screen.check_action("pause", ()) is False:
                title, name = command.resume, "resume"
            target = self if name.startswith("app.") else screen
            method = name.removeprefix("app.").split("(")[0]
            if getattr(target, f"action_{method}", None) is None:
                continue
            key = key_label(keys[command.id])
            yield SystemCommand(
                title,
                f"{command.explanation} · key {key}",
                partial(target.run_action, name.removeprefix("app.")),
            )


__all__ = [
    "HANGUP_EXIT",
    "INSTALLATION_KEYS",
    "LIVE",
    "MODAL_STYLES",
    "MODE_STYLES",
    "STYLE_FILES",
    "TERMINATED_EXIT",
    "ShellApp",
    "check_ui_settings",
    "style_paths",
]
