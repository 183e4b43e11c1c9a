"""GET over HTTP/1.1 on asyncio's own streams, for the routes polled every second.

A poll of a quiet centre is two small GETs whose answers are known unchanged at once;
what is left of its cost is the request machinery. httpx builds a request and a response
object, runs its auth flow, event hooks and cookie jar, and hands the exchange to
httpcore, h11 and anyio, each with its own state machine and context managers: many
times the work of writing one request and reading one answer on a kept connection.
This module does only that, for a GET with no body: one request written at once, the
status line and headers read, the body read by its length, its chunks or to the end,
and unzipped (gzip, deflate) as it comes. It knows nothing of rtdash's errors or caps:
:mod:`rtdash.api.transport` reads bodies through it and says what went wrong.

httpx stays the lane for everything this does not cover: a proxy from the environment,
an injected client (the tests' fault shapes, a shared pool), schemes other than http(s).
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

#: a kept connection unused for longer is closed, not reused (httpx's default)
KEEPALIVE = 5.0
#: idle connections kept (the polls use two at a time)
MAX_IDLE = 4
#: the longest status line, header line or chunk-size line read
LINE_LIMIT = 64 * 1024
#: a header block bigger than this is not an answer
MAX_HEADERS = 100
CHUNK = 64 * 1024


class LaneError(Exception):
    """The exchange failed; ``__cause__`` (if any) is the underlying error."""


class ConnectFailed(LaneError):
    """No connection (refused, no such host, TLS handshake): nothing was sent."""


class Dropped(LaneError):
    """The connection broke, or the peer's bytes were not HTTP/1.1, mid-exchange."""


class BadRequest(LaneError):
    """A header this side would send is not a valid header (a newline in a value)."""


class BadEncoding(LaneError):
    """The body's content encoding could not be undone."""


