"""A users snapshot built from the last one and its new and gone rows brings the last
one's counts forward instead of counting every user again: they must be the counts a
snapshot of every row works out."""

from __future__ import annotations

from rtdash.api.models import PbxUser, UserState
from rtdash.core.snapshot import UsersSnapshot

from .rows import at, user


def _plain(rows: list[PbxUser]) -> UsersSnapshot:
    return UsersSnapshot.build(rows, at(0))  # type: ignore[arg-type]


def test_counts_carried_by_new_and_gone_rows_are_those_of_every_row() -> None:
    rows = [
        user(
            str(n), UserState.AVAILABLE if n % 3 else UserState.UNAVAILABLE, n, dashboard=n % 4 != 0
        )
        for n in range(40)
    ]
    last = UsersSnapshot.build(rows, at(0), previous=None, keyed=False)  # type: ignore[arg-type]
    assert last.counts() == _plain(rows).counts() and last.counts(True) == _plain(rows).counts(True)
    steps = [
        # a state change (a new row, the old one gone), an arrival, a departure
        lambda r: [
            *r[:5],
            user("5", UserState.UNAVAILABLE, 99),
            *r[6:],
            user("new", state_start=7),
        ],
        # off the dashboard, and back on in another state
        lambda r: [*r[:10], user("10", UserState.AVAILABLE, 3, dashboard=False), *r[12:]],
        lambda r: [user("10", UserState.UNAVAILABLE, 4), *r[:9], *r[11:]],
        lambda r: list(r),  # nothing changed
    ]
    for step in steps:
        rows = step(rows)
        held = last.user_ids()
        new = [row for row in rows if id(row) not in held]
        here = set(map(id, rows))
        gone = [row for row in last.users if id(row) not in here]
        made = UsersSnapshot.build(
            rows,  # type: ignore[arg-type]
            at(1),
            previous=last,
            keyed=False,
            changes=(new, gone),
        )
        assert False in made._memo and True in made._memo  # carried, not counted again
        plain = _plain(rows)
        assert made.counts() == plain.counts()
        assert made.counts(True) == plain.counts(True)
        last = made
