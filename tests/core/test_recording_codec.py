"""The recording's parts on their own, without a simulator: typed records round-trip
through their JSON lines; a shape that is wrong is refused with RecordingFormatError;
the header is parsed in one place with safe values for what it lacks; the container
reads a gzip stream cut off anywhere, and a member appended after the cut."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rtdash.core.recording.codec import Delta, EndMark, Keyframe, decode, dump_line, encode
from rtdash.core.recording.container import first_line, inflate
from rtdash.core.recording.errors import RecordingFormatError
from rtdash.core.recording.header import FORMAT_VERSION, new_header, parse_header
from rtdash.core.recording.state import TrackState

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _roundtrip(record: Keyframe | Delta | EndMark) -> Keyframe | Delta | EndMark:
    return decode(json.loads(dump_line(encode(record))))


def test_records_round_trip_through_their_lines() -> None:
    keyframe = Keyframe("calls", T0, [{"callRef": "a", "callDuration": 3}], unreadable=2)
    delta = Delta("users", T0, d=2, add=[{"sipUserId": "u"}], dele=["x"], unreadable=0)
    end = EndMark(T0 + timedelta(seconds=5))
    assert _roundtrip(keyframe) == keyframe
    assert _roundtrip(delta) == delta
    assert _roundtrip(end) == end


def test_a_delta_writes_only_the_parts_that_say_something() -> None:
    assert encode(Delta("calls", T0)) == {"t": T0.isoformat(), "kind": "calls"}
    line = encode(Delta("calls", T0, d=2, upd=[{"callRef": "a", "x": None}]))
    assert list(line) == ["t", "kind", "d", "upd"]
    assert decode(line) == Delta("calls", T0, d=2, upd=[{"callRef": "a", "x": None}])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ([], "not an object"),
        ({"t": T0.isoformat(), "kind": "queues"}, "unknown kind"),
        ({"t": "yesterday", "kind": "calls", "rows": []}, "not an ISO time"),
        ({"t": "2026-05-01T09:00:00", "kind": "calls", "rows": []}, "no offset"),
        ({"t": T0.isoformat(), "kind": "calls", "rows": [1]}, "rows is not a list"),
        ({"t": T0.isoformat(), "kind": "calls", "rows": [], "unreadable": "1"}, "unreadable"),
        ({"t": T0.isoformat(), "kind": "calls", "add": {}}, "add is not a list"),
        ({"t": T0.isoformat(), "kind": "calls", "d": 1.5}, "d is not an integer"),
        ({"t": T0.isoformat(), "kind": "calls", "d": True}, "d is not an integer"),
    ],
)
def test_a_line_of_the_wrong_shape_is_refused(line: object, reason: str) -> None:
    with pytest.raises(RecordingFormatError, match=reason):
        decode(line)


def test_a_delta_that_does_not_fit_the_state_changes_nothing() -> None:
    state = TrackState("calls")
    state.apply(Keyframe("calls", T0, [{"callRef": "a", "n": 1}]))
    with pytest.raises(RecordingFormatError, match="unknown key"):
        state.apply(Delta("calls", T0, d=1, upd=[{"callRef": "a", "n": 5}], dele=["zz"]))
    assert state.c == 0
    assert state.rows["a"].value(state.c) == {"callRef": "a", "n": 1}


def test_a_ticking_field_is_predicted_and_a_diff_of_nothing_is_none() -> None:
    state = TrackState("calls")
    state.apply(Keyframe("calls", T0, [{"callRef": "a", "n": 1}, {"callRef": "b", "n": 7}]))
    delta = state.diff({"a": {"callRef": "a", "n": 3}, "b": {"callRef": "b", "n": 9}}, 0, T0)
    # the first change is written; that it matched the tick is what later predicts it
    assert delta == Delta(
        "calls", T0, d=2, upd=[{"callRef": "a", "n": 3}, {"callRef": "b", "n": 9}]
    )
    state.apply(delta)
    predicted = {"a": {"callRef": "a", "n": 5}, "b": {"callRef": "b", "n": 11}}
    assert state.diff(predicted, 0, T0) == Delta("calls", T0, d=2)  # ticks cost no patch
    state.apply(Delta("calls", T0, d=2))
    assert state.diff(predicted, 0, T0) is None


def test_the_header_is_written_and_parsed_in_one_place() -> None:
    header = new_header(
        installation="Northwind", igrp=42, tz="Europe/London", started=T0, exclude_pii=True
    )
    assert header.version == FORMAT_VERSION
    assert parse_header(dump_line(header.to_record())) == header
    assert parse_header(header.to_record()) == header
    assert parse_header(b'{"kind": "calls"}') is None
    assert parse_header(b"not json") is None
    odd = parse_header(b'{"rtdash_recording": "1", "igrp": "42", "tz": "Mars/Base"}')
    assert odd is not None
    assert (odd.version, odd.igrp, odd.started, odd.installation) == (-1, None, None, "")
    assert str(odd.zone) == "UTC"


def _lines(count: int, start: int = 0) -> bytes:
    return b"".join(dump_line({"n": n, "pad": "x" * 40}) for n in range(start, start + count))


def test_the_container_reads_whole_members_back() -> None:
    data = gzip.compress(_lines(5)) + gzip.compress(_lines(3, 5))
    read = inflate(data)
    assert [json.loads(line)["n"] for line in read.lines] == list(range(8))
    assert (read.dropped, read.damaged) == (0, False)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, 0.99])
def test_a_truncated_gzip_tail_is_tolerated(keep: float) -> None:
    whole = gzip.compress(_lines(200))
    read = inflate(whole[: int(len(whole) * keep)])
    numbers = [json.loads(line)["n"] for line in read.lines]
    assert numbers == list(range(len(numbers)))  # a prefix, in order, every line whole
    assert read.damaged
    assert numbers  # what was flushed before the cut is there


def test_reading_resumes_at_a_member_appended_after_a_cut() -> None:
    first = gzip.compress(_lines(100))
    cut = first[: len(first) // 2]
    read = inflate(cut + gzip.compress(_lines(3, 1000)))
    numbers = [json.loads(line)["n"] for line in read.lines]
    assert numbers[-3:] == [1000, 1001, 1002]
    assert numbers[:-3] == list(range(len(numbers) - 3))
    assert read.damaged


def test_zero_padding_is_skipped_and_garbage_after_a_member_marks_damage() -> None:
    member = gzip.compress(_lines(2))
    assert inflate(member + b"\0" * 16 + member).lines == inflate(member * 2).lines
    damaged = inflate(member + b"garbage")
    assert len(damaged.lines) == 2 and damaged.damaged


def test_first_line_reads_only_the_header(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"rtdash_recording": 1}\n' + _lines(5)))
    assert first_line(path) == b'{"rtdash_recording": 1}'
    path.write_bytes(b"plain text\n")
    assert first_line(path) is None
