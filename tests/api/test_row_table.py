"""The row types without pydantic: one table of fields per type (name, upstream key,
type, default), rows built by keyword or from upstream-shaped data checked against it
by msgspec, and the ``to_json()`` rows exactly those rtdash wrote before (the JSON below
was written by e146e5d's pydantic models for the same rows)."""

from __future__ import annotations

import json
import pickle
import typing
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.models import (
    ActiveCall,
    CallerDetails,
    CallState,
    PbxUser,
    Row,
    RowUnreadable,
    UserState,
)
from rtdash.api.row_base import REQUIRED, field_names
from rtdash.api.row_types import CALL_TABLE, DETAILS_TABLE, USER_TABLE

LONDON = ZoneInfo("Europe/London")


def sample_rows() -> dict[str, Row]:
    """Rows of every kind: bare, full, with extras, offsets, a naive time, a lookup."""
    return {
        "call_bare": ActiveCall(call_ref="c-1", state=CallState.RINGING),
        "call_full": ActiveCall(
            call_ref="c-2",
            state="bridged",
            igrp=1234,
            call_start=datetime(2026, 5, 1, 9, 0, 0, tzinfo=UTC),
            state_start=datetime(2026, 5, 1, 10, 0, 5, 123456, tzinfo=LONDON),
            src_number="+447700900123",
            dialled_number="08001234567",
            dgrp="7",
            dgrp_name="Sales – UK",
            queue="sales",
            agent_ref="ffion",
            agent_name="Ffion Jones",
            ring_time=4,
            queue_duration=30,
            bridge_duration=61,
            call_duration=95,
            extra={"wrapCode": "W1", "n": 1.5, "nested": {"a": [1, None, True]}},
        ),
        "call_offsets": ActiveCall.model_validate(
            {
                "callRef": "c-3",
                "state": "queueing",
                "callStartDatetime": "2026-01-15T08:59:59.5-05:30",
                "stateStartDatetime": "2026-01-15T14:30:00Z",
                "queueRef": "support",
                "queueDuration": "12",
                "unknownKey": "dropped",
            }
        ),
        "call_naive": ActiveCall(
            call_ref="c-4", state=CallState.QUEUEING, call_start=datetime(2026, 5, 1, 9, 0, 0, 7)
        ),
        "user_bare": PbxUser(user_id="u-1", state=UserState.AVAILABLE),
        "user_full": PbxUser.model_validate(
            {
                "sipUserId": "u-2",
                "state": "unavailable",
                "igrp": 1234,
                "operatorRef": "leo",
                "displayName": "Léo Knight",
                "extensionNumber": "201",
                "stateStartDatetime": "2026-05-01T10:00:00+01:00",
                "dashboard": True,
                "extra": {"awayReason": "lunch"},
            }
        ),
        "details": CallerDetails(
            mode="advanced",
            igrp=1234,
            dgrp_name="Sales line",
            page_title="Pricing",
            trigger_time=datetime(2026, 5, 1, 8, 59, tzinfo=UTC),
            call_duration=95,
            custom={"pt_source": "google"},
            extra={"odd": "x"},
        ),
    }


