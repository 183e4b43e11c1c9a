"""The per-poll passes over every row are done a column at a time (in C), and say what
the row-by-row rules say: the longest wait, the agents' columns, who is on a call, the
user counts. A random centre is read both ways and must agree."""

from __future__ import annotations

import random

from rtdash.api.models import CallState, UserState
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import OnCall, agent_state, count_columns, user_columns
from rtdash.core.metrics import WAITING_STATES, Metrics, longest_wait_since, wait_start
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from tests.core.rows import T0, call, user

NAMES = [None, "", "Ann Lee", "ann lee", "ANN LEE", "Bob Öz", "Straße", "Zoë"]
REFS = [None, "", "a.lee", "b.oz", "c.ray"]


def centre(seed: int) -> tuple[CallsSnapshot, UsersSnapshot]:
    rng = random.Random(seed)
    starts = [None, *range(0, 3000, 7)]
    calls = [
        call(
            f"c-{n}",
            rng.choice(list(CallState)),
            state_start=rng.choice(starts),
            call_start=rng.choice(starts),
            agent_ref=rng.choice(REFS),
            agent_name=rng.choice(NAMES),
            queue=rng.choice([None, "", "sales", "help"]),
        )
        for n in range(rng.randint(0, 60))
    ]
    users = [
        user(
            str(n),
            rng.choice(list(UserState)),
            state_start=rng.choice(starts),
            name=rng.choice(NAMES),
            operator_ref=rng.choice(REFS),
            dashboard=rng.random() < 0.8,
        )
        for n in range(rng.randint(0, 40))
    ]
    return CallsSnapshot.build(calls, T0), UsersSnapshot.build(users, T0)


def test_the_longest_wait_is_the_earliest_wait_start_of_every_waiting_call() -> None:
    for seed in range(200):
        calls, _ = centre(seed)
        starts = [
            start
            for state in WAITING_STATES
            for row in calls.groups[state]
            if (start := wait_start(row)) is not None
        ]
        expected = min(starts, default=None)
        assert Metrics.compute(calls, None).longest_wait_since == expected, seed
    # a call with no call start waits from its state's start; no starts at all: None
    only = [call("x", "queueing", state_start=5), call("y", "ringing", 9, call_start=20)]
    assert longest_wait_since(only) == T0.replace(second=5)
    assert longest_wait_since([call("z", "queueing")]) is None
    assert longest_wait_since(()) is None


def test_agent_columns_and_counts_follow_the_row_by_row_rule() -> None:
    for seed in range(200):
        calls, users = centre(seed)
        on_call = calls.on_call()
        refs, names, available = user_columns(users.dashboard_users)
        assert refs == [row.operator_ref for row in users.dashboard_users]
        assert names == [
            row.display_name.casefold() if row.display_name else "" for row in users.dashboard_users
        ]
        assert available == [row.state is UserState.AVAILABLE for row in users.dashboard_users]
        by_row: dict[object, int] = {}
        for row in users.dashboard_users:
            state = agent_state(row, on_call)
            by_row[state] = by_row.get(state, 0) + 1
        counted = count_columns(user_columns(users.dashboard_users), on_call)
        assert {state: n for state, n in counted.items() if n} == by_row, seed
        assert agent_counts(users, on_call) == counted, seed
        for show_all in (False, True):
            shown = users.visible(show_all)
            assert users.counts(show_all) == {
                state: sum(row.state is state for row in shown) for state in UserState
            }


def test_who_is_on_a_call_and_their_queues_are_read_from_the_bridged_calls() -> None:
    for seed in range(200):
        calls, _ = centre(seed)
        bridged = calls.groups[CallState.BRIDGED]
        on_call = OnCall.from_calls(bridged)
        assert on_call.refs == {row.agent_ref for row in bridged if row.agent_ref}
        assert on_call.names == {
            row.agent_name.casefold() for row in bridged if not row.agent_ref and row.agent_name
        }
        assert on_call.queue_of == tuple(
            (row.agent_ref or row.agent_name.casefold(), row.queue or None)
            for row in bridged
            if row.agent_ref or row.agent_name
        )
    # two polls with the same people on calls are the same answer, whatever the calls
    first = OnCall.from_calls([call("1", "bridged", agent_ref="a.lee", queue="sales")])
    second = OnCall.from_calls([call("2", "bridged", agent_ref="a.lee", queue="help")])
    assert first == second
    assert (first.queue_of, second.queue_of) == ((("a.lee", "sales"),), (("a.lee", "help"),))
    assert OnCall.from_calls([call("3", "queueing", agent_ref="a.lee")]) == OnCall()
