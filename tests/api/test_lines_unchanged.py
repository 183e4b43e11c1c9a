"""A body read by its lines is known unchanged without a digest of it: every line's
head was held, its tails are the last body's, in the same order. A body read whole in
between (a blank line, ``doctor``'s raw read) makes the next one be read afresh."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest

from rtdash.api.models import RowReader
from tests.api.test_rows import CALL, USER, with_

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream


def compact(*rows: dict[str, Any]) -> bytes:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode()


def calls(seconds: int, *refs: str) -> bytes:
    rows = []
    for ref in refs or ("c-1", "c-2", "c-3"):
        row = with_(CALL, callRef=ref, queueDuration=str(52 + seconds))
        row["callDuration"] = str(62 + seconds)  # the durations stay the last keys
        rows.append(row)
    return compact(*rows)


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every body the client takes a SHA-1 of."""
    seen: list[int] = []
    original = hashlib.sha1

    def counting(data: bytes = b"", **kwargs: Any) -> Any:
        seen.append(len(data))
        return original(data, **kwargs)

    monkeypatch.setattr("rtdash.api.client.hashlib.sha1", counting)
    return seen


async def test_a_body_read_by_its_lines_is_known_unchanged_without_a_digest(
    make_client: MakeClient, upstream: Upstream, reads: list[str], digests: list[int]
) -> None:
    client = make_client(upstream)
    upstream.body = calls(0)
    first = await client.active_calls()
    upstream.body = calls(1)  # the durations ticked: read by lines, nothing decoded
    ticked = await client.active_calls()
    assert not ticked.unchanged and ticked.rows == first.rows
    assert all(row is old for row, old in zip(ticked.rows, first.rows, strict=True))
    taken = len(digests)
    again = await client.active_calls()  # byte for byte the last body
    assert again.unchanged and again.rows is ticked.rows
    assert len(digests) == taken  # no digest of the body once it is read by its lines
    assert reads == ["c-1", "c-2", "c-3"]


