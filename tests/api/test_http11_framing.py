"""What the lane leaves to h11 and must still hold: a head too big to be an answer,
an answer that says the connection closes, a header h11 will not send."""

from __future__ import annotations

import pytest

from rtdash.api import errors, http11
from tests.api.test_http11 import BODY, Script, answer, client_at, no_proxy, scripted

__all__ = ["no_proxy"]  # the fixture, used here too


async def test_a_head_past_the_cap_is_a_dropped_connection_not_read_on() -> None:
    huge = "X-Pad: " + "y" * (http11.HEAD_LIMIT + 1)
    script = Script([answer(BODY, huge)], close_after={0})
    async with scripted(script) as base_url, client_at(base_url) as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert "dropped mid-response" in str(caught.value)


async def test_an_answer_saying_connection_close_is_read_and_its_connection_not_kept() -> None:
    script = Script([answer(BODY, "Connection: close")])
    async with scripted(script) as base_url, client_at(base_url) as client:
        for _ in range(2):
            assert [row.call_ref for row in (await client.active_calls()).rows] == ["c-1"]
    assert script.connections == 2 and len(script.requests) == 2


async def test_two_lengths_that_disagree_are_not_http() -> None:
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n" + BODY
    script = Script([reply], close_after={0})
    async with scripted(script) as base_url, client_at(base_url) as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert "dropped mid-response" in str(caught.value)


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Basic a\r\nX-Evil: 1"}, {"X Bad": "1"}, {"X-Nul": "a\0b"}],
    ids=["newline-in-value", "space-in-name", "nul-in-value"],
)
def test_a_header_that_would_break_the_request_is_refused_without_its_value(
    headers: dict[str, str],
) -> None:
    with pytest.raises(http11.BadRequest) as caught:
        http11.request(b"/r", b"h:1", headers, "rtdash/test")
    assert "X-Evil" not in str(caught.value) and "a\0b" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_request_is_one_get_with_no_body() -> None:
    request = http11.request(b"/r?x=1", b"h:1", {"Authorization": "Basic abc"}, "rtdash/test")
    assert request.method == b"GET" and request.target == b"/r?x=1"
    assert (b"authorization", b"Basic abc") in list(request.headers)
    assert not any(name in (b"content-length", b"transfer-encoding") for name, _ in request.headers)
