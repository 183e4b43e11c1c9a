"""A lane connection's bytes (rtdash.api.http11_stream.Incoming): chunks handed on as
the socket gave them, cut only to the size asked for, reading paused while much is held,
the end and a broken connection said after what came before them; a big answer over
a real loopback socket read whole and in order; and a widened connection's reads (a
big centre's) bigger than asyncio's own, where the transport lets them be."""

from __future__ import annotations

import asyncio
import os

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


async def test_a_big_answer_over_a_socket_is_read_whole_and_in_order() -> None:
    sent = os.urandom(3 * Incoming.HOLD + 12345)

    async def serve(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(sent)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
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


async def _chunk_sizes(sent: bytes, *, widen: bool) -> list[int]:
    """The sizes of the chunks ``sent`` arrived in over a loopback socket, read by a
    reader slow enough that the socket fills between reads."""

    async def serve(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(sent)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sizes: list[int] = []
    async with server:
        _, stream = await asyncio.get_running_loop().create_connection(Incoming, "127.0.0.1", port)
        if widen:
            assert stream.widen()
        got = bytearray()
        while chunk := await stream.read(len(sent)):
            sizes.append(len(chunk))
            got += chunk
            await asyncio.sleep(0.002)
        stream.close()
    assert bytes(got) == sent
    return sizes


async def test_a_widened_connection_reads_in_bigger_pieces_than_asyncios_own() -> None:
    """What :meth:`Incoming.widen` relies on: asyncio's socket transport reads
    ``max_size`` bytes at a time. Unwidened, no chunk is past asyncio's 256 KiB;
    widened, the chunks are bigger (as big as the socket holds, up to the wide read)."""
    sent = os.urandom(16 * ASYNCIO_READ)
    plain = await _chunk_sizes(sent, widen=False)
    wide = await _chunk_sizes(sent, widen=True)
    assert max(plain) <= ASYNCIO_READ
    assert ASYNCIO_READ < max(wide) <= Incoming.WIDE_READ
    assert len(wide) < len(plain)


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
