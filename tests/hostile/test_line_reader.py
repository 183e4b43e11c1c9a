"""Every hostile value of the catalogue (tests.hostile.catalogue), in each field the
product shows, in a big compact body: the C line reader is handed the lines, and the
rows are those the Python path makes of the same bytes.

The whole-body hostile tests never reach ``rtdash/api/_line_read.c`` (their bodies
have spaces after the separators), while a big centre's bodies are read there past
their first piece: a value its ``plain_text`` test let through as is would reach the
screen uncleaned. So each value is written the ways a body can carry it (UTF-8 as the
service writes it, ``\\u`` escapes, raw control bytes), one a line among plain lines,
and the test shows which lines the C reader made rows of and which it left.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from rtdash.api.body_rows import FetchResult
from rtdash.api.line_rows import SEGMENT
from rtdash.api.sanitise import is_clean, plain
from rtdash.api.transport import STREAM_AT
from rtdash.api.wire import fast_rows
from tests.hostile.big_body import LEAD_ROWS, LineReaderWatch, compact
from tests.hostile.catalogue import NOT_UTF8, TEXTS
from tests.hostile.upstream import call, strings, user

Kind = Literal["call", "user"]

#: the upstream keys of what the screens show: call reference, caller number, line
#: name, queue, agent name; user name, extension
FIELDS: dict[Kind, tuple[str, ...]] = {
    "call": ("callRef", "srcPhoneNumber", "dgrpName", "queueRef", "displayName"),
    "user": ("displayName", "extensionNumber"),
}
#: where a line's hostile value goes, found by its JSON bytes
_SLOT = "@hostile@"


def as_utf8(text: str) -> bytes:
    """As the service writes it: UTF-8, escaped only where JSON must (a lone
    surrogate, which UTF-8 cannot carry, as the three bytes of one: not UTF-8)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass")


def as_escapes(text: str) -> bytes:
    """Each character but ASCII letters, digits and spaces as a ``\\u`` escape (past
    U+FFFF as the two of a surrogate pair, as JSON writes it)."""
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
            continue
        units = char.encode("utf-16-be", "surrogatepass")
        out += (f"\\u{units[at]:02x}{units[at + 1]:02x}" for at in range(0, len(units), 2))
    return "".join(out).encode()


def with_raw_controls(text: str) -> bytes | None:
    """C0 controls as their bytes, which JSON does not allow in a string (but a line
    feed, which would end the line); None for text without one."""
    raw = [char for char in text if char < " " and char != "\n"]
    if not raw:
        return None
    return b"".join(char.encode() if char in raw else as_utf8(char) for char in text)


FORMS: dict[str, Callable[[str], bytes | None]] = {
    "UTF-8": as_utf8,
    "\\u escapes": as_escapes,
    "raw control bytes": with_raw_controls,
}


def written() -> Iterator[tuple[str, str, bytes]]:
    """(value's name, form, its bytes in a JSON string) for every value and form."""
    for name, text in TEXTS.items():
        for form, write in FORMS.items():
            encoded = write(text)
            if encoded is not None:
                yield name, form, encoded
    for name, raw in NOT_UTF8.items():
        yield name, "bytes not UTF-8", raw


@dataclass(frozen=True)
class Sent:
    """What one hostile line carries, and where."""

    name: str
    form: str
    key: str
    #: the field's text where it is written as is (UTF-8, no escape), else None
    text: str | None


def written_as_is(value: bytes) -> str | None:
    """The text of a value's bytes where the C reader could take it (no escape, UTF-8)."""
    if b"\\" in value:
        return None
    try:
        return value.decode()
    except UnicodeDecodeError:
        return None


def plain_row(kind: Kind, n: int) -> dict[str, Any]:
    if kind == "call":
        return call(f"c-{n}", displayName=f"Agent {n}", dgrpName="Sales line", queueRef="sales")
    return user(f"u-{n}", displayName=f"User {n}", extensionNumber=str(200 + n))


def hostile_lines(kind: Kind, start: int) -> Iterator[tuple[bytes, Sent]]:
    """A line for each value, form and field, the value alone in its field; numbered
    from ``start`` on. A call reference, one per call, has the line's number after the
    value, then before it (either end of a text is tested)."""
    n = start
    for name, form, encoded in written():
        for key in FIELDS[kind]:
            ends = [(b"", b"~%d"), (b"%d~", b"")] if key == "callRef" else [(b"", b"")]
            for before, after in ends:
                value = (before % n if before else b"") + encoded + (after % n if after else b"")
                row = {**plain_row(kind, n), key: _SLOT}
                line = compact(row).replace(_SLOT.encode(), value)
                yield line, Sent(name, form, key, written_as_is(value))
                n += 1


