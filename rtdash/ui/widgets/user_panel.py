"""The user-status panel: dashboard users (``a`` for all), oldest state change first."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import cast

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult

from rtdash.api.models import PbxUser
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import (
    ORDER,
    AgentState,
    OnCall,
    agent_state,
    count_agents,
)
from rtdash.core.clock import Clock
from rtdash.core.labels import USER_LABELS
from rtdash.core.row_order import start_key
from rtdash.core.shown_starts import ShownStarts
from rtdash.core.snapshot import UsersSnapshot
from rtdash.core.sorting import SortKey
from rtdash.ui.widgets.keyed_table import Cell, Column, KeyedTable, RowSpec
from rtdash.ui.widgets.palette import agent_text
from rtdash.ui.widgets.rows_view import RowsView
from rtdash.ui.widgets.title_line import FOCUS_MARK, TitleLine

#: time first, as in the calls grid (see there): it ticks, and it is the default sort;
#: then the state, so that a panel beside the calls cuts a long name, not what the
#: agent is doing. The extension is as wide as its header word until an extension in
#: the table asks for more (see ``UserPanel._fit_extensions``): a wider column held
#: characters the names had to give up.
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

#: the state words and symbols of :mod:`rtdash.core.agents`, in the state's calm hue
STATE_CELLS = {state: agent_text(state) for state in AgentState}


def user_sorts(panel: UserPanel) -> tuple[SortKey[PbxUser], ...]:
    """``s``'s orders, by what the rows show: the time in state from the shown start (a
    call's end, where later than the PBX's), the state as the row says it (available,
    on a call, away). The default order stays the snapshot's own (the PBX's
    ``stateStartDatetime``), which costs nothing to apply."""

    def start(user: PbxUser) -> float:
        return start_key(panel.starts.start(user))

    def state(user: PbxUser) -> int:
        return ORDER.index(agent_state(user, panel.on_call))

    return (
        SortKey(
            "in_state",
            "time in state",
            lambda user: (start(user), user.label.lower()),
            label_descends=True,
        ),
        SortKey("state", "state", lambda user: (state(user), start(user))),
        SortKey("name", "name", lambda user: (user.label.lower(), user.user_id)),
        SortKey("ext", "extension", lambda user: (user.extension or "~", user.label.lower())),
    )


#: a row's key (an ``attrgetter``: a table keys thousands of rows a poll in C)
user_key: Callable[[PbxUser], str] = attrgetter("user_id")


def user_matches(user: PbxUser, needle: str) -> bool:
    needle = needle.lower()
    haystack = (user.display_name, user.operator_ref, user.extension, user.user_id)
    return any(needle in value.lower() for value in haystack if value)


class UserPanel(RowsView):
    noun = "users"
    columns = COLUMNS

    def __init__(
        self,
        *,
        clock: Clock,
        starts: ShownStarts,
        show_all: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(user_sorts(self), **kwargs)
        self.clock = clock
        self.show_all = show_all
        self.snapshot: UsersSnapshot | None = None
        self.on_call: OnCall | None = None
        #: when each row's shown state began (a call's end, not the PBX's start):
        #: the feed's, which follows every calls poll
        self.starts = starts
        self._extension_width = EXTENSION_WIDTH
        #: the users the table was last given (measured again on a scroll)
        self._in_table: tuple[PbxUser, ...] | None = None

    def show_on_call(self, on_call: OnCall) -> None:
        """Who is on a bridged call: their rows say "on a call", not "away", and are
        timed from the call's start or end (:attr:`starts`)."""
        before, self.on_call = self.on_call, on_call
        if before is not None and not any(on_call.flips_since(before)):
            return  # the same people on calls (known from the calls that changed)
        if self.snapshot is not None:
            # the same users, some of them now on a call or off one: the rows on screen
            # are described again, the others when they come into view
            table = self.table
            if isinstance(table, KeyedTable):
                table.redescribe()
                self._set_title("users-title", self._title())
            else:  # the benchmark's baseline and peer: their tables draw every row again
                table.notify_style_update()
                self.render_rows()

    def compose(self) -> ComposeResult:
        yield TitleLine(self._title(), id="users-title", classes="group-title")
        yield KeyedTable(
            COLUMNS,
            key=user_key,
            describe=self._row,
            clock=self.clock,
            moved=self._refit_extensions,
            id="users-table",
        )

    @property
    def table(self) -> KeyedTable[PbxUser]:
        # by id, not type: the benchmark's baseline puts a stock DataTable here
        return cast("KeyedTable[PbxUser]", self.query_one("#users-table"))

    def sorted_tables(self) -> list[KeyedTable[PbxUser]]:
        return [self.table]

    def header_labels(self) -> dict[str, str]:
        """No arrow in the default order: that is the PBX's (its state start), and an
        agent off a call shows a later time than the PBX's, so "In state ↓" would
        promise an order the rows do not keep."""
        if self.sort.is_default:
            return {column.key: column.label for column in self.columns}
        return super().header_labels()

    def toggle_all(self) -> bool:
        self.show_all = not self.show_all
        self.render_rows()
        return self.show_all

    def tick(self) -> None:
        self.table.tick()

    def shown_users(self) -> tuple[PbxUser, ...]:
        """The users as the table shows them: dashboard or all, filtered, sorted."""
        if self.snapshot is None:
            return ()
        users = self.snapshot.visible(self.show_all)
        if self.filter_text:
            users = tuple(user for user in users if user_matches(user, self.filter_text))
        return self.sort.apply(users)

    def render_rows(self) -> None:
        if self.snapshot is None:
            return
        users = self.shown_users()
        self._fit_extensions(users)
        self.reconcile(self.table, users)
        self._set_title("users-title", self._title())

    def _fit_extensions(self, users: tuple[PbxUser, ...]) -> None:
        """The extension's column as wide as the longest extension in view, so a
        five-digit one is not cut (a cut number reads as another), and three-digit ones
        leave the names the rest. Only the users the table can show from where it is
        scrolled to are measured, in the lines it has now, as the calls'
        Caller column does: a big centre's every user measured on every poll cost more
        than the rest of the panel's poll."""
        self._in_table = users
        table = self.table
        top = round(table.scroll_offset.y)
        in_view = users[top : top + table.size.height]
        widest = max((cell_len(user.extension) for user in in_view if user.extension), default=0)
        width = min(max(EXTENSION_WIDTH, widest), EXTENSION_WIDEST)
        if width != self._extension_width and isinstance(table, KeyedTable):
            # (the benchmark's baseline and peer: their tables size their own columns)
            self._extension_width = width
            table.set_own_widths({"ext": width})

    def _refit_extensions(self) -> None:
        """The table scrolled or resized: other users are in view (paused, no poll
        would come to widen the column for them)."""
        if self._in_table is not None and self.is_attached:
            self._fit_extensions(self._in_table)

    def _row(self, user: PbxUser) -> RowSpec:
        name = user.label if user.dashboard else f"{user.label} ·"
        state = agent_state(user, self.on_call)
        cells: dict[str, Cell] = {
            "name": name,
            "ext": user.extension or "",
            "state": STATE_CELLS[state],
        }
        return RowSpec(user.user_id, cells, {"in_state": self.starts.start(user)})

    def mark_focus(self) -> None:
        """The panel is marked in its title while its table has the focus, as the call
        group with the focus is: the row highlight alone is easy to lose over SSH."""
        self._set_title("users-title", self._title())

    def on_resize(self) -> None:
        self._set_title("users-title", self._title())

    def _title(self) -> Text:
        """``☺ Users ● 5 available  ◆ 14 on a call  ○ 4 away``; where that is wider
        than the panel (beside the calls at 120 columns), the counts by their symbols
        alone, so no count is cut off."""
        focused = self.screen.focused if self.is_attached else None
        mark = FOCUS_MARK if focused is not None and focused.id == "users-table" else " "
        if self.snapshot is None:
            return Text(f"{mark}☺ Users ", style="bold")
        if self.show_all or self.on_call is None:
            counts = count_agents(self.snapshot.visible(self.show_all), self.on_call)
        else:  # the dashboard's agents: counted once per snapshot and calls pair
            counts = agent_counts(self.snapshot, self.on_call)
        width = self.size.width
        for worded in (True, False):
            text = Text(f"{mark}☺ Users ", style="bold")
            for index, state in enumerate(ORDER):
                if index:
                    text.append("  ")
                text.append_text(agent_text(state, counts[state], worded=worded))
            text.append("  (all users)" if self.show_all else "", style="italic")
            if not width or text.cell_len <= width:
                break
        if self.filter_text:
            # how many it left, as the call groups say it (an empty table is explained),
            # the count before the words typed: a long filter is cut, never the count
            shown, total = len(self.shown_users()), len(self.snapshot.visible(self.show_all))
            text.append(f"  {shown} of {total} (filter: {self.filter_text})", style="italic")
            if width and text.cell_len > width:
                text.truncate(width, overflow="ellipsis")
        return text
