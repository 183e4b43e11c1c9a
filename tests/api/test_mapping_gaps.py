"""When no row can be read because a field it cannot do without is under none of the
keys the mapping names for it, the words say which [mapping] key names what and which
keys the rows carry: the keys are the upstream's text, so they are cleaned and bounded."""

from __future__ import annotations

import json
from typing import Any

from rtdash.api.mapping import FieldMapping
from rtdash.api.mapping_gaps import gap
from rtdash.api.sanitise import is_clean
from tests.api.conftest import MakeClient, Upstream
from tests.api.test_rows import CALL, USER, with_

MOOD = FieldMapping.from_overrides({"call_state": "callMood"})


def test_an_override_naming_a_key_no_row_carries_is_said_with_the_keys_they_carry() -> None:
    assert gap("call", MOOD, ["callRef", "callPhase", "igrp"]) == (
        '[mapping] call_state names "callMood", which no row carries '
        "(the rows carry: callRef, callPhase, igrp)"
    )


def test_the_default_names_are_said_as_defaults() -> None:
    assert gap("call", FieldMapping(), ["callRef", "callPhase"]) == (
        'call_state, not set in [mapping], names "callState", "callStage", "state" or '
        '"status" by default, none of which any row carries (the rows carry: callRef, callPhase)'
    )


def test_rows_that_carry_each_needed_field_are_no_gap() -> None:
    assert gap("call", MOOD, [*CALL, "callMood"]) is None
    assert gap("user", FieldMapping(), USER) is None
    # a user with no id key is known by its operator ref, then its extension
    assert gap("user", FieldMapping(), ["operatorRef", "state"]) is None
    assert gap("user", FieldMapping(), ["extensionNumber", "state"]) is None


def test_every_needed_field_missing_is_said_and_the_keys_once() -> None:
    mapping = FieldMapping.from_overrides({"user_state": ["mood", "feeling"]})
    said = gap("user", mapping, ["who"])
    assert said == (
        'user_user_id, not set in [mapping], names "sipUserId", "userId" or "id" by default, '
        'none of which any row carries; [mapping] user_state names "mood" or "feeling", '
        "none of which any row carries (the rows carry: who)"
    )


def test_hostile_keys_are_cleaned_cut_and_bounded_to_one_line() -> None:
    keys = ["callRef", "a\x1b]52;c;SGVsbG8=\x07b", "line\nbreak", "x\u202ey", "k" * 10_000]
    keys += [f"key{n}" for n in range(2_000)]
    names = [f"name{n}\x1b[2J" for n in range(50)]
    said = gap("call", FieldMapping.from_overrides({"call_state": names}), keys)
    assert said is not None and is_clean(said) and "\n" not in said
    assert len(said) < 400
    assert said.startswith(
        '[mapping] call_state names "name0␛[2J", "name1␛[2J", "name2␛[2J", "name3␛[2J", '
        '"name4␛[2J", "name5␛[2J" or 44 more, none of which any row carries '
        "(the rows carry: callRef, a␛]52;c;SGVsbG8=�b, line break, xy, " + "k" * 40 + "…, key0, "
    )
    shown = said.count(", key")
    assert said.endswith(f", key{shown - 1} and {2_000 - shown} more)")


def ndjson(*rows: dict[str, Any]) -> str:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows)


async def test_the_client_says_the_gap_only_when_no_row_could_be_read(
    upstream: Upstream, make_client: MakeClient
) -> None:
    renamed = [{k if k != "callState" else "callPhase": v for k, v in CALL.items()}]
    upstream.body = ndjson(*renamed)
    async with make_client(upstream, mapping=MOOD) as client:
        none_read = await client.active_calls()
        again = await client.active_calls()  # the same bytes: known unchanged, unread
    assert none_read.rows == [] and none_read.unreadable == 1
    assert none_read.gap == again.gap == gap("call", MOOD, renamed[0])
    assert again.unchanged
    upstream.body = ndjson(*renamed, with_(CALL, callRef="c-2", callMood="ringing"))
    async with make_client(upstream, mapping=MOOD) as client:
        some_read = await client.active_calls()
    assert len(some_read.rows) == 1 and some_read.gap is None


async def test_a_state_value_not_known_is_not_blamed_on_the_mapping(
    upstream: Upstream, make_client: MakeClient
) -> None:
    upstream.body = ndjson(with_(CALL, callState="on hold"))
    async with make_client(upstream) as client:
        result = await client.active_calls()
    assert result.rows == [] and result.unreadable == 1 and result.gap is None
