"""What the dashboard's row of a looked-up call says, as the lookup shows it beside the
lookup route's answer.

A basic-mode installation's lookup answer holds only the installation, line and
transaction reference: opened from a call, the lookup showed less than the row the
supervisor pressed Enter on. The row's caller, line, queue, agent, group and times
are already polled, so they are shown with the answer; the times run on the same
clock as the dashboard's, so both read the same. Textual-free: the ``y`` copy and
the modal read the same fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from rtdash.api.models import ActiveCall, CallState
from rtdash.api.row_types import in_progress
from rtdash.core.format import caller_label, duration
from rtdash.core.labels import CALL_LABELS as L

if TYPE_CHECKING:  # the ``y`` text and the command line need none of these at run time
    from rtdash.api.models import CallerDetails
    from rtdash.core.feed import LiveFeed
    from rtdash.core.phone import LookupQuery
    from rtdash.core.snapshot import CallsSnapshot

#: the title of the row's section while the call is on the dashboard
ON_THE_DASHBOARD = "On the dashboard"
#: its title once the call has left the dashboard (ended): its values as last seen
LAST_SEEN = "On the dashboard (last seen)"
#: its title while the dashboard's times stand still and the answer above it, the
#: service's of now, is of a call that has ended since the row's picture was taken
HELD = {True: "On the dashboard (paused)", False: "On the dashboard (data stale)"}

Fields = list[tuple[str, str]]
#: a titled section of fields
Section = tuple[str, Fields]
#: the states of a looked-up call's rows on the dashboard, by reference
Sign = frozenset[tuple[str, CallState]]


def row_of(snapshot: CallsSnapshot | None, call_ref: str | None) -> ActiveCall | None:
    """The dashboard's row of the call ``call_ref``; None without a reference (a lookup
    by number has no row: the number may have called more than once) or when the call
    is not on the dashboard."""
    if snapshot is None or not call_ref:
        return None
    return next((call for call in snapshot.calls if call.call_ref == call_ref), None)


def row_fields(call: ActiveCall, now: datetime | None) -> Fields:
    """The row's cells as (label, value), in the dashboard's words and order: the
    agent only once the call is bridged (as in its table, where a ringing call's agent
    is whoever is being offered it, not who has it); times from ``now``, the feed's
    clock, which stops where the dashboard's does (stale data, a pause)."""
    agent = call.agent_name or call.agent_ref if call.state is CallState.BRIDGED else None
    return [
        (L["src_number"], caller_label(call.src_number)),
        (L["dgrp_name"], _text(call.dgrp_name or call.dgrp)),
        (L["queue"], _text(call.queue)),
        (L["agent_name"], _text(agent)),
        (L["state"], call.state.value.capitalize()),
        (L["in_state"], duration(_since(call.state_start, now))),
        (L["total"], duration(_since(call.call_start or call.state_start, now))),
    ]


def new_to(fields: Fields, shown: Iterable[tuple[str, str]]) -> Fields:
    """``fields`` but those the answer shows already, label and value alike (an
    advanced answer's caller and line): the same line twice only takes room."""
    seen = set(shown)
    return [field for field in fields if field not in seen]


def _since(start: datetime | None, now: datetime | None) -> float | None:
    if start is None or now is None:
        return None
    return (now - start).total_seconds()


def _text(value: str | None) -> str:
    return value or "–"


class FollowedRow:
    """The dashboard's row of the call a lookup shows, read again at each draw: the
    call moves on (queued, then answered by an agent) while its lookup is open, and
    its times tick with the dashboard's. Once it has left the dashboard (ended), its
    last fields stay, titled as last seen: a basic-mode answer has no caller, queue
    or agent of its own to fall back on."""

    def __init__(self, feed: LiveFeed | None) -> None:
        self.feed = feed
        self._call_ref: str | None = None
        self._shown: Section | None = None

    def follow(self, call_ref: str | None) -> None:
        """The lookup now shows the call ``call_ref`` (None: asked by number, no row)."""
        self._call_ref, self._shown = call_ref, None

    def section(self, details: CallerDetails | None = None) -> Section | None:
        """The row's section as it reads now, its times on the feed's clock: they stand
        still with the dashboard's while it is paused or its data is stale. Where the
        lookup's answer (``details``) says the call has ended, a held row of it says it
        is held: its final duration beside the row's frozen one is otherwise a
        contradiction (a basic-mode answer says nothing of the call's state)."""
        feed = self.feed
        if feed is None or self._call_ref is None:
            return None
        call = row_of(feed.calls, self._call_ref)
        if call is not None:
            ended = details is not None and bool(details.call_state) and not in_progress(details)
            title = HELD[feed.paused] if ended and feed.clock.holding else ON_THE_DASHBOARD
            self._shown = (title, row_fields(call, feed.clock.calls.now()))
        elif self._shown is not None:
            self._shown = (LAST_SEEN, self._shown[1])
        return self._shown


def call_states(snapshot: CallsSnapshot, details: CallerDetails, query: LookupQuery) -> Sign:
    """Where the looked-up call stands on the dashboard: its rows' states, by reference
    (asked by one) or by the caller's number. A change means the answer is out of date
    (rung → answered, answered → ended): only the lookup route says what it became."""
    if query.call_ref:
        rows = [call for call in snapshot.calls if call.call_ref == query.call_ref]
    elif details.src_number:
        rows = [call for call in snapshot.calls if call.src_number == details.src_number]
    else:
        rows = []
    return frozenset((call.call_ref, call.state) for call in rows)
