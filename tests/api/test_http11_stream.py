"""A lane connection's bytes (rtdash.api.http11_stream.Incoming): chunks handed on as
the socket gave them, cut only to the size asked for, reading paused while much is held,
the end and a broken connection said after what came before them; a big answer over
a real loopback socket read whole and in order; and a widened connection's reads (a
big centre's) bigger than asyncio's own, where the transport lets them be."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator

import pytest

from rtdash.api.http11_stream import Incoming


class Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.paused = 0
        self.resumed = 0
        self.written: list[bytes] = []
        self.closed = False

    def pause_reading(self) -> None:
        self.paused += 1

    def resume_reading(self) -> None:
        self.resumed += 1

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def connected() -> tuple[Incoming, Transport]:
    stream, transport = Incoming(), Transport()
    stream.connection_made(transport)
    return stream, transport


async def test_a_chunk_is_handed_on_as_it_came_and_cut_only_to_what_is_asked() -> None:
    stream, _ = connected()
    chunk = b"x" * 1000
    stream.data_received(chunk)
    stream.data_received(b"tail")
    assert await stream.read(5000) is chunk  # the very object: no copy
    assert await stream.read(2) == b"ta"
    assert await stream.read(10) == b"il"


async def test_a_read_waits_for_bytes_then_the_end_reads_empty() -> None:
    stream, _ = connected()
    waiting = asyncio.ensure_future(stream.read(10))
    await asyncio.sleep(0)
    assert not waiting.done()
    stream.data_received(b"late")
    assert await waiting == b"late"
    stream.eof_received()
    assert stream.at_eof()
    assert await stream.read(10) == b""


async def test_reading_pauses_while_much_is_held_and_resumes_below_half() -> None:
    stream, transport = connected()
    piece = b"y" * (Incoming.HOLD // 4)
    for _ in range(5):
        stream.data_received(piece)
    assert transport.paused == 1 and transport.resumed == 0
    await stream.read(len(piece))
    await stream.read(len(piece))
    assert transport.resumed == 0  # three quarters of the limit still held
    await stream.read(len(piece))
    assert transport.resumed == 1


async def test_a_broken_connection_is_said_after_what_came_before_it() -> None:
    stream, _ = connected()
    stream.data_received(b"before")
    stream.connection_lost(ConnectionResetError("reset by peer"))
    assert await stream.read(100) == b"before"
    with pytest.raises(ConnectionResetError):
        await stream.read(100)


async def test_a_cancelled_read_leaves_the_stream_usable() -> None:
    stream, _ = connected()
    waiting = asyncio.ensure_future(stream.read(10))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    stream.data_received(b"next")
    assert await stream.read(10) == b"next"


async def test_writes_and_close_go_to_the_transport() -> None:
    stream, transport = connected()
    stream.write(b"GET / HTTP/1.1\r\n\r\n")
    assert transport.written == [b"GET / HTTP/1.1\r\n\r\n"]
    assert not stream.is_closing()
    stream.close()
    assert transport.closed and stream.is_closing()


@contextlib.asynccontextmanager
async def sending(sent: bytes) -> AsyncIterator[int]:
    """A loopback server that sends ``sent`` to whoever connects, then hangs up: its
    port, while it serves."""

    async def serve(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(sent)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def test_a_big_answer_over_a_socket_is_read_whole_and_in_order() -> None:
    sent = os.urandom(3 * Incoming.HOLD + 12345)
    async with sending(sent) as port:
        loop = asyncio.get_running_loop()
        _, stream = await loop.create_connection(Incoming, "127.0.0.1", port)
        got = bytearray()
        while chunk := await stream.read(1 << 20):
            got += chunk
            await asyncio.sleep(0)  # a slow reader: the socket fills, reading pauses
        stream.close()
    assert bytes(got) == sent


#: asyncio's own read size (``max_size`` of its selector transports)
ASYNCIO_READ = 256 * 1024


class CountedSocket(socket.socket):
    """A socket that notes the size of every read asyncio asks of it."""

    asked: list[int]

    def recv(self, size: int, flags: int = 0) -> bytes:
        self.asked.append(size)
        return super().recv(size, flags)


async def _reads(sent: bytes, *, widen: bool) -> list[int]:
    """The sizes asyncio's transport asked the socket for while ``sent`` came over a
    loopback connection, read whole and in order."""
    async with sending(sent) as port:
        counted = CountedSocket(socket.AF_INET, socket.SOCK_STREAM)
        counted.asked = []
        counted.connect(("127.0.0.1", port))
        _, stream = await asyncio.get_running_loop().create_connection(Incoming, sock=counted)
        if widen:
            assert stream.widen()
        got = bytearray()
        while chunk := await stream.read(len(sent)):
            assert len(chunk) <= (Incoming.WIDE_READ if widen else ASYNCIO_READ)
            got += chunk
            await asyncio.sleep(0.001)
        stream.close()
    assert bytes(got) == sent
    return counted.asked


async def test_a_widened_connection_asks_the_socket_for_wide_reads() -> None:
    """What :meth:`Incoming.widen` relies on: asyncio's socket transport reads up to
    its ``max_size`` at a time (256 KiB of its own), so a widened connection asks the
    socket for the wide read (how much each read then gives is the socket's: the
    bench counts them, bench/wide_reads.py)."""
    sent = os.urandom(8 * ASYNCIO_READ)
    assert set(await _reads(sent, widen=False)) == {ASYNCIO_READ}
    assert set(await _reads(sent, widen=True)) == {Incoming.WIDE_READ}


class SizedTransport(Transport):
    max_size = ASYNCIO_READ


async def test_a_widened_stream_reads_wide_and_pauses_only_past_its_wider_hold() -> None:
    stream, transport = Incoming(), SizedTransport()
    stream.connection_made(transport)
    assert stream.widen()
    assert transport.max_size == Incoming.WIDE_READ
    assert SizedTransport.max_size == ASYNCIO_READ  # this transport's, not every one's
    piece = b"w" * Incoming.WIDE_READ
    for _ in range(Incoming.WIDE_HOLD // Incoming.WIDE_READ):
        stream.data_received(piece)
    assert transport.paused == 0  # the wide hold, not the 1 MiB one
    stream.data_received(piece)
    assert transport.paused == 1
    assert stream.widen()  # again: nothing more changes
    assert transport.max_size == Incoming.WIDE_READ


async def test_a_transport_with_no_read_size_is_left_to_read_as_it_does() -> None:
    stream, transport = connected()
    assert not stream.widen()
    assert not hasattr(transport, "max_size")
    piece = b"y" * (Incoming.HOLD // 4)
    for _ in range(5):
        stream.data_received(piece)
    assert transport.paused == 1  # the usual hold
