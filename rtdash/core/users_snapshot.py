"""The users' snapshot: one poll's users sorted by how long each has been in their
state (then name, then id), with the dashboard's own users and their counts worked out
once, whoever asks. As :class:`~rtdash.core.snapshot.CallsSnapshot`, a poll's snapshot
is built from the last one and what changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import compress
from operator import attrgetter, not_
from typing import Any

from rtdash.api.models import PbxUser, UserState
from rtdash.core.row_order import in_order, placed, remembered, replaced, start_key

_dashboard = attrgetter("dashboard")
_state = attrgetter("state")


class RowsToken:
    """A snapshot's ``token``: what a consumer holds to know which rows it worked
    from (see :meth:`UsersSnapshot.changes_since`)."""

    __slots__ = ()


def _user_order(user: PbxUser) -> tuple[float, str, str]:
    return (start_key(user.state_start), user.label.lower(), user.user_id)


@dataclass(frozen=True, slots=True)
class UsersSnapshot:
    fetched_at: datetime
    #: every user, sorted by state start (stable: then name, then id)
    users: tuple[PbxUser, ...]
    unreadable: int = 0
    dashboard_users: tuple[PbxUser, ...] = field(default=())
    #: as :attr:`CallsSnapshot.unchanged`: ``users`` is the previous snapshot's own
    unchanged: bool = False

    #: the order keys of ``users``, parallel to it (for the next poll's build)
    order_keys: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    #: what is worked out once from these rows, whoever asks (counts, columns): the
    #: headline and two panels ask for the counts on every poll
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        users: Iterable[PbxUser],
        fetched_at: datetime,
        unreadable: int = 0,
        previous: UsersSnapshot | None = None,
        keyed: bool = True,
        changes: tuple[list[PbxUser], list[PbxUser]] | None = None,
    ) -> UsersSnapshot:
        """As :meth:`CallsSnapshot.build`: with ``previous``, only new rows are sorted in
        (and with ``changes``, no pass over every row is made to find them)."""
        rows = users if isinstance(users, list) else list(users)
        keys: tuple[Any, ...] | None = None
        present: set[int] | None = None
        distinct: int | None = None
        since: tuple[list[PbxUser], list[PbxUser], bool] | None = None
        order = remembered(_user_order)  # each changed row keyed once for all that follows
        if changes is not None and previous is not None and not keyed:
            new, gone = changes
            ordered, in_order_gone = replaced(previous.users, gone, new, order)
            # as CallsSnapshot._changed: the count of distinct rows moves by the changes
            distinct = previous.distinct() - len(gone) + len(new)
            # handed on as below (see changes_since)
            since = (sorted(new, key=order), in_order_gone, True)
        elif not keyed:
            if previous is None:
                ordered = placed([], rows[:], _user_order)
            else:
                held = previous.user_ids()
                new = list(compress(rows, map(not_, map(held.__contains__, map(id, rows)))))
                kept = previous.users
                left: list[PbxUser] = []
                if len(held) != len(rows) - len(new):  # some of the last poll's are gone
                    here = set(map(id, rows))
                    alive = list(map(here.__contains__, map(id, kept)))
                    left = list(compress(kept, map(not_, alive)))
                    kept = tuple(compress(kept, alive))
                ordered = placed(kept, new, _user_order) if new else kept
                # handed on as CallsSnapshot.build's (see changes_since)
                since = (new, left, False)
        elif previous is not None and previous.order_keys is not None:
            present = set(map(id, rows))
            held = previous.user_ids()
            new = list(compress(rows, map(not_, map(held.__contains__, map(id, rows)))))
            ordered, keys = in_order(new, _user_order, previous.users, previous.order_keys, present)
        else:
            ordered, keys = in_order(rows, _user_order)
        if previous is not None and ordered is previous.users:
            dashboard = previous.dashboard_users
        elif changes is not None and previous is not None and not keyed:
            dashboard, _ = replaced(
                previous.dashboard_users,
                list(filter(_dashboard, changes[1])),
                list(filter(_dashboard, changes[0])),
                order,
            )
        else:
            dashboard = tuple(compress(ordered, map(_dashboard, ordered)))
        made = cls(
            fetched_at=fetched_at,
            users=ordered,
            unreadable=unreadable,
            dashboard_users=dashboard,
            order_keys=keys,
        )
        if present is not None and len(present) == len(ordered):
            made._memo["ids"] = present
        elif distinct is not None:
            made._memo["distinct"] = distinct
        if since is not None and previous is not None:
            made._memo["since"] = since
            made._memo["from"] = previous.token
            made._carry_counts(previous, since[0], since[1])
        return made

    def _carry_counts(
        self, previous: UsersSnapshot, new: list[PbxUser], gone: list[PbxUser]
    ) -> None:
        """The counts (see :meth:`counts`) the last snapshot worked out, brought to
        these rows by the new and gone ones (a user whose state changed is a new row,
        the old one gone): no pass over every user for them."""
        for show_all in (False, True):
            known: dict[UserState, int] | None = previous._memo.get(show_all)
            if known is None:
                continue
            counts = dict(known)
            added = new if show_all else list(filter(_dashboard, new))
            taken = gone if show_all else list(filter(_dashboard, gone))
            for state in map(_state, added):
                counts[state] = counts.get(state, 0) + 1
            for state in map(_state, taken):
                counts[state] -= 1
            self._memo[show_all] = counts

    def changes_since(self, token: object | None) -> tuple[list[PbxUser], list[PbxUser]] | None:
        """As :meth:`CallsSnapshot.changes_since`: the users new since the snapshot of
        ``token`` (its :attr:`token`; in this one's order) and that snapshot's users
        gone (in its order), or None."""
        since = self._memo.get("since")
        if since is None or token is None or self._memo.get("from") is not token:
            return None
        return (since[0] if since[2] else sorted(since[0], key=_user_order)), since[1]

    @property
    def token(self) -> object:
        """This snapshot's rows, as one small object: what a consumer holds to know
        the rows it worked from (not the snapshot: it would outlive its poll)."""
        token: object | None = self._memo.get("token")
        if token is None:
            token = self._memo["token"] = RowsToken()
        return token

    def changes_from(self, token: object) -> tuple[list[PbxUser], list[PbxUser]] | None:
        """The users new and gone since the snapshot of ``token`` (see :attr:`token`),
        in no particular order, when this one was built on it; else None."""
        since = self._memo.get("since")
        if since is None or self._memo.get("from") is not token:
            return None
        return since[0], since[1]

    def user_ids(self) -> set[int]:
        """The ids of every user row (rows are immutable: an id seen again is the same
        row), worked out once per snapshot: the next poll's build and the agents'
        clocks both ask. Not to be changed."""
        known: set[int] | None = self._memo.get("ids")
        if known is None:
            known = self._memo["ids"] = set(map(id, self.users))
        return known

    def distinct(self) -> int:
        """As :meth:`CallsSnapshot.distinct`: how many distinct user rows there are,
        counted without keeping a set of their ids."""
        known: int | None = self._memo.get("distinct")
        if known is None:
            ids: set[int] | None = self._memo.get("ids")
            known = self._memo["distinct"] = len(set(map(id, self.users)) if ids is None else ids)
        return known

    def visible(self, show_all: bool) -> tuple[PbxUser, ...]:
        return self.users if show_all else self.dashboard_users

    def counts(self, show_all: bool = False) -> dict[UserState, int]:
        known: dict[UserState, int] | None = self._memo.get(show_all)
        if known is None:
            known = self._memo[show_all] = dict.fromkeys(UserState, 0)
            known.update(Counter(map(_state, self.visible(show_all))))
        return dict(known)

    def again(self, fetched_at: datetime) -> UsersSnapshot:
        """This snapshot's rows, fetched again at ``fetched_at`` and found unchanged."""
        return replace(self, fetched_at=fetched_at, unchanged=True)

    def same_rows(self, other: UsersSnapshot | None) -> bool:
        if other is None:
            return False
        return other.users is self.users or other.users == self.users
