"""``rtdash lookup`` names who answered, as the dashboard's lookup does: "Answered on:
Leo Knight (213)", not the extension alone; against the simulator over loopback HTTP.

The name costs requests, which the simulator counts: the users are read once and only
for an answered call's listing (never for ``--json``, the route's own row), and the
live calls only where two users share the extension and the lookup was of a reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from rtdash.sim.faults import Fault
from tests.cli.requests_counted import asked_since, requests_by_route
from tests.support import point_cli_at, today_sim

if TYPE_CHECKING:
    from rtdash.sim import Simulator
    from tests.cli.conftest import RunCli


def _answered_on(listing: str) -> str | None:
    """The listing's "Answered on" value, or None when it has none."""
    for line in listing.splitlines():
        label, _, value = line.strip().partition(":")
        if label == "Answered on":
            return value.strip()
    return None


def _talking(rtdash: RunCli, flags: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A live bridged call and the user who is its agent (the PBX's rows)."""
    calls = rtdash("calls", *flags, "--json").json()
    users = rtdash("users", *flags, "--all", "--json").json()
    by_ref = {user["operatorRef"]: user for user in users}
    call = next(row for row in calls if row["state"] == "bridged" and row["operatorRef"])
    return call, by_ref[call["operatorRef"]]


def test_the_listing_names_the_user_on_the_extension_answered_on(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    call, agent = _talking(rtdash, sim_env)
    expected = f"{agent['displayName']} ({agent['extensionNumber']})"
    before = requests_by_route(sim)
    run = rtdash("lookup", *sim_env, "--call-ref", call["callRef"])
    assert (run.code, run.err) == (0, "")
    assert _answered_on(run.out) == expected
    # one extension, one user: the users alone name them, read once
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 0, "pbxUserStatus": 1}
    by_number = rtdash("lookup", *sim_env, call["srcPhoneNumber"])
    assert (by_number.code, _answered_on(by_number.out)) == (0, expected)


def test_no_name_is_read_for_json_or_for_a_call_nobody_answered(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    call, _ = _talking(rtdash, sim_env)
    before = requests_by_route(sim)
    (row,) = rtdash("lookup", *sim_env, "--call-ref", call["callRef"], "--json").json()
    assert row["destPhoneNumber"]  # answered, but the JSON is the route's row as it was
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 0, "pbxUserStatus": 0}
    calls = rtdash("calls", *sim_env, "--json").json()
    waiting = next(row["callRef"] for row in calls if row["state"] == "queueing")
    before = requests_by_route(sim)
    run = rtdash("lookup", *sim_env, "--call-ref", waiting)
    assert run.code == 0 and _answered_on(run.out) in {None, ""}
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 0, "pbxUserStatus": 0}


def test_with_the_users_unreadable_the_live_calls_agent_is_named(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    """As the dashboard before its first users poll; the lookup answers all the same."""
    call, agent = _talking(rtdash, sim_env)
    sim.faults.add(Fault(kind="status", status=503, route="pbxUserStatus", times=None))
    try:
        by_ref = rtdash("lookup", *sim_env, "--call-ref", call["callRef"])
        by_number = rtdash("lookup", *sim_env, call["srcPhoneNumber"])
    finally:
        sim.faults.clear()
    assert (by_ref.code, by_ref.err) == (0, "")
    assert _answered_on(by_ref.out) == f"{call['displayName']} ({agent['extensionNumber']})"
    # never by the caller's number: the extension alone
    assert (by_number.code, _answered_on(by_number.out)) == (0, agent["extensionNumber"])


@pytest.fixture
def shared_extension(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Simulator, list[str], str, str]]:
    """A simulator of its own where a user who is not talking has the extension of an
    agent on a live call; yields it, the flags that point at it, the call's reference
    and the agent's name."""
    with today_sim() as sim:
        centre = sim.model.centres[sim.igrp]
        call = next(c for c in centre.calls.values() if c.phase == "bridged" and c.agent)
        agent = call.agent
        assert agent is not None
        other = next(u for u in centre.users if u.call is None and u is not agent)
        assert other.display_name != agent.display_name
        other.extension = agent.extension
        yield sim, point_cli_at(sim, monkeypatch), call.ref, agent.display_name


def test_two_users_on_one_extension_are_told_apart_by_the_live_call(
    rtdash: RunCli, shared_extension: tuple[Simulator, list[str], str, str]
) -> None:
    sim, flags, ref, name = shared_extension
    (row,) = rtdash("lookup", *flags, "--call-ref", ref, "--json").json()
    extension = row["destPhoneNumber"]
    before = requests_by_route(sim)
    run = rtdash("lookup", *flags, "--call-ref", ref)
    assert (run.code, _answered_on(run.out)) == (0, f"{name} ({extension})")
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 1, "pbxUserStatus": 1}
    # typed in capitals: the live calls read to find its spelling tell them apart too
    before = requests_by_route(sim)
    typed = rtdash("lookup", *flags, "--call-ref", ref.upper())
    assert (typed.code, _answered_on(typed.out)) == (0, f"{name} ({extension})")
    assert asked_since(sim, before) == {"activeCall": 2, "pbxActiveCalls": 1, "pbxUserStatus": 1}
    # by number no live call is asked about: the extension alone
    before = requests_by_route(sim)
    by_number = rtdash("lookup", *flags, row["srcPhoneNumber"])
    assert (by_number.code, _answered_on(by_number.out)) == (0, extension)
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 0, "pbxUserStatus": 1}
