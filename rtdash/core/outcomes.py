"""Call outcomes inferred from the live feed: which calls were answered, after what wait,
and which were abandoned.

The Real Time routes give no totals, only the calls live at each poll. This tracker
follows every call by its callRef from poll to poll: when it was first seen, when its
caller started waiting (the call's start time if the row has one, else first seen, or
its answer where a call first seen bridged was answered before),
when it was first seen bridged, when it was last seen. A call seen bridged was
**answered**, and **talked** until it vanished; one that vanishes without ever being
seen bridged was **abandoned**.

Times are the upstream's clock (epoch seconds), not ours: row times come from the
upstream, and poll times are moved onto its clock by an offset measured from the rows
(a call's start plus its duration is the upstream's "now"), so a local clock that is a
minute out does not make every abandon a minute longer. The polls on that clock, the
offset and the gaps in polling are kept by :mod:`rtdash.core.poll_timeline`.

Where in time each outcome is placed: :mod:`rtdash.core.outcome_times`; which rows of
a poll are new since the last: :mod:`rtdash.core.poll_rows`.

Cost: a poll whose body did not change costs nothing; otherwise work only for the rows
that are not the very objects of the last poll (new calls, changed rows) and for the
calls that left. A call still there as the same row is "seen now" without being
touched: its stamps (last seen, last seen waiting) are the last poll's time, written
into it only when it changes, leaves, or the state is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.outcome_events import Abandoned, Answered, Event, Offered, Talked, Unknown
from rtdash.core.outcome_times import answer_time, vanished
from rtdash.core.poll_rows import changed_rows
from rtdash.core.poll_timeline import PollTimeline
from rtdash.core.row_order import start_key
from rtdash.core.tracked_call import TrackedCall, restamp, saved_lists, settle

if TYPE_CHECKING:
    from rtdash.core.poller_status import PollerStatus
    from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

__all__ = [
    "Abandoned",
    "Answered",
    "Event",
    "Offered",
    "OutcomeTracker",
    "Talked",
    "TrackedCall",
    "Unknown",
]

_BRIDGED = CallState.BRIDGED
_call_ref = attrgetter("call_ref")
_row_of = itemgetter(1)


class OutcomeTracker:
    """Follows calls by callRef and emits :data:`Event` s to ``emit`` (or a poll's
    together to ``emit_all``) as outcomes become known. Also a
    :class:`~rtdash.core.source.SnapshotSink`, so a feed can hand it every snapshot as
    it hands them to the screen."""

    def __init__(
        self,
        emit: Callable[[Event], None] | None = None,
        *,
        emit_all: Callable[[list[Event]], None] | None = None,
    ) -> None:
        self.emit: Callable[[Event], None] = emit or (lambda event: None)
        #: when given, a poll's events go to it together, in order, instead of one by one
        #: to ``emit`` (a big centre's poll brings hundreds: see ServiceMetrics.handle_all)
        self.emit_all = emit_all
        #: the events of the poll being observed, emitted once it is
        self._events: list[Event] = []
        self.calls: dict[str, TrackedCall] = {}
        #: the polls on the upstream's clock: the offset to it, and the gaps in polling
        self.timeline = PollTimeline()
        #: the last poll whose body was unchanged: every tracked call was in it
        self._unchanged_at: float | None = None
        #: the last changed poll's rows (its groups, held so the rows' ids stay theirs:
        #: the snapshot's own, not a copy), its token (see CallsSnapshot.changes_since),
        #: their ids when they were needed (the snapshot's own set; None when the
        #: snapshot handed its changes on) and its time: every call in it was seen
        #: then, and carries that stamp without it being written (see
        #: :func:`~rtdash.core.tracked_call.settle`)
        self._groups: dict[CallState, tuple[ActiveCall, ...]] = {}
        self._token: object | None = None
        self._row_ids: set[int] | None = None
        self._seen_at: float | None = None
        #: how many calls are in it (each one's number of rows is the call's own
        #: :attr:`~rtdash.core.tracked_call.TrackedCall.rows`, not a dict of its own)
        self._present = 0
        #: tracked calls not in the last changed poll (kept by an unreadable row)
        self._missing: set[str] = set()
        #: the last changed poll had a call in it twice and was read row by row: the
        #: next one is too, since the row left when the other goes must decide again
        self._twice = False
        #: for a save that writes what changed (:mod:`rtdash.core.daysave`): the
        #: callRefs whose saved list may have changed since the saver last looked, and
        #: those of calls made since, in the order they were made (None: every call,
        #: and nothing is noted until a saver asks again; see :meth:`take_changes`)
        self.changes: set[str] | None = None
        self.created: dict[str, None] = {}

    # --- the sink protocol -------------------------------------------------------------

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self.observe_calls(snapshot)

    def on_users(self, snapshot: UsersSnapshot) -> None:
        """Users carry no call outcomes; the service metrics time agents from them."""

    def on_status(self, status: PollerStatus) -> None:
        """Status says nothing about outcomes."""

    # --- observing ---------------------------------------------------------------------

    def observe_calls(self, snapshot: CallsSnapshot) -> None:
        try:
            self._observe_calls(snapshot)
        finally:  # what was found before a failure is told all the same
            self._emit_noted()

    def _emit_noted(self) -> None:
        events, self._events = self._events, []
        if not events:
            return
        if self.emit_all is not None:
            self.emit_all(events)
            return
        for event in events:
            self.emit(event)

    def _observe_calls(self, snapshot: CallsSnapshot) -> None:
        local = snapshot.fetched_at.timestamp()
        timeline = self.timeline
        if snapshot.unchanged:
            now = local + timeline.skew
            self._unchanged_at = now
            timeline.mark(now)
            return
        groups = snapshot.groups
        timeline.measure(snapshot, groups, local)
        now = local + timeline.skew
        gap_start = timeline.mark(now)
        count = sum(map(len, groups.values()))
        prev_at, prev_groups = self._seen_at, self._groups
        # the rows that are not last poll's very objects, and last poll's rows gone
        (fresh, gone), ids = changed_rows(snapshot, self._token, prev_groups, self._row_ids)
        calls = self.calls
        present = self._present
        #: the calls whose last row left, by callRef
        departed: dict[str, TrackedCall] = {}
        for row in gone:  # every row of the last poll is a tracked call's
            left = calls[row.call_ref]
            left.rows -= 1
            if not left.rows:
                present -= 1
                departed[left.ref] = left
        #: rows of calls not tracked yet (their calls are made as they are read)
        new: dict[str, int] = {}
        #: each fresh row, its call (None: not tracked yet), and whether that call was
        #: in the last poll (it carries that poll's stamps)
        changed: list[tuple[CallState, ActiveCall, TrackedCall | None, bool]] = []
        for state, group in fresh:
            for row in group:
                ref = row.call_ref
                # a changed row's call is most often one whose last row just left: found
                # among those few, not looked up among every call of a big centre
                known = departed.get(ref)
                if known is None:
                    known = calls.get(ref)
                    if known is None:
                        changed.append((state, row, None, False))
                        new[ref] = new.get(ref, 0) + 1
                        continue
                    was_present = known.rows > 0
                else:
                    was_present = True
                changed.append((state, row, known, was_present))
                if not known.rows:
                    present += 1
                known.rows += 1
        present += len(new)
        self._groups, self._row_ids, self._seen_at = groups, ids, now
        self._token = snapshot.token
        self._present = present
        twice = present != count or snapshot.distinct() != count
        was_twice, self._twice = self._twice, twice
        if twice or was_twice:
            self._observe_all(groups, prev_groups, prev_at, now, snapshot.unreadable, gap_start)
            for ref, rows in new.items():  # the new calls' rows, once they are made
                calls[ref].rows = rows
            return
        # no call has two rows: each fresh row is its call's only one, and a call found
        # not tracked above is made by its own row alone
        for state, row, tracked, was_present in changed:
            if tracked is None:
                self._arrive(state, row, now).rows = 1
                continue
            if was_present and prev_at is not None:
                settle(tracked, prev_at)
            self._change(tracked, state, row, now)
        missing = self._missing
        #: calls missing since an earlier poll (unreadable rows, a restore) are asked
        #: below whether they are back; those that left now are not
        held_over = bool(missing)
        for ref, left in departed.items():
            if not left.rows and prev_at is not None:
                settle(left, prev_at)
                missing.add(ref)
        noted = self.changes
        if noted is not None:
            noted.update(map(_call_ref, map(_row_of, changed)))
            noted.update(departed)
        if missing:
            if held_over:
                missing.difference_update([ref for ref in missing if calls[ref].rows])
            if not snapshot.unreadable:  # a call whose row could not be read has not vanished
                if noted is not None:
                    noted.update(missing)
                for ref in list(missing):
                    self._vanish(calls.pop(ref), now, gap_start)
                missing.clear()

    def _observe_all(
        self,
        groups: dict[CallState, tuple[ActiveCall, ...]],
        prev_groups: dict[CallState, tuple[ActiveCall, ...]],
        prev_at: float | None,
        now: float,
        unreadable: int,
        gap_start: float | None,
    ) -> None:
        """Every row, one by one: a body with a call in it twice (two rows of one
        callRef), where the last row read decides, as it always has."""
        calls = self.calls
        self.changes = None  # any call may change: the next save takes them all
        if prev_at is not None:
            for row in chain.from_iterable(prev_groups.values()):
                tracked = calls.get(row.call_ref)
                if tracked is not None:
                    settle(tracked, prev_at)
        seen: set[str] = set()
        for state, rows in groups.items():
            for row in rows:
                seen.add(row.call_ref)
                tracked = calls.get(row.call_ref)  # made by an earlier row of it, if any
                if tracked is None:
                    self._arrive(state, row, now)
                else:
                    self._change(tracked, state, row, now)
        self._missing = set(calls.keys() - seen)
        if unreadable:
            return  # a call whose row could not be read has not vanished
        for ref in self._missing:
            self._vanish(calls.pop(ref), now, gap_start)
        self._missing = set()

    def _arrive(self, state: CallState, row: ActiveCall, now: float) -> TrackedCall:
        """A row that is new since the last poll, of a call not tracked yet: the call,
        made, offered, and answered if the row is bridged."""
        ref = row.call_ref
        start = start_key(row.call_start) if row.call_start is not None else now
        tracked = TrackedCall(ref, row.queue or "", now, min(start, now))
        self.calls[ref] = tracked
        if self.changes is not None:
            # made again after leaving: its saved list goes last, as it does here
            created = self.created
            created.pop(ref, None)
            created[ref] = None
        if state is _BRIDGED:
            answer = answer_time(tracked, row, now)
            # answered before it was first seen (a row with no call start): its caller
            # was waiting by then at the latest, so it is offered no later
            tracked.wait_start = min(tracked.wait_start, answer[0])
            self._events.append(Offered(ref, tracked.queue, tracked.wait_start))
            self._answered(tracked, row, *answer)
        else:
            self._events.append(Offered(ref, tracked.queue, tracked.wait_start))
            tracked.last_unbridged = now
        tracked.state = state
        return tracked

    def _change(self, tracked: TrackedCall, state: CallState, row: ActiveCall, now: float) -> None:
        """A row that is new since the last poll, of a tracked call: its row changed
        (its state, its agent, or any field the reader keeps)."""
        if state is not tracked.state:
            if state is _BRIDGED:
                if tracked.answered_at is None:
                    self._answer(tracked, row, now)
                else:
                    self._set_agent(tracked, row)
            else:
                tracked.last_unbridged = now
            tracked.state = state
        elif state is _BRIDGED:
            if (row.agent_ref or row.agent_name or "") != tracked.agent:
                self._set_agent(tracked, row)  # transferred to another agent
        else:
            tracked.last_unbridged = now
        tracked.last_seen = now

    def _settle(self) -> None:
        """Write the stamps the calls present at the last poll carry implicitly."""
        at = self._seen_at
        if at is not None:
            for tracked in self.calls.values():
                if tracked.rows:
                    settle(tracked, at)

    def _answer(self, tracked: TrackedCall, row: ActiveCall, now: float) -> None:
        self._answered(tracked, row, *answer_time(tracked, row, now))

    def _answered(self, tracked: TrackedCall, row: ActiveCall, at: float, known: bool) -> None:
        tracked.answered_at = at
        self._set_agent(tracked, row)
        wait = at - tracked.wait_start if known else None
        self._events.append(Answered(tracked.ref, tracked.queue, at, wait, tracked.agent))

    def _set_agent(self, tracked: TrackedCall, row: ActiveCall) -> None:
        tracked.agent = row.agent_ref or row.agent_name or ""
        tracked.agent_name = row.agent_name or ""

    @property
    def on_call(self) -> dict[str, int]:
        """Live answered calls per agent key (operator ref and name), counted when
        asked: the screens read who is on a call from the snapshot
        (:meth:`~rtdash.core.snapshot.CallsSnapshot.on_call`), so a count kept up on
        every poll would be a second index of the calls nobody reads."""
        counts: dict[str, int] = {}
        for tracked in self.calls.values():
            if tracked.answered_at is not None:
                for key in {tracked.agent, tracked.agent_name} - {""}:
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def _vanish(self, tracked: TrackedCall, now: float, gap_start: float | None) -> None:
        event = vanished(tracked, now, gap_start, self._unchanged_at, self.timeline)
        if event is not None:  # an answered call's end is unknown after a gap
            self._events.append(event)

    # --- state -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        self._settle()
        return {
            "calls": saved_lists(self.calls.values()),
            "skew": self.timeline.skew,
            "last_poll": self.timeline.last_poll,
        }

    def take_changes(self) -> tuple[set[str], dict[str, None]] | None:
        """What changed since the last call, for a save that writes only that: the
        callRefs whose saved list may have changed (gone calls among them) and those
        of the calls made since, in order; None when every call must be taken (the
        first time, after a restore, after a poll read row by row). Noting starts here:
        a tracker nobody saves notes nothing."""
        changes, created = self.changes, self.created
        self.changes, self.created = set(), {}
        return None if changes is None else (changes, created)

    def saved_head(self) -> dict[str, Any]:
        """What the day's file keeps beside the calls' :func:`kept_lists`: the last
        changed poll's time is the stamps of the calls that were in it."""
        timeline = self.timeline
        return {"skew": timeline.skew, "last_poll": timeline.last_poll, "seen_at": self._seen_at}

    def restore(self, state: dict[str, Any]) -> None:
        """Continue from :meth:`to_dict`'s state, or the day file's (a restart): the
        next poll's missing calls vanished while nobody watched."""
        self.calls = {}
        self._groups, self._row_ids, self._seen_at, self._present = {}, None, None, 0
        self._token = None
        self._twice = False
        self.changes, self.created = None, {}
        seen = state.get("seen_at")
        seen_at = None if seen is None else float(seen)
        for item in state.get("calls", []):
            call = TrackedCall.from_list(item)
            restamp(call, item, seen_at)
            self.calls[call.ref] = call
        self._missing = set(self.calls)
        last = state.get("last_poll")
        self.timeline.restore(
            float(state.get("skew") or 0.0), None if last is None else float(last)
        )
