"""The bytes of one GET, or the typed error that says why not.

Two lanes, one behaviour: :mod:`rtdash.api.http11` (asyncio's streams, a few kept
connections) when the client owns its connections and the environment names no proxy,
httpx otherwise (an injected client: a shared pool, the tests' fault shapes; a proxy
from the environment; TLS with httpx's defaults when no context was loaded ahead).
Either way: the whole exchange ends within the timeout, a body past the cap is refused
(by its declared length before it is read), an answer other than 200 is never data and
a redirect is never followed, a web page is said to be one, and every failure is worded
by :mod:`rtdash.api.http_errors`, with the host and port and never a credential.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import h11

from rtdash import __version__
from rtdash.api import errors, heap, http11
from rtdash.api.http_errors import (
    _connect_error,
    _host,
    _html_error,
    _looks_like_html,
    _not_data,
    _status_error,
    _tls_cause,
    _too_large,
)
from rtdash.api.request_url import RequestUrl, origin

if TYPE_CHECKING:
    import httpx

#: what the upstream's logs see (both lanes)
USER_AGENT = f"rtdash/{__version__}"
#: an error's words are read up to this; a bigger error page is not quoted
ERROR_BODY = 64 * 1024
#: a body is offered to the caller's stream (see :data:`Stream`) once it has this many
#: bytes: a smaller one is read whole (a quiet centre's, compared with the last)
STREAM_AT = 256 * 1024

#: Told a big body's text encoding and its first bytes (at least :data:`STREAM_AT`),
#: before the rest has come: returns what takes those bytes and each piece after
#: (the body is then never held here, and :meth:`Transport.get` gives None for it),
#: or None to have the body read whole.
Stream = Callable[[str, bytearray], Callable[[bytes], object] | None]


def proxy_in_environment() -> bool:
    """True when the environment names a proxy httpx would use (``HTTP_PROXY`` and
    the like): only httpx's lane goes through one.

    httpx asks ``urllib.request.getproxies()``, which on Linux reads only variables
    ending in ``_proxy`` (any case); where there is none, importing ``urllib.request``
    (and ``http.client`` and ``email`` with it) to be told so is skipped. Elsewhere
    the system's own settings count too, and it is always asked."""
    if sys.platform.startswith("linux") and not any(
        name[-6:].lower() == "_proxy" for name in os.environ
    ):
        return False
    import urllib.request

    proxies = urllib.request.getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


