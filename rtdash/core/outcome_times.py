"""Where in time the outcome tracker (:mod:`rtdash.core.outcomes`) places what it
infers: when a call was answered, when and how a call that vanished unanswered ended,
and how long one answered was talked. Times are the upstream's clock (epoch seconds).

Where the rows say more than the polls, the rows win: a bridged row's state start is
the moment it was answered, so the speed of answer does not depend on the poll
interval. Where they do not, an event is placed halfway between the two polls that
bracket it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rtdash.core.outcome_events import Abandoned, Talked, Unknown
from rtdash.core.row_order import start_key

if TYPE_CHECKING:
    from rtdash.api.models import ActiveCall
    from rtdash.core.poll_timeline import PollTimeline
    from rtdash.core.tracked_call import TrackedCall

#: the longest a call found already talking is believed to have talked before it was
#: first seen, where its row gives neither the call's start nor its duration to bound
#: it: a bridged duration or state start further back (a field in milliseconds, a
#: stale start) is not believed, and the talk runs from the first poll that saw it,
#: rather than one call's hours or days swamping the day's average talk
LONGEST_UNSEEN_TALK = 24 * 3600.0


def answer_time(tracked: TrackedCall, row: ActiveCall, now: float) -> tuple[float, bool]:
    """When ``tracked`` was answered, first seen bridged in ``row`` at ``now``: the
    row's state start if it is plausible, else its bridge duration, else halfway since
    the call was last seen waiting. And whether that wait is known: a call first seen
    already bridged, whose row says nothing plausible, has none.

    A call first seen already bridged whose row has no call start was answered before
    its wait start (only the poll that first saw it, a bound from above): its answer
    is bounded by its call's start by its duration where the row gives one (else by
    :data:`LONGEST_UNSEEN_TALK`), and its wait is unknown. Its caller was waiting by
    that answer at the latest, so the tracker moves the wait start back to it (see
    ``OutcomeTracker._arrive``), and its talk runs from the answer, not from the poll
    that first saw it."""
    low = tracked.last_unbridged
    unbounded = low is None and row.call_start is None
    if unbounded:
        duration = row.call_duration
        floor = now - (duration if duration is not None else LONGEST_UNSEEN_TALK)
    else:
        floor = low if low is not None else tracked.wait_start
    at: float | None = None
    if row.state_start is not None:
        candidate = start_key(row.state_start)
        if floor - 1 <= candidate <= now + 1:
            at = candidate
    if at is None and row.bridge_duration is not None:
        candidate = now - row.bridge_duration
        if floor - 1 <= candidate <= now + 1:
            at = candidate
    if unbounded:
        return (now if at is None else min(at, now)), False
    known = at is not None or low is not None
    if at is None:
        at = (low + now) / 2 if low is not None else now
    return max(at, tracked.wait_start), known


def vanished(
    tracked: TrackedCall,
    now: float,
    gap_start: float | None,
    unchanged_at: float | None,
    timeline: PollTimeline,
) -> Abandoned | Unknown | Talked | None:
    """What ``tracked``, gone at the poll of ``now``, tells: it ended halfway between
    the last poll that saw it (``unchanged_at``: the last poll whose body did not
    change, which saw every call then tracked) and the next. Unanswered, it was
    abandoned, or unknown when it was last seen before a gap in polling
    (``gap_start``), where it may have been answered unseen. Answered, it was talked
    from its answer to that end; None when it was last seen before a gap, as its end
    (and so its talk) could be anywhere in the gap."""
    last = tracked.last_seen
    if unchanged_at is not None and tracked.first_seen <= unchanged_at:
        last = max(last, unchanged_at)
    end = (last + timeline.next_after(last, now)) / 2
    unseen = gap_start is not None and last <= gap_start
    answered = tracked.answered_at
    if answered is not None:
        if unseen:
            return None
        return Talked(tracked.ref, tracked.queue, end, max(0.0, end - answered))
    held = max(0.0, end - tracked.wait_start)
    if unseen:
        return Unknown(tracked.ref, tracked.queue, end, held)
    return Abandoned(tracked.ref, tracked.queue, end, held)
