"""GET over HTTP/1.1 on asyncio's own transports, for the routes polled every second.

A poll of a quiet centre is two small GETs whose answers are known unchanged at once;
what is left of its cost is the request machinery. httpx builds a request and a response
object, runs its auth flow, event hooks and cookie jar, and hands the exchange to
httpcore, h11 and anyio, each with its own state machine and context managers: many
times the work of writing one request and reading one answer on a kept connection.
This module does only that, for a GET with no body, on asyncio's transports
(:mod:`rtdash.api.http11_stream`), with h11 and nothing else between them and the
bytes. The HTTP/1.1 itself (the request's bytes, the answer's framing by length, chunks
or the connection's end, 1xx answers, whether the connection may be kept) is h11's: a
hostile peer's bytes are read by a well-kept parser, not by hand. Here: the kept
connections, the body unzipped (gzip, deflate) as it comes with no more out than the
cap, and the failures as this module's errors. It knows nothing of rtdash's errors or
caps: :mod:`rtdash.api.transport` reads bodies through it and says what went wrong.

httpx stays the lane for everything this does not cover: a proxy from the environment,
an injected client (the tests' fault shapes, a shared pool), schemes other than http(s).
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import h11

from rtdash.api.heap import BIG_BODY
from rtdash.api.http11_body import Inflate, Sink, decoder_for
from rtdash.api.http11_errors import BadEncoding as BadEncoding
from rtdash.api.http11_errors import BadRequest as BadRequest
from rtdash.api.http11_errors import ConnectFailed as ConnectFailed
from rtdash.api.http11_errors import Dropped as Dropped
from rtdash.api.http11_errors import LaneError as LaneError
from rtdash.api.http11_errors import TooLarge as TooLarge
from rtdash.api.http11_stream import Incoming

log = logging.getLogger(__name__)

#: a kept connection unused for longer is closed, not reused (httpx's default)
KEEPALIVE = 5.0
#: idle connections kept (the polls use two at a time)
MAX_IDLE = 4
#: an answer's head (status line and headers) or a chunk-size line longer than this
#: is not an answer (h11's ``max_incomplete_event_size``)
HEAD_LIMIT = 64 * 1024
CHUNK = 64 * 1024


@dataclass(slots=True)
class _Connection:
    stream: Incoming
    #: the HTTP/1.1 state of this connection: what was sent, what came back
    http: h11.Connection = field(
        default_factory=lambda: h11.Connection(h11.CLIENT, max_incomplete_event_size=HEAD_LIMIT)
    )
    idle_since: float = 0.0
    used: int = 0
    #: bytes read for the answer in hand (none: the peer hung up before answering)
    got: int = 0

    def usable(self, now: float) -> bool:
        return (
            now - self.idle_since <= KEEPALIVE
            and not self.stream.at_eof()
            and not self.stream.is_closing()
        )

    async def next_event(self) -> object:
        """h11's next event, reading more bytes while it needs them (none left: the
        peer's end of the connection, which h11 reads as framing or as an error)."""
        http = self.http
        while (event := http.next_event()) is h11.NEED_DATA:
            data = await self.stream.read(CHUNK)
            self.got += len(data)
            http.receive_data(data)
        return event

    def close(self) -> None:
        self.stream.close()