class TooLarge(LaneError):
    """The body would pass the limit: at least ``size`` bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"at least {size} bytes")
        self.size = size


@dataclass(slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = 0.0
    used: int = 0

    def usable(self, now: float) -> bool:
        return (
            now - self.idle_since <= KEEPALIVE
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()


@dataclass(slots=True)
class Exchange:
    """One answer's head, and its body to read (:meth:`read`) or leave (:meth:`finish`)."""

    status: int
    #: lower-case names; a name sent twice has its values joined by ", "
    headers: dict[str, str]
    raw_headers: list[tuple[bytes, bytes]]
    _pool: Pool
    _connection: _Connection | None
    _keep: bool
    _length: int | None
    _chunked: bool
    _done: bool = False
    _decoders: list[_Inflate] = field(default_factory=list)

    @property
    def encoding(self) -> str:
        """The charset the answer names if Python knows it, else UTF-8 (as httpx)."""
        _, _, params = self.headers.get("content-type", "").partition(";")
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip("'\"")
                try:
                    codecs.lookup(charset)
                except LookupError:
                    return "utf-8"
                return charset
        return "utf-8"

    async def read(self, limit: int, grew: Callable[[int], object]) -> bytearray:
        """The whole body, decoded, in one growing buffer (never a list of chunks
        joined into a second copy); :class:`TooLarge` once it would pass ``limit``
        bytes, the rest left unread. ``grew`` hears the buffer's size as it grows."""
        connection = self._connection
        assert connection is not None and not self._done
        reader = connection.reader
        body = bytearray()
        try:
            if self._chunked:
                while size := await _chunk_size(reader):
                    await self._take(reader, size, body, limit, grew)
                    if await reader.readexactly(2) != b"\r\n":
                        raise Dropped("a chunk did not end where its size said")
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers: not used
            elif self._length is not None:
                await self._take(reader, self._length, body, limit, grew)
            else:  # no length, not chunked: the body runs to the connection's end
                self._keep = False
                while chunk := await reader.read(CHUNK):
                    self._add(chunk, body, limit, grew)
            for index, decoder in enumerate(self._decoders):
                tail = decoder.flush()
                for later in self._decoders[index + 1 :]:
                    tail = later(tail, limit - len(body) + 1)
                _append(tail, body, limit, grew)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            raise Dropped("the answer ended early or was not HTTP") from exc
        except OSError as exc:
            raise Dropped("the connection broke") from exc
        self._done = True
        return body

    async def _take(
        self,
        reader: asyncio.StreamReader,
        size: int,
        body: bytearray,
        limit: int,
        grew: Callable[[int], object],
    ) -> None:
        while size > 0:
            chunk = await reader.read(min(size, CHUNK))
            if not chunk:
                raise Dropped("the connection ended inside the body")
            size -= len(chunk)
            self._add(chunk, body, limit, grew)

    def _add(
        self, chunk: bytes, body: bytearray, limit: int, grew: Callable[[int], object]
    ) -> None:
        for decoder in self._decoders:
            # never more than one byte past the limit out: a zip bomb stays small
            chunk = decoder(chunk, limit - len(body) + 1)
        _append(chunk, body, limit, grew)

    def finish(self) -> None:
        """Give the connection back if the answer was read whole and may be kept;
        otherwise close it (an unread body would be read as the next answer)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._done and self._keep:
            self._pool.release(connection)
        else:
            connection.close()


class Pool:
    """Kept-alive connections to one origin (scheme, host, port), GETs through them."""

    def __init__(
        self,
        *,
        scheme: str,
        host: str,
        port: int,
        tls: Callable[[], ssl.SSLContext] | None,
        connect_timeout: float,
    ) -> None:
        self.host = host
        self.port = port
        self._tls = tls if scheme == "https" else None
        self._context: ssl.SSLContext | None = None
        self.connect_timeout = connect_timeout
        self._idle: list[_Connection] = []
        #: connections opened so far (tests count them to see that one is kept)
        self.opened = 0

    async def get(self, request: bytes) -> Exchange:
        """Write ``request`` (a whole GET, see :func:`request_bytes`) and read the
        answer's head. A kept connection the peer closed meanwhile (nothing came back)
        is dropped and the GET made once more on a new one: it changes nothing."""
        connection = self._take()
        if connection is not None:
            try:
                return self._said(await self._exchange(connection, request), request)
            except Dropped as exc:
                if not isinstance(exc.__cause__, _NothingBack):
                    raise
                log.debug("kept connection to %s:%d closed by the peer", self.host, self.port)
        return self._said(await self._exchange(await self._open(), request), request)

    def _said(self, exchange: Exchange, request: bytes) -> Exchange:
        """Each request in the debug log as httpx logs it, without its query (a
        lookup's holds a caller's number) and never a header's value."""
        if log.isEnabledFor(logging.DEBUG):
            path = request.split(b" ", 2)[1].partition(b"?")[0].decode("ascii", "replace")
            connection = exchange._connection
            log.debug(
                'HTTP Request: GET %s "HTTP/1.1 %d" (request %d on its connection)',
                path,
                exchange.status,
                connection.used if connection is not None else 0,
            )
        return exchange

    def release(self, connection: _Connection) -> None:
        connection.idle_since = time.monotonic()
        if len(self._idle) >= MAX_IDLE:
            connection.close()
        else:
            self._idle.append(connection)

    def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self) -> _Connection | None:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if connection.usable(now):
                return connection
            connection.close()
        return None

    async def _open(self) -> _Connection:
        context = None
        if self._tls is not None:
            if self._context is None:
                self._context = self._tls()
            context = self._context
        try:
            async with asyncio.timeout(self.connect_timeout):
                reader, writer = await asyncio.open_connection(
                    self.host,
                    self.port,
                    ssl=context,
                    server_hostname=self.host if context is not None else None,
                    limit=LINE_LIMIT,
                )
        except TimeoutError:
            raise
        except (OSError, ssl.SSLError, ValueError) as exc:
            raise ConnectFailed(str(exc)) from exc
        self.opened += 1
        log.debug("connection opened to %s:%d", self.host, self.port)
        return _Connection(reader, writer)

    async def _exchange(self, connection: _Connection, request: bytes) -> Exchange:
        connection.used += 1
        try:
            connection.writer.write(request)
            while True:
                status_line = await connection.reader.readuntil(b"\r\n")
                status, raw_headers = await _head(connection.reader, status_line)
                if status >= 200:
                    break  # a 1xx (100 Continue, 103 Early Hints) comes before the answer
        except BaseException as exc:
            connection.close()
            if isinstance(exc, asyncio.IncompleteReadError) and not exc.partial:
                if connection.used > 1:
                    raise Dropped("the kept connection was closed") from _NothingBack()
                raise Dropped("the peer closed the connection without an answer") from exc
            if isinstance(exc, asyncio.IncompleteReadError | asyncio.LimitOverrunError):
                raise Dropped("the answer ended early or was not HTTP") from exc
            if isinstance(exc, ConnectionResetError | BrokenPipeError) and connection.used > 1:
                raise Dropped("the kept connection was closed") from _NothingBack()
            if isinstance(exc, OSError):
                raise Dropped("the connection broke") from exc
            raise
        headers: dict[str, str] = {}
        for name, value in raw_headers:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        keep = "close" not in headers.get("connection", "").lower()
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length: int | None = None
        declared = headers.get("content-length")
        if declared is not None and not chunked:
            if not declared.strip().isdigit():
                connection.close()
                raise Dropped("the answer's length is not a number")
            length = int(declared)
        if status in (204, 304):
            length = 0
        exchange = Exchange(status, headers, raw_headers, self, connection, keep, length, chunked)
        for word in reversed(headers.get("content-encoding", "").lower().split(",")):
            decoder = _decoder(word.strip())
            if decoder is not None:
                exchange._decoders.append(decoder)
        return exchange


