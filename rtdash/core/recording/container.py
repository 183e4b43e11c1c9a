"""The file around the records: concatenated gzip members of JSON lines, read back as
far as they go.

Each run appends one gzip member, sync-flushed after every record, so a killed app
leaves a member cut off mid-stream. :func:`inflate` reads such a member up to its cut,
drops a partial last line, and carries on with a member another run appended after it;
it knows nothing about what the lines mean.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b\x08"
#: how much of a file :func:`first_line` reads: a header is far smaller
_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Inflated:
    """The lines of a recording file, as far as they could be read."""

    lines: list[bytes]
    #: partial lines dropped (a member cut off mid-line)
    dropped: int
    #: a member ended early or the data was damaged somewhere
    damaged: bool


def inflate(data: bytes) -> Inflated:
    """Decompress concatenated gzip members, tolerating a member cut off by a crash.

    A cut member is read up to its cut; a partial last line is dropped (and counted). When
    a run was killed and another run appended after it, reading resumes at the next
    member.
    """
    view = memoryview(data)
    lines: list[bytes] = []
    dropped = 0
    damaged = False
    pos, size = 0, len(data)
    while pos < size:
        if data[pos] == 0:  # zero padding after a member is allowed
            pos += 1
            continue
        if not data.startswith(GZIP_MAGIC, pos):
            damaged = True
            break
        text, following, complete = _member(data, view, pos)
        parts = text.split(b"\n")
        tail = parts.pop()
        lines.extend(part for part in parts if part.strip())
        if tail.strip():
            dropped += 1
        damaged = damaged or not complete
        if following is None:
            break
        pos = following
    return Inflated(lines, dropped, damaged)


def _member(data: bytes, view: memoryview, pos: int) -> tuple[bytes, int | None, bool]:
    """One member from ``pos``: (its text, where the next member starts, complete)."""
    inflater = zlib.decompressobj(31)
    text: bytes | None
    try:
        text = inflater.decompress(view[pos:])
    except zlib.error:
        text = None
    if text is not None and inflater.eof:
        return text, len(data) - len(inflater.unused_data), True
    # cut short: maybe a killed run, with the next run's member appended after the cut
    candidate = data.find(GZIP_MAGIC, pos + 10)
    while candidate != -1:
        if _member_starts(view, candidate):
            inflater = zlib.decompressobj(31)
            try:
                text = inflater.decompress(view[pos:candidate])
            except zlib.error:
                pass
            else:
                return text, candidate, inflater.eof and not inflater.unused_data
        candidate = data.find(GZIP_MAGIC, candidate + 1)
    if text is not None:  # cut off at the end of the file: keep what is there
        return text, None, False
    # damaged with nothing after it: salvage what inflates before the damage
    inflater = zlib.decompressobj(31)
    pieces: list[bytes] = []
    for start in range(pos, len(data), 1024):
        try:
            pieces.append(inflater.decompress(view[start : start + 1024]))
        except zlib.error:
            break
    return b"".join(pieces), None, False


def _member_starts(view: memoryview, pos: int) -> bool:
    try:
        zlib.decompressobj(31).decompress(view[pos : pos + 512])
    except zlib.error:
        return False
    return True


def first_line(path: Path) -> bytes | None:
    """The first line of a recording file without reading the whole file; None if the
    file is not gzip data. Raises :class:`OSError` when it cannot be read."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head.startswith(GZIP_MAGIC):
        return None
    inflater = zlib.decompressobj(31)
    try:
        text = inflater.decompress(head, _HEAD_BYTES)
    except zlib.error:
        return None
    return text.split(b"\n", 1)[0]
