"""A poll's snapshot made from what the reader knows changed (the rows new since the
last poll, and those gone) is the snapshot made from every row: the same groups in the
same order, the same row objects, the same ids, the same dashboard agents.

Driven through the poller against the simulator over loopback HTTP, its centre moving
between polls (calls arrive, are answered and end; agents change state), with bodies
read whole and streamed a piece at a time.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtdash.api import transport
from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import OnCall, count_agents
from rtdash.core.poller import Poller
from rtdash.core.poller_status import PollerStatus, Route
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.sim import Simulator
from tests.support import loopback_sim, sim_config


def _plain_calls(snapshot: CallsSnapshot, rows: list[Any]) -> CallsSnapshot:
    return CallsSnapshot.build(rows, snapshot.fetched_at, snapshot.unreadable, snapshot.server_now)


def _same_calls(made: CallsSnapshot, plain: CallsSnapshot) -> None:
    assert made.groups == plain.groups
    for state, rows in plain.groups.items():  # the very rows, in the same places
        assert list(map(id, made.groups[state])) == list(map(id, rows))
    assert made.row_ids() == plain.row_ids()
    assert made.server_now == plain.server_now and made.unreadable == plain.unreadable


def _same_users(made: UsersSnapshot, plain: UsersSnapshot) -> None:
    assert list(map(id, made.users)) == list(map(id, plain.users))
    assert list(map(id, made.dashboard_users)) == list(map(id, plain.dashboard_users))
    assert made.user_ids() == plain.user_ids()
    assert made.counts(True) == plain.counts(True) and made.counts() == plain.counts()


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
async def test_snapshots_from_changes_are_those_from_every_row(
    streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if streamed:  # every body offered to the reader as it comes
        monkeypatch.setattr(transport, "STREAM_AT", 1)
    used: list[bool] = []
    build = CallsSnapshot._changed

    def counting(*args: Any) -> CallsSnapshot:
        used.append(True)
        return build(*args)

    monkeypatch.setattr(CallsSnapshot, "_changed", counting)
    config = sim_config(load=60, agents=40)
    with loopback_sim(config) as sim:
        await _poll_and_compare(sim, used)


async def _poll_and_compare(sim: Simulator, used: list[bool]) -> None:
    calls: list[CallsSnapshot] = []
    users: list[UsersSnapshot] = []

    def status(_: PollerStatus) -> None:
        return None

    async with InfinityClient(
        igrp=sim.igrp,
        credentials=Credentials(username=sim.username, password=sim.password),
        base_url=sim.url,
    ) as client:
        poller = Poller(client, on_calls=calls.append, on_users=users.append, on_status=status)
        seen_gone = seen_new = users_compared = moved = 0
        for _ in range(12):
            await poller._poll(Route.CALLS, 0.0)
            await poller._poll(Route.USERS, 0.0)
            rows_calls = poller._last[Route.CALLS][0]
            rows_users = poller._last[Route.USERS][0]
            _same_calls(calls[-1], _plain_calls(calls[-1], rows_calls))
            plain = UsersSnapshot.build(rows_users, users[-1].fetched_at, users[-1].unreadable)
            _same_users(users[-1], plain)
            # who is on a call and the agents' counts, as the feed asks for them
            on_call = calls[-1].on_call()
            assert on_call == OnCall.from_calls(rows_calls)
            assert agent_counts(users[-1], on_call) == count_agents(plain.dashboard_users, on_call)
            moved += on_call.base is not None
            if len(calls) > 1:
                users_compared += _hands_on_what_a_plain_build_finds(
                    calls, rows_calls, users, rows_users
                )
                before = calls[-2].row_ids()
                now = calls[-1].row_ids()
                seen_gone += len(before - now)
                seen_new += len(now - before)
            sim.advance(5)
    assert seen_new and seen_gone  # calls came and went
    assert users_compared  # and agents changed
    assert len(used) >= 8  # most polls were made from their changes
    assert moved >= 8  # and who is on a call moved by them


def _hands_on_what_a_plain_build_finds(
    calls: list[CallsSnapshot],
    rows_calls: list[Any],
    users: list[UsersSnapshot],
    rows_users: list[Any],
) -> bool:
    """The new and gone rows the snapshot hands on to the service level (changes_since)
    are those a build that finds them itself hands on: the same rows, in the same order."""
    last, made = calls[-2], calls[-1]
    assert not made.unchanged  # the calls' durations tick
    found = CallsSnapshot.build(
        rows_calls, made.fetched_at, made.unreadable, made.server_now, previous=last, keyed=False
    ).changes_since(last.token)
    handed = made.changes_since(last.token)
    assert handed is not None and found is not None
    assert [(s, list(map(id, r))) for s, r in handed[0]] == [
        (s, list(map(id, r))) for s, r in found[0]
    ]
    assert list(map(id, handed[1])) == list(map(id, found[1]))
    if len(users) > 1 and not users[-1].unchanged:  # an unchanged body changes nothing
        last_users, made_users = users[-2], users[-1]
        found_users = UsersSnapshot.build(
            rows_users,
            made_users.fetched_at,
            made_users.unreadable,
            previous=last_users,
            keyed=False,
        ).changes_since(last_users.token)
        handed_users = made_users.changes_since(last_users.token)
        assert handed_users is not None and found_users is not None
        assert list(map(id, handed_users[0])) == list(map(id, found_users[0]))
        assert list(map(id, handed_users[1])) == list(map(id, found_users[1]))
        return True
    return False


def test_rows_are_taken_out_of_an_ordered_tuple_by_their_keys_or_by_a_look_at_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Python way (the part in C, where built, looks at no key: test_row_drop)."""
    from rtdash.core import row_order
    from rtdash.core.row_order import without

    monkeypatch.setattr(row_order, "dropping", None)

    rows = [f"r{n // 3:05d}" for n in range(3000)]  # three rows to a key
    objects = tuple(type("Row", (), {"key": row})() for row in rows)
    keyed: list[Any] = []

    def key(row: Any) -> str:
        keyed.append(row)
        return str(row.key)

    gone = [objects[4], objects[5], objects[1500], objects[2999]]
    expected = tuple(row for row in objects if row not in gone)
    assert without(objects, gone, key) == expected  # by binary search, ties scanned
    assert len(keyed) < 100  # a few rows keyed, not every row
    stranger = type("Row", (), {"key": "r00001"})()  # its key says where; it is not there
    assert without(objects, [stranger], key) == objects
    many = list(objects[: 3000 // row_order.SEARCH_BELOW + 1])
    keyed.clear()
    assert without(objects, many, key) == objects[len(many) :]  # one pass, no key
    assert not keyed
    assert without(objects, [], key) is objects


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.integers(0, 40), max_size=60).map(sorted),
    targets=st.lists(st.integers(-1, 42), min_size=1, max_size=20).map(sorted),
)
def test_rows_searched_for_in_order_are_found_where_a_binary_search_finds_them(
    keys: list[int], targets: list[int]
) -> None:
    """The search that looks just past the last row found first finds every row of a
    poll (searched for in order) where a binary search of all the rows does."""
    from bisect import bisect_left

    from rtdash.core.row_order import _search

    start = 0
    for target in targets:
        at = _search(keys, target, start, int)
        assert at == bisect_left(keys, target), (keys, target, start)
        start = at