async def test_the_same_heads_with_a_tail_that_moved_or_in_another_order_are_not_unchanged(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    for body in (calls(0), calls(1)):
        upstream.body = body
        await client.active_calls()
    upstream.body = calls(2)
    assert not (await client.active_calls()).unchanged  # the same heads, new tails
    upstream.body = calls(2, "c-3", "c-2", "c-1")
    reordered = await client.active_calls()
    assert not reordered.unchanged
    assert [row.call_ref for row in reordered.rows] == ["c-3", "c-2", "c-1"]
    assert (await client.active_calls()).unchanged


async def test_a_body_read_whole_in_between_is_not_taken_for_the_one_before(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    a, b = calls(0), calls(0, "c-1", "c-9")
    for body in (a, calls(1), a):
        upstream.body = body
        await client.active_calls()
    upstream.body = b.replace(b"\n", b"\n\n", 1)  # a blank line: read whole
    whole = await client.active_calls()
    assert [row.call_ref for row in whole.rows] == ["c-1", "c-9"]
    upstream.body = a  # the lines' last body, but not the last body
    back = await client.active_calls()
    assert not back.unchanged
    assert [row.call_ref for row in back.rows] == ["c-1", "c-2", "c-3"]
    upstream.body = b
    assert not (await client.active_calls()).unchanged
    await client.user_status()  # another route meanwhile: each route on its own
    assert (await client.active_calls()).unchanged


async def test_an_unreadable_line_is_not_read_again_and_stays_counted(
    make_client: MakeClient, upstream: Upstream, reads: list[str]
) -> None:
    client = make_client(upstream)
    broken = with_(CALL, callRef="c-bad", callState="on hold")  # no known state
    upstream.body = compact(CALL, broken)
    first = await client.active_calls()
    upstream.body = compact(with_(CALL, callDuration="63"), broken)
    second = await client.active_calls()
    assert (first.unreadable, second.unreadable) == (1, 1)
    assert [row.call_ref for row in second.rows] == ["c-0001"]
    count = len(reads)
    third = await client.active_calls()
    assert (third.unchanged, third.unreadable, len(reads)) == (True, 1, count)


async def test_an_unreadable_line_that_comes_stays_and_goes_is_counted_each_poll(
    make_client: MakeClient, upstream: Upstream
) -> None:
    """The held rows are counted for unreadable ones only while the table may hold one:
    a poll after an all-readable one counts its new lines alone."""
    client = make_client(upstream)
    broken = with_(CALL, callRef="c-bad", callState="on hold")  # no known state
    other = with_(CALL, callRef="c-0002")
    bodies = [
        compact(CALL),
        compact(with_(CALL, callDuration="63"), broken),  # comes: a new line
        compact(with_(CALL, callDuration="64"), broken),  # stays: held, unreadable
        compact(with_(CALL, callDuration="65"), other),  # goes
        compact(with_(CALL, callDuration="66"), with_(other, callDuration="63"), broken),
        compact(with_(CALL, callDuration="67"), with_(other, callDuration="64"), broken),
        compact(with_(CALL, callDuration="68"), with_(other, callDuration="65")),
    ]
    counts, refs = [], []
    for body in bodies:
        upstream.body = body
        result = await client.active_calls()
        counts.append(result.unreadable)
        refs.append([row.call_ref for row in result.rows])
    assert counts == [0, 1, 1, 0, 1, 1, 0]
    assert refs[2] == ["c-0001"] and refs[5] == ["c-0001", "c-0002"]


async def test_users_read_by_lines_are_known_unchanged(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    upstream.body = compact(*(with_(USER, sipUserId=str(n)) for n in range(5)))
    first = await client.user_status()
    again = await client.user_status()
    assert again.unchanged and again.rows is first.rows
    upstream.body = compact(*(with_(USER, sipUserId=str(n)) for n in range(4)))
    fewer = await client.user_status()
    assert not fewer.unchanged and [row.user_id for row in fewer.rows] == ["0", "1", "2", "3"]


async def test_new_lines_are_decoded_a_batch_at_a_time_with_the_same_rows(
    make_client: MakeClient, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rtdash.api.line_rows as line_rows

    decoded: list[int] = []  # lines per batch, decoded in Python or read in C
    original, original_lines = line_rows.fast_rows, RowReader.read_lines

    def counting(body: bytes) -> Any:
        decoded.append(body.count(b"\n") + 1)
        return original(body)

    def counting_lines(self: RowReader, lines: list[bytes]) -> Any:
        made = original_lines(self, lines)
        if made is not None:
            assert None not in made  # plain lines: none left to decode
            decoded.append(len(lines))
        return made

    monkeypatch.setattr(line_rows, "BATCH", 4)
    monkeypatch.setattr(line_rows, "fast_rows", counting)
    monkeypatch.setattr(RowReader, "read_lines", counting_lines)
    client = make_client(upstream)
    refs = [f"c-{n}" for n in range(10)]
    upstream.body = calls(0, *refs)
    await client.active_calls()  # the first body teaches the lines
    upstream.body = calls(1, *(ref + "x" for ref in refs))  # ten new lines
    got = await client.active_calls()
    assert decoded[-3:] == [4, 4, 2]
    assert [row.call_ref for row in got.rows] == [ref + "x" for ref in refs]
    # a line in the last batch that is not plain: the body is read whole, as before
    bad = calls(2, *(ref + "y" for ref in refs)).replace(b'"c-9y"', b'"c-9y" ', 1)
    upstream.body = bad.replace(b"\n", b"\n\n", 9)
    whole = await client.active_calls()
    assert [row.call_ref for row in whole.rows] == [ref + "y" for ref in refs]


def test_a_body_is_cut_into_pieces_of_whole_lines() -> None:
    from rtdash.api.line_rows import segments

    body = calls(0, *(f"c-{n}" for n in range(40)))
    spans = list(segments(body, 700))
    pieces = [body[start:stop] for start, stop in spans]
    assert len(pieces) > 5 and b"".join(pieces) == body
    assert all(piece.endswith(b"\n") and piece.count(b"\n") >= 1 for piece in pieces)
    assert all(len(piece) >= 700 for piece in pieces[:-1])  # cut at the next line's end
    assert list(segments(body, len(body))) == [(0, len(body))]
    unended = body[:-1]  # no newline after the last line, and one line longer than size
    assert b"".join(unended[start:stop] for start, stop in segments(unended, 10)) == unended
    assert len(list(segments(unended, 10))) == 40  # a line a piece
    # a part of a body: its pieces lie within it
    start, stop = len(pieces[0]), len(body) - len(pieces[-1])
    inner = list(segments(body, 700, start, stop))
    assert inner[0][0] == start and inner[-1][1] == stop
    assert b"".join(body[a:b] for a, b in inner) == body[start:stop]


async def test_a_body_read_a_piece_at_a_time_gives_the_rows_of_one_read_whole(
    make_client: MakeClient,
    upstream: Upstream,
    reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import rtdash.api.line_rows as line_rows

    monkeypatch.setattr(line_rows, "SEGMENT", 900)
    client = make_client(upstream)
    refs = [f"c-{n}" for n in range(30)]
    upstream.body = calls(0, *refs)
    first = await client.active_calls()
    upstream.body = calls(1, *refs[:12], "c-new", *refs[12:])
    second = await client.active_calls()
    assert [row.call_ref for row in second.rows] == [*refs[:12], "c-new", *refs[12:]]
    assert reads[30:] == ["c-new"]  # only the new line read, whatever piece it is in
    assert all(row is old for row, old in zip(second.rows[13:], first.rows[12:], strict=True))
    assert second.server_now is not None
    assert (await client.active_calls()).unchanged
    # a blank line in the last piece: the body is read whole, every row as before
    upstream.body = calls(2, *refs)[:-1] + b"\n\n"
    whole = await client.active_calls()
    assert [row.call_ref for row in whole.rows] == refs
