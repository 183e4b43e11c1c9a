"""The user-status panel: dashboard users (``a`` for all), oldest state change first.

A filter keeps the users it names and the agents of the calls it shows: a supervisor
who filters by a queue's or a caller's words is looking for who is on those calls. A
filter that leaves no user says so where the rows would be, so an empty panel is not
taken for an empty centre or a fault."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.theme import Theme
from textual.widgets import Static

from rtdash.api.models import PbxUser
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import RANK, OnCall, agent_state, count_agents
from rtdash.core.clock import Clock
from rtdash.core.row_order import start_key
from rtdash.core.shown_starts import ShownStarts
from rtdash.core.snapshot import UsersSnapshot
from rtdash.core.sorting import SortKey
from rtdash.ui.widgets.keyed_table import Cell, KeyedTable, RowSpec
from rtdash.ui.widgets.palette import counts_text
from rtdash.ui.widgets.rows_view import RowsView
from rtdash.ui.widgets.title_line import FOCUS_MARK, TitleLine
from rtdash.ui.widgets.user_columns import (
    COLUMNS,
    ColumnFit,
    fit_columns,
    shown_name,
    state_cells,
    state_legend,
    users_in_view,
)


def user_sorts(panel: UserPanel) -> tuple[SortKey[PbxUser], ...]:
    """``s``'s orders, by what the rows show: the time in state from the shown start (a
    call's end, where later than the PBX's), the state as the row says it (available,
    on a call, away). The default order stays the snapshot's own (the PBX's
    ``stateStartDatetime``), which costs nothing to apply."""

    def start(user: PbxUser) -> float:
        return start_key(panel.starts.start(user))

    def state(user: PbxUser) -> int:
        return RANK[agent_state(user, panel.on_call)]

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


def user_matches(user: PbxUser, needle: str, agents: OnCall | None = None) -> bool:
    """By the words the row shows (name, extension) or names it by, or as the agent of
    a call the filter shows (``agents``)."""
    needle = needle.lower()
    haystack = (user.display_name, user.operator_ref, user.extension, user.user_id)
    if any(needle in value.lower() for value in haystack if value):
        return True
    return agents is not None and agents.has(user)


def no_user_matches(needle: str) -> Text:
    """What the users panel says in its body when a filter leaves no user (the words
    as typed, never read as markup)."""
    return Text(f'No user matches "{needle}"', style="dim", no_wrap=True, overflow="ellipsis")


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
        #: the agents of the calls the filter shows: listed with the users it matches
        self.filter_agents: OnCall | None = None
        #: when each row's shown state began (a call's end, not the PBX's start):
        #: the feed's, which follows every calls poll
        self.starts = starts
        #: how the columns were last fitted to the users in view
        self._fit = ColumnFit()
        #: the users the table was last given (measured again on a scroll)
        self._in_table: tuple[PbxUser, ...] | None = None
        #: whether the title last said the states in words (the legend is then not needed)
        self._title_worded = True
        #: the filter the body says no user matches, while it leaves none
        self._none_for: str | None = None

    def show_on_call(self, on_call: OnCall) -> None:
        """Who is on a bridged call: their rows say "on a call", not "away", and are
        timed from the call's start or end (:attr:`starts`)."""
        before, self.on_call = self.on_call, on_call
        if before is not None and not any(on_call.flips_since(before)):
            return  # the same people on calls (known from the calls that changed)
        if before is None:
            self._refit_columns()  # the state's words are no longer the unavailable's
        if self.snapshot is not None:
            # the same users, some of them now on a call or off one: the rows on screen
            # are described again, the others when they come into view
            table = self.table
            if isinstance(table, KeyedTable):
                table.redescribe()
                self._show_title()
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
            moved=self._refit_columns,
            id="users-table",
        )
        # where the rows would be, while a filter leaves none (styles: -none-match)
        yield Static(id="users-none")
        # a Static: its text changes only when the calls become known or unknown, so
        # Textual's way to the screen costs once
        yield Static(state_legend(), id="users-legend")

    def on_mount(self) -> None:
        super().on_mount()
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def _restyle(self, _theme: Theme) -> None:
        """A theme picked while running: the states' hues are the palette's for it now
        (the app's, set before this is told), and the rows on screen say them."""
        self.query_one("#users-legend", Static).update(state_legend(self._fit.calls_known))
        table = self.table
        if isinstance(table, KeyedTable):  # the benchmark's DataTable keeps its own
            table.redescribe()
        self._show_title()

    @property
    def table(self) -> KeyedTable[PbxUser]:
        # by id, not type: the benchmark's baseline puts a stock DataTable here
        return cast("KeyedTable[PbxUser]", self.query_one("#users-table"))

    def sorted_tables(self) -> list[KeyedTable[PbxUser]]:
        return [self.table]

    def header_labels(self) -> dict[str, str]:
        """No arrow in the default order: that is the PBX's (its state start), and an
        agent off a call shows a later time than the PBX's, so "In state ↓" would
        promise an order the rows do not keep. Over the states' symbols alone, no word
        (the arrow alone when sorted by state): a word there takes the names' room."""
        if self.sort.is_default:
            labels = {column.key: column.label for column in self.columns}
        else:
            labels = super().header_labels()
        if not self._fit.worded:
            labels["state"] = self.sort.arrow if self.sort.column == "state" else ""
        return labels

    def set_filter(self, text: str, agents: OnCall | None = None) -> None:
        """Show the users ``text`` matches and the agents of the calls it shows
        (``agents``: none for a queue's filter, which keeps every user); the same again
        redraws nothing."""
        text = text.strip()
        if text == self.filter_text and agents == self.filter_agents:
            return
        self.filter_agents = agents
        self.filter_text = text
        self.render_rows()

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
            text, agents = self.filter_text, self.filter_agents
            users = tuple(user for user in users if user_matches(user, text, agents))
        return self.sort.apply(users)

    def render_rows(self) -> None:
        if self.snapshot is None:
            return
        users = self.shown_users()
        self._fit_columns(users)
        self.reconcile(self.table, users)
        self._show_title()
        self._say_none_match(self.filter_text if self.filter_text and not users else None)

    def _say_none_match(self, needle: str | None) -> None:
        """Under the header, while the filter ``needle`` leaves no user, the words that
        say so: the title's count of none alone, over blank rows, read as a fault."""
        if needle == self._none_for:
            return
        self._none_for = needle
        if needle is not None:
            self.query_one("#users-none", Static).update(no_user_matches(needle))
        self.set_class(needle is not None, "-none-match")

    def _fit_columns(self, users: tuple[PbxUser, ...]) -> None:
        """The extension's and state's columns fitted to the users the table can show
        now (:func:`~.user_columns.fit_columns`), before the rows are drawn at them."""
        self._in_table = users
        table = self.table
        if not isinstance(table, KeyedTable):
            return  # the benchmark's baseline and peer: their tables size their own columns
        # the legend's line, while it shows, counts as the table's: it shows because of
        # the users in view, who must not change as it comes and goes
        lent = 1 if self.query_one("#users-legend").display else 0
        in_view = users_in_view(table, users, lent)
        fit = fit_columns(table, in_view, calls_known=self.on_call is not None)
        if fit == self._fit:
            return
        words_changed = fit.worded != self._fit.worded
        if fit.calls_known != self._fit.calls_known:
            self.query_one("#users-legend", Static).update(state_legend(fit.calls_known))
        self._fit = fit
        # the new widths lay the table out again, which tells ``moved``: the same users
        # are in view, and measuring them again would be for nothing
        self._in_table = None
        table.set_own_widths(fit.widths())
        self._in_table = users
        if words_changed:
            table.redescribe()  # the rows on screen, in the state's words or symbols
            self.show_sort()
            self._show_title()

    def _refit_columns(self) -> None:
        """The table scrolled or resized: other users are in view (paused, no poll
        would come to fit the columns to them)."""
        if self._in_table is not None and self.is_attached:
            self._fit_columns(self._in_table)

    def _row(self, user: PbxUser) -> RowSpec:
        state = agent_state(user, self.on_call)
        states = state_cells(self._fit.worded)
        cells: dict[str, Cell] = {
            "name": shown_name(user),
            "ext": user.extension or "",
            "state": states[state],
        }
        return RowSpec(user.user_id, cells, {"in_state": self.starts.start(user)})

    def mark_focus(self) -> None:
        """The panel is marked in its title while its table has the focus, as the call
        group with the focus is: the row highlight alone is easy to lose over SSH."""
        self._show_title()

    def on_resize(self) -> None:
        self._show_title()

    def _show_title(self) -> None:
        """The title, and under the table the states' legend where neither the title
        nor the rows say the states in words (the title's counts by their symbols, the
        rows' states by theirs): a supervisor new to the symbols reads them there,
        at the cost of one row, without leaving the screen."""
        self._set_title("users-title", self._title())
        legend = self.query_one("#users-legend")
        needed = not self._fit.worded and not self._title_worded
        if legend.display != needed:
            legend.display = needed

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
            text.append_text(counts_text(counts, worded=worded))
            text.append("  (all users)" if self.show_all else "", style="italic")
            if not width or text.cell_len <= width:
                break
        self._title_worded = worded
        if self.filter_text:
            # how many it left, as the call groups say it (an empty table is explained),
            # the count before the words typed: a long filter is cut, never the count
            shown, total = len(self.shown_users()), len(self.snapshot.visible(self.show_all))
            text.append(f"  {shown} of {total} (filter: {self.filter_text})", style="italic")
            if width and text.cell_len > width:
                text.truncate(width, overflow="ellipsis")
        return text
