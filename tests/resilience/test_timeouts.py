"""A response slower than the timeout fails the request in about the timeout, even when
its body trickles in a byte at a time (httpx times each read, not the whole request)."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from rtdash.api import errors
from rtdash.api.client import Credentials, InfinityClient

ROW = b'{"callRef":"c-0001","callState":"queueing"}\n'


@contextlib.contextmanager
def trickling_upstream(pause: float, head_delay: float = 0.0) -> Iterator[str]:
    """A loopback server that sends its headers after ``head_delay``, then its body one
    byte every ``pause`` seconds, each read well inside any read timeout."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                time.sleep(head_delay)
                body = ROW * 10
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body)
                )
                for i in range(len(body)):
                    if stop.wait(pause):
                        return
                    conn.sendall(body[i : i + 1])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/reports/v2"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


@pytest.mark.parametrize(
    ("pause", "head_delay"), [(0.1, 0.0), (0.0, 1.5)], ids=["body-trickles", "no-headers"]
)
async def test_a_response_slower_than_the_timeout_fails_in_about_the_timeout(
    pause: float, head_delay: float
) -> None:
    with trickling_upstream(pause, head_delay) as base_url:
        client = InfinityClient(
            igrp=1234, credentials=Credentials("u", "p"), base_url=base_url, timeout=0.5
        )
        async with client:
            started = time.monotonic()
            with pytest.raises(errors.RequestTimeout) as caught:
                await client.active_calls()
            took = time.monotonic() - started
    assert re.fullmatch(r"no answer from 127\.0\.0\.1:\d+ in time", str(caught.value))
    assert 0.45 <= took < 1.2  # the whole body would take 45 s at a byte per 0.1 s
