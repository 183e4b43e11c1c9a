"""The doctor's field comparison alone (no service): unknown state values listed with a
guess, a flag column not taken for the user state, no guess when nothing reads as a
state, and the caller lookup's custom keys and basic mode."""

from __future__ import annotations

from rtdash.api.mapping import FieldMapping
from rtdash.api.mapping_match import compare_fields
from rtdash.cli.doctor import mapping_snippet


def test_unknown_state_values_are_listed_with_a_guess() -> None:
    rows = [
        {"callRef": "c-1", "callStage": "Talking"},
        {"callRef": "c-2", "callStage": "ring"},
        {"callRef": "c-3", "callStage": "parked"},
    ]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.unknown_values == ["parked", "Talking"]
    assert comp.suggestion == {"call_state_values": {"Talking": "bridged"}}
    assert mapping_snippet(comp.suggestion) == ['call_state_values = { Talking = "bridged" }']
    assert comp.required_missing == []


def test_a_flag_column_is_not_taken_for_the_user_state() -> None:
    rows = [
        {"sipUserId": "1", "presence": "Ready", "onWall": "1"},
        {"sipUserId": "2", "presence": "On Break", "onWall": "0"},
    ]
    comp = compare_fields("user", rows, FieldMapping())
    assert comp.required_missing == ["state"]
    assert comp.suggestion == {
        "user_state": "presence",
        "user_state_values": {"On Break": "unavailable", "Ready": "available"},
        "user_dashboard": "onWall",
    }
    assert mapping_snippet(comp.suggestion)[1] == (
        'user_state_values = { "On Break" = "unavailable", Ready = "available" }'
    )


def test_no_guess_when_no_column_reads_as_a_state() -> None:
    rows = [{"callRef": "c-1", "phase": "x7"}, {"callRef": "c-2", "phase": "y9"}]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.required_missing == ["state"]
    assert comp.unmapped == ["phase"]
    assert comp.suggestion == {}


def test_caller_custom_keys_are_not_unmapped_and_basic_mode_expects_three() -> None:
    rows = [{"igrp": "5678", "dgrp": "1", "txr": "9", "pt_source": "x", "c_tier": "gold"}]
    comp = compare_fields("caller", rows, FieldMapping())
    assert comp.basic is True
    assert (comp.unmapped, comp.never_seen) == ([], [])
    advanced = compare_fields(
        "caller", [{**rows[0], "chName": "Google", "oddKey": 1}], FieldMapping()
    )
    assert advanced.basic is False
    assert advanced.unmapped == ["oddKey"]
    assert "campaign" in advanced.never_seen and "ch_name" not in advanced.never_seen
