"""The theme and keymap of a config file, checked against what the screens know.

Apart from :mod:`rtdash.ui.shell` so that ``rtdash doctor`` runs the very check the
dashboard's start runs, without loading the app: a file the dashboard refuses must not
pass the doctor. Only the themes and the command registry are needed for it.
"""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.theme import BUILTIN_THEMES

from rtdash.config import ConfigError, Settings
from rtdash.ui.commands import COMMANDS, REPLAY, Mode, commands_for

#: the installation number keys of the views screens (1-9)
INSTALLATION_KEYS = [
    Binding(
        str(number), f"show_installation({number - 1})", show=False, id=f"installation_{number}"
    )
    for number in range(1, 10)
]

#: ids of bindings outside the command registry that a keymap may also remap
EXTRA_BINDING_IDS = {
    "lookup_close",
    "lookup_copy",
    "lookup_new",
    "help_close",
    "welcome_demo",
    "welcome_quit",
    *(str(binding.id) for binding in INSTALLATION_KEYS),
}
_KEY = re.compile(r"^[a-z0-9_+-]+(,[a-z0-9_+-]+)*$")


def check_ui_settings(settings: Settings) -> None:
    """Theme and keymap, checked before the screen is taken over: ConfigError if bad,
    naming the config file they came from (they come from no other place), as the
    config's own checks do: checked here, where the themes are known, it was left out."""
    try:
        _check_ui_settings(settings)
    except ConfigError as exc:
        if settings.source is None:
            raise
        raise ConfigError(f"{settings.source}: {exc}") from None


def _check_ui_settings(settings: Settings) -> None:
    theme = settings.display.theme
    if theme not in BUILTIN_THEMES:
        known = ", ".join(sorted(BUILTIN_THEMES))
        raise ConfigError(f"display.theme: unknown theme {theme!r} (known: {known})")
    known_ids = {command.id for command in COMMANDS} | EXTRA_BINDING_IDS
    for binding_id, keys in settings.keymap.items():
        if binding_id not in known_ids:
            ids = ", ".join(sorted(command.id for command in COMMANDS))
            raise ConfigError(f"keymap.{binding_id}: unknown command (commands: {ids})")
        if not isinstance(keys, str) or not _KEY.match(keys.replace(" ", "")):
            raise ConfigError(
                f'keymap.{binding_id}: {keys!r} is not a key such as "ctrl+l" or "f5"'
            )
    for mode in Mode:
        clash = _key_clash(settings.keymap, mode)
        if clash:
            raise ConfigError(clash)


def _key_clash(keymap: dict[str, str], mode: Mode) -> str | None:
    """Two of one mode's commands on one key: one of them could never be used (a
    remapped lookup on ``q`` took quit's key and the footer lost Quit)."""
    defaults = {command.id: command.key for command in commands_for(mode)}
    if mode is not REPLAY:  # a replay is one installation: its digits seek
        defaults.update({str(binding.id): binding.key for binding in INSTALLATION_KEYS})
    owner: dict[str, str] = {}
    for binding_id, default in defaults.items():
        for key in keymap.get(binding_id, default).replace(" ", "").split(","):
            if key in owner:
                return (
                    f"keymap: {key!r} is the key of both {owner[key]} and {binding_id}; "
                    "give one of them another key"
                )
            owner[key] = binding_id
    return None


__all__ = ["EXTRA_BINDING_IDS", "INSTALLATION_KEYS", "check_ui_settings"]
