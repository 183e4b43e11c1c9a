"""A body framed by its Content-Length alone is read straight from the stream, past
h11 (rtdash/api/http11.py ``Exchange._read_plain``): every answer must read exactly as
h11's own reading of it, and the connection be kept or not as h11 would keep it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from rtdash.api import errors, heap, http11
from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.http11_stream import Incoming
from rtdash.sim import Simulator
from tests.api.test_http11 import ROW, Script, answer, client_at, no_proxy, scripted

__all__ = ["no_proxy"]  # the fixture, used here too


def _body(refs: list[str]) -> bytes:
    return b"".join(json.dumps({**ROW, "callRef": ref}).encode() + b"\n" for ref in refs)


@pytest.fixture(params=["plain", "h11"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs on the straight path and on h11's, which must agree (and the
    straight one is taken where it is meant to be)."""
    straight: list[int] = []
    if request.param == "h11":
        monkeypatch.setattr(http11.Exchange, "_plain_length", lambda self: None)
    else:
        read_plain = http11.Exchange._read_plain

        async def counted(self: http11.Exchange, *args: Any) -> None:
            straight.append(1)
            await read_plain(self, *args)

        monkeypatch.setattr(http11.Exchange, "_read_plain", counted)
    yield str(request.param)
    assert bool(straight) == (request.param == "plain")


async def _refs_and_connections(script: Script, polls: int) -> tuple[list[list[str]], int]:
    async with scripted(script) as base_url, client_at(base_url) as client:
        seen = [[row.call_ref for row in (await client.active_calls()).rows] for _ in range(polls)]
    return seen, script.connections


async def test_a_big_body_in_many_reads_gives_every_row_and_keeps_the_connection(
    path: str,
) -> None:
    refs = [f"c-{index}" for index in range(3000)]  # several of the lane's reads
    body = _body(refs)
    assert len(body) > 4 * http11.CHUNK
    seen, connections = await _refs_and_connections(Script([answer(body)]), 3)
    assert seen == [refs] * 3
    assert connections == 1


async def test_a_big_body_widens_its_connections_reads_and_a_small_one_does_not() -> None:
    """A body of :data:`~rtdash.api.heap.BIG_BODY` or more read straight from its
    connection: that connection reads wide from then on (a big centre's next polls
    come in fewer reads); small bodies leave it as asyncio reads."""
    small = _body(["c-1"])
    refs = [f"c-{index}" for index in range(6000)]
    big = _body(refs)
    assert len(big) >= heap.BIG_BODY
    script = Script([answer(small), answer(small), answer(big), answer(small)])
    async with scripted(script) as base_url, client_at(base_url) as client:
        sizes = []
        for expected in (["c-1"], ["c-1"], refs, ["c-1"]):
            assert [row.call_ref for row in (await client.active_calls()).rows] == expected
            lane = client._transport.lane
            assert lane is not None and lane.opened == 1
            (connection,) = lane._idle
            sizes.append(getattr(connection.stream.transport, "max_size", None))
    wide = Incoming.WIDE_READ
    assert sizes == [256 * 1024, 256 * 1024, wide, wide]


async def test_bytes_past_the_body_are_the_next_answer_as_h11_reads_them(path: str) -> None:
    first, second, third = _body(["c-a"]), _body(["c-b"]), _body(["c-c"])
    script = Script([answer(first) + answer(second), answer(third)])
    seen, connections = await _refs_and_connections(script, 3)
    assert seen == [["c-a"], ["c-b"], ["c-c"]]
    assert connections == 1


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: %d\r\n\r\n",
    ],
    ids=["http-1.0", "close-among-words"],
)
async def test_an_answer_that_does_not_keep_alive_is_read_and_its_connection_not_kept(
    path: str, reply: bytes
) -> None:
    body = _body(["c-1"])
    script = Script([reply % len(body) + body], close_after={0, 1})
    seen, connections = await _refs_and_connections(script, 2)
    assert seen == [["c-1"], ["c-1"]]
    assert connections == 2


async def test_a_body_cut_short_after_many_reads_is_a_dropped_connection(path: str) -> None:
    body = _body([f"c-{index}" for index in range(2000)])
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (len(body) + 10) + body
    script = Script([reply], close_after={0})
    async with scripted(script) as base_url, client_at(base_url) as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert "dropped mid-response" in str(caught.value)


async def test_the_simulators_polls_read_alike_on_both_paths(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same centre polled through the straight path and through h11, poll after
    poll as it moves: the same rows, field for field."""
    plain = http11.Exchange._plain_length

    def client() -> InfinityClient:
        return InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(username=sim.username, password=sim.password),
            base_url=sim.url,
        )

    async with client() as straight, client() as through_h11:
        for _ in range(4):
            sim.advance(1.0)
            results = []
            for who, reading in ((straight, plain), (through_h11, lambda self: None)):
                monkeypatch.setattr(http11.Exchange, "_plain_length", reading)
                calls, users = await who.active_calls(), await who.user_status()
                results.append(
                    ([row.values() for row in calls.rows], [row.values() for row in users.rows])
                )
            assert results[0] == results[1]
            assert results[0][0] and results[0][1]
        assert straight._transport.lane is not None and straight._transport.lane.opened == 1
