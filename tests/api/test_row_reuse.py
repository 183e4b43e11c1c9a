"""A poll costs what changed: rows whose values other than the ticking durations are
the last poll's are reused, and a compact NDJSON body is read by the fast reader with
exactly the strict reader's results (refusals included)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.client import InfinityClient
from rtdash.api.errors import ApiError
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader, ticked
from rtdash.api.wire import fast_rows
from tests.api.test_rows import CALL, USER, with_

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")

NOW = datetime(2026, 5, 1, 10, 5, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
TICKING = {"ringTime": "4", "queueDuration": "10", "bridgeDuration": "0", "callDuration": "14"}


def compact(*rows: dict[str, Any]) -> bytes:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode()


def parse(reader: RowReader, body: str | bytes) -> Any:
    return InfinityClient._parse_rows(body, NOW, False, reader)


def test_a_call_whose_durations_only_ticked_is_the_same_object() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    row = with_(CALL, **TICKING)
    first = parse(reader, compact(row, with_(row, callRef="c-2")))
    later = with_(row, queueDuration="11", callDuration="15")
    second = parse(reader, compact(later, with_(row, callRef="c-2")))
    assert second.rows[0] is first.rows[0]
    assert second.rows[1] is first.rows[1]
    # held as first read; the body's "now" (start 09:14:10 + 15 s) brings it forward
    assert (first.rows[0].queue_duration, first.rows[0].call_duration) == (10, 14)
    assert second.server_now == datetime(2026, 5, 1, 9, 14, 25, tzinfo=UTC)
    brought = ticked(second.rows[0], second.server_now)
    assert (
        brought.to_json()
        == parse(RowReader("call", FieldMapping(), UTC_ZONE), compact(later)).rows[0].to_json()
    )


def test_a_call_whose_state_changed_is_a_new_row() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    row = with_(CALL, **TICKING)
    first = parse(reader, compact(row)).rows[0]
    answered = with_(
        row, callState="bridged", stateStartDatetime="2026-05-01 09:14:30", callDuration="20"
    )
    second = parse(reader, compact(answered)).rows[0]
    assert second is not first
    assert (second.state, second.call_duration) == ("bridged", 20)
    assert (first.state, first.call_duration) == ("queueing", 14)  # the old row untouched


def test_a_ticking_value_that_is_an_object_is_still_refused() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    row = with_(CALL, **TICKING)
    parse(reader, json.dumps(row))
    later = parse(reader, json.dumps(with_(row, callDuration={"s": 15})))
    assert (later.rows, later.unreadable) == ([], 1)


def test_ticked_brings_the_state_duration_and_the_call_duration_forward() -> None:
    call = parse(RowReader("call", FieldMapping(), UTC_ZONE), json.dumps(CALL)).rows[0]
    # read at 09:14:10 + 62 s; asked 8 s later: only queueing (the state) ticked
    later = ticked(call, datetime(2026, 5, 1, 9, 15, 20, tzinfo=UTC))
    assert (later.ring_time, later.queue_duration, later.bridge_duration) == (0, 60, 0)
    assert later.call_duration == 70
    assert ticked(call, None) is call
    assert ticked(call, datetime(2026, 5, 1, 9, 15, 12, tzinfo=UTC)) is call


def test_a_changed_stable_value_is_read_afresh_and_cleaned() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    row = with_(CALL, **TICKING, displayName="Ann")
    parse(reader, compact(row))
    second = parse(reader, compact(with_(row, displayName="Ann\x1b[2J", callState="bridged")))
    assert second.rows[0].agent_name == "Ann\u241b[2J"
    assert second.rows[0].state == "bridged"


@pytest.mark.parametrize(
    ("before", "after"), [(1, 1.0), (1, True), ("1", 1), (0.0, -0.0), ([1], [1.0])]
)
def test_equal_values_of_another_type_are_read_again(before: Any, after: Any) -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    expect = RowReader("call", FieldMapping(), UTC_ZONE)
    field = "extraField" if isinstance(before, list) else "dgrp"  # a list there: unreadable
    parse(reader, json.dumps(with_(CALL, **{field: before})))
    body = json.dumps(with_(CALL, **{field: after}))
    got, fresh = parse(reader, body).rows[0], parse(expect, body).rows[0]
    assert got.to_json() == fresh.to_json()


def test_a_reused_user_row_is_the_same_object() -> None:
    reader = RowReader("user", FieldMapping(), UTC_ZONE)
    first = parse(reader, compact(USER))
    assert parse(reader, compact(USER)).rows[0] is first.rows[0]


HOSTILE_LINES = [
    '{"callRef":"c-9","callState":"ringing","callState":"queueing"}',  # a key twice
    '{"callRef":"c-9","callState":"ringing","ringTime":NaN}',
    '{"callRef":"c-9","callState":"ringing","ringTime":1e999}',
    '{"callRef":"c-9","callState":"ringing","displayName":"\\u00e9\\u001b"}',
    '{"callRef":"c-9","callState":"ringing","ringTime":-0}',
    '{"callRef": "c-9", "callState": "ringing"}',
    '"busy"',
    "[1,2]",
    "{not json",
    '{"callRef":"c-9","callState":"ringing","deep":' + "[" * 40 + "]" * 40 + "}",
]


@pytest.mark.parametrize("line", HOSTILE_LINES)
@pytest.mark.parametrize("where", ["first", "last"])
def test_the_fast_reader_reads_what_the_strict_reader_reads(line: str, where: str) -> None:
    good = json.dumps(with_(CALL, callRef="c-1"), separators=(",", ":"))
    lines = [line, good] if where == "first" else [good, line]
    body = "\n".join(lines) + "\n"
    assert outcome(body.encode()) == outcome(body)


def outcome(body: str | bytes) -> Any:
    """The rows and unreadable count of a body, or the message it was refused with."""
    try:
        result = parse(RowReader("call", FieldMapping(), UTC_ZONE), body)
    except ApiError as exc:
        return type(exc), str(exc)
    return [row.to_json() for row in result.rows], result.unreadable


def test_a_compact_body_is_taken_whole_and_an_odd_one_line_by_line() -> None:
    rows = [with_(CALL, callRef=f"c-{n}") for n in range(3000)]
    body = compact(*rows)
    assert fast_rows(body) == rows
    assert fast_rows(body.rstrip(b"\n")) == rows
    spaced = body.replace(b'"c-7"', b'"c-7" ', 1)  # one line not as msgspec writes it
    assert fast_rows(spaced) == rows
    twice = body.replace(b'"c-7",', b'"c-7","callRef":"c-8",', 1)
    assert fast_rows(twice) is None  # the strict reader refuses that line: the old path
    assert fast_rows(b'"busy"\n' + body) is None
    assert fast_rows(b"[" + body + b"]") is None
