"""What an answer's body passes through on the HTTP/1.1 lane: counted against the
limit as it comes, and unzipped (gzip, deflate) with no more out than the limit, so a
body past it is refused before it is held (a zip bomb included)."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from rtdash.api.http11_errors import BadEncoding, TooLarge


class Sink:
    """Where a body's pieces go (a buffer, or the caller's ``take``), counted
    against the limit. (No bound method of its own is kept on it: a cycle would keep
    the body, or the caller's reader of it, until the collector ran.)"""

    __slots__ = ("body", "grew", "limit", "size", "take")

    def __init__(
        self,
        body: bytearray,
        limit: int,
        grew: Callable[[int], object],
        take: Callable[[bytes], object] | None,
    ) -> None:
        self.body, self.limit, self.grew, self.take = body, limit, grew, take
        self.size = 0

    def add(self, chunk: bytes) -> None:
        size = self.size + len(chunk)
        if size > self.limit:
            raise TooLarge(size)
        self.size = size
        if self.take is None:
            self.body += chunk
            self.grew(size)
        elif chunk:
            self.take(chunk)


def decoder_for(word: str) -> Inflate | None:
    """What undoes a content encoding (None: identity or one not asked for, passed on
    as it is, as httpx does)."""
    if word == "gzip":
        return Inflate(zlib.MAX_WBITS | 16)
    if word == "deflate":
        return Inflate(zlib.MAX_WBITS, raw_fallback=True)
    return None


class Inflate:
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
