"""Read a PNG with the standard library: size, and the pixels of a small one.

Enough to check that a screenshot is a real picture, not a blank page: the signature,
IHDR, and — for an image small enough to decode in pure Python — its colours.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG: bad signature")
    out, offset = [], len(SIGNATURE)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"PNG chunk {kind!r}: bad CRC")
        out.append((kind, body))
        offset += 12 + length
        if kind == b"IEND":
            break
    return out


def size(data: bytes) -> tuple[int, int]:
    kind, body = chunks(data)[0]
    if kind != b"IHDR":
        raise ValueError("PNG without IHDR first")
    width, height = struct.unpack(">II", body[:8])
    return width, height


def colours(data: bytes) -> Counter[tuple[int, ...]]:
    """Pixel colour -> count, for 8-bit RGB or RGBA non-interlaced PNGs."""
    parts = chunks(data)
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", parts[0][1])
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour_type}")
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(body for kind, body in parts if kind == b"IDAT"))
    stride = width * channels
    previous = bytearray(stride)
    counts: Counter[tuple[int, ...]] = Counter()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 0xFF
        counts.update(tuple(line[i : i + 3]) for i in range(0, stride, channels))
        previous = line
    return counts
