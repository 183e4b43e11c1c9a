"""A calls snapshot built from the last one and its new and gone rows brings the last
one's earliest wait start of each group forward (the headline's longest wait) instead
of looking at every waiting call again: it must be what every row gives."""

from __future__ import annotations

import random

import pytest

from rtdash.api.models import ActiveCall, CallState
from rtdash.core import wait_starts
from rtdash.core.metrics import Metrics, longest_wait_since, wait_start
from rtdash.core.snapshot import CallsSnapshot

from .rows import at, call

WAITING = (CallState.QUEUEING, CallState.RINGING)


def _waits(snapshot: CallsSnapshot) -> list[object]:
    return [snapshot.wait_since(state) for state in WAITING]


def _plain(rows: list[ActiveCall]) -> list[object]:
    fresh = CallsSnapshot.build(rows, at(0))  # type: ignore[arg-type]
    return [longest_wait_since(fresh.groups.get(state)) for state in WAITING]


def test_the_earliest_wait_carried_by_new_and_gone_rows_is_that_of_every_row() -> None:
    rows = [call(f"q{n}", "queueing", 100 + n, 50 + n) for n in range(10)]
    rows += [call(f"r{n}", "ringing", 200 + n, None) for n in range(4)]  # no call start
    rows += [call("b0", "bridged", 10, 5)]
    last = CallsSnapshot.build(rows, at(0), previous=None, keyed=False)  # type: ignore[arg-type]
    assert _waits(last) == _plain(rows)
    steps = [
        lambda r: [x for x in r if x.call_ref != "q0"],  # the longest waiter leaves
        lambda r: [*r, call("q-early", "queueing", 300, 10)],  # an earlier start comes
        lambda r: [x for x in r if x.call_ref != "q5"],  # a later one leaves: kept
        # the earliest is answered (a new row in another group, the old one gone)
        lambda r: [x for x in r if x.call_ref != "q-early"] + [call("q-early", "bridged", 301, 10)],
        lambda r: [x for x in r if x.state is not CallState.RINGING],  # nobody rings
        lambda r: [*r, call("r-new", "ringing", 400, None)],
        lambda r: list(r),
    ]
    carried = 0
    for step in steps:
        rows = step(rows)
        held = last.row_ids()
        here = set(map(id, rows))
        new = [row for row in rows if id(row) not in held]
        gone = [row for row in last.calls if id(row) not in here]
        made = CallsSnapshot.build(
            rows,  # type: ignore[arg-type]
            at(1),
            previous=last,
            keyed=False,
            changes=(new, gone),
        )
        carried += ("wait", CallState.QUEUEING) in made._memo
        assert _waits(made) == _plain(rows)
        metrics = Metrics.compute(made, None)
        assert metrics.longest_wait_since == min(filter(None, _plain(rows)), default=None)
        last = made
    assert carried >= 4  # most steps needed no look at every waiting call


def test_a_gone_earliest_waiter_leaves_the_next_earliest_held() -> None:
    rows = [call("a", "queueing", 10, 1), call("b", "queueing", 20, 2)]
    last = CallsSnapshot.build(rows, at(0), previous=None, keyed=False)  # type: ignore[arg-type]
    assert _waits(last)[0] == at(1)
    made = CallsSnapshot.build(
        rows[1:],  # type: ignore[arg-type]
        at(1),
        previous=last,
        keyed=False,
        changes=([], rows[:1]),
    )
    assert ("wait", CallState.QUEUEING) in made._memo  # carried: the next one was held
    assert _waits(made)[0] == at(2)


def test_held_earliest_starts_moved_by_many_polls_are_those_of_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With few starts held, the earliest waiters leaving poll after poll (the common
    case: the longest waiter is answered first) empty them and every call is looked at
    again; ties, calls without a start and earlier arrivals in between."""
    monkeypatch.setattr(wait_starts, "HELD", 3)
    rng = random.Random(5)
    serial = iter(range(10**6))

    def arrival(now: int) -> ActiveCall:
        start = rng.choice([None, now - rng.randrange(30), now - rng.randrange(3)])
        state = rng.choice(WAITING)
        return call(f"c{next(serial)}", state, now, start)

    rows = [arrival(100) for _ in range(12)]
    last = CallsSnapshot.build(rows, at(0), previous=None, keyed=False)  # type: ignore[arg-type]
    looked = carried = 0
    for now in range(101, 400):
        _waits(last)
        oldest = sorted(rows, key=lambda row: wait_start(row) or at(10**6))
        leaving = {id(row) for row in oldest[: rng.randrange(3)]}  # the longest waiters
        leaving |= {id(row) for row in rows if rng.random() < 0.1}
        new = [arrival(now) for _ in range(rng.randrange(4))]
        gone = [row for row in last.calls if id(row) in leaving]
        rows = [row for row in rows if id(row) not in leaving] + new
        made = CallsSnapshot.build(
            rows,  # type: ignore[arg-type]
            at(now),
            previous=last,
            keyed=False,
            changes=(new, gone),
        )
        held = ("wait", CallState.QUEUEING) in made._memo
        carried += held
        looked += not held
        assert _waits(made) == _plain(rows), now
        last = made
    assert carried > 100 and looked > 10  # mostly carried, sometimes looked at again
