"""The head start's requests over plain http, without httpx's transport.

httpx's async transport brings httpcore, h11 and anyio with it: imports that, on the
head start's thread, take the GIL from the main thread while it imports Textual, for
two requests. For an installation reached over plain ``http`` (the simulator, a local
proxy) with no proxy in the environment, the first requests go instead through the
standard library's :mod:`http.client`, blocking, on the head start's thread; httpx
stays the product's client for every request after them.

The request is the client's own: :class:`PlainClient` is an
:class:`~rtdash.api.client.InfinityClient` whose only difference is how the bytes of
an answer are fetched (:meth:`PlainClient._get_body`). The URL and its query, the
credentials' header, the refusal to send credentials over plain http to another
machine, the body limit, the timeouts (connecting, each read, and the whole request),
the statuses' and web pages' errors and the reading of the rows are the client's: its
own helpers, or the same rule applied to the same numbers. A connection failure says
what httpx's would: the same words, from the same helpers.
"""

from __future__ import annotations

import http.client
import os
import time
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, TypeVar

import httpx

from rtdash.api import errors, heap
from rtdash.api.client import InfinityClient
from rtdash.api.http_errors import (
    _connect_error,
    _host,
    _html_error,
    _looks_like_html,
    _not_data,
    _status_error,
    _too_large,
)
from rtdash.head_start import AskAgain

T = TypeVar("T")

#: what an error status's body is read up to (the client's own limit for it)
ERROR_BODY_LIMIT = 64 * 1024
#: environment variables through which httpx would send a request via a proxy
PROXY_VARIABLES = ("http_proxy", "all_proxy")


def plain_http(base_url: str) -> bool:
    """Whether an installation's first requests can go through :class:`PlainClient`:
    plain ``http``, and no proxy in the environment (httpx honours ``HTTP_PROXY`` and
    ``ALL_PROXY``; this path does not, so with one set the request keeps to httpx)."""
    if not base_url.lower().startswith("http://"):
        return False
    return not any(os.environ.get(name) or os.environ.get(name.upper()) for name in PROXY_VARIABLES)


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (a :class:`PlainClient` request) to its end,
    without an event loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("a blocking request suspended")


class PlainClient(InfinityClient):
    """An :class:`InfinityClient` whose answers come through :mod:`http.client`,
    blocking: for the head start's thread only (its coroutines never suspend, see
    :func:`run_blocking`)."""

    async def _get_body(
        self, route: str, params: list[tuple[str, str]]
    ) -> tuple[bytes | bytearray, str, datetime]:
        if self._refusal is not None:
            raise errors.InsecureTransport(self._refusal)
        url = self._request_url(route, params)
        status, headers, body = self._exchange(url)
        response = httpx.Response(status, headers=headers, request=httpx.Request("GET", url))
        if status >= 400:
            said = "" if body is None else body.decode(response.encoding or "utf-8", "replace")
            raise _status_error(response, said, self.igrp)
        if status != 200:
            raise _not_data(response, self.base_url)
        assert body is not None  # a 200's body over the limit was refused in _exchange
        encoding = response.encoding or "utf-8"
        if _looks_like_html(response, body):
            raise _html_error(body, encoding)
        return body, encoding, self._now()

    def _exchange(
        self, url: httpx.URL
    ) -> tuple[int, list[tuple[str, str]], bytes | bytearray | None]:
        """Status, headers and body (None: an error's body over its limit), within the
        client's deadline for the whole request."""
        deadline = time.monotonic() + self._transport.deadline
        host = url.host
        port = url.port or 80
        connection = http.client.HTTPConnection(
            host, port, timeout=min(self._transport.deadline, 5.0)
        )
        try:
            try:
                connection.connect()
            except TimeoutError:
                raise errors.RequestTimeout(
                    f"no answer from {_host(self.base_url)} in time"
                ) from None
            except OSError as exc:
                raise _connect_error(self.base_url, exc) from None
            try:
                return self._ask(connection, url, deadline)
            except TimeoutError:
                raise errors.RequestTimeout(
                    f"no answer from {_host(self.base_url)} in time"
                ) from None
            except (OSError, http.client.HTTPException):
                raise errors.ConnectionFailed(
                    f"connection to {_host(self.base_url)} dropped mid-response"
                ) from None
        finally:
            connection.close()

    def _ask(
        self, connection: http.client.HTTPConnection, url: httpx.URL, deadline: float
    ) -> tuple[int, list[tuple[str, str]], bytes | bytearray | None]:
        target = url.raw_path.decode("ascii")
        headers = {
            **self.credentials.headers(),
            "Accept": "*/*",
            # read as sent: this path decodes no compressed body
            "Accept-Encoding": "identity",
            "User-Agent": f"python-httpx/{httpx.__version__}",
        }
        _remaining(connection, deadline)
        connection.request("GET", target, headers=headers)
        _remaining(connection, deadline)
        response = connection.getresponse()
        pairs = [(name.lower(), value) for name, value in response.getheaders()]
        coding = response.getheader("content-encoding", "identity").strip().lower()
        if coding not in ("", "identity"):
            raise AskAgain  # never asked for; httpx decodes it, this path does not try
        limit = self.max_body if response.status < 400 else ERROR_BODY_LIMIT
        declared = response.getheader("content-length")
        try:
            if declared and declared.isdigit() and int(declared) > limit:
                raise errors.ResponseTooLarge(_too_large(int(declared), limit))
            body = bytearray()
            while True:
                _remaining(connection, deadline)
                chunk = response.read1(65536)
                if not chunk:
                    break
                if len(body) + len(chunk) > limit:
                    raise errors.ResponseTooLarge(
                        _too_large(len(body) + len(chunk), limit, at_least=True)
                    )
                body += chunk
            if len(body) >= heap.BIG_BODY:
                heap.after_body(len(body))
        except errors.ResponseTooLarge:
            if response.status >= 400:  # the status is what matters: its words are lost
                return response.status, pairs, None
            raise
        return response.status, pairs, body


def _remaining(connection: http.client.HTTPConnection, deadline: float) -> None:
    """The socket's timeout: what is left of the whole request's time; none left is a
    timeout (httpx times each read, the client also the whole request)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(left)