@dataclass(slots=True)
class Exchange:
    """One answer's head, and its body to read (:meth:`read`) or leave (:meth:`finish`)."""

    status: int
    #: lower-case names; a name sent twice has its values joined by ", "
    headers: dict[str, str]
    raw_headers: list[tuple[bytes, bytes]]
    _pool: Pool
    _connection: _Connection | None
    _done: bool = False
    _decoders: list[Inflate] = field(default_factory=list)
    #: the body was read straight from the stream and the connection may be kept
    _plain: bool = False

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

    async def read(
        self,
        limit: int,
        grew: Callable[[int], object],
        take: Callable[[bytes], object] | None = None,
    ) -> bytearray:
        """The whole body, decoded, in one growing buffer (never a list of chunks
        joined into a second copy); :class:`TooLarge` once it would pass ``limit``
        bytes, the rest left unread. ``grew`` hears the body's size as it grows.
        With ``take``, each piece goes there as it comes instead, and the buffer
        stays empty: nothing of the body is held here."""
        connection = self._connection
        assert connection is not None and not self._done
        body = bytearray()
        sink = Sink(body, limit, grew, take)
        length = self._plain_length()
        if length is not None:
            await self._read_plain(connection, length, sink)
            return body
        try:
            while not isinstance(event := await connection.next_event(), h11.EndOfMessage):
                if not isinstance(event, h11.Data):
                    raise Dropped("the answer's body was not HTTP")
                chunk = event.data
                for decoder in self._decoders:
                    # never more than one byte past the limit out: a zip bomb stays small
                    chunk = decoder(chunk, limit - sink.size + 1)
                sink.add(chunk)
            for index, decoder in enumerate(self._decoders):
                tail = decoder.flush()
                for later in self._decoders[index + 1 :]:
                    tail = later(tail, limit - sink.size + 1)
                sink.add(tail)
        except h11.RemoteProtocolError as exc:
            raise Dropped("the answer ended early or was not HTTP") from exc
        except OSError as exc:
            raise Dropped("the connection broke") from exc
        self._done = True
        return body

    def _plain_length(self) -> int | None:
        """The body's length when it is framed by its Content-Length alone and not
        encoded (what a poll's answer is): such a body is read straight from the
        stream (:meth:`_read_plain`), not through h11 (whose buffer and events copy
        every byte twice more); None for any other framing, which h11 reads."""
        if self._decoders or "transfer-encoding" in self.headers or self.status in (204, 304):
            return None  # (h11 reads no body after a 204 or 304, whatever its length says)
        declared = self.headers.get("content-length")
        if declared is None or not declared.isdigit():
            return None  # absent, or sent twice (h11 checked that both agree)
        connection = self._connection
        assert connection is not None
        if connection.http.their_state is not h11.SEND_BODY:
            return None
        return int(declared)

    async def _read_plain(self, connection: _Connection, length: int, sink: Sink) -> None:
        """``length`` bytes of body into ``sink``: first what h11 read past the head,
        then straight from the stream, never a byte past the body. The connection is
        then kept (a fresh h11 state, holding anything the peer sent past the body, as
        h11's next cycle would) if both sides' words let it be, as h11 decides it."""
        http = connection.http
        if length >= BIG_BODY:  # a big centre's: its connection reads wide from now on
            connection.stream.widen()
        held, closed = http.trailing_data
        first, extra = bytes(held[:length]), bytes(held[length:])
        left = length - len(first)
        try:
            if first:
                sink.add(first)
            del first, held
            read = connection.stream.read
            while left:
                chunk = await read(left)  # as the socket gave it, never past the body
                if not chunk:
                    raise Dropped("the answer ended early or was not HTTP")
                connection.got += len(chunk)
                left -= len(chunk)
                sink.add(chunk)
        except OSError as exc:
            raise Dropped("the connection broke") from exc
        self._done = True
        if _keeps_alive(self.raw_headers, http) and not closed:
            fresh = h11.Connection(h11.CLIENT, max_incomplete_event_size=HEAD_LIMIT)
            if extra:
                fresh.receive_data(extra)
            connection.http = fresh
            self._plain = True

    def finish(self) -> None:
        """Give the connection back if the answer was read whole and both sides may
        go on (h11: both DONE, not "Connection: close", not a body to the end);
        otherwise close it (an unread body would be read as the next answer)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        http = connection.http
        if self._plain:  # read past h11, and a fresh h11 state made for the next answer
            self._pool.release(connection)
        elif self._done and http.our_state is h11.DONE and http.their_state is h11.DONE:
            http.start_next_cycle()
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

    async def get(self, request: h11.Request) -> Exchange:
        """Send ``request`` (a GET with no body, see :func:`request`) and read the
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

    def _said(self, exchange: Exchange, request: h11.Request) -> Exchange:
        """Each request in the debug log as httpx logs it, without its query (a
        lookup's holds a caller's number) and never a header's value."""
        if log.isEnabledFor(logging.DEBUG):
            path = request.target.partition(b"?")[0].decode("ascii", "replace")
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
                _, stream = await asyncio.get_running_loop().create_connection(
                    Incoming,
                    self.host,
                    self.port,
                    ssl=context,
                    server_hostname=self.host if context is not None else None,
                )
        except TimeoutError:
            raise
        except (OSError, ssl.SSLError, ValueError) as exc:
            raise ConnectFailed(str(exc)) from exc
        self.opened += 1
        log.debug("connection opened to %s:%d", self.host, self.port)
        return _Connection(stream)

    async def _exchange(self, connection: _Connection, request: h11.Request) -> Exchange:
        connection.used += 1
        connection.got = 0
        http = connection.http
        try:
            connection.stream.write(http.send(request) + http.send(h11.EndOfMessage()))
            # a 1xx (100 Continue, 103 Early Hints) comes before the answer
            while not isinstance(event := await connection.next_event(), h11.Response):
                if not isinstance(event, h11.InformationalResponse):
                    raise Dropped("the answer is not HTTP/1.1")
            # h11 caps a head still coming in; one that came whole in a read is
            # measured here (what h11 holds unread is the body's start)
            if connection.got > HEAD_LIMIT and (
                connection.got - len(http.trailing_data[0]) > HEAD_LIMIT
            ):
                raise Dropped("the answer's head is too big")
        except BaseException as exc:
            connection.close()
            if isinstance(exc, h11.RemoteProtocolError) and not connection.got:
                if connection.used > 1:
                    raise Dropped("the kept connection was closed") from _NothingBack()
                raise Dropped("the peer closed the connection without an answer") from exc
            if isinstance(exc, h11.RemoteProtocolError):
                raise Dropped("the answer ended early or was not HTTP") from exc
            if isinstance(exc, ConnectionResetError | BrokenPipeError) and connection.used > 1:
                raise Dropped("the kept connection was closed") from _NothingBack()
            if isinstance(exc, OSError):
                raise Dropped("the connection broke") from exc
            raise
        raw_headers = event.headers.raw_items()
        headers: dict[str, str] = {}
        for name, value in raw_headers:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        exchange = Exchange(event.status_code, headers, raw_headers, self, connection)
        for word in reversed(headers.get("content-encoding", "").lower().split(",")):
            decoder = decoder_for(word.strip())
            if decoder is not None:
                exchange._decoders.append(decoder)
        return exchange