@dataclass
class Body:
    """A big body's lines: those that the line reader decodes come first (one plain
    line before each hostile one), and those it cannot decode are kept apart (from the
    first of them on, the body is read the usual way)."""

    lines: list[bytes]
    undecodable: list[bytes]
    sent: dict[bytes, Sent]


def body(kind: Kind) -> Body:
    lines = [compact(plain_row(kind, n)) for n in range(LEAD_ROWS)]
    undecodable: list[bytes] = []
    sent: dict[bytes, Sent] = {}
    between = iter(range(LEAD_ROWS, 100_000))  # the plain lines' numbers, then the hostile
    for line, what in hostile_lines(kind, 100_000):
        sent[line] = what
        if fast_rows(line) is None:
            undecodable.append(line)
        else:
            lines += [compact(plain_row(kind, next(between))), line]
    return Body(lines, undecodable, sent)


def assert_read_as_in_python(result: FetchResult[Any], in_python: FetchResult[Any]) -> None:
    dirty = [text for row in result.rows for text in strings(row.to_json()) if not is_clean(text)]
    assert dirty == []
    assert [row.values() for row in result.rows] == [row.values() for row in in_python.rows]
    assert (result.unreadable, result.duplicates) == (in_python.unreadable, in_python.duplicates)


def taken_as_is(text: str | None) -> bool:
    """What the Python path keeps as sent: UTF-8 text with nothing to clean and no
    space to strip (the only text the C reader may take)."""
    return text is not None and text != "" and text == text.strip() and plain(text)


def assert_c_read_only_plain_text(handed: dict[bytes, Any], sent: dict[bytes, Sent]) -> None:
    """Each hostile line the C reader was handed: a row made of it exactly when its
    hostile text is taken as is (never when the sanitiser has something to do)."""
    wrong = [
        (what, "made" if made is not None else "left")
        for line, made in handed.items()
        if (what := sent.get(line)) is not None and (made is not None) != taken_as_is(what.text)
    ]
    assert wrong == []


@pytest.mark.parametrize("kind", ["call", "user"])
async def test_hostile_text_in_a_big_body_reaches_the_c_reader_and_reads_as_in_python(
    line_reader: LineReaderWatch, kind: Kind
) -> None:
    """Every value and form the reader can decode, in each field shown: the C reader
    is handed each such line, makes the rows of those whose text is plain and leaves
    the rest, and the rows are those of the same body read without it."""
    sent = body(kind)
    line_reader.serve(kind, sent.lines)
    result = await line_reader.poll(kind)
    handed = dict(line_reader.handed)
    hostile = [line for line in sent.lines if line in sent.sent]
    assert [sent.sent[line] for line in hostile if line not in handed] == []
    assert_c_read_only_plain_text(handed, sent.sent)
    # and it made rows: of most plain lines between the hostile ones
    made = [line for line, row in handed.items() if row is not None and line not in sent.sent]
    assert len(made) > len(hostile) // 2

    in_python = await line_reader.poll_in_python(kind)
    assert_read_as_in_python(result, in_python)


@pytest.mark.parametrize("kind", ["call", "user"])
async def test_a_line_the_reader_cannot_decode_is_left_by_the_c_reader_and_read_as_in_python(
    line_reader: LineReaderWatch, kind: Kind
) -> None:
    """Raw control bytes, bytes that are not UTF-8, escaped lone surrogates: from the
    first such line's piece on, a body is read the usual way, so these are served after
    the lead. A user body that size comes whole, one piece: the C reader is handed every
    one. A call body streams in, and where the socket's reads cut it decides how many
    of them share the first one's piece: that one, at least, it is handed."""
    sent = body(kind)
    lines = [*sent.lines[:LEAD_ROWS], *sent.undecodable, compact(plain_row(kind, 99_999))]
    line_reader.serve(kind, lines)
    result = await line_reader.poll(kind)
    handed = dict(line_reader.handed)
    seen = [line for line in sent.undecodable if line in handed]
    if kind == "user":
        assert sum(len(line) + 1 for line in lines) < min(STREAM_AT, SEGMENT)  # one piece
        assert seen == sent.undecodable
    assert seen[:1] == sent.undecodable[:1]
    assert [handed[line] for line in seen] == [None] * len(seen)

    in_python = await line_reader.poll_in_python(kind)
    assert_read_as_in_python(result, in_python)
