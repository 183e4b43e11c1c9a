"""A snapshot built with the last poll's costs what changed: a row object that was there
keeps its group and place without being keyed again, and the result is the snapshot a
build from scratch makes."""

from __future__ import annotations

import random

import pytest

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core import snapshot as snapshot_module
from rtdash.core.agents import OnCall, count_agents, count_columns, user_columns
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot

from .rows import T0, call, user

STATES = list(CallState)


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The call references (user ids) whose order key is worked out."""
    seen: list[str] = []
    call_order, user_order = snapshot_module._call_order, snapshot_module._user_order

    def calls(row: ActiveCall) -> object:
        seen.append(row.call_ref)
        return call_order(row)

    def users(row: PbxUser) -> object:
        seen.append(row.user_id)
        return user_order(row)

    monkeypatch.setattr(snapshot_module, "_call_order", calls)
    monkeypatch.setattr(snapshot_module, "_user_order", users)
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
