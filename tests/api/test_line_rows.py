"""A polled body is read by its lines: a line whose every key but the ticking durations
says what a line of the last body said is that body's row object again, and only the
other lines are decoded and read (strictly, as any body is)."""

from __future__ import annotations

import builtins
import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rtdash.api import line_rows
from rtdash.api.client import FetchResult, InfinityClient
from rtdash.api.line_table import DictHeads
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader, ticked
from tests.api.test_rows import CALL, USER, with_

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")

NOW = datetime(2026, 5, 1, 10, 5, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


def compact(*rows: dict[str, Any]) -> bytes:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode()


def parse(reader: RowReader, body: str | bytes) -> FetchResult[Any]:
    return InfinityClient._parse_rows(body, NOW, False, reader)


def calls(count: int, seconds: int, changed: int | None = None) -> bytes:
    """``count`` calls ``seconds`` into their queueing; call ``changed`` answered."""
    rows = []
    for n in range(count):
        row = with_(CALL, callRef=f"c-{n}", queueDuration=str(52 + seconds))
        row["callDuration"] = str(62 + seconds)  # the durations stay the last keys
        if n == changed:
            row = with_(row, callState="bridged", stateStartDatetime="2026-05-01 09:15:30")
        rows.append(row)
    return compact(*rows)


def test_only_the_line_that_changed_is_read_and_every_other_row_is_the_same_object(
    reads: list[str],
) -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    first = parse(reader, calls(50, 0))
    assert len(reads) == 50
    second = parse(reader, calls(50, 1))  # every line differs: the durations ticked
    third = parse(reader, calls(50, 2, changed=7))
    assert reads[50:] == ["c-7"]  # of 150 lines, only the answered call read again
    assert [row is old for row, old in zip(third.rows, first.rows, strict=True)] == [
        n != 7 for n in range(50)
    ]
    assert second.rows == first.rows
    assert third.rows[7].state == "bridged" and first.rows[7].state == "queueing"
    # the upstream's "now" (09:14:10 + 64 s) brings a held row's durations forward
    assert third.server_now == datetime(2026, 5, 1, 9, 15, 14, tzinfo=UTC)
    fresh = parse(RowReader("call", FieldMapping(), UTC_ZONE), calls(50, 2)).rows[3]
    assert ticked(third.rows[3], third.server_now).to_json() == fresh.to_json()


def test_users_whose_lines_are_the_same_are_not_read_again(reads: list[str]) -> None:
    reader = RowReader("user", FieldMapping(), UTC_ZONE)
    body = compact(*(with_(USER, sipUserId=str(n)) for n in range(20)))
    first = parse(reader, body)
    parse(reader, body + b"")  # a new bytes object: the line path, not the digest
    later = parse(reader, body.replace(b'"sipUserId":"4","', b'"sipUserId":"4", "', 1))
    assert reads[20:] == ["4"]  # the line written differently is read
    assert later.rows[5] is first.rows[5]


HOSTILE_TAILS = [
    b',"callDuration":"63","callState":"bridged"}',  # a key after the durations
    b',"callDuration":"63","callDuration":"64"}',  # a key twice
    b',"callDuration":NaN}',
    b',"callDuration":1e999}',
    b',"callDuration":007}',
    b',"callDuration":{"s":1}}',
    b',"callDuration":"63"} ',
]


@pytest.mark.parametrize("tail", HOSTILE_TAILS)
def test_a_line_whose_tail_is_not_plain_is_read_as_the_strict_reader_reads_it(
    tail: bytes,
) -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    parse(reader, calls(3, 0))
    parse(reader, calls(3, 1))
    lines = calls(3, 1).split(b"\n")
    lines[1] = lines[1][: lines[1].rindex(b',"callDuration":')] + tail
    body = b"\n".join(lines)
    fresh = RowReader("call", FieldMapping(), UTC_ZONE)
    expected = parse(fresh, body.decode())
    got = parse(reader, body)
    assert [ticked(row, got.server_now).to_json() for row in got.rows] == [
        row.to_json() for row in expected.rows
    ]
    assert got.unreadable == expected.unreadable


def test_a_blank_line_or_a_line_ending_in_a_carriage_return_reads_the_same() -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    parse(reader, calls(3, 0))
    for body in (calls(3, 1).replace(b"\n", b"\n\n", 1), calls(3, 2).replace(b"\n", b"\r\n")):
        expected = parse(RowReader("call", FieldMapping(), UTC_ZONE), body.decode())
        got = parse(reader, body)
        assert len(got.rows) == 3
        assert got.server_now == expected.server_now
        assert [ticked(row, got.server_now).to_json() for row in got.rows] == [
            row.to_json() for row in expected.rows
        ]


def test_a_body_followed_line_for_line_is_known_unchanged_without_a_pass_over_its_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The C head table found every line as the line after the last one found in the
    last body: its rows are the last body's, one for one, and no pass over a big
    centre's rows compares them again on each quiet poll. The table as two dicts
    follows nothing and compares them."""
    reader = RowReader("user", FieldMapping(), UTC_ZONE)
    users = [with_(USER, sipUserId=str(n)) for n in range(20)]
    body = compact(*users)
    first = parse(reader, body)  # the lines learned, then every line noted in order
    passes: list[int] = []

    def counted(rows: Any) -> bool:
        passes.append(1)
        return builtins.all(rows)

    monkeypatch.setattr(line_rows, "all", counted, raising=False)
    lines = reader.lines
    assert lines is not None
    compared = [1] if isinstance(lines.heads, DictHeads) else []
    again = parse(reader, bytes(bytearray(body)))  # equal bytes, another object
    assert lines.unchanged
    assert all(row is old for row, old in zip(again.rows, first.rows, strict=True))
    assert passes == compared
    swapped = compact(users[1], users[0], *users[2:])  # the same heads, tails and count
    moved = parse(reader, swapped)
    assert not lines.unchanged
    assert [row.user_id for row in moved.rows[:3]] == ["1", "0", "2"]
    assert passes == [*compared, 1]  # not followed line for line: compared row by row
    parse(reader, swapped)
    assert lines.unchanged