def _keeps_alive(answer: list[tuple[bytes, bytes]], http: h11.Connection) -> bool:
    """Whether the connection may carry the next request after this answer, by h11's
    rule: HTTP/1.1 on both sides and neither saying ``Connection: close`` (the
    request this module sends never does)."""
    version = http.their_http_version
    if version is None or version < b"1.1" or http.our_state is not h11.DONE:
        return False
    words = (
        word.strip()
        for name, value in answer
        if name.lower() == b"connection"
        for word in value.lower().split(b",")
    )
    return b"close" not in words


class _NothingBack(Exception):
    """A reused connection gave no byte of an answer: safe to ask again."""


def request(target: bytes, host: bytes, headers: dict[str, str], agent: str) -> h11.Request:
    """A GET with no body, ready to send on any connection (kept and reused by the
    caller: h11 checks its names and values once); :class:`BadRequest` if a header
    would break the request's lines (a newline in a credential)."""
    fields: list[tuple[bytes, bytes]] = [
        (b"Host", host),
        (b"Accept", b"*/*"),
        (b"Accept-Encoding", b"gzip, deflate"),
        (b"Connection", b"keep-alive"),
        (b"User-Agent", agent.encode("ascii")),
    ]
    for name, value in headers.items():
        if not name.isascii():
            raise BadRequest(f"the {name} header cannot be sent")
        fields.append((name.encode("ascii"), value.encode("latin-1", errors="replace")))
    try:
        return h11.Request(method=b"GET", target=target, headers=fields)
    except h11.LocalProtocolError:
        # h11's words quote the bad value, a credential: not kept, not chained
        raise BadRequest("a header or the address cannot be sent") from None
