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

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState

#: display order of the call groups
CALL_STATES: tuple[CallState, ...] = (CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED)


def _start_key(when: datetime | None) -> float:
    return when.timestamp() if when is not None else float("inf")


def _call_order(call: ActiveCall) -> tuple[float, str]:
    # oldest state start first: in Ringing and Queueing that is the longest waiting
    return (_start_key(call.state_start or call.call_start), call.call_ref)


def _user_order(user: PbxUser) -> tuple[float, str, str]:
    return (_start_key(user.state_start), user.label.lower(), user.user_id)


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
    #: brings its durations forward to this
    server_now: datetime | None = None

    @classmethod
    def build(
        cls,
        calls: Iterable[ActiveCall],
        fetched_at: datetime,
        unreadable: int = 0,
        server_now: datetime | None = None,
    ) -> CallsSnapshot:
        buckets: dict[CallState, list[ActiveCall]] = {state: [] for state in CALL_STATES}
        for call in calls:
            buckets[call.state].append(call)
        groups = {state: tuple(sorted(rows, key=_call_order)) for state, rows in buckets.items()}
        return cls(
            fetched_at=fetched_at, groups=groups, unreadable=unreadable, server_now=server_now
        )

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


@dataclass(frozen=True, slots=True)
class UsersSnapshot:
    fetched_at: datetime
    #: every user, sorted by state start (stable: then name, then id)
    users: tuple[PbxUser, ...]
    unreadable: int = 0
    dashboard_users: tuple[PbxUser, ...] = field(default=())
    #: as :attr:`CallsSnapshot.unchanged`: ``users`` is the previous snapshot's own
    unchanged: bool = False

    @classmethod
    def build(
        cls, users: Iterable[PbxUser], fetched_at: datetime, unreadable: int = 0
    ) -> UsersSnapshot:
        ordered = tuple(sorted(users, key=_user_order))
        return cls(
            fetched_at=fetched_at,
            users=ordered,
            unreadable=unreadable,
            dashboard_users=tuple(user for user in ordered if user.dashboard),
        )

    def visible(self, show_all: bool) -> tuple[PbxUser, ...]:
        return self.users if show_all else self.dashboard_users

    def counts(self, show_all: bool = False) -> dict[UserState, int]:
        counts = dict.fromkeys(UserState, 0)
        for user in self.visible(show_all):
            counts[user.state] += 1
        return counts

    def again(self, fetched_at: datetime) -> UsersSnapshot:
        """This snapshot's rows, fetched again at ``fetched_at`` and found unchanged."""
        return replace(self, fetched_at=fetched_at, unchanged=True)

    def same_rows(self, other: UsersSnapshot | None) -> bool:
        if other is None:
            return False
        return other.users is self.users or other.users == self.users
