"""The one command registry: key, action, description, id, and the modes that take it.

The Footer, the ``?`` help screen and the command palette all read this table, for
every mode (the live dashboard, the wallboard, a replay), so a command is described
once; every binding has an id so ``[keymap]`` in config can remap it
(``lookup = "ctrl+l"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from textual.binding import Binding

from rtdash.constants import INTERVAL_STEPS, MAX_SPEED, MIN_SPEED


class Mode(StrEnum):
    #: the supervisor's dashboard on the live service
    LIVE = "live"
    #: the read-only wallboard
    WALL = "wall"
    #: a recording played back
    REPLAY = "replay"


LIVE, WALL, REPLAY = Mode.LIVE, Mode.WALL, Mode.REPLAY
#: the modes that show the dashboard's tables (the wallboard has none to look into)
TABLES = frozenset({LIVE, REPLAY})
#: the modes whose data comes from polling the service
POLLING = frozenset({LIVE, WALL})
EVERY = frozenset(Mode)


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    key: str
    action: str
    description: str
    modes: frozenset[Mode] = EVERY
    #: shown in the Footer (the help screen lists every command)
    footer: bool = True
    #: offered in the command palette
    palette: bool = True
    #: the longer sentence on the help screen (the Footer has room for a word or two)
    help: str = ""
    #: a help row for several commands (back and forward): the ids whose keys it lists;
    #: a command named in another's group has no row of its own
    group: tuple[str, ...] = ()
    #: more ids with no help row of their own (their keys are explained on this one's)
    also: tuple[str, ...] = ()
    #: the help row's keys, where listing each would be too long ("0–9")
    keys_label: str = ""
    #: taken even while a table has focus (its cursor keys would otherwise win)
    priority: bool = False
    #: the command palette's title: the word a user types to find it (default: the
    #: description)
    title: str = ""
    #: for a toggle of pause: the Footer's and palette's word while paused ("Resume");
    #: the command is then two bindings on one key and id, ``pause`` and ``resume``,
    #: the screen enabling the one that applies
    resume: str = ""

    @property
    def explanation(self) -> str:
        return self.help or self.description

    @property
    def palette_title(self) -> str:
        return self.title or self.description

    @property
    def interactive(self) -> bool:
        """A command of the tables (lookup, filter, sort…), which a wallboard lacks."""
        return WALL not in self.modes


COMMANDS: tuple[Command, ...] = (
    # --- a replay's own keys: time instead of polling ---------------------------------
    Command(
        "replay_pause",
        "space,p",
        "pause",
        "Pause",
        frozenset({REPLAY}),
        help="Play or pause",
        priority=True,
        resume="Play",
    ),
    Command(
        "replay_forward",
        "right",
        "seek(10)",
        "+10 s",
        frozenset({REPLAY}),
        palette=False,
        help="10 s back or forward (shift: a minute)",
        group=("replay_back", "replay_forward"),
        also=("replay_back_more", "replay_forward_more"),
        priority=True,
    ),
    Command(
        "replay_back",
        "left",
        "seek(-10)",
        "-10 s",
        frozenset({REPLAY}),
        palette=False,
        priority=True,
    ),
    Command(
        "replay_forward_more",
        "shift+right",
        "seek(60)",
        "+1 min",
        frozenset({REPLAY}),
        footer=False,
        palette=False,
        priority=True,
    ),
    Command(
        "replay_back_more",
        "shift+left",
        "seek(-60)",
        "-1 min",
        frozenset({REPLAY}),
        footer=False,
        palette=False,
        priority=True,
    ),
    Command(
        "replay_next",
        "full_stop",
        "step(1)",
        "Next change",
        frozenset({REPLAY}),
        footer=False,
        help="The previous or next change",
        title="Next change",
        group=("replay_previous", "replay_next"),
    ),
    Command(
        "replay_previous",
        "comma",
        "step(-1)",
        "Previous change",
        frozenset({REPLAY}),
        footer=False,
    ),
    Command(
        "replay_faster",
        "plus",
        "faster",
        "Faster",
        frozenset({REPLAY}),
        footer=False,
        help=f"Faster or slower ({MIN_SPEED:g}× to {MAX_SPEED:g}×)",
        group=("replay_faster", "replay_slower"),
        title="Play faster",
    ),
    Command(
        "replay_slower",
        "minus",
        "slower",
        "Slower",
        frozenset({REPLAY}),
        footer=False,
        help=f"Play slower ({MIN_SPEED:g}× to {MAX_SPEED:g}×)",
        title="Play slower",
    ),
    *(
        Command(
            f"replay_{n}0_percent",
            str(n),
            f"seek_fraction({n / 10})",
            f"{n}0 %",
            frozenset({REPLAY}),
            footer=False,
            palette=False,
            help="Jump to 0–90 % of the recording" if n == 0 else "",
            also=tuple(f"replay_{m}0_percent" for m in range(1, 10)) if n == 0 else (),
            keys_label="0–9" if n == 0 else "",
        )
        for n in range(10)
    ),
    Command(
        "replay_start",
        "home",
        "seek_fraction(0)",
        "Start",
        frozenset({REPLAY}),
        footer=False,
        help="The start or the end",
        title="Go to the start",
        group=("replay_start", "replay_end"),
        priority=True,
    ),
    Command(
        "replay_end",
        "end",
        "seek_fraction(1)",
        "End",
        frozenset({REPLAY}),
        footer=False,
        priority=True,
        title="Go to the end",
    ),
    # --- the tables -------------------------------------------------------------------
    Command(
        "lookup_selected",
        "enter",
        "lookup_selected",
        "Look up",
        frozenset({LIVE}),
        help="Look up the selected call's caller: attribution and custom data (on an "
        "agent: the caller they are talking to)",
        title="Look up the selected call",
    ),
    Command(
        "lookup",
        "l",
        "lookup_number",
        "Number",
        frozenset({LIVE}),
        help="Look up a caller by phone number or call reference",
        title="Look up a number…",
    ),
    Command(
        "filter",
        "slash",
        "filter",
        "Filter",
        TABLES,
        help="Filter calls and users by number, name or queue",
        title="Filter…",
    ),
    Command(
        "sort",
        "s",
        "cycle_sort",
        "Sort",
        TABLES,
        footer=False,
        help="Sort the focused table; press again to flip, then the next column",
        title="Sort (next column)",
    ),
    Command(
        "sort_reset",
        "S",
        "reset_sort",
        "Reset sort",
        TABLES,
        footer=False,
        help="Back to the default order: calls longest in state first, users as the PBX "
        "orders them",
    ),
    Command(
        "all_users",
        "a",
        "toggle_all_users",
        "All users",
        TABLES,
        footer=False,
        help="Show all users, not only those on the dashboard",
        title="All users (show or hide)",
    ),
    Command(
        "queues",
        "Q",
        "queues",
        "Queues",
        TABLES,
        footer=False,
        help="Queues: waiting, longest wait, talking, agents on a call, today's SL % and "
        "abandons; Enter shows that queue's calls",
    ),
    Command(
        "export",
        "e",
        "export",
        "Export",
        TABLES,
        footer=False,
        help="Write the calls and users shown to CSV and JSON files",
    ),
    # --- polling ----------------------------------------------------------------------
    Command(
        "pause", "p", "pause", "Pause", POLLING, help="Pause or resume polling", resume="Resume"
    ),
    Command("refresh", "r", "refresh", "Refresh", POLLING, help="Poll now", title="Refresh now"),
    Command(
        "faster",
        "plus",
        "faster",
        "Faster",
        POLLING,
        footer=False,
        help=f"Poll more often (down to every {INTERVAL_STEPS[0]:g} s)",
        title="Poll faster",
    ),
    Command(
        "slower",
        "minus",
        "slower",
        "Slower",
        POLLING,
        footer=False,
        help=f"Poll less often (up to every {INTERVAL_STEPS[-1]:g} s)",
        title="Poll slower",
    ),
    Command("help", "question_mark", "help", "Help", help="This help"),
    Command("quit", "q", "app.quit", "Quit", help="Quit rtdash"),
)

#: keys as they are typed (Textual's names are for code: ``question_mark``, ``minus``)
KEY_LABELS = {
    "enter": "Enter",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
    "shift+left": "shift+←",
    "shift+right": "shift+→",
    "slash": "/",
    "plus": "+",
    "minus": "-",
    "question_mark": "?",
    "escape": "Esc",
    "left": "←",
    "right": "→",
    "comma": ",",
    "full_stop": ".",
}


def key_label(key: str) -> str:
    return ", ".join(KEY_LABELS.get(part, part) for part in key.split(","))


def commands_for(mode: Mode) -> tuple[Command, ...]:
    return tuple(command for command in COMMANDS if mode in command.modes)


def bindings(mode: Mode = LIVE) -> list[Binding]:
    """The mode's bindings; a pause toggle is two (``pause`` and ``resume``, one id, so
    a keymap moves both), of which the screen's ``check_action`` enables one: the
    Footer then says what the key will do ("p Resume" while paused)."""
    out: list[Binding] = []
    for command in commands_for(mode):
        variants = [(command.action, command.description)]
        if command.resume:
            variants.append(("resume", command.resume))
        out.extend(
            Binding(
                command.key,
                action,
                description,
                show=command.footer,
                id=command.id,
                key_display=KEY_LABELS.get(command.key),
                priority=command.priority,
            )
            for action, description in variants
        )
    return out
