"""No row of a route readable because the mapping names a key the rows do not carry:
the status says which [mapping] key names what, and which keys the rows carry, on
every poll (the same bytes again, or lines known unreadable from the last body), and
the other route goes on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from rtdash.api import errors
from rtdash.api.mapping import FieldMapping
from rtdash.core.poller_status import Route

from .poller_rig import CALL_ROW, Rig, made_rig, now_text, running

CALLS, USERS = Route.CALLS, Route.USERS
#: what to fix first: a status line cut at its edge keeps it
SAID = (
    '[mapping] call_state names "callMood", which no row carries (the rows carry: '
    "igrp, callRef, callState, callStartDatetime, stateStartDatetime, srcPhoneNumber, "
    "queueDuration): nothing readable in the response (3 unreadable rows)"
)


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    async with made_rig() as made:
        yield made


async def test_a_mapping_naming_a_key_no_row_carries_is_said_on_every_poll(rig: Rig) -> None:
    rig.client.mapping = FieldMapping.from_overrides({"call_state": "callMood"})

    def calls(number: int) -> httpx.Response:
        # polls 0 and 1 the same bytes, then durations that tick: lines already refused
        tick = max(number, 1)
        rows = [
            {**CALL_ROW, "callRef": f"c-{n}", "queueDuration": str(50 + tick)} for n in range(3)
        ]
        return httpx.Response(
            200, text="".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows)
        )

    rig.upstream.answer[CALLS] = calls
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(
            lambda: poller.status().routes[CALLS].failures >= 4 and len(rig.rec.users) >= 4,
            60.0,
            "four failed polls of the calls, four of the users",
        )
        assert now_text(poller).startswith(f"calls: {SAID}, retrying in ")
    said = {
        (type(health.error), health.error.message)
        for status in rig.rec.statuses
        if (health := status.routes[CALLS]).error is not None
    }
    assert said == {(errors.UnreadableResponse, SAID)}
    assert rig.rec.calls == []  # never an empty board for rows that could not be read
