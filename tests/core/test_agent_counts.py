"""The agents' counts and who is on a call, brought from poll to poll by what changed,
are exactly what a look at every row gives: over polls of both routes where agents
come, go, change state, leave and join the dashboard, share references and names, and
calls arrive, are answered and end; with snapshots built from the reader's changes,
from every row (a body read whole) and afresh (the first poll)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.agent_counts import agent_counts
from rtdash.core.agents import OnCall, count_agents
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .rows import at, call, user

REFS = [None, "", "a.lee", "b.kim", "c.ode", "d.ray"]
NAMES = [None, "", "Ann Lee", "ANN LEE", "Bo Kim", "Cy Ode", "Straße"]
#: how a snapshot is built: from the reader's changes, finding them itself, or afresh
BUILDS = ("changes", "whole", "fresh")


def _person(rng: random.Random, n: int) -> PbxUser:
    return user(
        f"u{rng.randrange(12)}",  # user ids repeat: the same user twice in one body
        rng.choice(list(UserState)),
        rng.randrange(100),
        name=rng.choice(NAMES),
        dashboard=rng.random() < 0.8,
        operator_ref=rng.choice(REFS),
        extension=str(n),
    )


def _call(rng: random.Random, n: int) -> ActiveCall:
    return call(
        f"c{n % 20}",  # call refs repeat: the same call twice in one body
        rng.choice([CallState.BRIDGED, CallState.BRIDGED, CallState.QUEUEING]),
        rng.randrange(100),
        agent_ref=rng.choice(REFS),
        agent_name=rng.choice(NAMES),
    )


def _moved(rng: random.Random, rows: list[Any], make: Any) -> list[Any]:
    """The next poll's rows: most the very same objects, some gone, some new."""
    out = [row for row in rows if rng.random() > 0.2]
    for _ in range(rng.randrange(4)):
        out.insert(rng.randrange(len(out) + 1), make(rng, rng.randrange(10**6)))
    return out


def _build(kind: str, rows: list[Any], last: Any, make: Any) -> Any:
    if kind == "fresh" or last is None:
        return make(rows, at(0), previous=None, keyed=False)
    if kind == "whole":
        return make(rows, at(0), previous=last, keyed=False)
    held = last.row_ids() if isinstance(last, CallsSnapshot) else last.user_ids()
    here = set(map(id, rows))
    old = last.calls if isinstance(last, CallsSnapshot) else last.users
    changes = ([row for row in rows if id(row) not in held], [r for r in old if id(r) not in here])
    return make(rows, at(0), previous=last, keyed=False, changes=changes)


def _check(users: UsersSnapshot, calls: CallsSnapshot) -> None:
    on_call = calls.on_call()
    bridged = calls.groups[CallState.BRIDGED]
    plain = OnCall.from_calls(bridged)
    assert (set(on_call.refs), set(on_call.names)) == (set(plain.refs), set(plain.names))
    assert on_call.ref_calls == plain.ref_calls and on_call.name_calls == plain.name_calls
    assert agent_counts(users, on_call) == count_agents(users.dashboard_users, on_call)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    steps=st.lists(st.tuples(st.booleans(), st.sampled_from(BUILDS)), min_size=1, max_size=25),
)
def test_counts_moved_by_changes_are_those_of_every_row(
    seed: int, steps: list[tuple[bool, str]]
) -> None:
    rng = random.Random(seed)
    people = [_person(rng, n) for n in range(rng.randrange(1, 15))]
    lines = [_call(rng, n) for n in range(rng.randrange(12))]
    users = UsersSnapshot.build(people, at(0), previous=None, keyed=False)
    calls = CallsSnapshot.build(lines, at(0), previous=None, keyed=False)
    _check(users, calls)
    for is_calls, kind in steps:
        if is_calls:
            before = calls.on_call()
            lines = _moved(rng, lines, _call)
            calls = _build(kind, lines, calls, CallsSnapshot.build)
            now = calls.on_call()
            refs, names = now.flips_since(before)  # as the agents' clocks read them
            assert (set(refs), set(names)) == (
                set(before.refs) ^ set(now.refs),
                set(before.names) ^ set(now.names),
            )
        else:
            people = _moved(rng, people, _person)
            users = _build(kind, people, users, UsersSnapshot.build)
        _check(users, calls)


def test_a_moving_centre_is_counted_by_its_changes_not_every_agent(full_counts: list[int]) -> None:
    """Once the first pair is counted, a poll of either route moves the counts by what
    changed: no agent is counted again from every row."""
    full = full_counts
    rng = random.Random(7)
    people = [_person(rng, n) for n in range(40)]
    lines = [_call(rng, n) for n in range(30)]
    users = UsersSnapshot.build(people, at(0), previous=None, keyed=False)
    calls = CallsSnapshot.build(lines, at(0), previous=None, keyed=False)
    _check(users, calls)
    for step in range(20):
        if step % 2:
            lines = _moved(rng, lines, _call)
            calls = _build("changes", lines, calls, CallsSnapshot.build)
            _check(users, calls)
        else:
            people = _moved(rng, people, _person)
            users, lagging = _build("changes", people, users, UsersSnapshot.build), users
            _check(users, calls)
            # a screen a poll behind asks for the last users against the new answer
            _check(lagging, calls)
            _check(users, calls)
    assert full == [1]
