"""The client's own HTTP/1.1 lane (rtdash/api/http11.py) over real loopback sockets.

A scripted server answers each request with the bytes a test gives it, so framings
httpx would have hidden (chunks, gzip, a body to the connection's end, a kept connection
the server closed) are pinned down, and the work is counted: connections opened,
requests seen, httpx never asked.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import pytest

from rtdash.api import errors
from rtdash.api.client import Credentials, InfinityClient
from rtdash.sim import Simulator
from tests.support import a_password

ROW = {
    "callRef": "c-1",
    "callState": "queued",
    "callStartDatetime": "2026-05-01 10:00:00",
    "stateStartDatetime": "2026-05-01 10:01:00",
    "queueRef": "q-1",
    "ringTime": "0",
    "queueDuration": "20",
    "bridgeDuration": "0",
    "callDuration": "30",
}
BODY = json.dumps(ROW).encode() + b"\n"


def answer(body: bytes, *head: str, status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", *head]
    if not any(line.lower().startswith(("content-length", "transfer-encoding")) for line in head):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked(body: bytes, size: int = 7) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    out = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in parts)
    return out + b"0\r\nX-Trailer: yes\r\n\r\n"


@dataclass
class Script:
    """What the server sends for the n-th request, and whether it then hangs up."""

    replies: list[bytes]
    close_after: set[int] = field(default_factory=set)
    #: requests answered by hanging up, without a byte
    hang_up_on: set[int] = field(default_factory=set)
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0


@asynccontextmanager
async def scripted(script: Script) -> AsyncIterator[str]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        script.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                index = len(script.requests)
                script.requests.append(head)
                if index in script.hang_up_on:
                    break
                writer.write(script.replies[min(index, len(script.replies) - 1)])
                await writer.drain()
                if index in script.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/reports/v2"
    finally:
        server.close()


def client_at(base_url: str, **kwargs: object) -> InfinityClient:
    return InfinityClient(
        igrp=1234,
        # made per run: no secret is written in the repository
        credentials=Credentials(username="sup@example.com", password=a_password()),
        base_url=base_url,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def httpx_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("httpx was asked")

    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)


async def test_polls_of_the_simulator_keep_one_connection_and_never_ask_httpx(
    sim: Simulator, httpx_forbidden: None
) -> None:
    async with InfinityClient(
        igrp=sim.igrp,
        credentials=Credentials(username=sim.username, password=sim.password),
        base_url=sim.url,
    ) as client:
        lane = client._transport.lane
        assert lane is not None
        first = await client.active_calls()
        for _ in range(5):
            again = await client.active_calls()
            assert again.unchanged and again.rows is first.rows
        users = await client.user_status()
        assert users.rows and first.rows
        assert lane.opened == 1


@pytest.mark.parametrize(
    "reply",
    [
        answer(BODY, "Content-Type: application/x-ndjson; charset=utf-8"),
        answer(chunked(BODY), "Transfer-Encoding: chunked"),
        answer(gzip.compress(BODY), "Content-Encoding: gzip"),
        answer(zlib.compress(BODY), "Content-Encoding: deflate"),
        answer(zlib.compress(BODY)[2:-4], "Content-Encoding: deflate"),  # raw deflate
        answer(
            chunked(gzip.compress(BODY), 5), "Transfer-Encoding: chunked", "Content-Encoding: gzip"
        ),
        b"HTTP/1.1 100 Continue\r\n\r\n" + answer(BODY),
    ],
    ids=["length", "chunked", "gzip", "deflate", "raw-deflate", "chunked-gzip", "100-continue"],
)
async def test_every_framing_reads_the_same_row_and_keeps_the_connection(reply: bytes) -> None:
    script = Script([reply])
    async with scripted(script) as base_url, client_at(base_url) as client:
        for _ in range(3):
            result = await client.active_calls()
            assert [row.call_ref for row in result.rows] == ["c-1"]
    assert len(script.requests) == 3 and script.connections == 1


async def test_a_body_to_the_connections_end_is_read_and_the_connection_not_kept() -> None:
    script = Script([b"HTTP/1.1 200 OK\r\n\r\n" + BODY], close_after={0, 1})
    async with scripted(script) as base_url, client_at(base_url) as client:
        for _ in range(2):
            assert [row.call_ref for row in (await client.active_calls()).rows] == ["c-1"]
    assert script.connections == 2


async def test_a_kept_connection_the_server_closed_is_replaced_once() -> None:
    """The server hangs up after each answer without saying so: the next GET finds the
    connection dead, and is made again on a new one (a GET changes nothing)."""
    script = Script([answer(BODY)], close_after={0, 1, 2})
    async with scripted(script) as base_url, client_at(base_url) as client:
        for _ in range(3):
            assert [row.call_ref for row in (await client.active_calls()).rows] == ["c-1"]
    assert script.connections == 3 and len(script.requests) == 3


async def test_a_kept_connection_hung_up_on_a_request_is_asked_again_on_a_new_one() -> None:
    script = Script([answer(BODY)], hang_up_on={1})
    async with scripted(script) as base_url, client_at(base_url) as client:
        for _ in range(2):
            assert [row.call_ref for row in (await client.active_calls()).rows] == ["c-1"]
    assert script.connections == 2 and len(script.requests) == 3


async def test_a_new_connection_hung_up_on_is_a_failure_not_asked_again() -> None:
    script = Script([answer(BODY)], hang_up_on={0})
    async with scripted(script) as base_url, client_at(base_url) as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert "dropped mid-response" in str(caught.value)
    assert script.connections == 1 and len(script.requests) == 1


async def test_the_request_is_one_get_with_the_credentials_and_no_body() -> None:
    script = Script([answer(BODY)])
    async with scripted(script) as base_url, client_at(base_url) as client:
        await client.user_status()
    head = script.requests[0].decode()
    first, *lines = head.split("\r\n")
    assert first == (
        "GET /reports/v2/igrps/1234/pbxUserStatus?tz=UTC&sort%5B%5D=stateStartDatetime-asc HTTP/1.1"
    )
    names = {line.partition(":")[0].lower(): line.partition(": ")[2] for line in lines if line}
    assert names["host"] == base_url.split("/")[2]
    assert names["authorization"].startswith("Basic ")
    assert names["accept-encoding"] == "gzip, deflate"
    assert names["user-agent"].startswith("rtdash/")


async def test_a_newline_in_a_credential_is_refused_before_anything_is_sent() -> None:
    script = Script([answer(BODY)])
    async with scripted(script) as base_url:
        key = a_password("key")
        client = InfinityClient(
            igrp=1234, credentials=Credentials(api_key=f"{key}\r\nX-Evil: 1"), base_url=base_url
        )
        async with client:
            with pytest.raises(errors.ConnectionFailed) as caught:
                await client.active_calls()
    assert "X-Evil" not in str(caught.value) and key not in str(caught.value)
    assert script.requests == []


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + BODY,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
        b"HTTP/1.1 2",
        b"SMTP ready\r\n\r\n",
    ],
    ids=["short-body", "short-chunk", "short-head", "not-http"],
)
async def test_an_answer_cut_short_or_not_http_is_a_dropped_connection(reply: bytes) -> None:
    script = Script([reply], close_after={0})
    async with scripted(script) as base_url, client_at(base_url) as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert "dropped mid-response" in str(caught.value)


async def test_a_chunked_body_past_the_cap_is_refused_without_reading_on() -> None:
    big = b"x" * 5000
    script = Script([answer(chunked(big, 1000), "Transfer-Encoding: chunked")])
    async with scripted(script) as base_url, client_at(base_url, max_body=2048) as client:
        with pytest.raises(errors.ResponseTooLarge) as caught:
            await client.active_calls()
    assert "more than 2 KiB; the limit is 2 KiB" in str(caught.value)


async def test_a_zip_bomb_is_refused_at_the_cap() -> None:
    bomb = gzip.compress(b"\n" * (64 * 1024 * 1024))  # 64 MiB of newlines, ~64 KiB zipped
    script = Script([answer(bomb, "Content-Encoding: gzip")])
    async with scripted(script) as base_url, client_at(base_url, max_body=1024 * 1024) as client:
        with pytest.raises(errors.ResponseTooLarge) as caught:
            await client.active_calls()
    assert "the limit is 1024 KiB" in str(caught.value)


async def test_an_error_answer_is_worded_from_its_head_and_body() -> None:
    token = a_password("token")  # a session token the redirect carries: never shown
    script = Script(
        [
            answer(b'{"message": "slow down"}', "Retry-After: 7", status="429 Too Many"),
            answer(b"", f"Location: /login?token={token}", status="302 Found"),
        ]
    )
    async with scripted(script) as base_url, client_at(base_url) as client:
        with pytest.raises(errors.RateLimited) as limited:
            await client.active_calls()
        with pytest.raises(errors.NotData) as moved:
            await client.active_calls()
    assert limited.value.retry_after == 7
    assert str(moved.value) == "redirected to /login (HTTP 302) — a proxy or session problem?"
    assert token not in str(moved.value)
    assert len(script.requests) == 2  # the redirect was not followed


async def test_a_proxy_in_the_environment_sends_the_polls_through_httpx(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    with_proxy = client_at("https://api.example/reports/v2")
    assert with_proxy._transport.lane is None
    monkeypatch.delenv("HTTPS_PROXY")
    direct = client_at("https://api.example/reports/v2")
    assert direct._transport.lane is not None
    shared = client_at("https://api.example/reports/v2", http=httpx.AsyncClient())
    assert shared._transport.lane is None
    for client in (with_proxy, direct, shared):
        await client.aclose()