#: ``json.dumps(row.to_json(), ensure_ascii=False)`` of :func:`sample_rows` at e146e5d
ROWS_JSON = {
    "call_bare": (
        '{"extra": {}, "callRef": "c-1", "state": "ringing", "igrp": null, "callStartDatetime":'
        ' null, "stateStartDatetime": null, "srcPhoneNumber": null, "dialledPhoneNumber": null,'
        ' "dgrp": null, "dgrpName": null, "queueRef": null, "operatorRef": null, "displayName":'
        ' null, "ringTime": null, "queueDuration": null, "bridgeDuration": null, "callDuration"'
        ": null}"
    ),
    "call_full": (
        '{"extra": {"wrapCode": "W1", "n": 1.5, "nested": {"a": [1, null, true]}}, "callRef": "'
        'c-2", "state": "bridged", "igrp": 1234, "callStartDatetime": "2026-05-01T09:00:00Z", "'
        'stateStartDatetime": "2026-05-01T10:00:05.123456+01:00", "srcPhoneNumber": "+447700900'
        '123", "dialledPhoneNumber": "08001234567", "dgrp": "7", "dgrpName": "Sales – UK", "que'
        'ueRef": "sales", "operatorRef": "ffion", "displayName": "Ffion Jones", "ringTime": 4, '
        '"queueDuration": 30, "bridgeDuration": 61, "callDuration": 95}'
    ),
    "call_offsets": (
        '{"extra": {}, "callRef": "c-3", "state": "queueing", "igrp": null, "callStartDatetime"'
        ': "2026-01-15T08:59:59.500000-05:30", "stateStartDatetime": "2026-01-15T14:30:00Z", "s'
        'rcPhoneNumber": null, "dialledPhoneNumber": null, "dgrp": null, "dgrpName": null, "que'
        'ueRef": "support", "operatorRef": null, "displayName": null, "ringTime": null, "queueD'
        'uration": 12, "bridgeDuration": null, "callDuration": null}'
    ),
    "call_naive": (
        '{"extra": {}, "callRef": "c-4", "state": "queueing", "igrp": null, "callStartDatetime"'
        ': "2026-05-01T09:00:00.000007", "stateStartDatetime": null, "srcPhoneNumber": null, "d'
        'ialledPhoneNumber": null, "dgrp": null, "dgrpName": null, "queueRef": null, "operatorR'
        'ef": null, "displayName": null, "ringTime": null, "queueDuration": null, "bridgeDurati'
        'on": null, "callDuration": null}'
    ),
    "user_bare": (
        '{"extra": {}, "sipUserId": "u-1", "state": "available", "igrp": null, "operatorRef": n'
        'ull, "displayName": null, "extensionNumber": null, "stateStartDatetime": null, "dashbo'
        'ard": false}'
    ),
    "user_full": (
        '{"extra": {"awayReason": "lunch"}, "sipUserId": "u-2", "state": "unavailable", "igrp":'
        ' 1234, "operatorRef": "leo", "displayName": "Léo Knight", "extensionNumber": "201", "s'
        'tateStartDatetime": "2026-05-01T10:00:00+01:00", "dashboard": true}'
    ),
    "details": (
        '{"extra": {"odd": "x"}, "mode": "advanced", "igrp": 1234, "igrpName": null, "dgrp": nu'
        'll, "dgrpName": "Sales line", "txr": null, "vid": null, "ch": null, "chName": null, "c'
        'hType": null, "pub": null, "campaign": null, "adGroup": null, "matchRef": null, "srcPh'
        'oneNumber": null, "dialledPhoneNumber": null, "destPhoneNumber": null, "triggerDatetim'
        'e": "2026-05-01T08:59:00Z", "landingPageTitle": null, "pageTitle": "Pricing", "landing'
        'Href": null, "conversionHref": null, "vref": null, "callState": null, "callDuration": '
        '95, "bridgeDuration": null, "custom": {"pt_source": "google"}}'
    ),
}


# --- the JSON is the JSON rtdash wrote before ----------------------------------------------


@pytest.mark.parametrize("name", list(ROWS_JSON))
def test_to_json_is_what_e146e5d_wrote_byte_for_byte(name: str) -> None:
    row = sample_rows()[name]
    assert json.dumps(row.to_json(), ensure_ascii=False) == ROWS_JSON[name]


@pytest.mark.parametrize("name", list(ROWS_JSON))
def test_a_row_comes_back_from_its_json(name: str) -> None:
    row = sample_rows()[name]
    again = type(row).model_validate(json.loads(ROWS_JSON[name]))
    assert again == row
    assert again.to_json() == row.to_json()


