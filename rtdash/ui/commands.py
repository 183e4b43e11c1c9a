"""The one command registry: key, action, description, id.

The Footer, the ``?`` help screen and the command palette all read this table, so a
command is described once; every binding has an id so ``[keymap]`` in config can remap
it (``lookup = "ctrl+l"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    key: str
    action: str
    description: str
    #: shown in the Footer (the help screen lists every command)
    footer: bool = True
    #: offered in the command palette
    palette: bool = True
    #: hidden on the read-only wallboard
    interactive: bool = False
    #: the longer sentence on the help screen (the Footer has room for a word or two)
    help: str = ""

    @property
    def explanation(self) -> str:
        return self.help or self.description


COMMANDS: tuple[Command, ...] = (
    Command(
        "lookup_selected",
        "enter",
        "lookup_selected",
        "Lookup",
        interactive=True,
        help="Look up the selected call's caller: attribution and custom data",
    ),
    Command(
        "lookup",
        "l",
        "lookup_number",
        "Number",
        interactive=True,
        help="Look up a caller by phone number or call reference",
    ),
    Command(
        "filter",
        "slash",
        "filter",
        "Filter",
        interactive=True,
        help="Filter calls and users by number, name or queue",
    ),
    Command(
        "sort",
        "s",
        "cycle_sort",
        "Sort",
        interactive=True,
        footer=False,
        help="Sort the focused table; press again to flip, then the next column",
    ),
    Command(
        "sort_reset",
        "S",
        "reset_sort",
        "Reset sort",
        interactive=True,
        footer=False,
        help="Back to the default order: the longest in their state first",
    ),
    Command(
        "all_users",
        "a",
        "toggle_all_users",
        "All users",
        interactive=True,
        footer=False,
        help="Show all users, not only those on the dashboard",
    ),
    Command(
        "export",
        "e",
        "export",
        "Export",
        interactive=True,
        footer=False,
        help="Write the calls and users shown to CSV and JSON files",
    ),
    Command("pause", "p", "toggle_pause", "Pause", help="Pause or resume polling"),
    Command("refresh", "r", "refresh", "Refresh", help="Poll now"),
    Command("faster", "plus", "faster", "Faster", footer=False, help="Poll more often"),
    Command("slower", "minus", "slower", "Slower", footer=False, help="Poll less often"),
    Command("help", "question_mark", "help", "Help", help="This help"),
    Command("quit", "q", "app.quit", "Quit", help="Quit rtdash"),
)

KEY_LABELS = {
    "enter": "Enter",
    "slash": "/",
    "plus": "+",
    "minus": "-",
    "question_mark": "?",
    "escape": "Esc",
}


def key_label(key: str) -> str:
    return ", ".join(KEY_LABELS.get(part, part) for part in key.split(","))


def bindings(*, interactive: bool = True) -> list[Binding]:
    return [
        Binding(
            command.key,
            command.action,
            command.description,
            show=command.footer,
            id=command.id,
            key_display=KEY_LABELS.get(command.key),
        )
        for command in COMMANDS
        if interactive or not command.interactive
    ]


def by_id(command_id: str) -> Command:
    for command in COMMANDS:
        if command.id == command_id:
            return command
    raise KeyError(command_id)
