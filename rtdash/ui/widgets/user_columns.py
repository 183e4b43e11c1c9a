"""The users panel's columns, fitted to the users in its table's lines.

Beside the calls the panel is narrow, and the name is what a supervisor scans it for
(who has been away long). So the columns that could take a name's room give it up to
the users in view: the extension's column is only as wide as their extensions, and the
state is said by its symbol alone (its shape and hue, explained in the panel's legend)
where its words would cut a name in view.

Only the users the table can show from where it is scrolled to are measured: a big
centre's every user measured on every poll cost more than the rest of the panel's poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from rich.cells import cell_len
from rich.text import Text

from rtdash.api.models import PbxUser
from rtdash.core.agents import ORDER, UNKNOWN_CALLS_ORDER, AgentState
from rtdash.core.labels import USER_LABELS
from rtdash.ui.widgets.keyed_table import Column, KeyedTable
from rtdash.ui.widgets.palette import AGENT_COLOUR, agent_text
from rtdash.ui.widgets.table_size import fitted_widths

#: time first, as in the calls grid (see there): it ticks, and it is the default sort;
#: then the state, so that a panel beside the calls cuts a long name, not what the
#: agent is doing, until the state's symbol alone would spare the name (see
#: :func:`fit_columns`). The extension is as wide as its header word until an extension
#: in view asks for more: a wider column held characters the names had to give up.
COLUMNS = (
    Column("in_state", USER_LABELS["in_state"], 8, ticking=True),
    Column("state", USER_LABELS["state"], 11),
    Column("name", USER_LABELS["display_name"], 18, grow=12),
    Column("ext", USER_LABELS["extension"], cell_len(USER_LABELS["extension"])),
)
EXTENSION_WIDTH = COLUMNS[-1].width
#: the widest an extension makes its column: an upstream's word in an extension's place
#: cannot take the names' room
EXTENSION_WIDEST = 8
#: the state's column with its words, and with its symbol alone (its header then blank:
#: the word "State" would take back the room the symbols gave the names)
STATE_WORDED_WIDTH = COLUMNS[1].width
STATE_SYMBOL_WIDTH = 1
NAME_INDEX = next(index for index, column in enumerate(COLUMNS) if column.key == "name")

#: the state's column with its words while the calls are not known: "unavailable" is
#: the longest word, and cut it would read as nothing
UNKNOWN_CALLS_WIDTH = max(STATE_WORDED_WIDTH, agent_text(AgentState.UNAVAILABLE).cell_len)


def state_cells(worded: bool = True) -> dict[AgentState, Text]:
    """The state words of :mod:`rtdash.core.agents` in the state's calm hue, or, not
    ``worded``, the symbols alone in the same hues (their shapes differ, so they read
    without colour). Made once for each display's hues (a theme picked while running
    has its own), not once a row."""
    return _state_cells(worded, tuple(AGENT_COLOUR.values()))


@cache
def _state_cells(worded: bool, hues: tuple[str, ...]) -> dict[AgentState, Text]:
    """``hues`` is the key the cells are kept by: they are made with the palette's."""
    return {state: agent_text(state, worded=worded) for state in AgentState}


def state_legend(calls_known: bool = True) -> Text:
    """``● available  ◆ on a call  ○ away``: what the symbols mean, on the screen that
    shows them alone, so a new supervisor need not open the help to read the panel;
    while the calls are not known, ``● available  ◌ unavailable``."""
    legend = Text(" ")
    for index, state in enumerate(ORDER if calls_known else UNKNOWN_CALLS_ORDER):
        if index:
            legend.append("  ")
        legend.append_text(state_cells()[state])
    return legend


def shown_name(user: PbxUser) -> str:
    """The name as its row shows it: a user not flagged for the dashboard (shown with
    ``a``) is marked after it."""
    return user.label if user.dashboard else f"{user.label} ·"


@dataclass(frozen=True, slots=True)
class ColumnFit:
    """The room the users in view ask for."""

    extension_width: int = EXTENSION_WIDTH
    worded: bool = True
    #: whether who is on a call is known (else the unavailable are said as such)
    calls_known: bool = True

    def widths(self) -> dict[str, int]:
        worded = STATE_WORDED_WIDTH if self.calls_known else UNKNOWN_CALLS_WIDTH
        state = worded if self.worded else STATE_SYMBOL_WIDTH
        return {"state": state, "ext": self.extension_width}


def users_in_view(
    table: KeyedTable[PbxUser], users: Sequence[PbxUser], lent: int = 0
) -> Sequence[PbxUser]:
    """The users the table can show in its lines from where it is scrolled to, and in
    the ``lent`` lines below it that it gave up to a line that comes and goes with
    what these users decide (else the users it hides would decide it again)."""
    top = round(table.scroll_offset.y)
    return users[top : top + table.size.height + lent]


def fit_columns(
    table: KeyedTable[PbxUser], in_view: Sequence[PbxUser], calls_known: bool = True
) -> ColumnFit:
    """The extension's column as wide as the longest extension in view (a cut number
    reads as another); the state in words unless, with the words, a name in view would
    be cut. Judged against the worded columns whatever the table shows now, so the
    answer does not flip back and forth with its own widths."""
    widest = max((cell_len(user.extension) for user in in_view if user.extension), default=0)
    extension_width = min(max(EXTENSION_WIDTH, widest), EXTENSION_WIDEST)
    if not in_view or not table.size.width:
        # nothing in view to spare room for
        return ColumnFit(extension_width, calls_known=calls_known)
    worded = ColumnFit(extension_width, worded=True, calls_known=calls_known).widths()
    columns = [replace(column, width=worded.get(column.key, column.width)) for column in COLUMNS]
    name_width = fitted_widths(table, columns)[NAME_INDEX]
    longest = max(cell_len(shown_name(user)) for user in in_view)
    return ColumnFit(extension_width, worded=longest <= name_width, calls_known=calls_known)
