"""Confirming unanswered calls through ``activeCall``, against the simulator on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.credentials import Secret
from rtdash.core.confirm import OutcomeConfirmer
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot
from rtdash.sim import SimConfig, Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(seed=7, realtime=False, load=30, agents=20)) as sim:
        yield sim


def _client(sim: Simulator, igrp: int | None = None, pii: bool = True) -> InfinityClient:
    user, password = (
        (sim.username, sim.password) if pii else (sim.nopii_username, sim.nopii_password)
    )
    return InfinityClient(
        igrp=igrp or sim.igrp,
        credentials=Credentials(username=user, password=Secret(password)),
        base_url=sim.url,
        now=lambda: sim.now,
    )


async def _poll(service: ServiceLevel, client: InfinityClient) -> None:
    result = await client.active_calls()
    service.observe_calls(CallsSnapshot.build(result.rows, result.fetched_at, result.unreadable))


async def _day_with_a_gap(sim: Simulator, client: InfinityClient) -> ServiceLevel:
    service = ServiceLevel(ZoneInfo("UTC"))
    for _ in range(30):
        await _poll(service, client)
        sim.advance(2)
    sim.advance(600)  # ten minutes unwatched: calls answered and finished unseen
    await _poll(service, client)
    return service


async def test_calls_gone_in_a_gap_are_put_right(sim: Simulator) -> None:
    async with _client(sim) as client:
        service = ServiceLevel(ZoneInfo("UTC"))
        notices: list[str] = []
        confirmer = OutcomeConfirmer(
            service, lambda ref: client.caller_details(call_ref=ref), notice=notices.append
        )
        for _ in range(30):
            await _poll(service, client)
            sim.advance(2)
        sim.advance(600)  # ten minutes unwatched: calls answered and finished unseen
        await _poll(service, client)
        before = service.report().total
        assert before.unknown > 0
        refs = [event.ref for event in confirmer.pending]
        assert len(refs) == before.abandoned + before.unknown
        while confirmer.pending:
            await confirmer.confirm_one()
    after = service.report().total
    centre = sim.model.centres[sim.igrp]
    outcomes = [centre.find(call_ref=ref).outcome for ref in refs]  # type: ignore[union-attr]
    truly_answered = outcomes.count("answered")
    assert truly_answered > 0  # the gap did hide answered calls
    assert after.unknown == 0 and notices == []
    assert after.answered == before.answered + truly_answered
    assert after.abandoned == outcomes.count("abandoned")
    assert after.offered == before.offered
    assert confirmer.looked_up == len(refs) and confirmer.corrected == before.unknown
    # each call found answered brings its talk, the activeCall route's bridge duration
    calls = [centre.find(call_ref=ref) for ref in refs]
    talks = [c.end - c.bridge_start for c in calls if c is not None and c.outcome == "answered"]
    assert after.talked == before.talked + len(talks)
    assert after.avg_talk is not None
    before_sum = (before.avg_talk or 0.0) * before.talked
    assert after.avg_talk * after.talked == pytest.approx(before_sum + sum(talks))


async def test_at_most_one_lookup_a_second(sim: Simulator) -> None:
    async with _client(sim) as client:
        service = ServiceLevel(ZoneInfo("UTC"))
        sleeps: list[float] = []
        lookups: list[str] = []

        async def lookup(ref: str):  # type: ignore[no-untyped-def]
            lookups.append(ref)
            if len(lookups) == 3:
                confirmer.stop()
            return await client.caller_details(call_ref=ref)

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        confirmer = OutcomeConfirmer(service, lookup, sleep=sleep)
        for _ in range(30):  # plain 2 s polls: abandons seen as they happen
            await _poll(service, client)
            sim.advance(2)
        abandoned = service.report().total.abandoned
        assert len(confirmer.pending) == abandoned > 3
        await confirmer.run()
    assert len(lookups) == 3 and sleeps == [1.0, 1.0]
    # these were real abandons: nothing changed
    assert service.report().total.abandoned == abandoned and confirmer.corrected == 0


@pytest.mark.parametrize(
    ("igrp", "pii", "why"),
    [
        (5678, True, "basic mode"),
        (None, False, "PII access"),
    ],
)
async def test_basic_mode_or_403_turns_it_off_with_one_notice(
    sim: Simulator, igrp: int | None, pii: bool, why: str
) -> None:
    async with _client(sim, igrp) as polling, _client(sim, igrp, pii) as looking:
        notices: list[str] = []
        service = ServiceLevel(ZoneInfo("UTC"))
        confirmer = OutcomeConfirmer(
            service, lambda ref: looking.caller_details(call_ref=ref), notice=notices.append
        )
        for _ in range(40):
            await _poll(service, polling)
            sim.advance(2)
        assert len(confirmer.pending) > 1
        await confirmer.run()  # returns once disabled
        await _poll(service, polling)
        sim.advance(60)
        await _poll(service, polling)
    assert len(notices) == 1 and why in notices[0]
    assert notices[0].startswith("outcome confirmation is off: ")
    assert confirmer.looked_up == 1 and not confirmer.pending and not confirmer.enabled
