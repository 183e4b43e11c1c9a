"""A connection of the HTTP/1.1 lane (:mod:`rtdash.api.http11`): its bytes read as they
come, each chunk the socket gave handed on as it is, and its writes.

asyncio's ``StreamReader`` copies every byte it receives into one buffer and copies it
out again on each read; a big centre's answers are tens of megabytes a poll, and those
two copies were a share of the poll's CPU. Here a chunk is kept as the socket gave it
and handed on whole (cut only where the caller asks for less). Reading pauses while
much is held unread, as the stream reader's does, so a peer cannot make it hold more.

A connection that brings big bodies reads in bigger pieces (:meth:`Incoming.widen`):
asyncio's socket transport reads at most 256 KiB at a time, and each read is a turn of
the event loop, a wake of the reading task and a piece for the line reader to cut; a
big centre's body is a hundred of them every poll (bench/RESULTS.md, ``wide-reads``).
The size of a read is the transport's ``max_size``, an attribute of asyncio's
selector transports (tests/api/test_http11_stream.py checks that it is still obeyed);
a transport without it (TLS, another event loop) reads as it always did.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Incoming(asyncio.Protocol):
    """One connection: what it received, read in order (:meth:`read`), and writes."""

    #: reading pauses while this many bytes are held unread, and resumes below half
    HOLD = 1 << 20
    #: a read's size once the connection brings big bodies, and the bytes held unread
    #: that pause reading then (as many reads as :attr:`HOLD` is of asyncio's own)
    WIDE_READ = 1 << 20
    WIDE_HOLD = 4 * WIDE_READ

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._chunks: deque[bytes] = deque()
        self._held = 0
        self._hold = self.HOLD
        self._paused = False
        self._ended = False
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None

    # --- asyncio's side -------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not data:
            return
        self._chunks.append(data)
        self._held += len(data)
        self._wake()
        if self._held > self._hold and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def eof_received(self) -> None:
        self._ended = True  # (returning None: the transport closes its end too)
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended = True
        if exc is not None:
            self._error = exc
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # --- the lane's side --------------------------------------------------------------

    async def read(self, most: int) -> bytes:
        """The next bytes received, at most ``most`` (a chunk as the socket gave it when
        it is no bigger); ``b""`` once the peer's end closed and all was read. An error
        that broke the connection is raised once what came before it was read."""
        while not self._chunks:
            if self._error is not None:
                raise self._error
            if self._ended:
                return b""
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        chunk = self._chunks.popleft()
        if len(chunk) > most:
            self._chunks.appendleft(chunk[most:])
            chunk = chunk[:most]
        self._held -= len(chunk)
        if self._paused and self._held <= self._hold // 2 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk

    def widen(self) -> bool:
        """Read :attr:`WIDE_READ` bytes at a time from now on, where the transport lets
        its read size be set; True when it does."""
        size = getattr(self.transport, "max_size", None)
        if type(size) is not int:
            return False
        if size < self.WIDE_READ:
            # (set by name: asyncio's stubs do not give its transports the attribute)
            setattr(self.transport, "max_size", self.WIDE_READ)  # noqa: B010
            self._hold = max(self._hold, self.WIDE_HOLD)
        return True

    def at_eof(self) -> bool:
        return self._ended and not self._chunks

    def write(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.write(data)

    def is_closing(self) -> bool:
        return self.transport is None or self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
