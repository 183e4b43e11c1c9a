"""Which rows of a poll are new since the last changed poll, and which of its rows are
gone: the outcome tracker (:mod:`rtdash.core.outcomes`) works only on those, so a big
centre's poll costs what changed in it, not every call.

A row object is immutable, so a row that is the very object of the last poll says
nothing new: its call is simply still there. Rows are compared by identity, never by
value, for the same reason: that compare is a set lookup of an id, made in C.
"""

from __future__ import annotations

from itertools import chain, compress
from operator import not_
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rtdash.api.models import ActiveCall, CallState
    from rtdash.core.snapshot import CallsSnapshot


def changed_rows(
    snapshot: CallsSnapshot,
    token: object | None,
    prev_groups: dict[CallState, tuple[ActiveCall, ...]],
    prev_ids: set[int] | None,
) -> tuple[tuple[list[tuple[CallState, list[ActiveCall]]], list[ActiveCall]], set[int] | None]:
    """The rows of ``snapshot`` new since the last changed poll, each state's in the
    group's order, and that poll's rows gone (its rows are ``prev_groups``, its
    :attr:`~rtdash.core.snapshot.CallsSnapshot.token` is ``token``, and ``prev_ids``
    their ids where they were asked for); with the ids of ``snapshot``'s rows where
    they had to be asked for (None otherwise), for the next poll's compare.

    The snapshot found the changes as it was built on the last one, when it was (the
    poller's); else they are found here, row by row."""
    handed = snapshot.changes_since(token)
    if handed is not None:
        return handed, None
    groups = snapshot.groups
    if not any(prev_groups.values()):
        # nothing to compare with (the first poll, a restore): every row is fresh,
        # and no set of every row's id is asked for, which the snapshot would then
        # hold to the next poll (that poll hands its changes on, or finds them)
        return ([(state, list(group)) for state, group in groups.items()], []), None
    ids = snapshot.row_ids()  # shared with the snapshots: never changed here
    held = prev_ids
    if held is None:
        held = set(map(id, chain.from_iterable(prev_groups.values())))
    fresh = [
        (state, list(compress(group, map(not_, map(held.__contains__, map(id, group))))))
        for state, group in groups.items()
    ]
    prev = prev_groups.values()
    gone = list(
        compress(
            chain.from_iterable(prev),
            map(not_, map(ids.__contains__, map(id, chain.from_iterable(prev)))),
        )
    )
    return (fresh, gone), ids
