"""The caller-lookup modal: keyboard first, from the selected call or a typed number.

Every outcome (attribution, basic mode, no match, no PII permission, a bad number, an
upstream fault) is shown inside the modal, so the dashboard underneath is never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from rtdash.api import errors
from rtdash.api.client import InfinityClient
from rtdash.api.models import CallerDetails, details_ticked
from rtdash.api.row_types import in_progress
from rtdash.core.answered_by import answered_by
from rtdash.core.call_row_fields import FollowedRow, Section, Sign, call_states
from rtdash.core.caller_sections import details_sections, details_text
from rtdash.core.feed import FeedChange, FeedConsumer, LiveFeed
from rtdash.core.format import caller_label
from rtdash.core.naming import label_for
from rtdash.core.phone import InvalidLookup, LookupQuery, parse_lookup, spelled_as_live
from rtdash.core.snapshot import CallsSnapshot
from rtdash.ui.screens.lookup_view import PII_REFUSED, PROMPT, details_view
from rtdash.ui.shell import MODAL_STYLES
from rtdash.ui.typeahead import NEWLINE, TypeaheadInput, type_character
from rtdash.ui.widgets.fold_scroll import FoldScroll

log = logging.getLogger(__name__)
#: the keys besides characters that a lookup opened just now takes typed ahead
TYPING_KEYS = ("enter", NEWLINE, "backspace")

#: keys that start a number: typed over a lookup's results, they begin the next one
NUMBER_STARTS = frozenset("+0123456789")


class _Ticks(FeedConsumer):
    """The lookup's subscription to the dashboard's feed: its once-a-second tick, so a
    live call's durations move with the dashboard's times, on the same clock; and its
    polls, so a call that is answered or ends is asked about again."""

    def __init__(self, screen: LookupScreen) -> None:
        self.screen = screen

    def feed_changed(self, feed: LiveFeed, change: FeedChange) -> None:
        if change.tick:
            self.screen.tick()
        if change.calls and feed.calls is not None:
            self.screen.calls_changed(feed.calls)


class LookupScreen(ModalScreen[None]):
    CSS_PATH = MODAL_STYLES  # read when the first dialog opens
    BINDINGS = [
        Binding("escape", "close", "Close", id="lookup_close"),
        Binding("y", "copy", "Copy details", id="lookup_copy"),
        Binding("n", "new_lookup", "New lookup", id="lookup_new"),
    ]

    def __init__(
        self,
        client: InfinityClient,
        *,
        call_ref: str | None = None,
        default_region: str = "GB",
        pii_excluded: bool = False,
        feed: LiveFeed | None = None,
    ) -> None:
        """``feed``: the live feed of the installation on screen, whose tick and clock
        the durations of a call still going on follow (without one they show as read)."""
        super().__init__()
        self.client = client
        self.feed = feed
        self.call_ref = call_ref
        self.default_region = default_region
        self.pii_excluded = pii_excluded
        #: the answer as read; what is shown is it brought forward (see shown_details)
        self.details: CallerDetails | None = None
        #: the details last drawn: a tick that changes no duration draws nothing
        self._drawn: CallerDetails | None = None
        #: the dashboard's row of the shown call, and its section as last drawn
        self.row = FollowedRow(feed)
        self._drawn_row: Section | None = None
        #: what the shown answer was asked with, and its call's rows' states on the
        #: dashboard then (see calls_changed)
        self._asked: LookupQuery | None = None
        self._states: Sign | None = None
        #: who answered the shown call, by name, from the dashboard's own data
        self.answered_by_name: str | None = None
        self.outcome: str = "idle"
        #: keys typed ahead before the input was ready (see take_typed), typed into it
        #: in order once it is (on_mount)
        self._typed_ahead: list[tuple[str, str | None]] = []
        self._input_ready = False
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        # the dialog itself scrolls, so it is only as tall as its content up to the
        # screen's; the docked head (title and input) stays in view while the details
        # scroll, and a line at its foot says how much is below
        with FoldScroll(id="lookup-dialog"):
            with Vertical(id="lookup-head"):
                yield Label("Caller lookup", id="lookup-title")
                # not selected on focus: keys typed ahead (see take_typed) may be in it
                # before its focus lands, and the next key would replace them
                yield TypeaheadInput(
                    placeholder="Phone number (07700 900123, +44…) or call reference",
                    id="lookup-input",
                    select_on_focus=False,
                )
            yield Static(id="lookup-result")
        yield Footer()

    def on_mount(self) -> None:
        if self.feed is not None:
            self._unsubscribe = self.feed.subscribe(_Ticks(self))
        lookup_input = self.query_one(Input)
        if self.pii_excluded or self.call_ref:
            # a hidden input must not keep the focus, or it would swallow y and n
            lookup_input.display = False
            lookup_input.disabled = True
            self.query_one("#lookup-dialog").focus()
        if self.pii_excluded:
            self._show_message(PII_REFUSED, "refused")
            return
        if self.call_ref:
            self._start(LookupQuery(call_ref=self.call_ref, number=None))
        else:
            self._show_message(PROMPT, "idle")
            self.set_focus(lookup_input)  # now: keys typed ahead are typed into it
            typed, self._typed_ahead = self._typed_ahead, []
            self._input_ready = True
            for key, character in typed:
                self._type(lookup_input, key, character)

    def take_typed(self, event: events.Key) -> bool:
        """A key typed with the ``l`` that opened this (the number at once), come back to
        the app unhandled (see :mod:`rtdash.ui.typeahead`) before the input was made or
        had the focus: typed into it; True when taken. Only before anything was looked
        up: after a lookup, y, n and Esc are its results' keys, and a digit or "+" starts
        the next number, as ``n`` then that key would (it was dropped without a word)."""
        if self.pii_excluded:
            return False
        if not (event.is_printable and event.character) and event.key not in TYPING_KEYS:
            return False
        if (
            event.character
            and event.character in NUMBER_STARTS
            and self.outcome not in ("idle", "loading")
            and not self.query_one(Input).has_focus
        ):
            self.action_new_lookup()
            self._type(self.query_one(Input), event.key, event.character)
            return True
        if self.call_ref:
            return False  # no input shown
        if not self._input_ready:  # not made, or made but not yet set up: in order later
            self._typed_ahead.append((event.key, event.character))
            return True
        lookup_input = self.query_one(Input)
        if (
            not lookup_input.display
            or lookup_input.disabled
            or self.focused is lookup_input  # Enter and Backspace: its own bindings'
            or self.outcome != "idle"
        ):
            return False
        self.set_focus(lookup_input)  # opened just now: the dialog had the focus
        self._type(lookup_input, event.key, event.character)
        return True

    def _type(self, lookup_input: Input, key: str, character: str | None) -> None:
        if key == "backspace":
            lookup_input.action_delete_left()
        elif key in ("enter", NEWLINE):
            self._submit(lookup_input.value)
        elif character:
            type_character(lookup_input, character)

    @on(Input.Submitted, "#lookup-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self._submit(event.value)

    def _submit(self, value: str) -> None:
        try:
            query = parse_lookup(value, self.default_region)
        except InvalidLookup as exc:
            # the message is about what was typed now: the last caller's title must not
            # sit above it as if it were theirs
            self._afresh(str(exc), "invalid", style="bold #D55E00")
            return
        if self.feed is not None and self.feed.calls is not None:
            query = spelled_as_live(query, (call.call_ref for call in self.feed.calls.calls))
        self._start(query)

    def _start(self, query: LookupQuery) -> None:
        what = f"call {query.call_ref}" if query.call_ref else caller_label(query.number)
        self.query_one("#lookup-title", Label).update(Text(f"Caller lookup — {what}"))
        self._show_message(f"Looking up {what}…", "loading")
        self._lookup(query, what)

    def calls_changed(self, snapshot: CallsSnapshot) -> None:
        """A poll: when the shown call was in progress and its rows' states moved (it
        was answered, or ended), the same question is asked again, and its answer
        replaces the shown one in place; until then the last answer stays. The row
        of the call on the dashboard is drawn as it is now (queued, then answered)."""
        self.tick()
        details, asked = self.details, self._asked
        if details is None or asked is None or not in_progress(details):
            return
        states = call_states(snapshot, details, asked)
        if states != self._states:
            self._states = states
            self._ask_again(asked)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _ask_again(self, query: LookupQuery) -> None:
        """The shown answer's question again, quietly: on any failure the shown answer
        stays (the next change asks again); a new lookup started meanwhile wins (one
        worker group: the later cancels this)."""
        try:
            details = await self.client.caller_details(
                call_ref=query.call_ref, src_number=query.number
            )
        except Exception as exc:
            # (not the number: a caller's number stays out of the log)
            log.info("asking again about the shown call failed (%s)", type(exc).__name__)
            return
        if details is not None and self.details is not None:
            self.details = details
            self.answered_by_name = self._name_of_who_answered(details, query)
            self._draw_details()

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _lookup(self, query: LookupQuery, what: str) -> None:
        try:
            details = await self.client.caller_details(
                call_ref=query.call_ref, src_number=query.number
            )
        except errors.PermissionDenied as exc:
            self._show_message(
                f"No permission to see caller details for this installation ({exc.message}). "
                "Ask an administrator for the PII data permission.",
                "denied",
                style="bold #D55E00",
            )
            return
        except errors.NotFound:
            self._no_match(query, what)
            return
        except errors.ApiError as exc:
            self._show_message(f"Lookup failed: {exc.message}", "error", style="bold #D55E00")
            return
        except Exception:  # never "Looking up…" for ever, whatever the answer held
            log.exception("lookup of %s failed", what)
            self._show_message(
                "Lookup failed: the answer could not be read (details in the log file).",
                "error",
                style="bold #D55E00",
            )
            return
        if details is None:
            self._no_match(query, what)
            return
        self.details = details
        self.outcome = details.mode
        self._asked = query
        self.row.follow(query.call_ref)  # asked by number: no row (it may be any call)
        self.answered_by_name = self._name_of_who_answered(details, query)
        calls = self.feed.calls if self.feed is not None else None
        self._states = None if calls is None else call_states(calls, details, query)
        names = getattr(self.app, "names", None)
        if names is not None:  # the service's name for the installation, for its tab
            names.learn(self.client.igrp, details.igrp_name)
        self._draw_details()
        # results take the focus so y (copy), n (new lookup) and Esc work at once
        self.query_one("#lookup-dialog").focus()
        self.refresh_bindings()

    def _name_of_who_answered(self, details: CallerDetails, query: LookupQuery) -> str | None:
        """Read when an answer arrives: who answered does not change while it is shown,
        and a re-asked answer (the call answered since) reads it again."""
        if self.feed is None:
            return None
        return answered_by(details, query.call_ref, self.feed.calls, self.feed.users)

    def _no_match(self, query: LookupQuery, what: str) -> None:
        """Said with the installation asked: a lookup asks the one on screen, and a
        supervisor watching two would otherwise read "no such caller" anywhere. A
        reference is "reference c-…", not ``what`` ("call c-…"): "no call matches call"
        says "call" twice."""
        names = getattr(self.app, "names", None)
        igrp = self.client.igrp
        where = names.label(igrp) if names is not None else label_for(igrp, None)
        matched = f"reference {query.call_ref}" if query.call_ref else what
        self._show_message(
            f"No call matches {matched} at {where} in the last 24 hours.", "no-match"
        )

    def _afresh(self, text: str, outcome: str, style: str = "") -> None:
        """A message about new input (a new lookup, a refused number): the last caller's
        title and details go with it, so nothing on screen names a caller the message is
        not about. One way for ``n`` and a refusal, so they cannot drift apart."""
        self.query_one("#lookup-title", Label).update(Text("Caller lookup"))
        self._show_message(text, outcome, style)

    def _show_message(self, text: str, outcome: str, style: str = "") -> None:
        self.outcome = outcome
        self.details = self._drawn = self._asked = self._states = self.answered_by_name = None
        self._drawn_row = None
        self.row.follow(None)
        self.query_one("#lookup-result", Static).update(Text(text, style=style))
        self.refresh_bindings()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def shown_details(self) -> CallerDetails | None:
        """The answer with a live call's durations brought to the feed's clock, as the
        dashboard's times are: "Call duration 6:33" beside "State in progress" must
        not stand still. That clock stands where the dashboard's times stopped (its
        data stale, or paused) and the answer, read for the present, is counted back
        to it: the call duration is the Total the row under the modal shows."""
        details = self.details
        if details is None or self.feed is None:
            return details
        clock = self.feed.clock.calls
        return details_ticked(details, clock.now(), held=clock.holding)

    def tick(self) -> None:
        """Once a second, on the feed's tick (and on a poll): redraw the details if a
        duration moved, or the dashboard's row of the call did."""
        if self.details is None:
            return
        moved = self.shown_details() != self._drawn
        if moved or self.row.section(self.details) != self._drawn_row:
            self._draw_details()

    def _sections(self, shown: CallerDetails) -> list[Section]:
        """What the modal draws and ``y`` copies: the answer, named by the dashboard
        where it names no installation, with the row of its call as last drawn."""
        names = getattr(self.app, "names", None)
        name = names.name(self.client.igrp) if names is not None else None
        return details_sections(
            shown,
            self.client.zone,
            self.answered_by_name,
            installation_name=name,
            row=self._drawn_row,
        )

    def _draw_details(self) -> None:
        shown = self.shown_details()
        if shown is None:
            return
        self._drawn, self._drawn_row = shown, self.row.section(self.details)
        view = details_view(shown, self.client.zone, sections=self._sections(shown))
        self.query_one("#lookup-result", Static).update(view)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_new_lookup(self) -> None:
        lookup_input = self.query_one(Input)
        if self.pii_excluded:
            return
        lookup_input.disabled = False
        lookup_input.display = True
        lookup_input.value = ""
        self._afresh(PROMPT, "idle")  # what is typed next is a new lookup
        self.set_focus(lookup_input)  # now: a number typed with the n goes into it

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            return self.details is not None
        if action == "new_lookup":
            return not self.pii_excluded and not self.query_one(Input).has_focus
        return True

    def action_copy(self) -> None:
        if self.details is None:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        shown = self.shown_details() or self.details  # the durations as on screen
        self.app.copy_to_clipboard(details_text(self._sections(shown)))
        # sent as the terminal's clipboard sequence: whether it lands is the terminal's
        # (tmux passes it on only with set-clipboard on), so said as sent, not as done
        self.notify("Caller details sent to the terminal's clipboard.")
