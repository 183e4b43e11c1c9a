"""Field mapping overrides: a renamed upstream field is fixed in config, not in code."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from rtdash.api.mapping import CALL_FIELDS, FieldMapping, pick
from rtdash.api.models import CallState, UserState

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream

ROW = {"igrp": "1234", "callRef": "c-1", "callPhase": "talking"}


def test_defaults_match_the_contract() -> None:
    mapping = FieldMapping()
    assert mapping.call["state"] == ["callState", "callStage", "state", "status"]
    assert mapping.user["dashboard"] == ["dashboard", "dashboardFlag", "isDashboard"]
    assert mapping.call_state_values["answered"] == "bridged"


def test_from_overrides_none_equals_defaults() -> None:
    assert FieldMapping.from_overrides(None) == FieldMapping()
    assert FieldMapping.from_overrides({}) == FieldMapping()


def test_string_override_replaces_the_aliases() -> None:
    mapping = FieldMapping.from_overrides({"call_state": "callPhase"})
    assert mapping.call["state"] == ["callPhase"]
    assert mapping.call["call_ref"] == CALL_FIELDS["call_ref"]


def test_list_override_keeps_order() -> None:
    mapping = FieldMapping.from_overrides({"user_dashboard": ["onWallboard", "dashboard"]})
    assert mapping.user["dashboard"] == ["onWallboard", "dashboard"]


def test_value_tables_extend_and_lowercase() -> None:
    mapping = FieldMapping.from_overrides(
        {"call_state_values": {"Talking": "bridged"}, "user_state_values": {"DND": "unavailable"}}
    )
    assert mapping.call_state_values["talking"] == "bridged"
    assert mapping.call_state_values["ring"] == "ringing"  # defaults kept
    assert mapping.user_state_values["dnd"] == "unavailable"


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({"call_colour": "x"}, "mapping.call_colour: unknown field"),
        ({"bogus": "x"}, "mapping.bogus: unknown field"),
        ({"call_state": 3}, "mapping.call_state: must be a field name or a list of field names"),
        ({"call_state": ["ok", ""]}, "mapping.call_state: must be a field name"),
        ({"call_state_values": "talking"}, "mapping.call_state_values: must be a table"),
        ({"call_state_values": {"talking": "chatting"}}, "mapping.call_state_values.talking:"),
        ({"user_state_values": {"x": "bridged"}}, "mapping.user_state_values.x:"),
    ],
)
def test_bad_overrides_name_the_key(overrides: dict, names: str) -> None:
    with pytest.raises(ValueError) as caught:
        FieldMapping.from_overrides(overrides)
    assert str(caught.value).startswith(names)


def test_pick_first_alias_present() -> None:
    assert pick({"b": 2, "a": 1}, ["a", "b"]) == 1
    assert pick({"b": 2}, ["a", "b"]) == 2
    assert pick({}, ["a"]) is None


def test_all_aliases() -> None:
    assert {"callState", "callStage", "callRef"} <= FieldMapping().all_aliases("call")


async def test_renamed_state_field_and_value_read_through_the_client(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = json.dumps(ROW)
    default = await make_client(upstream).active_calls()
    assert default.rows == [] and default.unreadable == 1

    mapping = FieldMapping.from_overrides(
        {"call_state": "callPhase", "call_state_values": {"talking": "bridged"}}
    )
    result = await make_client(upstream, mapping=mapping).active_calls()
    assert [(c.call_ref, c.state) for c in result.rows] == [("c-1", CallState.BRIDGED)]
    assert "callPhase" not in result.rows[0].extra


async def test_overridden_user_fields(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = json.dumps(
        {"agentId": "9", "presence": "DND", "onWallboard": "yes", "dashboard": "0"}
    )
    mapping = FieldMapping.from_overrides(
        {
            "user_user_id": "agentId",
            "user_state": "presence",
            "user_state_values": {"dnd": "unavailable"},
            "user_dashboard": "onWallboard",
        }
    )
    user = (await make_client(upstream, mapping=mapping).user_status()).rows[0]
    assert (user.user_id, user.state, user.dashboard) == ("9", UserState.UNAVAILABLE, True)
    # a key no longer mapped is kept, not dropped
    assert user.extra == {"dashboard": "0"}
