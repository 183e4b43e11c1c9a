"""What a reader keeps between polls, counted: a big centre holds tens of thousands of
rows, so what is kept a row (a copy of a text, a row's values a second time, a first
body's every value) is what its memory grows by."""

from __future__ import annotations

import sys

import pytest

from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader
from tests.api.test_line_rows import UTC_ZONE, compact, parse
from tests.api.test_rows import CALL, USER, with_

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")


def _calls(count: int, seconds: int) -> bytes:
    rows = []
    for n in range(count):
        start = f"2026-05-01 {n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}"  # one a call
        row = with_(
            CALL, callRef=f"c-{n}", callStartDatetime=start, queueDuration=str(52 + seconds)
        )
        row["callDuration"] = str(62 + seconds)  # the durations stay the last keys
        rows.append(row)
    return compact(*rows)


def test_a_first_body_s_values_are_not_kept_for_the_polls_after_it() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    many = RowReader.CARRIED + 500
    parse(reader, _calls(many, 0))
    parse(reader, _calls(many, 1))  # every line held: nothing read, nothing cached
    assert not reader._times and not reader._old_times  # a start time a call: let go
    # nor any row by its values: a line is known by its head
    assert all(not shape.rows and not shape.old_rows for shape in reader._shapes.values())


def test_few_values_are_carried_from_one_poll_to_the_next() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    parse(reader, _calls(20, 0))
    reader.new_body()
    assert len(reader._old_times) == 21  # 20 starts and a state start: kept one poll more


def test_a_user_s_changed_line_is_not_kept_by_its_values() -> None:
    reader = RowReader("user", FieldMapping(), UTC_ZONE)
    users = [with_(USER, sipUserId=f"u-{n}", displayName=f"User {n}") for n in range(30)]
    parse(reader, compact(*users))
    users[4] = with_(users[4], state="unavailable")
    again = parse(reader, compact(*users))
    assert again.rows[4].state == "unavailable"
    assert sum(len(shape.rows) for shape in reader._shapes.values()) == 0


def test_a_caller_s_number_and_a_line_s_names_are_one_string_each() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    rows = parse(reader, _calls(40, 0)).rows
    assert len({id(row.src_number) for row in rows}) == 1
    assert len({id(row.dgrp_name) for row in rows}) == 1


def test_a_row_is_its_slots_and_nothing_beside() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    row = parse(reader, _calls(1, 0)).rows[0]
    assert not hasattr(row, "__pydantic_fields_set__")
    assert sys.getsizeof(row) <= 8 * (len(type(row).model_fields) + 4)
    assert row.__dict__ == dict(zip(type(row).model_fields, row.values(), strict=True))
