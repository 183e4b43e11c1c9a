"""A call first seen already talking, whose row gives no call start (nor state start),
is talked from its answer as the row's bridged duration tells it (the poll that first
saw it, less the talk so far), not from that poll: against the simulator over loopback
HTTP, its ground truth (when each call was really answered, and the talk of every call
that ended) the measure.

The rows are read through a mapping that finds neither start in them, as a service
that does not send them would be read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import CallState
from rtdash.core.outcomes import Answered, Event, Offered, OutcomeTracker, Talked
from rtdash.core.snapshot import CallsSnapshot
from tests.support import loopback_sim, sim_config

#: the simulator's clock at the first poll: the centre has been open for a while, so
#: calls are already being talked on
START = datetime(2026, 5, 1, 10, 0, 0, tzinfo=UTC)
POLL = 2
POLLS = 240
NO_STARTS = FieldMapping.from_overrides(
    {"call_call_start": "notSentHere", "call_state_start": "notSentHere"}
)


async def test_a_call_first_seen_talking_is_talked_from_its_bridged_duration() -> None:
    with loopback_sim(sim_config(load=40, agents=30, start=START)) as sim:
        centre = sim.model.centres[sim.igrp]
        events: list[Event] = []
        tracker = OutcomeTracker(events.append)
        async with InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(username=sim.username, password=sim.password),
            base_url=sim.url,
            mapping=NO_STARTS,
            # the poll's time is the simulator's, whose clock moves only when told
            now=lambda: datetime.fromtimestamp(sim.model.now, UTC),
        ) as client:
            first = sim.model.now_s
            #: the calls being talked on at the first poll, and when each was answered
            answered_before: dict[str, int] = {}
            for poll in range(POLLS):
                result = await client.active_calls()
                rows = result.rows
                assert all(row.call_start is None and row.state_start is None for row in rows)
                if poll == 0:
                    answered_before = {
                        row.call_ref: _bridged_at(centre, row.call_ref)
                        for row in rows
                        if row.state is CallState.BRIDGED
                    }
                tracker.observe_calls(CallsSnapshot.build(rows, result.fetched_at))
                sim.advance(POLL)
            last = sim.model.now_s - POLL
    assert len(answered_before) >= 10
    answers = {e.ref: e for e in events if isinstance(e, Answered)}
    offers = {e.ref: e for e in events if isinstance(e, Offered)}
    for ref, bridged_at in answered_before.items():
        # answered when the simulator bridged it; offered no later; its wait unknown
        assert (answers[ref].at, answers[ref].wait) == (bridged_at, None), ref
        assert offers[ref].at <= answers[ref].at
    talked = [e for e in events if isinstance(e, Talked)]
    truth = _truth(sim.stats(f"since={first}&until={last}"), sim.igrp)
    ended_first = [e for e in talked if e.ref in answered_before]
    assert len(ended_first) >= 10  # most of them ended in the window, and were talked
    assert abs(len(talked) - truth["talked"]) <= 2
    mean = sum(e.talk for e in talked) / len(talked)
    # each end is placed halfway between two polls: within a poll, and the mean closer
    assert abs(mean - truth["avg_talk"]) <= 1.0


def _bridged_at(centre: Any, ref: str) -> int:
    bridge_start = centre.calls[ref].bridge_start
    assert isinstance(bridge_start, int)
    return bridge_start


def _truth(stats: dict[str, object], igrp: int) -> dict[str, Any]:
    truth = stats["truth"]
    assert isinstance(truth, dict)
    every: dict[str, Any] = truth[str(igrp)]["all"]
    return every