class Transport:
    """GETs for one client: ``get(url, headers)`` → ``(body, encoding)``."""

    def __init__(
        self,
        *,
        base_url: str,
        igrp: int,
        timeout: float,
        max_body: int,
        http: httpx.AsyncClient | None,
        tls: ssl.SSLContext | None,
    ) -> None:
        self.base_url = base_url
        self.igrp = igrp
        self.max_body = max_body
        #: httpx times each read, so a body that trickles in never times out: the whole
        #: request (connect, headers, body) must also end within ``timeout``
        self.deadline = timeout
        self._owns_http = http is None
        self._http = http
        self._tls = tls
        self.lane: http11.Pool | None = None
        url = origin(base_url)
        if http is None and url.scheme in ("http", "https") and not proxy_in_environment():
            self.lane = http11.Pool(
                scheme=url.scheme,
                host=url.host,
                port=url.port or (443 if url.scheme == "https" else 80),
                tls=self._context,
                connect_timeout=min(timeout, 5.0),
            )
        self._requests: dict[tuple[RequestUrl, tuple[tuple[str, str], ...]], h11.Request] = {}
        #: httpx's lane: each kept URL parsed by httpx once, not at every poll
        self._httpx_urls: dict[RequestUrl, httpx.URL] = {}

    @property
    def _timeout(self) -> httpx.Timeout:
        """httpx's timeouts (httpx's lane only: the lane times its own)."""
        import httpx

        return httpx.Timeout(self.deadline, connect=min(self.deadline, 5.0))

    def _context(self) -> ssl.SSLContext:
        """The TLS context: the one loaded ahead (rtdash.warmup), else httpx's default."""
        if self._tls is not None:
            return self._tls
        import httpx

        return httpx.create_ssl_context()

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=self._timeout,
                verify=self._tls if self._tls is not None else True,
                headers={"User-Agent": USER_AGENT},
            )
        return self._http

    async def aclose(self) -> None:
        if self.lane is not None:
            self.lane.close()
        if self._owns_http and self._http is not None:
            await self._http.aclose()

    async def get(
        self,
        url: RequestUrl,
        headers: dict[str, str],
        *,
        keep: bool = True,
        stream: Stream | None = None,
    ) -> tuple[bytes | bytearray | None, str]:
        """The body of a 200 and its text encoding (the body None: it went to
        ``stream``, see :data:`Stream`). ``keep``: the request's bytes may be kept
        for the next GET of the same URL (the polled routes; not a lookup, whose
        caller's number is not kept)."""
        try:
            async with asyncio.timeout(self.deadline):
                if self.lane is not None:
                    return await self._lane_get(self.lane, url, headers, keep, stream)
                return await self._httpx_get(url, headers, keep, stream)
        except TimeoutError:
            raise self._timed_out() from None
        except http11.ConnectFailed as exc:
            raise _connect_error(self.base_url, exc) from None
        except http11.Dropped as exc:
            raise self._dropped(exc) from None
        except http11.BadEncoding:
            raise self._failed("DecodingError") from None
        except http11.BadRequest:
            raise self._failed("LocalProtocolError") from None
        except Exception as exc:
            # httpx's errors can come only from its lane, which imported it
            failure = self._httpx_failure(exc) if "httpx" in sys.modules else None
            if failure is None:
                raise
            raise failure from None

    def _httpx_failure(self, exc: Exception) -> errors.ApiError | None:
        """The typed error for one of httpx's, None for any other exception."""
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            return self._timed_out()
        if isinstance(exc, httpx.ConnectError):
            return _connect_error(self.base_url, exc)
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return self._dropped(exc)
        if isinstance(exc, httpx.HTTPError):
            return self._failed(type(exc).__name__)
        return None

    def _timed_out(self) -> errors.ApiError:
        return errors.RequestTimeout(f"no answer from {_host(self.base_url)} in time")

    def _dropped(self, exc: Exception) -> errors.ApiError:
        if _tls_cause(exc) is not None:
            return _connect_error(self.base_url, exc)
        return errors.ConnectionFailed(f"connection to {_host(self.base_url)} dropped mid-response")

    def _failed(self, kind: str) -> errors.ApiError:
        return errors.ConnectionFailed(f"request to {_host(self.base_url)} failed ({kind})")

    # --- the HTTP/1.1 lane -------------------------------------------------------------

    async def _lane_get(
        self,
        lane: http11.Pool,
        url: RequestUrl,
        headers: dict[str, str],
        keep: bool,
        stream: Stream | None,
    ) -> tuple[bytes | bytearray | None, str]:
        key = (url, tuple(headers.items()))  # h11 checks a request once, when it is made
        request = self._requests.get(key) if keep else None
        if request is None:
            request = http11.request(url.raw_path, url.netloc, headers, USER_AGENT)
            if keep:
                if len(self._requests) >= 8:  # a changed query: never more than a few
                    self._requests.clear()
                self._requests[key] = request
        exchange = await lane.get(request)
        try:
            status = exchange.status
            if status >= 400:
                words = await self._lane_error_words(exchange)
                raise _status_error(_response(exchange), words, self.igrp)
            if status != 200:
                raise _not_data(_response(exchange), self.base_url)
            declared = exchange.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_body:
                raise errors.ResponseTooLarge(_too_large(int(declared), self.max_body))
            encoding = exchange.encoding
            opening = _opening(stream, exchange.headers.get("content-type", ""), encoding)
            try:
                if opening is None:
                    body = await exchange.read(self.max_body, heap.after_body)
                else:
                    await exchange.read(self.max_body, heap.after_body, opening.add)
                    if opening.taken:
                        return None, encoding
                    body = opening.buffer
            except http11.TooLarge as exc:
                raise errors.ResponseTooLarge(
                    _too_large(exc.size, self.max_body, at_least=True)
                ) from None
            if _maybe_html(exchange, body) and _looks_like_html(_response(exchange), body):
                raise _html_error(body, encoding)
            return body, encoding
        finally:
            exchange.finish()

    @staticmethod
    async def _lane_error_words(exchange: http11.Exchange) -> str:
        try:
            body = await exchange.read(ERROR_BODY, _ignore)
        except http11.TooLarge:
            return ""
        return body.decode(exchange.encoding, errors="replace")

    # --- httpx's lane ------------------------------------------------------------------

    async def _httpx_get(
        self, url: RequestUrl, headers: dict[str, str], keep: bool, stream: Stream | None
    ) -> tuple[bytes | bytearray | None, str]:
        parsed = self._httpx_urls.get(url) if keep else None
        if parsed is None:
            parsed = url.for_httpx()
            if keep:
                if len(self._httpx_urls) >= 8:  # a changed query: never more than a few
                    self._httpx_urls.clear()
                self._httpx_urls[url] = parsed
        async with self._client().stream(
            "GET", parsed, headers=headers, timeout=self._timeout
        ) as response:
            if response.status_code >= 400:
                raise _status_error(response, await self._error_body(response), self.igrp)
            if response.status_code != 200:
                raise _not_data(response, self.base_url)
            encoding = response.encoding or "utf-8"
            opening = _opening(stream, response.headers.get("content-type", ""), encoding)
            body = await _read_capped(response, self.max_body, opening)
            if opening is not None and opening.taken:
                return None, encoding
            if _looks_like_html(response, body):
                raise _html_error(body, encoding)
        return body, encoding

    @staticmethod
    async def _error_body(response: httpx.Response) -> str:
        """The upstream's words on a failure, if short; an oversized error page (a proxy's
        HTML) must not hide the status, or a 429/5xx would never be backed off as one."""
        try:
            body = await _read_capped(response, ERROR_BODY)
        except errors.ResponseTooLarge:
            return ""
        return body.decode(response.encoding or "utf-8", errors="replace")


