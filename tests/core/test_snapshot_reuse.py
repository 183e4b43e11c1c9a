"""A snapshot built with the last poll's costs what changed: a row object that was there
keeps its group and place without being keyed again, and the result is the snapshot a
build from scratch makes."""

from __future__ import annotations

import random

import pytest

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core import row_order
from rtdash.core import snapshot as snapshot_module
from rtdash.core import users_snapshot as users_snapshot_module
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import AgentState, OnCall, count_agents, count_columns, user_columns
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot

from .rows import T0, call, user

STATES = list(CallState)


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The call references (user ids) whose order key is worked out."""
    seen: list[str] = []
    call_order, user_order = snapshot_module._call_order, users_snapshot_module._user_order

    def calls(row: ActiveCall) -> object:
        seen.append(row.call_ref)
        return call_order(row)

    def users(row: PbxUser) -> object:
        seen.append(row.user_id)
        return user_order(row)

    monkeypatch.setattr(snapshot_module, "_call_order", calls)
    monkeypatch.setattr(users_snapshot_module, "_user_order", users)
    return seen


def test_only_new_calls_are_keyed_and_the_result_is_a_fresh_build(keyed: list[str]) -> None:
    rows = [call(f"c-{n}", STATES[n % 3], state_start=(n * 7) % 50) for n in range(30)]
    first = CallsSnapshot.build(rows, T0)
    keyed.clear()
    answered = call("c-4", CallState.BRIDGED, state_start=60)
    later = [*rows[:4], answered, *rows[5:20], call("c-99", CallState.RINGING, state_start=1)]
    second = CallsSnapshot.build(later, T0, previous=first)
    assert sorted(keyed) == ["c-4", "c-99"]  # of 21 calls, the two new row objects
    assert second.groups == CallsSnapshot.build(later, T0).groups
    assert second.same_rows(CallsSnapshot.build(later, T0))


def test_a_group_nothing_moved_in_is_the_very_same_tuple(keyed: list[str]) -> None:
    rows = [call(f"c-{n}", STATES[n % 3], state_start=n) for n in range(9)]
    first = CallsSnapshot.build(rows, T0)
    keyed.clear()
    second = CallsSnapshot.build([*rows, call("c-9", CallState.RINGING, 3)], T0, previous=first)
    assert keyed == ["c-9"]
    assert second.groups[CallState.BRIDGED] is first.groups[CallState.BRIDGED]
    assert second.groups[CallState.RINGING] is not first.groups[CallState.RINGING]
    third = CallsSnapshot.build(list(reversed(rows)), T0, previous=first)
    assert all(third.groups[state] is first.groups[state] for state in CALL_STATES)


def test_random_polls_build_as_from_scratch() -> None:
    rng = random.Random(3)
    pool = [
        call(f"c-{n}", rng.choice(STATES), state_start=rng.choice([None, *range(20)]))
        for n in range(200)
    ]
    users = [
        user(f"u-{n}", rng.choice(list(UserState)), rng.choice([None, *range(20)]))
        for n in range(100)
    ]
    calls_before = users_before = None
    for _ in range(20):
        calls_now = rng.sample(pool, rng.randint(0, 120))
        users_now = rng.sample(users, rng.randint(0, 80))
        built = CallsSnapshot.build(calls_now, T0, previous=calls_before)
        assert built.groups == CallsSnapshot.build(calls_now, T0).groups
        people = UsersSnapshot.build(users_now, T0, previous=users_before)
        fresh = UsersSnapshot.build(users_now, T0)
        assert (people.users, people.dashboard_users) == (fresh.users, fresh.dashboard_users)
        assert people.counts() == fresh.counts() and people.counts(True) == fresh.counts(True)
        calls_before, users_before = built, people


def test_agent_counts_a_column_at_a_time_are_the_counts_agent_by_agent() -> None:
    rng = random.Random(5)
    names = ["Ann", "BOB", "bob", "Cy", None, ""]
    refs = ["a.one", "b.two", "c.three", None, ""]
    people = [
        user(
            f"u-{n}",
            rng.choice(list(UserState)),
            name=rng.choice(names),
            operator_ref=rng.choice(refs),
        )
        for n in range(200)
    ]
    for _ in range(30):
        bridged = [
            call(
                f"c-{n}",
                CallState.BRIDGED,
                agent_ref=rng.choice(refs),
                agent_name=rng.choice(names),
            )
            for n in range(rng.randint(0, 6))
        ]
        on_call = OnCall.from_calls(bridged)
        assert count_columns(user_columns(people), on_call) == count_agents(people, on_call)


def test_a_keyless_build_keys_only_new_rows_and_the_few_a_search_looks_at(
    keyed: list[str],
) -> None:
    """The poller's builds hold no order keys: each new row is placed by a binary search,
    so a poll keys its new rows and a few kept ones per new row, never every row."""
    rows = [call(f"c-{n}", CallState.QUEUEING, state_start=n) for n in range(1024)]
    first = CallsSnapshot.build(rows, T0, keyed=False)
    assert not first.order_keys
    keyed.clear()
    later = [*rows[:500], *rows[501:], call("c-new", CallState.QUEUEING, state_start=700.5)]
    second = CallsSnapshot.build(later, T0, previous=first, keyed=False)
    # log2(1024) + 1 looked at, and the first rows (where a poll's runs start)
    assert keyed.count("c-new") == 1 and len(keyed) <= 1 + 11 + row_order.NEAR
    assert second.groups == CallsSnapshot.build(later, T0).groups
    assert second.groups[CallState.BRIDGED] is first.groups[CallState.BRIDGED]
    third = CallsSnapshot.build(later, T0, previous=second, keyed=False)
    assert all(third.groups[state] is second.groups[state] for state in CALL_STATES)


@pytest.mark.usefixtures("each_drop")
def test_random_keyless_polls_build_as_from_scratch() -> None:
    rng = random.Random(11)
    pool = [
        call(f"c-{n}", rng.choice(STATES), state_start=rng.choice([None, *range(20)]))
        for n in range(300)
    ]
    users = [
        user(f"u-{n}", rng.choice(list(UserState)), rng.choice([None, *range(20)]))
        for n in range(150)
    ]
    calls_before = users_before = None
    now_calls, now_users = pool[:100], users[:60]
    for _ in range(30):
        # a few rows come and go each poll (the binary search's way), sometimes many
        churn = rng.choice([1, 3, 60])
        now_calls = [c for c in now_calls if rng.random() > churn / 300] + rng.sample(pool, churn)
        now_calls = list({c.call_ref: c for c in now_calls}.values())
        now_users = [u for u in now_users if rng.random() > 0.05] + rng.sample(users, 3)
        now_users = list({u.user_id: u for u in now_users}.values())
        built = CallsSnapshot.build(now_calls, T0, previous=calls_before, keyed=False)
        assert built.groups == CallsSnapshot.build(now_calls, T0).groups
        people = UsersSnapshot.build(now_users, T0, previous=users_before, keyed=False)
        fresh = UsersSnapshot.build(now_users, T0)
        assert (people.users, people.dashboard_users) == (fresh.users, fresh.dashboard_users)
        assert people.counts(True) == fresh.counts(True)
        calls_before, users_before = built, people


def test_agents_are_counted_once_per_users_and_calls_pair(full_counts: list[int]) -> None:
    """The headline numbers and the agents panel ask for the same counts on each poll."""
    counted = full_counts
    people = UsersSnapshot.build([user(f"u-{n}", name=f"U{n}") for n in range(9)], T0)
    bridged = CallsSnapshot.build([call("c-1", CallState.BRIDGED, agent_name="U3")], T0)
    first = agent_counts(people, bridged.on_call())
    first[AgentState.AWAY] = 99  # a caller's copy: the kept counts stay as they were
    again = agent_counts(people, bridged.on_call())
    assert counted == [1] and again == count_agents(people.users, bridged.on_call())
    later = UsersSnapshot.build([user("u-1", name="U1")], T0)
    assert agent_counts(later, bridged.on_call()) == count_agents(later.users, bridged.on_call())
    assert counted == [1, 1]
