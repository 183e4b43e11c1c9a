"""The mapping comparison without a service: state words, field guesses, flag values."""

from __future__ import annotations

import pytest

from rtdash.api import values
from rtdash.api.field_guess import compact
from rtdash.api.mapping import FieldMapping
from rtdash.api.mapping_match import compare_fields
from rtdash.api.state_words import classify


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("READY", "available"),
        ("NOT_READY", "unavailable"),
        ("notReady", "unavailable"),
        ("Not ready", "unavailable"),
        ("UNREADY", "unavailable"),
        ("NOTREADY", "unavailable"),
        ("Idle", "available"),
        ("LOGGED_IN", "available"),
        ("LOGGED_OUT", "unavailable"),
        ("ON", "available"),
        ("OFF", "unavailable"),
        ("AWAY", "unavailable"),
        ("BUSY", "unavailable"),
        ("NOT_BUSY", "available"),
        ("PAUSED", "unavailable"),
        ("WRAP_UP", "unavailable"),
        ("On Break", "unavailable"),
        ("NO_AVAILABLE", "unavailable"),
        ("DND", "unavailable"),
        # words pulling both ways, or none known: asked about, never guessed
        ("AVAILABLE_BUSY", None),
        ("LIMBO", None),
        ("PARKED", None),
        ("Y", None),
    ],
)
def test_user_state_words_understand_negation(value: str, state: str | None) -> None:
    assert classify("user", value) == state


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("RINGING", "ringing"),
        ("Ring", "ringing"),
        ("alerting", "ringing"),
        ("OFFERED", "ringing"),
        ("QUEUED", "queueing"),
        ("IN_QUEUE", "queueing"),
        ("Waiting", "queueing"),
        ("Up", "bridged"),
        ("in-progress", "bridged"),
        ("TALKING", "bridged"),
        ("Connected", "bridged"),
        # "not answered" says which state a call is not, not which it is
        ("UNANSWERED", None),
        ("NOT_CONNECTED", None),
        ("ON_HOLD", None),
        ("PARKED", None),
    ],
)
def test_call_state_words_in_several_vocabularies(value: str, state: str | None) -> None:
    assert classify("call", value) == state


def test_a_value_and_its_negation_never_map_to_one_state() -> None:
    """The reported defect: READY and NOT_READY were both suggested as available."""
    rows = [
        {"sipUserId": "1", "userState": "READY"},
        {"sipUserId": "2", "userState": "NOT_READY"},
    ]
    comp = compare_fields("user", rows, FieldMapping())
    assert comp.suggestion["user_state_values"] == {
        "NOT_READY": "unavailable",
        "READY": "available",
    }


def test_snake_case_spellings_and_synonyms_are_proposed_with_a_confidence() -> None:
    rows = [
        {
            "call_ref": f"c-{n}",
            "callState": "ringing",
            "status_since": f"2026-12-03T09:00:0{n}Z",
            "from": f"+4477009000{n}1",
        }
        for n in range(3)
    ]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.suggestion == {
        "call_call_ref": "call_ref",
        "call_state_start": "status_since",
        "call_src_number": "from",
    }
    confidence = {g.field: g.confidence for g in comp.guesses}
    assert set(confidence) == {"call_ref", "state_start", "src_number"}
    assert min(confidence.values()) >= 0.75


def test_a_weak_guess_is_a_question_not_a_suggestion() -> None:
    """A name that only hints (``board_group``), among two flag columns, is asked about."""
    rows = [
        {"sipUserId": "1", "state": "available", "board_group": "1", "vip": "0"},
        {"sipUserId": "2", "state": "available", "board_group": "0", "vip": "1"},
    ]
    comp = compare_fields("user", rows, FieldMapping())
    assert "user_dashboard" not in comp.suggestion
    assert comp.questions == [
        "is board_group the user dashboard flag (user_dashboard)? board_group's name "
        "suggests the user dashboard flag; its values look like flags (Y/N, 1/0, "
        "true/false) (confidence 65%)"
    ]


def test_two_equal_candidates_are_asked_about() -> None:
    rows = [
        {"sipUserId": "1", "state": "available", "onWall": "Y", "wallboard": "N"},
        {"sipUserId": "2", "state": "available", "onWall": "N", "wallboard": "Y"},
    ]
    comp = compare_fields("user", rows, FieldMapping())
    assert "user_dashboard" not in comp.suggestion
    assert comp.questions == [
        "is onWall or wallboard the user dashboard flag (user_dashboard)? both fit equally"
    ]


def test_the_only_flag_column_is_the_dashboard_flag() -> None:
    rows = [
        {"sipUserId": "1", "state": "available", "visible": "Y"},
        {"sipUserId": "2", "state": "available", "visible": "N"},
    ]
    comp = compare_fields("user", rows, FieldMapping())
    assert comp.suggestion == {"user_dashboard": "visible"}


@pytest.mark.parametrize(
    ("name", "compacted"),
    [("call_ref", "callref"), ("callRef", "callref"), ("Call-Ref", "callref")],
)
def test_names_compare_without_case_or_separators(name: str, compacted: str) -> None:
    assert compact(name) == compacted


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("Y", True),
        ("N", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("on", True),
        ("Off", False),
        ("maybe", None),
    ],
)
def test_dashboard_flag_spellings_are_read_without_config(raw: str, read: bool | None) -> None:
    assert values.flag(raw) is read


def test_a_required_field_with_no_candidate_is_asked_for() -> None:
    rows = [{"callRef": "c-1", "blob": "x7"}, {"callRef": "c-2", "blob": "y9"}]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.suggestion == {}
    assert comp.required_missing == ["state"]
    assert comp.questions == [
        "no key looks like the call state: which one holds it? (set call_state under [mapping])"
    ]


def test_a_state_named_column_with_values_it_cannot_read_is_asked_about() -> None:
    rows = [{"callRef": "c-1", "phase": "x7"}, {"callRef": "c-2", "phase": "y9"}]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.suggestion == {}
    assert len(comp.questions) == 1
    assert comp.questions[0].startswith("is phase the call state (call_state)? ")
    assert "its values do not look like states" in comp.questions[0]
