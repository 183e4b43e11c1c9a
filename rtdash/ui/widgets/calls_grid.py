"""The active-calls grid: one keyed table per state, longest waiting first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from rtdash.api.models import ActiveCall, CallState, ticked
from rtdash.core.clock import Clock
from rtdash.core.format import caller_label, duration
from rtdash.core.group_layout import GroupLines, plan_groups, settled
from rtdash.core.labels import CALL_LABELS
from rtdash.core.phone import number_needles
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot
from rtdash.core.thresholds import Thresholds
from rtdash.ui.widgets.call_sorts import CALL_SORTS, call_key, call_matches
from rtdash.ui.widgets.caller_width import CALLER_WIDTH, CallerWidth
from rtdash.ui.widgets.focus_keeper import FocusKeeper
from rtdash.ui.widgets.keyed_table import Cell, Column, KeyedTable, RowSpec
from rtdash.ui.widgets.palette import wait_cell
from rtdash.ui.widgets.rows_view import RowsView
from rtdash.ui.widgets.short_screen import COMPACT, WIDE_FROM
from rtdash.ui.widgets.table_size import floor_width
from rtdash.ui.widgets.title_line import FOCUS_MARK, TitleLine

if TYPE_CHECKING:
    from datetime import datetime

#: The times lead: they are what a supervisor scans (and the default sort), and they
#: change every second. Textual sends a changed cell with everything left of it in the
#: same widget, so times on the left cost a tick a few characters a row, not the row.
#: The agent's column grows first, to a typical full name ("Amelia Thompson"): a narrow
#: terminal has few characters to spare, and the agent's name is what a supervisor acts
#: on; the line's name, which the queue beside it mostly says again, grows after it.
COLUMNS = (
    Column("in_state", CALL_LABELS["in_state"], 8, ticking=True),
    Column("total", CALL_LABELS["total"], 7, ticking=True),
    Column("caller", CALL_LABELS["src_number"], CALLER_WIDTH),
    Column("line", CALL_LABELS["dgrp_name"], 12, grow=12),
    Column("queue", CALL_LABELS["queue"], 8, grow=6),
    Column("agent", CALL_LABELS["agent_name"], 12, grow=14, grow_first=3),
)

#: each group's title, drawn in its state's hue by the TCSS (``#title-ringing`` …), which
#: picks darker hues for a light theme
STATE_TITLES = {
    CallState.RINGING: "☎ Ringing",
    CallState.QUEUEING: "◷ Queueing",
    CallState.BRIDGED: "⇄ Bridged",
}
#: the keys that put the cursor on a row, or a group's first row, of the user's choice
CURSOR_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end", "tab", "shift+tab"})
#: each group's table, by the id it is made with (``calls-ringing`` …)
_STATE_OF_TABLE = {f"calls-{state}": state for state in STATE_TITLES}


class CallsGrid(RowsView):
    """Sections Ringing, Queueing, Bridged, each with a count in its header."""

    noun = "calls"
    columns = COLUMNS

    def __init__(
        self,
        *,
        clock: Clock,
        thresholds: Thresholds,
        pii_excluded: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(CALL_SORTS, **kwargs)
        self.clock = clock
        self.thresholds = thresholds
        self.pii_excluded = pii_excluded
        self.snapshot: CallsSnapshot | None = None
        self._number_needles: tuple[str, ...] = ()
        #: calls shown per group, and the heights last set (see fit_groups)
        self._counts: tuple[int, int, int] = (0, 0, 0)
        self._heights: dict[str | None, int | None] = {}
        #: the lines laid out last, and since when (monotonic) another share has been
        #: wanted and held back (see rtdash.core.group_layout.settled)
        self._lines: GroupLines | None = None
        self._held_since: float | None = None
        self._caller_width = CALLER_WIDTH
        self._callers = CallerWidth(pii_excluded=pii_excluded)
        self._focus_keeper = FocusKeeper(self)
        #: a key or a click in the tables since the focus was last put on one for the
        #: user: only a row they chose is followed into another group (see _follow)
        self.cursor_chosen = False

    def set_filter(self, text: str, default_region: str | None = None) -> None:
        """``default_region`` reads a number typed in national form (``07700 900972``)."""
        self._number_needles = number_needles(text, default_region)
        super().set_filter(text)

    def compose(self) -> ComposeResult:
        yield Static(id="calls-too-narrow")  # shown in the tables' place (_fit_or_say)
        for state in CALL_STATES:
            yield TitleLine(self._title(state, None), id=f"title-{state}", classes="group-title")
            yield KeyedTable(
                COLUMNS,
                key=call_key,
                describe=self._row,
                clock=self.clock,
                ticker=self._ticker_for(state),
                past_end=self._to_the_next_group,
                moved=self._refit_callers,
                id=f"calls-{state}",
                classes=f"calls-table calls-{state}",
            )

    def on_key(self, event: events.Key) -> None:
        if event.key in CURSOR_KEYS:
            self.cursor_chosen = True

    def on_click(self) -> None:
        self.cursor_chosen = True

    def on_resize(self) -> None:
        self.share_header()
        self._fit_or_say()
        self._widen_caller()
        self.fit_groups()

    def share_header(self) -> None:
        """The groups share the first table's column header where lines are few: on a
        narrow terminal, and in a view too short for its tiles (:data:`COMPACT`)."""
        shared = self.app.size.width < WIDE_FROM or any(
            node.has_class(COMPACT) for node in self.ancestors
        )
        for state in CALL_STATES[1:]:
            self.table(state).show_header = not shared

    def _fit_or_say(self) -> None:
        """In a terminal too narrow for the tables even with every name cut down to its
        header word, a line that says how wide it must be, in their place. Narrower,
        the screen's edge cut the last columns off with no sign (the agent, then the
        queue, went without a word), and the only room left to take was from the
        times and the numbers, where a cut one reads as another."""
        room = self.content_size.width
        short = self._floor() - room if room else 0
        if short > 0:
            wanted = self.app.size.width + short
            # short enough for one line of a terminal this narrow: the grid may give it
            # only one, and a sentence cut before "the calls" says nothing of them
            note = Text(f"Widen to {wanted} columns to see the calls.")
            self.query_one("#calls-too-narrow", Static).update(note)
        self._focus_keeper.follow(hidden=short > 0)
        self.set_class(short > 0, "-too-narrow")

    def fit_groups(self, *, steady: bool = False) -> None:
        """Waiting callers get the lines they need first, Bridged the rest; stacked (a
        narrow terminal), the grid takes lines from the users panel below when the
        waiting calls need them (:mod:`rtdash.core.group_layout`). ``steady``: a poll's
        new counts, where a share that hides no waiting caller is held a while (a
        resize or a move of the cursor lays the groups out at once)."""
        if self.parent is None or not isinstance(self.parent, Widget):
            return
        stacked = self.app.size.width < WIDE_FROM
        if self.has_class("-too-narrow"):
            self._set_height(self, None)  # the note's lines alone (the style sheet)
            return
        ringing, queueing, _ = tables = self.tables
        fixed = len(tables) + sum(table.header_height for table in tables)
        state = self.focused_state()
        focus = str(state) if state is not None else None
        focused = self.screen.focused if self.is_attached else None
        if focused is not None and focused.id == "users-table":
            focus = "users"
        space = self.parent.content_size.height
        lines = plan_groups(space, self._counts, fixed, stacked=stacked, focus=focus)
        if steady:
            now = self.clock.monotonic()
            apply, self._held_since = settled(
                self._lines, self._counts, lines, self._held_since, now
            )
            if not apply:
                return
        self._lines, self._held_since = lines, None
        self._set_height(self, lines.grid if stacked else None)
        self._set_height(ringing, ringing.header_height + lines.ringing)
        self._set_height(queueing, queueing.header_height + lines.queueing)

    def _set_height(self, widget: Widget, lines: int | None) -> None:
        """Only a height that changed is set: each one costs a layout."""
        if self._heights.get(widget.id) == lines:
            return
        self._heights[widget.id] = lines
        if lines is None:
            widget.styles.clear_rule("height")
        else:
            widget.styles.height = lines

    def table(self, state: CallState) -> KeyedTable[ActiveCall]:
        # by id, not type: the benchmark's baseline puts a stock DataTable here
        return cast("KeyedTable[ActiveCall]", self.query_one(f"#calls-{state}"))

    @property
    def tables(self) -> list[KeyedTable[ActiveCall]]:
        return [self.table(state) for state in CALL_STATES]

    def sorted_tables(self) -> list[KeyedTable[ActiveCall]]:
        return self.tables

    def _to_the_next_group(self, table: KeyedTable[ActiveCall], step: int) -> None:
        """Down past a group's last call goes on to the first call of the next group that
        has calls (up, to the last of the one before): a group that has just emptied (the
        one caller ringing was answered) does not leave the keyboard stuck in it. The
        focus moves now (``set_focus``, not ``focus``, which waits a turn of the loop), so
        an Enter typed with the Down opens the call the cursor moved to."""
        tables = self.tables
        index = tables.index(table)
        onward = tables[index + 1 :] if step > 0 else tables[:index][::-1]
        target = next((candidate for candidate in onward if candidate.row_count), None)
        if target is None:
            return
        self.screen.set_focus(target)
        target.move_cursor(row=0 if step > 0 else target.row_count - 1)

    def selected_call(self) -> ActiveCall | None:
        if self.snapshot is None:
            return None
        for state in CALL_STATES:
            table = self.table(state)
            if table.has_focus:
                key = table.selected_key
                return next((c for c in self.snapshot.groups[state] if c.call_ref == key), None)
        return None

    def tick(self) -> None:
        for table in self.tables:
            table.tick()
        if self._held_since is not None:  # a share held back, due once a quiet while is up
            self.fit_groups(steady=True)

    # --- rendering ------------------------------------------------------------------

    def shown(self, state: CallState) -> tuple[ActiveCall, ...]:
        """The calls of one group as the table shows them: filtered and sorted."""
        if self.snapshot is None:
            return ()
        calls = self.snapshot.groups[state]
        if self.filter_text:
            text, numbers = self.filter_text, self._number_needles
            calls = tuple(call for call in calls if call_matches(call, text, numbers))
        return self.sort.apply(calls)

    def shown_calls(self) -> list[ActiveCall]:
        return [call for state in CALL_STATES for call in self.shown(state)]

    def export_calls(self, now: datetime) -> list[ActiveCall]:
        """The calls shown, their durations brought to ``now``, the time the export's
        "In state" is counted to and the screen's Total shows: a call whose durations
        only ticked is held from the poll that read them (see ``ticked``), and the
        last poll's own time would leave them seconds behind the row's other times."""
        return [ticked(call, now) for call in self.shown_calls()]

    def render_rows(self) -> None:
        if self.snapshot is None:
            return
        shown = {state: self.shown(state) for state in CALL_STATES}
        self._fit_callers(shown)
        selected = self._selected_key()
        counts = []
        for state in CALL_STATES:
            calls = shown[state]
            counts.append(len(calls))
            self.reconcile(self.table(state), calls)
            self._set_title(f"title-{state}", self._title(state, len(calls)))
        if selected is not None:
            self._follow(selected, shown)
        if tuple(counts) != self._counts or self._held_since is not None:
            self._counts = (counts[0], counts[1], counts[2])
            self.fit_groups(steady=True)

    def _selected_key(self) -> str | None:
        """The callRef under the cursor of this grid's group with the focus, if the user
        chose it (the focus's id alone names a table of any installation's grid, shown
        or not). The cursor the dashboard starts with, on the first ringing call, is
        not a choice: followed into Bridged, it scrolled an untouched screen's longest
        calls out of view."""
        if not self.cursor_chosen:
            return None
        state = self.focused_state()
        table = None if state is None else self.table(state)
        if not isinstance(table, KeyedTable) or not table.has_focus:
            return None
        return table.selected_key

    def _follow(self, key: str, shown: dict[CallState, tuple[ActiveCall, ...]]) -> None:
        """The selected call moved to another group (answered): the focus and cursor go
        with it, not to the next caller of the old group, whom an Enter would look up.
        A call that ended leaves the cursor on its neighbour, as in any list."""
        state = self.focused_state()
        if state is None or self.table(state).selected_key == key:
            return
        for other in CALL_STATES:
            index = next((i for i, call in enumerate(shown[other]) if call.call_ref == key), None)
            if index is not None and other is not state:
                target = self.table(other)
                self.screen.set_focus(target)
                target.move_cursor(row=index)
                return

    def _fit_callers(self, shown: dict[CallState, tuple[ActiveCall, ...]]) -> None:
        """The Caller column as wide as the longest number among the calls in view
        (:class:`CallerWidth`), in every group's table alike, so they stay in line. The
        room it takes is room the names would have grown into; where there is none,
        the names give it up (a cut name still reads as that name, a cut number as
        another number)."""
        self._callers.measure(shown, self.table)
        self._widen_caller()

    def _refit_callers(self) -> None:
        """A table scrolled or resized: other calls of those it was given are in view,
        measured as a poll's are (paused, no poll would come to widen the column)."""
        if self._callers.in_tables is not None and self.is_attached:
            self._fit_callers(self._callers.in_tables)

    def _widen_caller(self) -> None:
        width = self._callers.wanted(self.content_size.width, self._floor())
        if width != self._caller_width:
            self._caller_width = width
            for table in self.tables:
                table.set_own_widths({"caller": width})

    def _floor(self) -> int:
        """The narrowest the tables can be, every name at its header word and the
        Caller at its declared width (the grid's own columns, not a table's: a table
        in a benchmark's place may be another kind)."""
        return floor_width(self.table(CALL_STATES[0]), COLUMNS)

    def _row(self, call: ActiveCall) -> RowSpec:
        cells: dict[str, Cell] = {
            "caller": caller_label(call.src_number, self.pii_excluded),
            "line": call.dgrp_name or call.dgrp or "",
            "queue": call.queue or "",
            "agent": (call.agent_name or call.agent_ref or "")
            if call.state is CallState.BRIDGED
            else "",
        }
        since = {"in_state": call.state_start, "total": call.call_start or call.state_start}
        return RowSpec(call.call_ref, cells, since)

    def focused_state(self) -> CallState | None:
        """The group whose table has the focus, read from the focus's id: the titles ask
        on every poll, and a query of the tables would cost each of them one."""
        focused = self.screen.focused if self.is_attached else None
        return _STATE_OF_TABLE.get(focused.id or "") if focused is not None else None

    def focused_group(self) -> str | None:
        """The group the focus is in ("Queueing"), if it shows no call."""
        state = self.focused_state()
        if state is None or self.table(state).row_count:
            return None
        return state.value.capitalize()

    def mark_focus(self) -> None:
        """The group the focus is in is marked in its title: an empty group shows no
        cursor, and Tab may land on one (a group of no calls is still a place)."""
        counts = self._counts if self.snapshot is not None else (None, None, None)
        for state, count in zip(CALL_STATES, counts, strict=True):
            self._set_title(f"title-{state}", self._title(state, count))

    def _title(self, state: CallState, count: int | None) -> Text:
        mark = FOCUS_MARK if state is self.focused_state() else " "
        text = Text(f"{mark}{STATE_TITLES[state]} ", style="bold")
        if count is not None:
            shown = f"{count}"
            if self.filter_text and self.snapshot is not None:
                shown = f"{count} of {self.snapshot.count(state)} (filter: {self.filter_text})"
            text.append(shown, style="bold")
        return text

    def _ticker_for(self, state: CallState) -> Callable[[str, float | None], Cell]:
        waiting = state is not CallState.BRIDGED

        def ticker(column: str, seconds: float | None) -> Cell:
            if waiting and column == "total":
                return wait_cell(seconds, self.thresholds)
            return duration(seconds)

        return ticker
