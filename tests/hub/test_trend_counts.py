"""The trend a screen joining a hub late draws is the one a running screen drew: the
hub's entries count agents available as the screens do, with anyone on a bridged call
taken out, whichever route answered last."""

from __future__ import annotations

import asyncio

from rtdash.api.models import CallState, UserState
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.hub import trend
from rtdash.hub.outbox import Item, QueueSink
from tests.core.rows import at, call, user


def _entries(queue: asyncio.Queue[Item]) -> list[trend.TrendPoint]:
    points = []
    while not queue.empty():
        item = queue.get_nowait()
        if item.trend:
            point = trend.point(item.trend)
            assert point is not None
            points.append(point)
    return points


def test_agents_on_a_bridged_call_are_not_counted_available_in_the_hubs_trend() -> None:
    # four agents the PBX calls available; two of them are on a bridged call
    people = [user(f"u{n}", UserState.AVAILABLE, operator_ref=f"a{n}") for n in range(4)]
    lines = [
        call("c0", CallState.BRIDGED, 5, 0, queue="sales", agent_ref="a0"),
        call("c1", CallState.BRIDGED, 5, 0, queue="sales", agent_ref="a1"),
        call("c2", CallState.QUEUEING, 5, 0, queue="sales"),
    ]
    users = UsersSnapshot.build(people, at(0), previous=None, keyed=False)
    calls = CallsSnapshot.build(lines, at(1), previous=None, keyed=False)
    screen = Metrics.compute(calls, users)
    assert screen.agents_available == 2 and screen.waiting == 1

    queue: asyncio.Queue[Item] = asyncio.Queue()
    sink = QueueSink(queue, on_status=lambda status: None)
    sink.on_users(users)
    sink.on_calls(calls)
    later = UsersSnapshot.build(people, at(2), previous=users, keyed=False)
    sink.on_users(later)
    first, second, third = _entries(queue)
    # before the calls answered, the PBX's word is all there is
    assert (first.waiting, first.available) == (None, 4)
    assert (second.waiting, second.available) == (1, 2)
    assert (third.waiting, third.available) == (1, 2), "users polled after the calls"

    history = History()
    trend.backfill(history, [first, second, third])
    assert history.available() == [2]
