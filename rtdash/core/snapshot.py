"""Snapshots: one poll's rows, grouped and sorted once, so widgets only draw.

Grouping and sorting happen here, once per poll, not in the UI on every tick. A
snapshot is immutable; two snapshots of the same upstream state compare equal, which
lets the UI skip all work when nothing changed.

A poll whose body was byte for byte the last one is not parsed or sorted again: the
poller passes on :meth:`CallsSnapshot.again` of the last snapshot, which holds the very
same row tuples with ``unchanged`` set, so ``same_rows`` answers by identity at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain, compress
from operator import attrgetter, not_
from typing import Any

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.agents import OnCall
from rtdash.core.row_order import in_order, placed, remembered, replaced, start_key
from rtdash.core.users_snapshot import RowsToken
from rtdash.core.users_snapshot import UsersSnapshot as UsersSnapshot
from rtdash.core.wait_starts import Earliest, earliest_of, moved

_dashboard = attrgetter("dashboard")
_state = attrgetter("state")


#: display order of the call groups
CALL_STATES: tuple[CallState, ...] = (CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED)


def _call_order(call: ActiveCall) -> tuple[float, str]:
    # oldest state start first: in Ringing and Queueing that is the longest waiting
    return (start_key(call.state_start or call.call_start), call.call_ref)


@dataclass(frozen=True, slots=True)
class CallsSnapshot:
    fetched_at: datetime
    groups: dict[CallState, tuple[ActiveCall, ...]]
    unreadable: int = 0
    #: the poll's body was the previous one's, byte for byte: ``groups`` is that
    #: snapshot's own (the same objects), and there is nothing to draw
    unchanged: bool = False
    #: the upstream's "now" as the body showed it, when known: a call whose durations
    #: only ticked is held from an earlier poll, and :func:`~rtdash.api.models.ticked`
    #: brings its durations forward to this. Not compared: the same rows fetched at the
    #: same time are the same picture, whether their upstream's "now" was told (a poll)
    #: or stood for by the record's time (a replay)
    server_now: datetime | None = field(default=None, compare=False)

    #: each group's order keys, parallel to ``groups`` (for the next poll's build)
    order_keys: dict[CallState, tuple[Any, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(
        cls,
        calls: Iterable[ActiveCall],
        fetched_at: datetime,
        unreadable: int = 0,
        server_now: datetime | None = None,
        previous: CallsSnapshot | None = None,
        keyed: bool = True,
        changes: tuple[list[ActiveCall], list[ActiveCall]] | None = None,
    ) -> CallsSnapshot:
        """The snapshot of ``calls``. With ``previous`` (the last poll's), a call that is
        the very row object it was there keeps its group and place without being looked
        at again (rows are immutable), so only new rows are grouped and sorted in.
        Without ``keyed`` no order keys are kept (the poller's: new rows are placed by
        a binary search instead, see :func:`_placed`). ``changes``, when the reader
        knows them: the rows of ``calls`` not in ``previous`` and those of ``previous``
        not in ``calls`` (each a row object once), so no pass over every row is made."""
        if changes is not None and previous is not None and not keyed:
            return cls._changed(calls, fetched_at, unreadable, server_now, previous, changes)
        rows = calls if isinstance(calls, list) else list(calls)
        present: set[int] | None = None
        gone = 0  # rows of ``previous`` not among these
        if previous is not None and (previous.order_keys or not keyed):
            present = set(map(id, rows))
            held = previous.row_ids()
            count = len(rows)
            rows = list(compress(rows, map(not_, map(held.__contains__, map(id, rows)))))
            gone = len(held) - (count - len(rows))
        buckets: dict[CallState, list[ActiveCall]] = {state: [] for state in CALL_STATES}
        for call in rows:
            buckets[call.state].append(call)
        groups: dict[CallState, tuple[ActiveCall, ...]] = {}
        keys: dict[CallState, tuple[Any, ...]] = {}
        left: list[ActiveCall] = []  # the rows of ``previous`` gone (unkeyed only)
        for state, new in buckets.items():
            if not keyed:
                kept: tuple[ActiveCall, ...] = ()
                if previous is not None and present is not None:
                    kept = previous.groups[state]
                    if gone:
                        alive = list(map(present.__contains__, map(id, kept)))
                        if not all(alive):
                            left += compress(kept, map(not_, alive))
                            kept = tuple(compress(kept, alive))
                groups[state] = placed(kept, new, _call_order) if new else kept
            elif present is None or previous is None:
                groups[state], keys[state] = in_order(new, _call_order)
            else:
                groups[state], keys[state] = in_order(
                    new, _call_order, previous.groups[state], previous.order_keys[state], present
                )
        made = cls(
            fetched_at=fetched_at,
            groups=groups,
            unreadable=unreadable,
            server_now=server_now,
            order_keys=keys,
        )
        if present is not None:
            made._memo["ids"] = present
            if not keyed and previous is not None:
                # the changes since ``previous`` as found here, handed on to consumers
                # that follow changes (see changes_since)
                made._memo["since"] = (previous.token, buckets, left, False)
                gone_bridged = [call for call in left if call.state is CallState.BRIDGED]
                made._move_on_call(previous, buckets[CallState.BRIDGED], gone_bridged)
        return made

    @classmethod
    def _changed(
        cls,
        calls: Iterable[ActiveCall],
        fetched_at: datetime,
        unreadable: int,
        server_now: datetime | None,
        previous: CallsSnapshot,
        changes: tuple[list[ActiveCall], list[ActiveCall]],
    ) -> CallsSnapshot:
        """:meth:`build` from the last snapshot and what changed since: each group is
        the last one's without its gone rows, with its new rows placed."""
        new, gone = changes
        added: dict[CallState, list[ActiveCall]] = {state: [] for state in CALL_STATES}
        removed: dict[CallState, list[ActiveCall]] = {state: [] for state in CALL_STATES}
        for call in new:
            added[call.state].append(call)
        for call in gone:
            removed[call.state].append(call)
        groups: dict[CallState, tuple[ActiveCall, ...]] = {}
        order = remembered(_call_order)  # each changed row keyed once for all that follows
        # handed on as build's are (see changes_since): the gone rows in the last
        # snapshot's order, group by group
        left: list[ActiveCall] = []
        for state in CALL_STATES:
            groups[state], in_order_gone = replaced(
                previous.groups[state], removed[state], added[state], order
            )
            left += in_order_gone
        made = cls(
            fetched_at=fetched_at, groups=groups, unreadable=unreadable, server_now=server_now
        )
        # the reader hands changes on only when no two rows share an id, each new row a
        # new object and each gone row one of the last rows: the count of distinct rows
        # moves by them, and no set of every row's id is made (or held) per poll
        made._memo["distinct"] = previous.distinct() - len(gone) + len(new)
        for rows in added.values():
            rows.sort(key=order)
        made._memo["since"] = (previous.token, added, left, True)
        made._carry_waits(previous, added, removed)
        made._move_on_call(previous, added[CallState.BRIDGED], removed[CallState.BRIDGED])
        return made

    def _move_on_call(
        self, previous: CallsSnapshot, new: list[ActiveCall], gone: list[ActiveCall]
    ) -> None:
        """Who is on a call (see :meth:`on_call`) is worked out, when asked, from the
        last snapshot's answer and the bridged calls new and gone since, if the last
        snapshot worked it out (held until asked, then let go)."""
        known: OnCall | None = previous._memo.get("on_call")
        if known is not None:
            self._memo["on_call_from"] = (known, new, gone)

    def _carry_waits(
        self,
        previous: CallsSnapshot,
        added: dict[CallState, list[ActiveCall]],
        removed: dict[CallState, list[ActiveCall]],
    ) -> None:
        """The earliest wait starts of each group (see :meth:`wait_since`) the last
        snapshot worked out, brought to these rows by the new and gone ones (when they
        can be: else worked out again when asked)."""
        for state in CALL_STATES:
            key = ("wait", state)
            if key in previous._memo:
                earliest = moved(previous._memo[key], added[state], removed[state])
                if earliest is not None:
                    self._memo[key] = earliest

    def wait_since(self, state: CallState) -> datetime | None:
        """The earliest wait start of the group of ``state`` (the headline's longest
        wait), from its earliest starts: worked out once per snapshot, or brought from
        the last snapshot by the rows that changed (see :meth:`_carry_waits`)."""
        key = ("wait", state)
        memo = self._memo
        earliest: Earliest | None = memo.get(key)
        if earliest is None:
            earliest = memo[key] = earliest_of(self.groups.get(state))
        return earliest[0][0] if earliest[0] else None

    def changes_since(
        self, token: object | None
    ) -> tuple[list[tuple[CallState, list[ActiveCall]]], list[ActiveCall]] | None:
        """The rows new since the snapshot of ``token`` (its :attr:`token`), each
        state's in the group's order, and that snapshot's rows gone (in its order),
        when this one was built on it (by the poller); else None, and the consumer
        finds them itself."""
        since = self._memo.get("since")
        if since is None or token is None or since[0] is not token:
            return None
        ready = since[3]  # the new rows were sorted as they were placed
        new = [
            (state, rows if ready else sorted(rows, key=_call_order))
            for state, rows in since[1].items()
        ]
        return new, since[2]

    @property
    def token(self) -> object:
        """This snapshot's rows, as one small object: what a consumer holds to know
        the rows it worked from (not the snapshot, which would outlive its poll, nor a
        set of every row's id, which a big centre would pay for every poll)."""
        token: object | None = self._memo.get("token")
        if token is None:
            token = self._memo["token"] = RowsToken()
        return token

    def distinct(self) -> int:
        """How many distinct row objects there are (a row listed twice counts once):
        carried from poll to poll by the changes when the reader knows them, else
        counted once per snapshot. Counting makes no set of ids that stays: a poll
        with no last poll to compare with (the first) needs only the count, and the
        set of every row's id is a big centre's to hold until the next poll."""
        known: int | None = self._memo.get("distinct")
        if known is None:
            ids: set[int] | None = self._memo.get("ids")
            if ids is None:
                ids = set(map(id, chain.from_iterable(self.groups.values())))
            known = self._memo["distinct"] = len(ids)
        return known

    #: what is worked out once from these rows, whoever asks (see on_call)
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def on_call(self) -> OnCall:
        """Who is on a bridged call, worked out once per snapshot."""
        memo = self._memo
        known: OnCall | None = memo.get("on_call")
        if known is None:
            bridged = self.groups[CallState.BRIDGED]
            moved = memo.pop("on_call_from", None)
            if moved is None:
                known = OnCall.from_calls(bridged)
            else:
                base, new, gone = moved
                known = base.moved(new, gone, bridged)
            memo["on_call"] = known
        return known

    def row_ids(self) -> set[int]:
        """The ids of every row (rows are immutable: an id seen again is the same row),
        worked out once per snapshot: the next poll's build and the outcome tracker
        both ask. Not to be changed."""
        known: set[int] | None = self._memo.get("ids")
        if known is None:
            known = self._memo["ids"] = set(map(id, chain.from_iterable(self.groups.values())))
        return known

    @property
    def calls(self) -> tuple[ActiveCall, ...]:
        return tuple(call for state in CALL_STATES for call in self.groups[state])

    def count(self, state: CallState) -> int:
        return len(self.groups[state])

    def again(self, fetched_at: datetime) -> CallsSnapshot:
        """This snapshot's rows, fetched again at ``fetched_at`` and found unchanged."""
        return replace(self, fetched_at=fetched_at, unchanged=True)

    def same_rows(self, other: CallsSnapshot | None) -> bool:
        if other is None:
            return False
        return other.groups is self.groups or other.groups == self.groups
