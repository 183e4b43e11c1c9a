"""The wallboard's agent tiles, grouped by state: available, on a call, away (while
the calls cannot be read: available, unavailable).

Each group has a heading with its count, then a tile per agent, longest in state first
(who has waited longest for a call, who has talked longest, who has been away
longest). Tiles grow with the room (one line on a small terminal, up to four on a TV)
so a wall screen is used, with as much room for a name in every column (a name whole
in one column is whole in all), and what does not fit is counted rather than cut silently:
a group with no room for a tile keeps its heading, marked "(not shown)", since its
count is what a room reads, and a last line counts the rest by state. Names that do
not fit end in an ellipsis.

Drawn as one renderable rather than a widget per agent: a thousand child widgets
would cost far more to lay out than a thousand short lines of text.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from rtdash.api.models import PbxUser
from rtdash.core.agents import AgentState, OnCall, group_agents, seconds_since
from rtdash.core.clock import Clock
from rtdash.core.format import duration
from rtdash.core.shown_starts import ShownStarts
from rtdash.ui.label_fit import fit_cells
from rtdash.ui.widgets.agent_gaps import Gaps, spread_gaps

COMPONENT = {
    AgentState.AVAILABLE: "agent--available",
    AgentState.ON_CALL: "agent--on-call",
    AgentState.AWAY: "agent--away",
    AgentState.UNAVAILABLE: "agent--unavailable",
}


class AgentGrid(Widget):
    DEFAULT_CSS = """
    AgentGrid { height: 1fr; }
    """
    COMPONENT_CLASSES = {*COMPONENT.values(), "agent--heading"}

    def __init__(self, *, clock: Clock, starts: ShownStarts, **kwargs: object) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        #: None until the first users poll: no data is not "no agents"
        self.users: tuple[PbxUser, ...] | None = None
        self.on_call: OnCall | None = None
        #: when each tile's shown state began (a call's end, not the PBX's start):
        #: the feed's, which follows every calls poll
        self.starts = starts

    def show_users(self, users: tuple[PbxUser, ...]) -> None:
        self.users = users
        self.refresh()

    def show_on_call(self, on_call: OnCall) -> None:
        if on_call != self.on_call:
            self.on_call = on_call
            self.refresh()

    def tile_width(self) -> int:
        width = self.size.width
        return 26 if width >= 200 else 22 if width >= 120 else 19

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        if self.users is None:
            return Text("no data yet", style="dim")
        if not self.users:
            return Text("no agents on the dashboard", style="dim")
        groups = group_agents(self.users, self.on_call, self.starts.start)
        tile_width = self.tile_width()
        columns = max(1, (width + 1) // (tile_width + 1))
        lines_per_tile = _tile_lines(groups, columns, height)
        # few agents on a big screen: wider tiles in fewer columns, so the rows fill it
        while lines_per_tile == MAX_TILE_LINES and tile_width < MAX_TILE_WIDTH and columns > 1:
            wider = tile_width + 4
            fewer = max(1, (width + 1) // (wider + 1))
            if _tile_lines(groups, fewer, height) < 4:
                break
            tile_width, columns = wider, fewer
            lines_per_tile = _tile_lines(groups, columns, height)
        # between one-line tiles and taller ones with a line between rows, two-line
        # tiles with a line between groups: a room too short for the one and far too
        # tall for the other is not left half blank
        packed = lines_per_tile == 1 and _packed_fits(groups, columns, height)
        if packed:
            lines_per_tile = 2
        rows = [-(-len(members) // columns) for members in groups.values()]
        # taller tiles fill their room with a line after every row; one-line and
        # packed ones share the lines they leave between groups, then rows
        if lines_per_tile > 1 and not packed:
            gaps = Gaps.every_row(rows)
        else:
            gaps = spread_gaps(rows, height - len(groups) - lines_per_tile * sum(rows))
        widths = shared_widths(width, columns, tile_width)
        now, start = self.clock.now(), self.starts.start

        def elapsed(user: PbxUser) -> str:
            return duration(seconds_since(start(user), now))

        lines: list[Text] = []
        heading = self.get_component_rich_style("agent--heading")
        #: the group the screen ends in, and how many of its agents have a tile
        cut: tuple[int, int] | None = None
        states = tuple(groups)
        for group, state in enumerate(states):
            members = groups[state]
            if len(lines) + 1 > height:
                cut = (group, 0)
                break
            lines.append(_heading(state, len(members), heading))
            if not members:
                lines.extend(Text("") for _ in range(gaps.after(group, 0, 1)))
            style = self.get_component_rich_style(COMPONENT[state])
            drawn = 0
            for row_index, first in enumerate(range(0, len(members), columns)):
                row = members[first : first + columns]
                block = [
                    _row_line(row, state, part, lines_per_tile, widths, elapsed, style)
                    for part in range(lines_per_tile)
                ]
                blank = gaps.after(group, row_index, rows[group])
                last_row = state is states[-1] and first + columns >= len(members)
                # keep a line for "+N more" unless this row is the very last
                room = height - len(lines) - (0 if last_row else 1)
                if len(block) + blank > room:
                    if not drawn:
                        # a bare heading: drawn again below with what became of its tiles
                        lines.pop()
                    cut = (group, drawn)
                    break
                lines.extend(block)
                lines.extend(Text("") for _ in range(blank))
                drawn += len(row)
            if cut is not None:
                break
        if cut is not None:
            _end_at_cut(lines, groups, *cut, height=height, width=width, heading=heading)
        # one line per line: a tile cut at the edge, never a line wrapped into the next
        return Text("\n", no_wrap=True, overflow="crop").join(lines)


#: the tallest tile: beyond this a tile is a slab, not easier to read
MAX_TILE_LINES = 9
#: the widest tile: a name longer than this is rare, and a wider tile reads no better
MAX_TILE_WIDTH = 40


def shared_widths(width: int, columns: int, least: int) -> list[int]:
    """Each column's tile width, with a column between tiles: the columns share the
    whole width, the first ones a cell wider where it does not divide evenly (an even
    share left up to a tile's width blank at the right, and cut names beside it)."""
    share, extra = divmod(width + 1, columns)
    return [
        max(least, min(MAX_TILE_WIDTH, share - 1 + (column < extra))) for column in range(columns)
    ]


#: the blank cell a tile starts with, inside its colour
MARGIN = 1


def name_room(widths: list[int]) -> int:
    """The cells every tile has for its symbol, name and time: the widest tile's, less
    its margin. A tile a cell narrower gives up its margin rather than a cell of its
    name, so a name whole in one column is whole in every column."""
    return max(widths, default=MARGIN) - MARGIN


def _tile_lines(groups: dict[AgentState, list[PbxUser]], columns: int, height: int) -> int:
    """The tallest tile at which every group fits ``height`` (one line when even two
    do not fit): a few agents on a TV get large tiles rather than a blank half screen."""
    rows = sum(-(-len(members) // columns) for members in groups.values())
    if not rows:
        return 1
    lines = (height - len(groups)) // rows - 1
    if lines < 2:
        return 1
    return min(lines, MAX_TILE_LINES)


def _packed_fits(groups: dict[AgentState, list[PbxUser]], columns: int, height: int) -> bool:
    """Whether two-line tiles fit ``height`` with no line between the rows of a group,
    only between groups."""
    rows = sum(-(-len(members) // columns) for members in groups.values())
    return len(groups) + 2 * rows + len(groups) - 1 <= height


def _heading(state: AgentState, count: int, style: Style, *, not_shown: bool = False) -> Text:
    line = Text(f"{state.symbol} {count} {state.word}", style=style, no_wrap=True)
    if not_shown:
        line.append(" (not shown)", style="dim")
    return line


def _end_at_cut(
    lines: list[Text],
    groups: dict[AgentState, list[PbxUser]],
    group: int,
    drawn: int,
    *,
    height: int,
    width: int,
    heading: Style,
) -> None:
    """End ``lines`` where group ``group`` is cut after ``drawn`` of its tiles (its
    heading is not in ``lines`` when none of them is drawn).

    A bare heading over a count of "more agents" read as that many more again, on top of
    the heading's own: a group the cut leaves without a tile says "(not shown)" on its
    heading's line instead, and so do the groups after it while there is a line for
    each, because a TV across the room reads a group's count before any name. What is
    left goes in one line that names each state it counts, so an agent's state is not
    lost with their tile."""
    tail = list(groups)[group:]
    if drawn:
        cut = [(tail[0], len(groups[tail[0]]) - drawn)]
        tail = tail[1:]
    else:
        cut = []
        while tail and len(lines) < height:
            later = sum(len(groups[state]) for state in tail[1:])
            # the foot line goes to the count of the groups after, when any has agents
            if later and len(lines) + 1 >= height:
                break
            state = tail.pop(0)
            lines.append(
                _heading(state, len(groups[state]), heading, not_shown=bool(groups[state]))
            )
    cut += [(state, len(groups[state])) for state in tail if groups[state]]
    if not cut:
        return
    while len(lines) >= height and lines:
        lines.pop()
    lines.append(_cut_line(cut, bool(drawn), width))


def _cut_line(cut: list[tuple[AgentState, int]], partly_shown: bool, width: int) -> Text:
    """The agents with no tile, by state ("+N more on a call, +M away"). Which of a group
    are shown is said only where it is a part of the group, and only where it fits."""
    words = ", ".join(
        f"+{count} {'more ' if index == 0 else ''}{state.word}"
        for index, (state, count) in enumerate(cut)
    )
    order = " (longest in state first)"
    if partly_shown and cell_len(words + order) <= width:
        words += order
    elif cell_len(words) > width:
        words = fit_cells(words, width).rstrip()
    return Text(words, style="dim", no_wrap=True)


def _row_line(
    row: list[PbxUser],
    state: AgentState,
    part: int,
    lines: int,
    widths: list[int],
    elapsed: Callable[[PbxUser], str],
    style: Style,
) -> Text:
    """One line of a row of tiles, each as wide as its column."""
    room = name_room(widths)
    line = Text(no_wrap=True, overflow="crop")
    for index, user in enumerate(row):
        if index:
            line.append(" ")
        margin = " " * (widths[index] - room)
        line.append(margin + _tile_text(user, state, part, lines, room, elapsed(user)), style)
    return line


def _tile_text(
    user: PbxUser, state: AgentState, part: int, lines: int, width: int, elapsed: str
) -> str:
    """A tile's text but its margin, ``width`` cells."""
    if lines == 1:
        name_width = width - len(elapsed) - 3
        return f"{state.symbol} {fit_cells(user.label, name_width)} {elapsed}"
    # the name, then state and time, in the middle of a taller tile
    content = part - (lines - 2) // 2
    if content == 0:
        return f"{state.symbol} {fit_cells(user.label, width - 3)} "
    if content == 1:
        return f"  {state.word} {elapsed}"[:width].ljust(width)
    return " " * width
