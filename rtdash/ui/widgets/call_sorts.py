"""What the calls tables order and find their rows by: the sort keys the ``s`` key walks,
a row's key, and what a filter matches. Plain functions of a call, apart from the grid
that draws the rows."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from rtdash.api.models import ActiveCall
from rtdash.core.format import caller_label
from rtdash.core.queues import filtered_queue
from rtdash.core.sorting import SortKey


def _start(call: ActiveCall) -> float:
    when = call.state_start or call.call_start
    return when.timestamp() if when else float("inf")


def _call_start(call: ActiveCall) -> float:
    when = call.call_start or call.state_start
    return when.timestamp() if when else float("inf")


#: in column order, so ``s`` walks the columns left to right; each key is named after
#: its column, whose header shows the arrow
CALL_SORTS: tuple[SortKey[ActiveCall], ...] = (
    SortKey(
        "in_state", "time in state", lambda call: (_start(call), call.call_ref), label_descends=True
    ),
    SortKey(
        "total", "total time", lambda call: (_call_start(call), call.call_ref), label_descends=True
    ),
    SortKey("caller", "caller", lambda call: (call.src_number or "~", call.call_ref)),
    SortKey("line", "line", lambda call: ((call.dgrp_name or "~").lower(), _start(call))),
    SortKey("queue", "queue", lambda call: ((call.queue or "~").lower(), _start(call))),
    SortKey("agent", "agent", lambda call: ((call.agent_name or "~").lower(), _start(call))),
)


#: a row's key (an ``attrgetter``: a table keys thousands of rows a poll in C)
call_key: Callable[[ActiveCall], str] = attrgetter("call_ref")


def call_matches(call: ActiveCall, needle: str, numbers: tuple[str, ...] = ()) -> bool:
    """``numbers``: the filter as digits (:func:`~rtdash.core.phone.number_needles`),
    found in the caller's number whatever its punctuation."""
    queue = filtered_queue(needle)
    if queue is not None:  # the queues view's Enter: that queue's calls, exactly
        return (call.queue or "").casefold() == queue.casefold()
    needle = needle.lower()
    haystack = (
        call.src_number,
        caller_label(call.src_number),
        call.agent_name,
        call.agent_ref,
        call.queue,
        call.dgrp_name,
        call.call_ref,
    )
    if any(needle in value.lower() for value in haystack if value):
        return True
    digits = "".join(ch for ch in call.src_number or "" if ch.isdigit())
    return bool(digits) and any(number in digits for number in numbers)