# --- one table a type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "table"),
    [(ActiveCall, CALL_TABLE), (PbxUser, USER_TABLE), (CallerDetails, DETAILS_TABLE)],
)
def test_the_table_is_the_one_definition_of_a_row_type(model: type[Row], table: tuple) -> None:
    names = [item.name for item in table]
    assert list(model.model_fields) == names == list(model.__slots__)
    assert [item.alias for item in model.model_fields.values()] == [item.alias for item in table]
    # the annotations the type checker reads say what the table says
    hints = typing.get_type_hints(model)
    assert {name: hints[name] for name in names} == {item.name: item.type for item in table}
    assert model.defaults[model.index["extra"]] == {}
    assert [item.name for item in table if item.default is REQUIRED] == [
        name for name in names if model.model_fields[name].required
    ]


def test_the_upstream_keys_and_defaults_of_a_call_and_a_user() -> None:
    assert ActiveCall.model_fields["queue"].alias == "queueRef"
    assert ActiveCall.model_fields["agent_ref"].alias == "operatorRef"
    assert PbxUser.model_fields["extension"].alias == "extensionNumber"
    assert PbxUser.model_fields["dashboard"].default is False
    assert [name for name, item in ActiveCall.model_fields.items() if item.required] == [
        "call_ref",
        "state",
    ]
    assert [name for name, item in PbxUser.model_fields.items() if item.required] == [
        "user_id",
        "state",
    ]


def test_a_table_that_does_not_match_its_class_is_refused() -> None:
    with pytest.raises(TypeError, match="annotations"):

        class Half(Row):  # defining it is the test
            table = CALL_TABLE[:2]
            __slots__ = field_names(CALL_TABLE[:2])

            extra: dict[str, typing.Any]


# --- checking a row built by keyword or read from data --------------------------------------


def test_names_or_upstream_keys_are_read_and_the_upstream_key_wins() -> None:
    by_name = ActiveCall.model_validate({"call_ref": "c-1", "state": "ringing", "queue": "q"})
    by_key = ActiveCall.model_validate({"callRef": "c-1", "state": "ringing", "queueRef": "q"})
    assert by_name == by_key == ActiveCall(callRef="c-1", state="ringing", queue="q")
    both = ActiveCall.model_validate({"call_ref": "name", "callRef": "key", "state": "ringing"})
    assert both.call_ref == "key"


def test_extras_are_kept_and_unknown_keys_are_not_read() -> None:
    row = PbxUser.model_validate(
        {"sipUserId": "u", "state": "available", "extra": {"awayReason": "lunch"}, "odd": 1}
    )
    assert row.extra == {"awayReason": "lunch"}
    assert "odd" not in row.to_json() and row.to_json()["extra"] == {"awayReason": "lunch"}
    first, second = PbxUser(user_id="a", state="available"), PbxUser(user_id="b", state="available")
    assert first.extra == {} and first.extra is not second.extra  # as pydantic gave


def test_values_are_converted_as_json_would_say_them() -> None:
    call = ActiveCall.model_validate(
        {"callRef": "c", "state": "bridged", "igrp": "1234", "ringTime": 4.0, "callDuration": None}
    )
    assert (call.state, call.igrp, call.ring_time, call.call_duration) == (
        CallState.BRIDGED,
        1234,
        4,
        None,
    )
    assert type(call.state) is CallState and type(call.ring_time) is int
    user = PbxUser.model_validate({"sipUserId": "u", "state": "available", "dashboard": "true"})
    assert user.dashboard is True and user.state is UserState.AVAILABLE


def test_times_with_offsets_are_aware_and_the_same_instant() -> None:
    call = ActiveCall.model_validate(
        {
            "callRef": "c",
            "state": "ringing",
            "callStartDatetime": "2026-05-01T10:00:00+01:00",
            "stateStartDatetime": "2026-05-01T09:00:01.25Z",
        }
    )
    assert call.call_start is not None and call.state_start is not None
    assert call.call_start.utcoffset() == timedelta(hours=1)
    assert call.call_start == datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert call.state_start.utcoffset() == timedelta(0)
    assert call.state_start == datetime(2026, 5, 1, 9, 0, 1, 250000, tzinfo=UTC)
    naive = ActiveCall.model_validate(
        {"callRef": "c", "state": "ringing", "callStartDatetime": "2026-05-01T09:00:00"}
    )
    assert naive.call_start == datetime(2026, 5, 1, 9, 0)  # naive stays naive, as before
    zoned = datetime(2026, 5, 1, 10, 0, tzinfo=LONDON)
    kept = ActiveCall(call_ref="c", state="ringing", call_start=zoned).call_start
    assert kept is zoned  # a time given keeps its zone (the screen shows it in that zone)


