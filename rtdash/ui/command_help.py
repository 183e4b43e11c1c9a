"""The ``?`` help screen's rows, read from the one command registry
(:mod:`rtdash.ui.commands`), and the ``[keymap]`` ids each row's keys are remapped by.

Apart from the registry because the help screen shows it its own way: a group of
commands (back and forward, the number keys) is one row with all their keys, where the Footer,
the bindings and the palette take each command on its own.
"""

from __future__ import annotations

from rtdash.ui.commands import COMMANDS, Mode, commands_for, key_label

#: the tables' keys that are no command of the registry (the tables' own, and the
#: filter line's): no ``[keymap]`` id moves them, yet ``?`` lists every key
TABLE_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab", "Move between the call groups and the users"),
    (
        "↑, ↓",
        "Move the cursor; past a call group's last call, on to the next group that has "
        "calls (↑: back to the one before)",
    ),
    ("Esc", "Clear the filter"),
)


def help_rows(mode: Mode, keys: dict[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) for each command of ``mode``, in the registry's order; a
    group's row lists its members' keys. ``keys``: command id -> key after any keymap."""
    commands = commands_for(mode)
    ids = {command.id for command in commands}
    listed = {
        member
        for command in commands
        for member in (*command.group, *command.also)
        if member != command.id and member in ids
    }
    rows = []
    for command in commands:
        if command.id in listed:
            continue  # explained on its group's row
        members = [member for member in command.group if member in ids] or [command.id]
        labels = [key_label(keys.get(member, _default(member))) for member in members]
        separator = "  " if "," in labels else ", "
        rows.append((command.keys_label or separator.join(labels), command.explanation))
    return rows


def help_ids(mode: Mode) -> dict[str, str]:
    """What each help row does -> the command ids to remap its keys in ``[keymap]``."""
    commands = commands_for(mode)
    ids = {command.id for command in commands}
    out: dict[str, str] = {}
    for command in commands:
        members = [m for m in (*command.group, *command.also) if m in ids] or [command.id]
        if command.id not in members:
            members.insert(0, command.id)
        if command.keys_label and len(members) > 2:
            text = f"{members[0]} … {members[-1]}"
        else:
            text = ", ".join(members)
        out.setdefault(command.explanation, text)
    return out


def _default(command_id: str) -> str:
    return next(command.key for command in COMMANDS if command.id == command_id)
