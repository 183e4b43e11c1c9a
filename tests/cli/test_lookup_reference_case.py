"""``rtdash lookup`` with a call reference typed in another case than the upstream's
("C-1234-000070" for ``c-1234-000070``), against the simulator over loopback HTTP.

The upstream matches ``callRef`` exactly, so the reference of a live call typed in
capitals found nothing. The requests the simulator counted show what each lookup cost:
a number, and a reference spelled as the upstream spells it, must cost no more than
before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from rtdash.sim.faults import Fault
from tests.cli.requests_counted import asked_since, requests_by_route
from tests.support import point_cli_at, today_sim

if TYPE_CHECKING:
    from rtdash.sim import Simulator
    from tests.cli.conftest import RunCli

MISSING_NUMBER = "+44 7700 900999"


def _live_callers(rtdash: RunCli, flags: list[str]) -> dict[str, str]:
    """Each live call's reference and its caller's number (the lookup's answer names
    the caller, not the reference)."""
    rows = rtdash("calls", *flags, "--json").json()
    return {row["callRef"]: row["srcPhoneNumber"] for row in rows}


def _bridged_ref(rtdash: RunCli, flags: list[str]) -> str:
    rows = rtdash("calls", *flags, "--json").json()
    return str(next(row["callRef"] for row in rows if row["state"] == "bridged"))


def test_a_live_calls_reference_in_capitals_finds_its_caller(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    ref = _bridged_ref(rtdash, sim_env)
    caller = _live_callers(rtdash, sim_env)[ref]
    typed = ref.upper()
    assert typed != ref
    truth = rtdash("lookup", *sim_env, "--call-ref", ref, "--json").json()
    before = requests_by_route(sim)
    run = rtdash("lookup", *sim_env, "--call-ref", typed, "--json")
    assert (run.code, run.err) == (0, "")
    assert run.json() == truth
    assert truth[0]["srcPhoneNumber"] == caller
    # the typed spelling missed, the live calls were read once, the live spelling found it
    asked = asked_since(sim, before)
    assert (asked["activeCall"], asked["pbxActiveCalls"]) == (2, 1)
    listing = rtdash("lookup", *sim_env, typed)  # the positional reads a reference too
    assert (listing.code, listing.err) == (0, "")
    assert listing.out.splitlines()[0].startswith(f"Caller details for call reference {ref!r} — ")


def test_a_number_never_reads_the_live_calls(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    before = requests_by_route(sim)
    run = rtdash("lookup", *sim_env, MISSING_NUMBER, "--json")
    assert (run.code, run.json()) == (1, [])
    assert (
        run.err == f"rtdash lookup: no call matches number {MISSING_NUMBER} in the last 24 hours\n"
    )
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 0, "pbxUserStatus": 0}


def test_a_reference_spelled_as_the_upstreams_costs_one_request(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    ref = _bridged_ref(rtdash, sim_env)
    caller = _live_callers(rtdash, sim_env)[ref]
    before = requests_by_route(sim)
    run = rtdash("lookup", *sim_env, "--call-ref", ref, "--json")
    assert run.code == 0
    assert [row["srcPhoneNumber"] for row in run.json()] == [caller]
    assert asked_since(sim, before) == {"activeCall": 1, "pbxActiveCalls": 0, "pbxUserStatus": 0}


def test_when_the_live_calls_cannot_be_read_the_lookup_answers_as_before(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    typed = _bridged_ref(rtdash, sim_env).upper()
    sim.faults.add(Fault(kind="status", status=503, route="pbxActiveCalls", times=None))
    try:
        run = rtdash("lookup", *sim_env, "--call-ref", typed)
    finally:
        sim.faults.clear()
    assert (run.code, run.out) == (1, "")
    assert run.err == f"rtdash lookup: no call matches reference {typed!r} in the last 24 hours\n"


@pytest.fixture
def twin_refs(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Simulator, list[str], str]]:
    """A simulator of its own with two live calls whose references differ only by case
    (``cx-…`` and ``CX-…``); yields it, the flags that point at it, and the stem."""
    with today_sim() as sim:
        centre = sim.model.centres[sim.igrp]
        first, second = list(centre.calls.values())[:2]
        stem = first.ref.removeprefix("c-")
        for call, ref in ((first, f"cx-{stem}"), (second, f"CX-{stem}")):
            del centre.calls[call.ref]
            call.ref = ref
            centre.calls[ref] = call
        yield sim, point_cli_at(sim, monkeypatch), stem


def test_two_live_references_told_apart_by_case_only_are_asked_as_typed(
    rtdash: RunCli, twin_refs: tuple[Simulator, list[str], str]
) -> None:
    sim, flags, stem = twin_refs
    live = _live_callers(rtdash, flags)
    assert {f"cx-{stem}", f"CX-{stem}"} <= live.keys()
    typed = f"Cx-{stem}"
    before = requests_by_route(sim)
    run = rtdash("lookup", *flags, "--call-ref", typed)
    assert (run.code, run.out) == (1, "")
    assert run.err == f"rtdash lookup: no call matches reference {typed!r} in the last 24 hours\n"
    # asked once, as typed: neither live spelling was guessed at
    asked = asked_since(sim, before)
    assert (asked["activeCall"], asked["pbxActiveCalls"]) == (1, 1)
    found = rtdash("lookup", *flags, "--call-ref", f"CX-{stem}", "--json")
    assert found.code == 0
    assert [row["srcPhoneNumber"] for row in found.json()] == [live[f"CX-{stem}"]]