@pytest.mark.parametrize(
    ("model", "data", "named"),
    [
        (ActiveCall, {"state": "ringing"}, "callRef"),
        (PbxUser, {"state": "available"}, "sipUserId"),
        (ActiveCall, {"callRef": "c"}, "state"),
        (ActiveCall, {"callRef": "c", "state": "ringin"}, "state"),
        (PbxUser, {"sipUserId": "u", "state": "away"}, "state"),
        (ActiveCall, {"callRef": "c", "state": "ringing", "igrp": "twelve"}, "igrp"),
        (
            ActiveCall,
            {"callRef": "c", "state": "ringing", "callStartDatetime": "soon"},
            "callStartDatetime",
        ),
        (CallerDetails, {"mode": "expert"}, "mode"),
    ],
)
def test_a_row_it_cannot_read_is_one_clear_value_error_naming_the_key(
    model: type[Row], data: dict, named: str
) -> None:
    with pytest.raises(RowUnreadable) as caught:
        model.model_validate(data)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert message.startswith(f"not a readable {model.__name__}: {named}")
    assert "\n" not in message
    with pytest.raises(RowUnreadable):  # the same by keyword
        model(**data)


def test_the_message_says_what_is_wrong() -> None:
    with pytest.raises(RowUnreadable) as caught:
        ActiveCall.model_validate({"callRef": "c", "state": "ringin"})
    assert str(caught.value) == "not a readable ActiveCall: state: Invalid enum value 'ringin'"
    with pytest.raises(RowUnreadable) as caught:
        PbxUser.model_validate({"state": "available"})
    assert str(caught.value) == "not a readable PbxUser: sipUserId is missing"
    with pytest.raises(RowUnreadable) as caught:
        ActiveCall(call_ref="c", state="ringing", ring_time="long")
    assert str(caught.value) == (
        "not a readable ActiveCall: ringTime: Expected `int | null`, got `str`"
    )


def test_what_is_not_an_object_is_unreadable() -> None:
    with pytest.raises(RowUnreadable, match="object, not list"):
        ActiveCall.model_validate(["c-1", "ringing"])


# --- frozen, compared, copied, pickled -----------------------------------------------------


def test_rows_are_frozen_compared_by_value_copied_and_pickled() -> None:
    rows = sample_rows()
    call = rows["call_full"]
    with pytest.raises(ValueError, match="frozen"):
        call.queue = "other"  # type: ignore[misc]
    with pytest.raises(ValueError, match="frozen"):
        del call.queue  # type: ignore[misc]
    assert call == sample_rows()["call_full"] and call != rows["call_bare"]
    assert call != PbxUser(user_id="c-2", state="available")
    moved = call.model_copy(update={"queue": "support"})
    assert (moved.queue, call.queue) == ("support", "sales")
    for row in rows.values():
        again = pickle.loads(pickle.dumps(row))
        assert again == row and type(again) is type(row)
    details = rows["details"]
    assert isinstance(details, CallerDetails)
    assert (details.mode, details.custom, details.dest_number) == (
        "advanced",
        {"pt_source": "google"},
        None,
    )


def test_values_that_differ_only_in_an_extra_are_not_equal() -> None:
    one = ActiveCall(call_ref="c", state="ringing", extra={"a": 1})
    assert one != ActiveCall(call_ref="c", state="ringing", extra={"a": 2})
    assert one == ActiveCall(call_ref="c", state="ringing", extra={"a": 1})