async def _read_capped(
    response: httpx.Response, limit: int, opening: _Opening | None = None
) -> bytes | bytearray:
    """Read at most ``limit`` bytes; refuse rather than hold an oversized body.

    The chunks go into one growing buffer as they come (a big buffer grows in
    place, see :mod:`rtdash.api.heap`), never a list of them joined into a second
    copy: a big centre's body is tens of megabytes, and two of them at once were
    the largest thing a poll ever held. With ``opening``, they go there (and a big
    body on to the caller's stream, the buffer then empty)."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise errors.ResponseTooLarge(_too_large(int(declared), limit))
    body = bytearray()
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            raise errors.ResponseTooLarge(_too_large(size + len(chunk), limit, at_least=True))
        size += len(chunk)
        if opening is not None:
            opening.add(chunk)
            continue
        if not body and len(chunk) >= heap.BIG_BODY:
            heap.after_body(len(chunk))
        body += chunk
        if len(body) >= heap.BIG_BODY:
            heap.after_body(len(body))
    return opening.buffer if opening is not None else body


def _opening(stream: Stream | None, content_type: str, encoding: str) -> _Opening | None:
    """Where a 200's body goes while it comes: None (read whole) for a web page,
    which is said to be one, or when the caller takes no stream."""
    if stream is None or "html" in content_type.lower():
        return None
    return _Opening(stream, encoding)


class _Opening:
    """A body's first bytes, until it is big enough to go to the caller's stream
    (:data:`Stream`); then each piece goes there as it comes, and nothing is held."""

    __slots__ = ("_stream", "buffer", "encoding", "size", "take", "taken")

    def __init__(self, stream: Stream, encoding: str) -> None:
        self._stream: Stream | None = stream
        self.encoding = encoding
        self.buffer = bytearray()
        self.take: Callable[[bytes], object] | None = None
        #: the body went to the stream
        self.taken = False
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size >= heap.BIG_BODY:
            heap.after_body(self.size)
        take = self.take
        if take is not None:
            take(chunk)
            return
        buffer = self.buffer
        buffer += chunk
        if len(buffer) < STREAM_AT or self._stream is None:
            return
        stream, self._stream = self._stream, None
        # a web page is read whole, to be said to be one
        if buffer[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return
        take = stream(self.encoding, buffer)
        if take is not None:
            self.take, self.taken = take, True
            self.buffer = bytearray()


def _response(exchange: http11.Exchange) -> httpx.Response:
    """The answer's head as httpx's response, for the wording of a failure (rare:
    never built for a 200 that is data, so httpx is imported only then)."""
    import httpx

    return httpx.Response(exchange.status, headers=exchange.raw_headers)


def _maybe_html(exchange: http11.Exchange, body: bytes | bytearray) -> bool:
    """Could :func:`_looks_like_html` say yes? Only if the type says html or the body
    starts with ``<`` (after a BOM or blanks): a data body skips building a response."""
    if "html" in exchange.headers.get("content-type", "").lower():
        return True
    return body[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


_ignore: Callable[[int], object] = lambda size: None  # noqa: E731