class _NothingBack(Exception):
    """A reused connection gave no byte of an answer: safe to ask again."""


async def _head(
    reader: asyncio.StreamReader, status_line: bytes
) -> tuple[int, list[tuple[bytes, bytes]]]:
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise Dropped("the answer is not HTTP/1.1")
    status = int(parts[1])
    raw_headers: list[tuple[bytes, bytes]] = []
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            return status, raw_headers
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise Dropped("a header line is not a header")
        raw_headers.append((name, value.strip()))
        if len(raw_headers) > MAX_HEADERS:
            raise Dropped("too many headers")


async def _chunk_size(reader: asyncio.StreamReader) -> int:
    line = (await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip()
    return int(line, 16)  # ValueError: not HTTP, said by the caller


def _append(chunk: bytes, body: bytearray, limit: int, grew: Callable[[int], object]) -> None:
    if len(body) + len(chunk) > limit:
        raise TooLarge(len(body) + len(chunk))
    body += chunk
    grew(len(body))


def _decoder(word: str) -> _Inflate | None:
    """What undoes a content encoding (None: identity or one not asked for, passed on
    as it is, as httpx does)."""
    if word == "gzip":
        return _Inflate(zlib.MAX_WBITS | 16)
    if word == "deflate":
        return _Inflate(zlib.MAX_WBITS, raw_fallback=True)
    return None


class _Inflate:
    """gzip / deflate, at most ``room`` bytes out per call (the rest is not needed:
    past the limit the body is refused)."""

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._zlib = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._first = True

    def flush(self) -> bytes:
        try:
            return self._zlib.flush()
        except zlib.error as exc:
            raise BadEncoding(str(exc)) from exc

    def __call__(self, data: bytes, room: int) -> bytes:
        # output short of ``room`` means every byte of ``data`` was taken; at ``room``
        # the body is refused, so what zlib holds back is never needed
        try:
            out = self._zlib.decompress(data, max(room, 1))
        except zlib.error as exc:
            if self._first and self._raw_fallback:  # "deflate" sent without its header
                self._raw_fallback = False
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self(data, room)
            raise BadEncoding(str(exc)) from exc
        self._first = False
        return out


def request_bytes(target: bytes, host: bytes, headers: dict[str, str], agent: str) -> bytes:
    """A whole GET with no body, ready to write; :class:`BadRequest` if a header would
    break the request's lines (a newline in a credential)."""
    lines = [
        b"GET " + target + b" HTTP/1.1",
        b"Host: " + host,
        b"Accept: */*",
        b"Accept-Encoding: gzip, deflate",
        b"Connection: keep-alive",
        b"User-Agent: " + agent.encode("ascii"),
    ]
    for name, value in headers.items():
        raw = value.encode("latin-1", errors="replace")
        if any(bad in raw for bad in (b"\r", b"\n", b"\0")) or not name.isascii():
            raise BadRequest(f"the {name} header cannot be sent")
        lines.append(name.encode("ascii") + b": " + raw)
    if any(bad in target for bad in (b" ", b"\r", b"\n")):
        raise BadRequest("the address cannot be sent")
    return b"\r\n".join(lines) + b"\r\n\r\n"
