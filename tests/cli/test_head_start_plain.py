"""The head start's plain-http requests (``rtdash.head_start_plain``) keep every rule
of the client: the same rows, the same refusal, body limit, timeouts and the same
error, word for word, as httpx's path gives for the same answer (each fault served by
a small loopback server, asked through both)."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from rtdash.api import errors
from rtdash.api.client import InfinityClient
from rtdash.api.credentials import Credentials
from rtdash.head_start import AskAgain
from rtdash.head_start_plain import PlainClient, plain_http, run_blocking
from rtdash.sim import Simulator

#: what the fault server answers: status, headers, body
Answer = tuple[int, dict[str, str], bytes]


class _Faults(http.server.BaseHTTPRequestHandler):
    answer: Answer = (200, {}, b"")

    def do_GET(self) -> None:
        status, headers, body = self.server.answer  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def faults() -> Iterator[Any]:
    """A loopback server answering every GET with ``server.answer``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Faults)
    server.daemon_threads = True
    server.answer = (200, {}, b"")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def clients(base_url: str, **options: Any) -> tuple[PlainClient, InfinityClient]:
    made = {
        "igrp": 1234,
        "credentials": Credentials("someone", "not-a-real-one"),  # type: ignore[arg-type]
        "base_url": base_url,
        **options,
    }
    return PlainClient(**made), InfinityClient(**made)


def outcome(plain: PlainClient, through_httpx: InfinityClient) -> tuple[Any, Any]:
    """What each path makes of the same answer: (error type, message) or the rows."""

    def of(run: Any) -> Any:
        try:
            return [row.call_ref for row in run().rows]
        except errors.ApiError as exc:
            return type(exc).__name__, str(exc)

    async def by_httpx() -> Any:
        try:
            return await through_httpx.active_calls()
        finally:
            await through_httpx.aclose()

    return of(lambda: run_blocking(plain.active_calls())), of(lambda: asyncio.run(by_httpx()))


def test_the_same_rows_as_through_httpx(sim: Simulator) -> None:
    def both() -> tuple[PlainClient, InfinityClient]:
        made: dict[str, Any] = {
            "igrp": sim.igrp,
            "credentials": Credentials(sim.username, sim.password),  # type: ignore[arg-type]
            "base_url": sim.url,
        }
        return PlainClient(**made), InfinityClient(**made)

    early, later = outcome(*both())
    assert early == later and len(early) > 0
    plain, through_httpx = both()
    users = run_blocking(plain.user_status()).rows
    asked = asyncio.run(through_httpx.user_status()).rows
    assert [user.user_id for user in users] == [user.user_id for user in asked]
    assert len(users) > 0


LINE = b'{"callRef":"a1","callState":"ringing"}\n'


@pytest.mark.parametrize(
    "answer",
    [
        (401, {}, b'{"message":"bad login"}'),
        (404, {}, b""),
        (429, {"Retry-After": "7"}, b""),
        (503, {}, b"down for maintenance"),
        (302, {"Location": "/login?token=secret"}, b""),
        (204, {}, b""),
        (200, {"Content-Type": "text/html"}, b"<html><title>Sign in</title></html>"),
        (200, {}, b"<!DOCTYPE html><html><title>Portal</title>"),
        (200, {}, LINE * 4000),  # over the limit set below
        (200, {"Content-Length": str(10**9)}, b""),  # said to be over it
        (500, {}, b"x" * 100_000),  # an error page over its own limit: the status counts
        (200, {}, b'{"message":"no such route"}'),
    ],
    ids=lambda answer: f"{answer[0]}-{len(answer[2])}-{'-'.join(answer[1])}",
)
def test_each_fault_says_what_the_client_says(faults: Any, answer: Answer) -> None:
    faults.answer = answer
    url = f"http://127.0.0.1:{faults.server_address[1]}"
    early, later = outcome(*clients(url, max_body=64 * 1024))
    assert early == later
    assert "secret" not in str(early)


def test_credentials_never_leave_over_plain_http_to_another_machine() -> None:
    """Refused before any connection (the address is one nobody answers)."""
    early, later = outcome(*clients("http://192.0.2.1:9"))
    assert early == later
    assert early[0] == "InsecureTransport"


def test_refused_and_silent_services_say_what_the_client_says() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    early, later = outcome(*clients(f"http://127.0.0.1:{port}"))
    assert early == later and "connection refused" in early[1]
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        early, later = outcome(*clients(url, timeout=0.3))
    assert early == later
    assert early == ("RequestTimeout", f"no answer from 127.0.0.1:{url.rsplit(':', 1)[1]} in time")


def test_an_answer_it_does_not_read_is_asked_for_again(faults: Any) -> None:
    """A compressed body it never asked for: no answer at all, the first poll asks."""
    faults.answer = (200, {"Content-Encoding": "gzip"}, gzip.compress(LINE))
    plain, _ = clients(f"http://127.0.0.1:{faults.server_address[1]}")
    with pytest.raises(AskAgain):
        run_blocking(plain.active_calls())


def test_only_plain_http_without_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert plain_http("http://127.0.0.1:8080")
    assert not plain_http("https://api.example.com")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    assert not plain_http("http://127.0.0.1:8080"), "httpx would go through the proxy"
