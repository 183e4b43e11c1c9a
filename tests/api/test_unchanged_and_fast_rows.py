"""An unchanged body is recognised and not read again; rows read on the fast path are
the same rows, as tolerant as ever, and small."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from rtdash.api import errors
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import ActiveCall, CallState, PbxUser, RowReader, UserState
from rtdash.api.wire import _BATCH, decode_body
from tests.api.test_rows import CALL, USER, ndjson, with_

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream

UTC_ZONE, LONDON = ZoneInfo("UTC"), ZoneInfo("Europe/London")


# --- unchanged bodies -------------------------------------------------------------------


async def test_an_unchanged_body_is_not_parsed_again_and_a_changed_one_is(
    make_client: MakeClient, upstream: Upstream, reads: list[str]
) -> None:
    client = make_client(upstream)
    upstream.body = ndjson(CALL, with_(CALL, callRef="c-0002"))
    first = await client.active_calls()
    assert (len(reads), first.unchanged) == (2, False)

    again = await client.active_calls()
    assert again.unchanged
    assert len(reads) == 2  # nothing read
    assert again.rows is first.rows  # the very same row objects
    assert again.fetched_at == first.fetched_at  # the fixture's clock; still stamped

    upstream.body = ndjson(CALL, with_(CALL, callRef="c-0002", callState="bridged"))
    changed = await client.active_calls()
    assert not changed.unchanged
    assert len(reads) == 4
    assert [c.state for c in changed.rows] == [CallState.QUEUEING, CallState.BRIDGED]


async def test_only_the_last_body_counts_and_each_route_on_its_own(
    make_client: MakeClient, upstream: Upstream, reads: list[str]
) -> None:
    client = make_client(upstream)
    body_a, body_b = ndjson(CALL), ndjson(with_(CALL, callRef="c-0009"))
    for body, unchanged in ((body_a, False), (body_b, False), (body_a, False), (body_a, True)):
        upstream.body = body
        assert (await client.active_calls()).unchanged is unchanged
    upstream.body = ndjson(USER)
    assert not (await client.user_status()).unchanged
    assert (await client.user_status()).unchanged
    upstream.body = body_a  # the users route did not disturb the calls route
    assert (await client.active_calls()).unchanged


async def test_another_query_or_keep_raw_reads_the_body_again(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    upstream.body = ndjson(CALL)
    await client.active_calls()
    assert not (await client.active_calls(exclude_pii=True)).unchanged
    raw = await client.active_calls(exclude_pii=True, keep_raw=True)
    assert not raw.unchanged and raw.raw == [CALL]
    assert (await client.active_calls(exclude_pii=True)).unchanged


async def test_a_new_mapping_reads_the_same_body_again(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    upstream.body = ndjson(with_(CALL, callPhase="talking"))
    assert (await client.active_calls()).rows[0].state is CallState.QUEUEING
    client.mapping = FieldMapping.from_overrides(
        {"call_state": "callPhase", "call_state_values": {"talking": "bridged"}}
    )
    result = await client.active_calls()
    assert not result.unchanged
    assert result.rows[0].state is CallState.BRIDGED


async def test_a_message_body_fails_every_time_it_comes(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    upstream.body = ndjson(CALL)
    await client.active_calls()
    upstream.body = '"report temporarily unavailable"'
    for _ in range(2):
        with pytest.raises(errors.UnreadableResponse):
            await client.active_calls()
    upstream.body = ndjson(CALL)  # the body before the failure is not "unchanged" now
    assert not (await client.active_calls()).unchanged


async def test_unreadable_counts_come_back_with_an_unchanged_body(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    upstream.body = ndjson(CALL) + "not json\n"
    await client.active_calls()
    again = await client.active_calls()
    assert again.unchanged and again.unreadable == 1 and len(again.rows) == 1


# --- the fast rows are the same rows -----------------------------------------------------


def test_fast_rows_equal_rows_built_and_validated_by_pydantic() -> None:
    reader = RowReader("call", FieldMapping(), LONDON)
    fast = reader.read(with_(CALL, wrapCode="W1"))
    validated = ActiveCall(**dict(fast.__dict__))
    assert fast == validated
    assert repr(fast) == repr(validated)
    assert fast.to_json() == validated.to_json()
    assert fast.model_fields_set == validated.model_fields_set
    assert ActiveCall.model_validate(fast.to_json()) == fast  # and back from JSON

    user = RowReader("user", FieldMapping(), LONDON).read(USER)
    assert user == PbxUser(**dict(user.__dict__))
    assert repr(user) == repr(PbxUser(**dict(user.__dict__)))
    assert (user.state, user.dashboard, user.label) == (UserState.AVAILABLE, True, "A User")


def test_fast_rows_stay_frozen_and_copy_on_their_own() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    first, second = reader.read(CALL), reader.read(with_(CALL, callRef="c-0002"))
    with pytest.raises(ValueError, match="frozen"):
        first.queue = "other"  # type: ignore[misc]
    moved = first.model_copy(update={"queue": "support"})
    assert (moved.queue, first.queue, second.queue) == ("support", "sales", "sales")
    assert "queue" in moved.model_fields_set and first.model_fields_set == second.model_fields_set


def test_rows_share_repeated_values_and_are_small() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    raw = [json.loads(json.dumps(with_(CALL, callRef=f"c-{n}"))) for n in range(3)]
    rows = [reader.read(row) for row in raw]
    assert rows[0].state_start is rows[2].state_start  # one datetime per distinct string
    assert rows[0].dgrp_name is rows[2].dgrp_name  # one string per repeated name
    assert rows[0].queue_duration is rows[2].queue_duration
    # a slot per field and the object's header: no dict, no per-row bookkeeping
    assert sys.getsizeof(rows[0]) <= 8 * (len(ActiveCall.model_fields) + 4)
    assert not hasattr(rows[0], "__pydantic_fields_set__")


def test_odd_values_on_the_fast_path_are_read_as_the_slow_path_reads_them() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    odd = with_(
        CALL,
        igrp=1234,
        queueDuration=" 52 ",
        callDuration="inf",
        ringTime=True,
        dgrpName="  ",
        queueRef=7,
        stateStartDatetime="2026-05-01T09:14:20+02:00",
        callStartDatetime="2026-5-1 9:14:10",
        callState=" Answered ",
    )
    call = reader.read(odd)
    assert (call.igrp, call.queue_duration, call.call_duration, call.ring_time) == (
        1234,
        52,
        None,
        None,
    )
    assert (call.dgrp_name, call.queue, call.state) == (None, "7", CallState.BRIDGED)
    assert call.state_start is not None and call.state_start.utcoffset().total_seconds() == 7200
    assert call.call_start == datetime(2026, 5, 1, 9, 14, 10, tzinfo=UTC)


# --- decoding in batches keeps every line's own verdict -----------------------------------


def test_a_bad_line_in_a_long_body_costs_only_itself() -> None:
    lines = [json.dumps(with_(CALL, callRef=f"c-{n}")) for n in range(_BATCH * 2 + 5)]
    lines[_BATCH + 3] = '{"callRef": "broken", "callSt'
    lines[10] = json.dumps(CALL) + ", " + json.dumps(CALL)  # two objects on one line
    lines[20] = "   "
    decoded = decode_body("\r\n".join(lines))
    assert decoded.unreadable == 2
    assert len(decoded.rows) == len(lines) - 3
    assert decoded.rows[-1]["callRef"] == f"c-{_BATCH * 2 + 4}"


def test_a_string_after_rows_is_unreadable_and_before_them_is_a_message() -> None:
    after = decode_body(json.dumps(CALL) + '\n"oops"\n')
    assert (len(after.rows), after.unreadable, after.message) == (1, 1, None)
    before = decode_body('"busy"\n' + json.dumps(CALL))
    assert (before.message, len(before.rows)) == ("busy", 1)


def test_a_line_separator_inside_a_value_does_not_split_the_row() -> None:
    row = with_(CALL, displayName="A\u2028B")
    decoded = decode_body(json.dumps(row, ensure_ascii=False) + "\n")
    assert decoded.rows == [row] and decoded.unreadable == 0
