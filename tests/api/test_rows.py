"""Every body shape and value quirk of the contract, read through ``InfinityClient``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from rtdash.api import errors
from rtdash.api.models import CallState, UserState

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream

FETCHED_AT = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)

CALL = {
    "igrp": "1234",
    "callRef": "c-0001",
    "callState": "queueing",
    "callStartDatetime": "2026-05-01 09:14:10",
    "stateStartDatetime": "2026-05-01 09:14:20",
    "srcPhoneNumber": "+447700900123",
    "dialledPhoneNumber": "+442035556780",
    "dgrp": "33244",
    "dgrpName": "Sales line",
    "queueRef": "sales",
    "operatorRef": "",
    "displayName": "",
    "ringTime": "0",
    "queueDuration": "52",
    "bridgeDuration": "0",
    "callDuration": "62",
}
USER = {
    "igrp": "1234",
    "sipUserId": "3",
    "operatorRef": "a.user",
    "displayName": "A User",
    "extensionNumber": "201",
    "state": "available",
    "stateStartDatetime": "2026-05-01 08:59:41",
    "dashboard": "1",
}
ADVANCED = {
    "igrp": "1234",
    "igrpName": "Example Ltd",
    "dgrp": "33244",
    "dgrpName": "Sales line",
    "txr": "tx-99",
    "vid": "v-42",
    "ch": "7",
    "chName": "Paid search",
    "chType": "ppc",
    "pub": "search.example",
    "campaign": "Spring sale",
    "adGroup": "Boilers",
    "matchRef": "combi boiler",
    "srcPhoneNumber": "+447700900123",
    "dialledPhoneNumber": "+442035556780",
    "destPhoneNumber": "+442035556999",
    "triggerDatetime": "2026-05-01 09:14:00",
    "landingPageTitle": "Boilers",
    "pageTitle": "Contact us",
    "landingHref": "https://shop.example/boilers",
    "conversionHref": "https://shop.example/contact",
    "vref": "https://search.example/?q=boiler",
    "callState": "",
    "callDuration": "62",
    "bridgeDuration": "10",
    "pt_source": "newsletter",
    "c_basket": "3",
}


def ndjson(*rows: dict) -> str:
    return "\n".join(json.dumps(row) for row in rows) + "\n"


def with_(row: dict, **changes: object) -> dict:
    return {**row, **changes}


# --- body shapes ----------------------------------------------------------------------


async def test_ndjson_rows_are_read_with_every_string_typed_value(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson(CALL, with_(CALL, callRef="c-0002", callState="bridged"))
    result = await make_client(upstream).active_calls()
    assert [c.call_ref for c in result.rows] == ["c-0001", "c-0002"]
    call = result.rows[0]
    assert call.state is CallState.QUEUEING
    assert call.igrp == 1234
    assert (call.queue_duration, call.ring_time, call.call_duration) == (52, 0, 62)
    assert call.dgrp == "33244"
    assert result.unreadable == 0
    assert result.fetched_at == FETCHED_AT


async def test_jsonarray_body_is_read_like_ndjson(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = json.dumps([CALL, with_(CALL, callRef="c-0002")], indent=1)
    result = await make_client(upstream).active_calls()
    assert [c.call_ref for c in result.rows] == ["c-0001", "c-0002"]
    assert result.unreadable == 0


@pytest.mark.parametrize("body", ["\n]\n", "]", "", "[]", "  \n", '"\\n]\\n"'])
async def test_empty_bodies_including_the_bare_bracket_quirk_mean_no_rows(
    make_client: MakeClient, upstream: Upstream, body: str
) -> None:
    upstream.body = body
    result = await make_client(upstream).active_calls()
    assert result.rows == []
    assert result.unreadable == 0


async def test_bare_json_string_instead_of_rows_is_unreadable_with_its_words(
    make_client: MakeClient,
    upstream: Upstream,
) -> None:
    upstream.body = '"report temporarily unavailable"\n'
    with pytest.raises(errors.UnreadableResponse) as caught:
        await make_client(upstream).active_calls()
    assert "report temporarily unavailable" in str(caught.value)


async def test_one_malformed_line_is_counted_and_the_other_rows_survive(
    make_client: MakeClient,
    upstream: Upstream,
) -> None:
    upstream.body = (
        json.dumps(CALL)
        + '\n{"callRef": "c-0002", "callSt\n'
        + json.dumps(with_(CALL, callRef="c-0003"))
    )
    result = await make_client(upstream).active_calls()
    assert [c.call_ref for c in result.rows] == ["c-0001", "c-0003"]
    assert result.unreadable == 1


async def test_non_object_items_in_an_array_are_counted(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = json.dumps([CALL, 42, "x", None])
    result = await make_client(upstream).active_calls()
    assert len(result.rows) == 1
    assert result.unreadable == 3


async def test_rows_missing_required_fields_are_counted_not_fatal(
    make_client: MakeClient, upstream: Upstream
) -> None:
    no_ref = {k: v for k, v in CALL.items() if k != "callRef"}
    no_state = {k: v for k, v in CALL.items() if k != "callState"}
    odd_state = with_(CALL, callRef="c-0009", callState="teleporting")
    upstream.body = ndjson(no_ref, no_state, odd_state, with_(CALL, callRef="c-0004"))
    result = await make_client(upstream).active_calls()
    assert [c.call_ref for c in result.rows] == ["c-0004"]
    assert result.unreadable == 3


async def test_user_rows_without_id_or_state_are_counted(
    make_client: MakeClient, upstream: Upstream
) -> None:
    nameless = {k: v for k, v in USER.items() if k not in ("sipUserId", "operatorRef")}
    nameless = with_(nameless, extensionNumber="")
    stateless = with_(USER, state="")
    upstream.body = ndjson(nameless, stateless, USER)
    result = await make_client(upstream).user_status()
    assert [u.user_id for u in result.rows] == ["3"]
    assert result.unreadable == 2


async def test_keep_raw_returns_the_upstream_dicts(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson(CALL)
    result = await make_client(upstream).active_calls(keep_raw=True)
    assert result.raw == [CALL]
    assert (await make_client(upstream).active_calls()).raw == []


# --- values ---------------------------------------------------------------------------


async def test_empty_string_means_unset(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = ndjson(with_(CALL, srcPhoneNumber="", dgrpName="", queueDuration=""))
    call = (await make_client(upstream).active_calls()).rows[0]
    assert call.src_number is None
    assert call.dgrp_name is None
    assert call.queue_duration is None
    assert call.agent_ref is None  # "" in the sample row


async def test_real_json_numbers_are_read_too(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = ndjson(with_(CALL, igrp=1234, queueDuration=52, callDuration=61.9))
    call = (await make_client(upstream).active_calls()).rows[0]
    assert (call.igrp, call.queue_duration, call.call_duration) == (1234, 52, 61)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        (1, True),
        ("true", True),
        (True, True),
        ("yes", True),
        ("0", False),
        (0, False),
        ("", False),
        (False, False),
        ("false", False),
        (None, False),
    ],
)
async def test_dashboard_flag_spellings(
    make_client: MakeClient, upstream: Upstream, raw: object, expected: bool
) -> None:
    upstream.body = ndjson(with_(USER, dashboard=raw))
    user = (await make_client(upstream).user_status()).rows[0]
    assert user.dashboard is expected


async def test_missing_dashboard_flag_is_false(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = ndjson({k: v for k, v in USER.items() if k != "dashboard"})
    assert (await make_client(upstream).user_status()).rows[0].dashboard is False


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        ("ring", CallState.RINGING),
        ("RINGING", CallState.RINGING),
        ("queue", CallState.QUEUEING),
        ("Queued", CallState.QUEUEING),
        ("bridge", CallState.BRIDGED),
        ("answered", CallState.BRIDGED),
        ("connected", CallState.BRIDGED),
    ],
)
async def test_call_state_values_are_normalized(
    make_client: MakeClient, upstream: Upstream, raw: str, state: CallState
) -> None:
    upstream.body = ndjson(with_(CALL, callState=raw))
    assert (await make_client(upstream).active_calls()).rows[0].state is state


@pytest.mark.parametrize("key", ["callStage", "state", "status"])
async def test_call_state_aliases(make_client: MakeClient, upstream: Upstream, key: str) -> None:
    row = {k: v for k, v in CALL.items() if k != "callState"}
    upstream.body = ndjson(with_(row, **{key: "ring"}))
    assert (await make_client(upstream).active_calls()).rows[0].state is CallState.RINGING


@pytest.mark.parametrize("key", ["status", "userState", "operatorState"])
async def test_user_state_aliases(make_client: MakeClient, upstream: Upstream, key: str) -> None:
    row = {k: v for k, v in USER.items() if k != "state"}
    upstream.body = ndjson(with_(row, **{key: "Unavailable"}))
    assert (await make_client(upstream).user_status()).rows[0].state is UserState.UNAVAILABLE


async def test_datetimes_are_read_in_the_requested_zone_and_aware(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson(CALL)
    call = (await make_client(upstream, tz="Europe/London").active_calls()).rows[0]
    assert call.state_start is not None
    assert call.state_start.tzinfo is not None
    assert call.state_start.utcoffset() == timedelta(hours=1)  # BST on 1 May
    assert call.state_start == datetime(2026, 5, 1, 8, 14, 20, tzinfo=UTC)
    assert "tz=Europe%2FLondon" in str(upstream.last.url)


async def test_datetimes_default_to_utc(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = ndjson(USER)
    user = (await make_client(upstream).user_status()).rows[0]
    assert user.state_start == datetime(2026, 5, 1, 8, 59, 41, tzinfo=UTC)
    assert "tz=UTC" in str(upstream.last.url)


async def test_unparseable_datetime_becomes_none_not_a_lost_row(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson(with_(CALL, stateStartDatetime="yesterday-ish"))
    call = (await make_client(upstream).active_calls()).rows[0]
    assert call.state_start is None
    assert call.call_ref == "c-0001"


async def test_unknown_keys_are_kept_in_extra(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = ndjson(with_(CALL, wrapCode="W1", priority=3, nested={"a": 1}))
    call = (await make_client(upstream).active_calls()).rows[0]
    assert call.extra == {"wrapCode": "W1", "priority": 3, "nested": {"a": 1}}
    assert call.to_json()["extra"]["wrapCode"] == "W1"


async def test_to_json_is_camel_case_with_iso_offsets(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson(CALL)
    row = (await make_client(upstream, tz="Europe/London").active_calls()).rows[0].to_json()
    assert row["callRef"] == "c-0001"
    assert row["state"] == "queueing"
    assert row["stateStartDatetime"] == "2026-05-01T09:14:20+01:00"
    assert row["igrp"] == 1234
    assert row["queueDuration"] == 52
    json.dumps(row)  # serialisable as is


# --- activeCall -------------------------------------------------------------------------


async def test_advanced_caller_row_with_custom_data(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson(with_(ADVANCED, surprise="kept"))
    details = await make_client(upstream, tz="Europe/London").caller_details(call_ref="c-0001")
    assert details is not None
    assert details.mode == "advanced"
    assert (details.ch_name, details.campaign, details.keyword) == (
        "Paid search",
        "Spring sale",
        "combi boiler",
    )
    assert details.landing_url == "https://shop.example/boilers"
    assert details.custom == {"pt_source": "newsletter", "c_basket": "3"}
    assert details.extra == {"surprise": "kept"}
    assert details.call_duration == 62
    assert details.call_state is None  # "" is unset
    # triggerDatetime is always UTC upstream, whatever tz was asked for
    assert details.trigger_time == datetime(2026, 5, 1, 9, 14, tzinfo=ZoneInfo("UTC"))


async def test_basic_caller_row_is_basic_mode(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = ndjson({"igrp": "5678", "dgrp": "11", "txr": "tx-1"})
    details = await make_client(upstream).caller_details(call_ref="c-0001")
    assert details is not None
    assert details.mode == "basic"
    assert (details.igrp, details.dgrp, details.txr) == (5678, "11", "tx-1")
    assert details.to_json()["mode"] == "basic"


async def test_basic_row_with_custom_data_stays_basic(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = ndjson({"igrp": "5678", "dgrp": "11", "txr": "tx-1", "pt_x": "1"})
    details = await make_client(upstream).caller_details(call_ref="c-0001")
    assert details is not None
    assert details.mode == "basic"
    assert details.custom == {"pt_x": "1"}


async def test_landing_and_conversion_url_aliases(
    make_client: MakeClient, upstream: Upstream
) -> None:
    row = {k: v for k, v in ADVANCED.items() if k not in ("landingHref", "conversionHref")}
    upstream.body = ndjson(
        with_(row, landingPageUrl="https://a.example", conversionPageUrl="https://b.example")
    )
    details = await make_client(upstream).caller_details(call_ref="c-0001")
    assert details is not None
    assert (details.landing_url, details.conversion_url) == (
        "https://a.example",
        "https://b.example",
    )


@pytest.mark.parametrize("body", ["", "[]", "\n]\n", '"no matching call"'])
async def test_no_match_in_every_shape_is_none(
    make_client: MakeClient, upstream: Upstream, body: str
) -> None:
    upstream.body = body
    assert await make_client(upstream).caller_details(src_number="+447700900123") is None


async def test_caller_details_wants_exactly_one_key(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    with pytest.raises(ValueError):
        await client.caller_details()
    with pytest.raises(ValueError):
        await client.caller_details(call_ref="c-1", src_number="+447700900123")
    assert upstream.requests == []
