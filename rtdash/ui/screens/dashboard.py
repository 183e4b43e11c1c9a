"""The main screen: the dashboards (one per installation), a filter line, the Footer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.notifications import Notification
from textual.widgets import Input

from rtdash.constants import INTERVAL_STEPS
from rtdash.core.queues import queue_filter
from rtdash.ui.commands import LIVE, bindings, key_label
from rtdash.ui.screens.dashboard_export import ExportingScreen
from rtdash.ui.screens.dashboard_words import agents_caller, nothing_to_open
from rtdash.ui.screens.first_frame import FirstFrameScreen
from rtdash.ui.screens.views import INSTALLATION_KEYS
from rtdash.ui.textual_internals import withdraw_notification
from rtdash.ui.typeahead import HandingOnInput
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.filter_line import FilterLine
from rtdash.ui.widgets.keyed_table import KeyedTable
from rtdash.ui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from rtdash.ui.widgets.rows_view import RowsView

__all__ = ["INTERVAL_STEPS", "DashboardScreen"]

#: Enter or the lookup key in a replay: the lookup asks the live service
REPLAY_HAS_NO_LOOKUP = (
    "A recording has no caller lookup: it asks the live service (rtdash, not rtdash replay)."
)


#: what ``S`` says it went back to
DEFAULT_ORDER = "default order: calls longest first, users as the PBX orders them"


class DashboardScreen(FirstFrameScreen, ExportingScreen):
    BINDINGS = [*bindings(LIVE), *INSTALLATION_KEYS]

    def __init__(
        self,
        dashboards: list[Dashboard],
        *,
        default_region: str = "GB",
        export_dir: Path = Path("."),
    ) -> None:
        super().__init__(list(dashboards))
        self.default_region = default_region
        self.export_dir = export_dir
        self.exported: list[Path] = []
        #: each installation's filter as typed, by its place in ``views``: a filter
        #: belongs to the installation it was set on (see :meth:`after_switch`)
        self._filters = [""] * len(self.views)
        #: toasts saying why an Enter opened no lookup, taken down when one opens
        self._not_opened: list[Notification] = []
        #: the filter line, once first wanted; held, not queried: its box is in the DOM
        #: only once the line has mounted, after keys typed with the "/" are handled
        self._filter_line: FilterLine | None = None
        self.start_at_breakpoints()

    @property
    def dashboard(self) -> Dashboard:
        view = self.view
        assert isinstance(view, Dashboard)
        return view

    def compose(self) -> ComposeResult:
        yield from self.compose_views()
        # the filter line (#filter) is made when first asked for: _filter_box
        yield from self.compose_bottom()
        yield SteadyFooter()

    def compose_bottom(self) -> ComposeResult:
        """Hook: a line above the Footer (a replay's position bar)."""
        yield from ()

    def on_mount(self) -> None:
        super().on_mount()
        self.dashboard.focus_first_table()
        for view in self.views:
            if isinstance(view, Dashboard):
                view.calls_shown = self._calls_shown

    def _filter_box(self) -> Input:
        """The filter line, mounted the first time it is wanted: most starts never
        filter, and an Input is a widget, its styles and a cursor's timer the first
        frame need not wait for."""
        if self._filter_line is not None:
            return self._filter_line.box
        # not selected on focus: words typed with the / are in it before its focus
        # event, which would select them for the next key to replace (action_filter
        # selects an old filter itself)
        box = HandingOnInput(
            hand_on=self._filter_entered,
            placeholder="Filter calls and users (Esc clears)",
            id="filter",
            select_on_focus=False,
        )
        self._filter_line = FilterLine(box)
        self.mount(self._filter_line, after=self.query_one("#views"))
        return box

    def _filter_text(self) -> str:
        """The filter as typed ("" while there is no filter line)."""
        return self._filter_line.box.value if self._filter_line is not None else ""

    def release_paint(self) -> None:
        """The first frame, with the data; the Footer's keys right after it."""
        super().release_paint()
        for footer in self.query(SteadyFooter):
            # after the paint; in the footer's own context, where its keys bind to it
            self.call_after_refresh(footer.call_later, footer.recompose)

    def after_switch(self) -> None:
        self._show_own_filter()
        self.dashboard.focus_first_table()

    def _show_own_filter(self) -> None:
        """The installation shown keeps its own filter, and the filter line shows it.

        A filter is words about one installation's calls: its queues (another's are
        named otherwise), its callers, its agents. Carried over, it hid the other's
        calls behind a queue it does not have; each keeps its own, so a supervisor
        back on the first finds it as they left it."""
        text = self._filters[self.current]
        if self._filter_line is not None:
            box = self._filter_line.box
            box.value = text  # its Changed applies it to this installation: no change
            self._show_box(box, bool(text))
        self._apply_filter(text)

    # --- lookups --------------------------------------------------------------------

    def action_lookup_selected(self) -> None:
        grid = self.dashboard.grid
        focused = self.focused
        if focused is not None and focused.id == "users-table":
            self._lookup_agents_caller()
            return
        call = grid.selected_call()
        if call is None:
            # the filter's words are the user's: shown as typed, never read as markup
            self._say_not_opened(nothing_to_open(self.dashboard))
            return
        self._open_lookup(call.call_ref)

    def _say_not_opened(self, why: str) -> None:
        """A toast saying why an Enter opened no lookup, kept to be taken down when one
        opens (those gone by themselves are forgotten, so a day of them holds none)."""
        kept = [toast for toast in self._not_opened if not toast.has_expired]
        self._not_opened = [*kept, self.notify_installation(why)]

    def _calls_shown(self) -> None:
        """A toast saying "Ringing has no calls now" (or "No call matches the filter")
        is wrong once the group with the focus shows a call: Enter opens it now, and
        the toast is taken down rather than left to say otherwise for its seconds."""
        if not self._not_opened:
            return
        table = self.focused
        if isinstance(table, KeyedTable) and table.has_class("calls-table") and table.row_count:
            self._withdraw_not_opened()

    def _withdraw_not_opened(self) -> None:
        for toast in self._not_opened:
            withdraw_notification(self.app, toast)
        self._not_opened.clear()

    def action_lookup_number(self) -> None:
        self._open_lookup(None)

    @on(KeyedTable.RowSelected, "#users-table")
    def _user_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        self._lookup_agents_caller()

    def _lookup_agents_caller(self) -> None:
        call_ref, why = agents_caller(self.dashboard)
        if why is not None:
            self._say_not_opened(why)  # a name: never read as markup
        elif call_ref is not None:
            self._open_lookup(call_ref)

    @on(KeyedTable.RowSelected, ".calls-table")
    def _row_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        self.action_lookup_selected()

    def _open_lookup(self, call_ref: str | None) -> None:
        from rtdash.ui.screens.lookup import LookupScreen  # off the start-up path

        client = self.dashboard.client
        if client is None:  # a replay: said, so the key learnt on the dashboard is not dead
            self.notify(REPLAY_HAS_NO_LOOKUP, severity="warning")
            return
        if not client.credentials.usable:  # a hub viewer needs none to watch
            self.notify(
                "Lookups ask the service directly and need your own credentials: set "
                "RTDASH_USERNAME and RTDASH_PASSWORD, or RTDASH_API_KEY.",
                title="No credentials",
                severity="warning",
            )
            return

        # "Lily Moore is not on a call" is answered now, and stood over the dialog it hid
        # the lines under it (at 80x24, who answered)
        self._withdraw_not_opened()
        self.app.push_screen(
            LookupScreen(
                client,
                call_ref=call_ref,
                default_region=self.default_region,
                pii_excluded=self.dashboard.exclude_pii,
                feed=self.dashboard.feed,  # a live call's durations tick with the board
            )
        )

    # --- view -----------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self._filter_box()
        self._show_box(box, True)
        box.select_all()  # a new filter replaces the old, as selected on focus would
        self.set_focus(box)  # now: words typed with the / go into it (rtdash.ui.typeahead)

    def _show_box(self, box: Input, shown: bool) -> None:
        """The filter line shown or hidden: the status bar above it moves without a
        change of size, so the toasts are stood on its top line again once laid out
        (over it, a toast covered the filter words and the status, the credentials'
        hint included)."""
        # (a box just made is shown already: it moved the bar too)
        if self._filter_line is not None:
            self._filter_line.show(shown)
        self.call_after_refresh(self.dashboard.status_bar.keep_toasts_above)

    def _apply_filter(self, text: str) -> None:
        """The installation shown filtered by ``text``: its calls and its users. Why an
        Enter opened nothing ("No call matches the filter 'x': Esc clears it") was said
        of the last filter's view: with another filter it is wrong, and it is taken down."""
        if text != self._filters[self.current]:
            self._withdraw_not_opened()
        self._filters[self.current] = text
        self.dashboard.set_filter(text, self.default_region)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # the box as it is now, not as this message says: the words typed with an Enter
        # were applied by the Enter itself (_filter_entered), ahead of their messages
        self._apply_filter(event.input.value)

    def _filter_entered(self) -> None:
        """The filter box's Enter, within its own binding: the words as typed filter
        now (their ``Changed`` messages may still be queued behind the Enter, as when
        typed at once), then the focus goes to the first group they leave calls in."""
        self._apply_filter(self._filter_text())
        self.dashboard.focus_first_table()
        board = self.dashboard
        if board.grid.filter_text and not board.grid.shown_calls():
            # said at once: the focus lands on an empty group, which shows no cursor
            self._say_not_opened(nothing_to_open(self.dashboard))

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        # the calls have the focus already: the box's Enter handed it on (_filter_box)
        if not event.value.strip():
            self._show_box(event.input, False)

    def key_escape(self) -> None:
        if self._filter_line is None or not self._filter_line.box.display:
            return
        box = self._filter_line.box
        focused = self.focused
        box.value = ""
        self._show_box(box, False)
        self._apply_filter("")  # now: the focus goes where the unfiltered calls are
        if focused is box or not isinstance(focused, KeyedTable):
            self.dashboard.focus_first_table()
        # else a table has the focus, on a row the user chose: it keeps both (every row
        # the filter showed is still there without it)

    def action_queues(self) -> None:
        from rtdash.ui.screens.queues import QueuesScreen  # off the start-up path

        self.app.push_screen(QueuesScreen(self.dashboard), self._queue_chosen)

    def _queue_chosen(self, queue: str | None) -> None:
        """The queues view's Enter: the calls grid filtered to that queue, through the
        filter box (shown, so Esc clears it as any filter)."""
        self.refresh_bindings()  # paused or resumed in the view: the footer says which
        if queue is None:
            return
        box = self._filter_box()
        self._show_box(box, True)
        box.value = queue_filter(queue)
        self._apply_filter(box.value)
        self.dashboard.focus_first_table()

    def action_cycle_sort(self) -> None:
        focused = self.focused
        if isinstance(focused, KeyedTable) and focused.id == "users-table":
            note = self.dashboard.user_panel.cycle_sort()
        else:
            note = self.dashboard.grid.cycle_sort()
        self.dashboard.status_bar.set_note(note)

    def action_reset_sort(self) -> None:
        """Both tables back to their default order (the calls' arrow returns to "In
        state"; the users' order is the PBX's, with no arrow)."""
        self.dashboard.user_panel.reset_sort()
        self.dashboard.grid.reset_sort()
        self.dashboard.status_bar.set_note(DEFAULT_ORDER)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Beyond the registry's: "Sort calls by <column>", "Sort users by <column>"."""
        yield from super().palette_commands()
        board = self.dashboard
        keys: dict[str, str] = getattr(self.app, "current_keys", dict)()
        cycle = key_label(keys.get("sort", "s"))
        for panel, noun in ((board.grid, "calls"), (board.user_panel, "users")):
            for column in panel.sortable_columns():
                yield SystemCommand(
                    f"Sort {noun} by {column.label}",
                    f"Choose again to flip the order · key {cycle} cycles the columns",
                    lambda panel=panel, name=column.key: self._sort_by(panel, name),
                )

    def _sort_by(self, panel: RowsView, name: str) -> None:
        self.dashboard.status_bar.set_note(panel.sort_by(name))

    def action_toggle_all_users(self) -> None:
        shown_all = self.dashboard.user_panel.toggle_all()
        # the headline's agents are the dashboard's whatever the panel lists: said here,
        # where the panel's counts and the headline's can first differ
        note = "all users; headline: dashboard" if shown_all else None
        self.dashboard.status_bar.set_note(note or "dashboard users only")

    # --- polling --------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        self.dashboard.poller.toggle_pause()

    def action_refresh(self) -> None:
        self.dashboard.poller.refresh_now()
        self.dashboard.status_bar.set_note("refreshing…", until_polled=True)
