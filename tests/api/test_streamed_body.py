"""A big body is read by its lines as it comes, a piece at a time, never held whole.

Whatever pieces the bytes come in (a byte at a time, 7 bytes, a socket read, cut in
the middle of a line, a key, a newline after a carriage return), the rows, the counts
of unreadable lines and duplicates, the upstream's "now" and whether the body was
unchanged are those of the same body read whole (a call's durations as the screens
show them, brought forward to that "now"); a body with a line that cannot be
read by its lines has that line and the rest read the usual way (a duplicate key, NaN
and a bare string still refused line by line); an oversized or broken body is refused
with the same words.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from rtdash.api import errors
from rtdash.api.client import Credentials, FetchResult, InfinityClient
from rtdash.api.line_rows import LineFeed
from rtdash.api.models import RowReader
from rtdash.sim import Simulator
from tests.api.body_pieces import (
    CUTS,
    Cut,
    Pieces,
    by,
    call,
    calls_poll,
    compact,
    mock_client,
    outcomes,
    seen,
    whole_and_streamed,
)
from tests.api.test_http11 import Script, answer, chunked, client_at, scripted
from tests.api.test_rows import CALL, USER, with_

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")

REFS = [f"c-{n:03d}" for n in range(60)]
#: a centre over four polls: lines tick, arrive, end, move, change state; then the
#: same body again (known unchanged)
POLLS = [
    calls_poll(0, REFS),
    calls_poll(1, [*REFS[:20], "c-new", *REFS[25:]], **{"c-030": {"callState": "bridged"}}),
    calls_poll(2, [REFS[40], *REFS[:20], "c-new", *REFS[25:40], *REFS[41:]]),
    calls_poll(2, [REFS[40], *REFS[:20], "c-new", *REFS[25:40], *REFS[41:]]),
]


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
async def test_a_body_in_pieces_reads_the_rows_of_the_body_read_whole(
    streamed: Callable[[bool], None], cut: Cut
) -> None:
    whole, pieces = await whole_and_streamed(streamed, POLLS, cut)
    assert pieces == whole
    assert [refs[4] for refs in whole] == [False, False, False, True]  # the last unchanged
    assert [len(refs[0]) for refs in pieces] == [60, 56, 56, 56]


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
async def test_users_in_pieces_read_as_read_whole(
    streamed: Callable[[bool], None], cut: Cut
) -> None:
    users = [with_(USER, sipUserId=str(n), displayName=f"User {n}") for n in range(40)]
    moved = [*users[5:], with_(users[0], state="unavailable"), *users[1:5]]
    bodies = [compact(*users), compact(*moved), compact(*moved)]
    whole, pieces = await whole_and_streamed(streamed, bodies, cut, users=True)
    assert pieces == whole and whole[-1][4] is True


async def test_the_rows_held_from_the_last_body_are_its_very_objects_when_streamed(
    streamed: Callable[[bool], None],
) -> None:
    streamed(True)
    upstream = Pieces(CUTS["7"], POLLS[0])
    async with mock_client(upstream) as client:
        first = await client.active_calls()
        upstream.body = POLLS[1]
        second = await client.active_calls()
    kept = {row.call_ref: row for row in first.rows}
    same = [row for row in second.rows if row is kept.get(row.call_ref)]
    assert len(same) == 54  # every line but the new one and the answered one
    assert second.server_now is not None


def _odd_line(line: bytes) -> list[bytes]:
    """Bodies whose 31st line is ``line``, after a first poll of plain lines."""
    lines = POLLS[1].splitlines(keepends=True)
    return [POLLS[0], b"".join([*lines[:30], line, *lines[30:]])]


ODD = {
    # not plain: read the usual way from that line on
    "tail-not-plain": _odd_line(
        compact(call("c-odd", 1)).replace(b'"callDuration":"63"', b'"callDuration":63.0')
    ),
    "tail-first": _odd_line(compact({"ringTime": "0", **with_(CALL, callRef="c-odd")})),
    "blank": _odd_line(b"\n"),
    "crlf": _odd_line(compact(call("c-odd", 1)).replace(b"\n", b"\r\n")),
    "bare-string": _odd_line(b'"a message"\n'),
    "array": _odd_line(b"[1, 2]\n"),
    # refused line by line, as a body read whole refuses them
    "duplicate-key": _odd_line(compact(call("c-odd", 1)).replace(b"{", b'{"callRef":"c-dup",', 1)),
    "nan": _odd_line(compact(call("c-odd", 1)).replace(b'"dgrp":"33244"', b'"dgrp":NaN')),
    "huge-number": _odd_line(compact(call("c-odd", 1)).replace(b'"dgrp":"33244"', b'"dgrp":1e999')),
    "no-id": _odd_line(compact(with_(call("c-odd", 1), callRef=""))),
    "not-json": _odd_line(b"{oops\n"),
    "duplicate-id": _odd_line(compact(call("c-010", 1))),
    "bad-utf8": _odd_line(compact(call("c-odd", 1)).replace(b"Sales", b"Sa\xffles")),
}
WHOLE_BODIES = {
    "message": [POLLS[0], b'"the installation is not licensed"'],
    "array": [POLLS[0], b"[" + b",".join(POLLS[1].splitlines()) + b"]"],
    "bom": [POLLS[0], b"\xef\xbb\xbf" + POLLS[1]],
    "no-last-newline": [POLLS[0], POLLS[1][:-1]],
    "empty": [POLLS[0], b""],
    "blank-end": [POLLS[0], POLLS[1] + b"\n\n"],
    "web-page": [POLLS[0], b"<!doctype html><title>Sign in</title>" + b" " * 200],
}


@pytest.mark.parametrize("cut", [CUTS["1"], CUTS["7"], CUTS["random"]], ids=["1", "7", "random"])
@pytest.mark.parametrize(
    "bodies", [*ODD.values(), *WHOLE_BODIES.values()], ids=[*ODD, *WHOLE_BODIES]
)
async def test_a_line_or_body_that_cannot_be_read_by_its_lines_reads_as_read_whole(
    streamed: Callable[[bool], None], bodies: list[bytes], cut: Cut
) -> None:
    bodies = [*bodies, POLLS[2], POLLS[2]]  # then the next polls as ever
    whole, pieces = await whole_and_streamed(streamed, bodies, cut)
    assert pieces == whole


async def test_a_bare_string_in_the_middle_is_unreadable_and_one_first_is_the_message(
    streamed: Callable[[bool], None],
) -> None:
    streamed(True)
    got = await outcomes([*ODD["bare-string"], *WHOLE_BODIES["message"]], CUTS["7"])
    assert got[1][1] == 1  # counted, not a message
    assert got[3] == (
        "UnreadableResponse: the service sent a message instead of data: "
        '"the installation is not licensed"'
    )


def test_a_feed_keeps_at_most_a_line_of_the_pieces_it_was_given() -> None:
    """Lines are read as soon as they are whole: what is kept between pieces is the
    start of the line still coming, never the body."""
    from zoneinfo import ZoneInfo

    from rtdash.api.mapping import FieldMapping

    reader = RowReader("call", FieldMapping(), ZoneInfo("UTC"))
    reader.learn_lines_of(POLLS[0])
    longest = max(map(len, POLLS[1].splitlines(keepends=True)))
    feed = LineFeed(reader)
    for piece in by(1000)(POLLS[1]):
        feed.add(piece)
        assert len(feed._carry) < longest and feed.rest is None
    rows, unreadable = feed.finish()
    assert len(rows) == 56 and unreadable == 0


async def test_the_http11_lane_streams_chunks_and_refuses_an_oversized_body_alike(
    streamed: Callable[[bool], None],
) -> None:
    """Over a real socket (chunked, 7 bytes a chunk): the same rows as read whole, and a
    body past the cap refused with the same words, the connection then replaced."""
    big = calls_poll(3, [f"c-{n:04d}" for n in range(200)])
    replies = [answer(chunked(body, 7), "Transfer-Encoding: chunked") for body in (*POLLS, big)]
    results: dict[bool, list[Any]] = {}
    for on in (False, True):
        streamed(on)
        script = Script(replies)
        got: list[Any] = []
        async with scripted(script) as base_url, client_at(base_url, max_body=20_000) as client:
            for _ in replies:
                try:
                    got.append(seen(await client.active_calls()))
                except errors.ApiError as exc:
                    got.append(f"{type(exc).__name__}: {exc}")
        results[on] = got
    assert results[True] == results[False]
    assert results[True][-1] == (
        "ResponseTooLarge: response too large (more than 19 KiB; the limit is 19 KiB)"
    )


async def test_a_connection_that_breaks_mid_body_is_a_failure_and_the_next_poll_reads_right(
    streamed: Callable[[bool], None],
) -> None:
    streamed(True)
    cut_short = answer(POLLS[1])[: -len(POLLS[1]) // 2]
    script = Script([answer(POLLS[0]), cut_short, answer(POLLS[2])], close_after={1})
    async with scripted(script) as base_url, client_at(base_url) as client:
        await client.active_calls()
        with pytest.raises(errors.ConnectionFailed, match="dropped mid-response"):
            await client.active_calls()
        after = await client.active_calls()
    streamed(False)
    expected = await outcomes([POLLS[2]], CUTS["whole"])
    assert seen(after)[0] == expected[0][0]


async def test_the_simulator_s_bodies_stream_to_the_rows_of_one_read_whole(
    sim: Simulator, streamed: Callable[[bool], None]
) -> None:
    """Over loopback HTTP from the simulator as it moves: the streamed client and one
    reading whole see the same rows, poll after poll."""

    def client() -> InfinityClient:
        return InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(username=sim.username, password=sim.password),
            base_url=sim.url,
        )

    async with client() as whole, client() as pieces:
        for _ in range(4):
            streamed(False)
            expected: list[FetchResult[Any]] = [
                await whole.active_calls(),
                await whole.user_status(),
            ]
            streamed(True)
            got: list[FetchResult[Any]] = [await pieces.active_calls(), await pieces.user_status()]
            assert [seen(result)[:4] for result in got] == [seen(result)[:4] for result in expected]
            assert got[0].rows
            sim.advance(7)


async def test_duplicates_known_from_a_body_s_changes_count_as_a_first_read_counts_them(
    streamed: Callable[[bool], None],
) -> None:
    """A body's rows are one per id, the last one sent: known from the last body's ids
    and the new and gone rows when a body is read by its lines, and counted as a
    client reading the body first (every id looked at) counts them, poll after poll."""
    refs = REFS[:30]
    twice = [*refs[:10], "c-015", *refs[10:]]  # c-015 sent twice, moved
    bodies = [
        calls_poll(0, refs),
        calls_poll(1, twice),
        calls_poll(2, twice),  # held lines both
        calls_poll(3, [*refs[:10], "c-015", *refs[10:15], *refs[16:]]),  # moved
        calls_poll(4, [*refs, "c-002"], **{"c-002": {"callState": "bridged"}}),
        calls_poll(5, refs),
    ]
    for on in (False, True):
        streamed(on)
        shown: datetime | None = None
        upstream = Pieces(CUTS["7"])
        counted = []
        async with mock_client(upstream) as client:
            for body in bodies:
                upstream.body = body
                got = await client.active_calls()
                first = (await outcomes([body], CUTS["whole"]))[0]
                assert seen(got, shown)[:3] == first[:3]
                shown = got.server_now or shown
                counted.append(got.duplicates)
        assert counted == [0, 1, 1, 0, 1, 0]
        assert len(got.rows) == len(set(map(id, got.rows))) == 30


@pytest.mark.parametrize("on", [False, True], ids=["whole", "streamed"])
async def test_a_poll_leaves_nothing_only_the_cyclic_collector_could_free(
    sim: Simulator, streamed: Callable[[bool], None], on: bool
) -> None:
    """A body, or the reader of one, caught in a reference cycle would live until the
    collector ran (the app pauses it at start-up, and a big centre's body is megabytes):
    every object of a poll is freed as soon as it is done with."""
    import gc

    streamed(on)
    async with InfinityClient(
        igrp=sim.igrp,
        credentials=Credentials(username=sim.username, password=sim.password),
        base_url=sim.url,
    ) as client:
        await client.active_calls()
        for _ in range(3):
            sim.advance(3)
            gc.collect()
            gc.disable()
            try:
                await client.active_calls()
                await client.user_status()
                assert gc.collect() == 0
            finally:
                gc.enable()


def test_a_body_left_half_read_leaves_the_next_one_nothing_to_trust() -> None:
    """A body abandoned mid-way (the connection broke) marked the rows it found in the
    table and never settled them: the next body is read afresh and hands on no changes
    (rather than miss a row that went while the half body was read), and the one after
    it is read by its lines again."""
    from zoneinfo import ZoneInfo

    from rtdash.api.mapping import FieldMapping

    reader = RowReader("call", FieldMapping(), ZoneInfo("UTC"))
    reader.learn_lines_of(POLLS[0])
    first = LineFeed(reader)
    first.add(POLLS[0])
    first.finish()
    assert reader.lines is not None and len(reader.lines.heads) == len(REFS)
    half = LineFeed(reader)
    half.add(b"".join(POLLS[1].splitlines(keepends=True)[:30]))  # then the line broke
    after = LineFeed(reader)
    after.add(POLLS[2])
    rows, unreadable = after.finish()
    refs = [row.call_ref for row in rows]
    assert refs == [REFS[40], *REFS[:20], "c-new", *REFS[25:40], *REFS[41:]]
    assert unreadable == 0
    assert len(after.new) == len(rows)  # every line read afresh: nothing of the half trusted
    assert after.gone == [] and reader.lines.changes is None
    again = LineFeed(reader)
    again.add(POLLS[3])  # the same body: every row found, none read
    assert [row.call_ref for row in again.finish()[0]] == refs
    assert again.new == [] and again.gone == []
    assert all(map(operator.is_, again.rows, rows))
