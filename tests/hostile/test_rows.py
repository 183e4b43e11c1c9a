"""Hostile values cost their own row only, and every string a row holds is safe to show."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from rich.cells import cell_len, get_character_cell_size

from rtdash.api import errors
from rtdash.api.sanitise import ESCAPE_MARK, LINE_MARK, clean, is_clean, plain
from tests.hostile.big_body import BIG_BODY_ROWS, LineReaderWatch, client_for, compact
from tests.hostile.catalogue import JOINED_NAMES, JOINED_ROWS, UNSEEN, UNSEEN_NAMES
from tests.hostile.upstream import (
    BRACKETED,
    HOSTILE,
    HOSTILE_CALL_REFS,
    HOSTILE_CALLS,
    HOSTILE_SKIPPED,
    MARKUP_QUEUE,
    Answer,
    Upstream,
    call,
    ndjson,
    strings,
)


def test_clean_makes_every_control_visible_or_gone() -> None:
    assert clean("a\x1b[2Jb") == f"a{ESCAPE_MARK}[2Jb"
    assert clean("one\r\ntwo\nthree\rfour") == f"one{LINE_MARK}two{LINE_MARK}three{LINE_MARK}four"
    assert clean("\x07\x08\x7f\x9b\x00") == "�����"
    assert clean("abc\u202edef\u2066x\u2069") == "abcdefx"  # bidi controls removed
    assert clean("tab\there") == "tab here"
    # tag characters: invisible text riding along in a name (a copy would carry it)
    hidden = "".join(chr(0xE0000 + ord(char)) for char in "ignore all rules")
    assert clean(f"Ann{hidden} Lee") == "Ann Lee"
    assert clean("Zoë 😀 café") == "Zoë 😀 café"  # printable text, kept
    assert is_clean(clean(HOSTILE)) and not is_clean(HOSTILE)


def terminal_cells(text: str) -> int:
    """Cells as a terminal that draws each code point counts them (tmux, xterm)."""
    return sum(get_character_cell_size(char) for char in text)


@pytest.mark.parametrize("name", JOINED_NAMES)
def test_a_joined_emoji_takes_the_cells_the_terminal_draws(name: str) -> None:
    """The layout measured a joined emoji as one two-cell picture, the terminal drew
    each part: a crafted name pushed every column after it right. Apart, they agree."""
    assert cell_len(name) != terminal_cells(name), "the case this guards against"
    shown = clean(name)
    assert cell_len(shown) == terminal_cells(shown)
    assert shown.startswith(name[:3]) and shown.endswith(name[-2:]) and is_clean(shown)


#: the format characters drawn as a sign before the digits they stand for (the Arabic
#: number, year and end-of-ayah signs and their kin): seen, so kept
DRAWN_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
DRAWN_FORMAT |= {"\U000110bd", "\U000110cd"}


def test_every_invisible_format_character_is_taken_out() -> None:
    """A name holding a zero-width character read as the name without it, yet matched
    no filter typed as it read and carried the character into exports and the terminal."""
    assert clean("Ze\u200bro\u200dWidth\u2060") == "ZeroWidth"
    invisible = [
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if unicodedata.category(char) == "Cf" and char not in DRAWN_FORMAT
    ]
    kept = [f"U+{ord(char):04X}" for char in invisible if clean(f"a{char}b") != "ab"]
    assert kept == []
    assert all(clean(f"{sign}12") == f"{sign}12" for sign in DRAWN_FORMAT)


def test_every_printable_character_drawn_as_nothing_is_taken_out() -> None:
    """Printable, so the fast path let them through: a name holding one read as the
    name without it yet matched no filter typed as it read (a filler alone read as no
    name at all)."""
    kept = [f"U+{ord(char):04X}" for char in UNSEEN if clean(f"a{char}b") != "ab"]
    assert kept == []
    assert not any(plain(f"x{char}") for char in UNSEEN)


@pytest.mark.parametrize(("name", "reads_as"), UNSEEN_NAMES)
def test_a_name_holding_a_character_drawn_as_nothing_reads_and_measures_as_without_it(
    name: str, reads_as: str
) -> None:
    shown = clean(name)
    assert shown == reads_as
    assert cell_len(shown) == cell_len(reads_as) == terminal_cells(reads_as)
    assert is_clean(shown) and not is_clean(name)


def test_a_skin_tone_is_taken_off_its_emoji() -> None:
    """Two cells to the layout, four to a terminal whose table has the tone wide."""
    assert clean("Cy 👍\U0001f3fd z") == "Cy 👍 z"


async def test_joined_emoji_are_taken_apart_on_every_reading_path(upstream: Upstream) -> None:
    """Through the client over HTTP, as rows are read. (These bodies, written with
    spaces after the separators, are read whole: the C line reader is reached by the
    big compact body below.)"""
    rows = [call(f"c-{i}", displayName=name) for i, name in enumerate(JOINED_NAMES)]
    upstream.answers["pbxActiveCalls"] = Answer(body=ndjson(*rows))
    async with client_for(upstream) as client:
        calls = (await client.active_calls()).rows
    assert [c.agent_name for c in calls] == [clean(name) for name in JOINED_NAMES]


_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u3164\uffa0") | {chr(c) for c in range(0x1F3FB, 0x1F400)}


def joined_body() -> tuple[list[bytes], dict[str, tuple[str, str]]]:
    """A body's lines as the service writes them whose rows carry the joiners after
    plain ones, and each row's expected name and line name by the expected call
    reference."""
    lines, expected = [], {}
    for n in range(BIG_BODY_ROWS):
        sent, shown = JOINED_ROWS[n % len(JOINED_ROWS)]
        ref, name, line = (text.format(n) for text in sent)
        lines.append(compact(call(ref, displayName=name, dgrpName=line, queueRef="sales")))
        expected[shown[0].format(n)] = (shown[1].format(n), shown[2])
    return lines, expected


async def test_joined_emoji_in_a_big_body_are_left_by_the_c_line_reader_to_clean(
    line_reader: LineReaderWatch,
) -> None:
    """A big centre's new lines are read in C where their text is plain
    (rtdash/api/_line_read.c): a variation selector or skin tone is printable, so that
    test must refuse it too, or the joined emoji would reach the screen whole."""
    lines, expected = joined_body()
    line_reader.serve("call", lines)
    result = await line_reader.poll("call")
    assert result.unreadable == 0
    rows = result.rows
    assert {r.call_ref: (r.agent_name, r.dgrp_name) for r in rows} == expected
    assert all(is_clean(text) for r in rows for text in (r.call_ref, r.agent_name, r.dgrp_name))
    handed = line_reader.handed
    joined = [made for raw, made in handed if _JOINERS.intersection(raw.decode())]
    plain_rows = [made for raw, made in handed if made is not None]
    # past the body's first piece (read in Python: it tells the upstream's "now") the
    # lines went to the C reader: it made the plain ones' rows and left every joined one
    assert len(joined) > BIG_BODY_ROWS // 2 and len(plain_rows) > 100
    assert joined == [None] * len(joined)

    # without the C part: the same rows, none made there
    in_python = await line_reader.poll_in_python("call")
    assert in_python.unreadable == 0
    assert [r.values() for r in in_python.rows] == [r.values() for r in rows]


async def test_bad_rows_are_skipped_and_counted_the_rest_shown(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        result = await client.active_calls()
    assert [row.call_ref for row in result.rows] == HOSTILE_CALL_REFS
    assert result.unreadable == HOSTILE_SKIPPED
    assert result.duplicates == 1
    # the last of two rows with one call reference wins
    assert result.rows[1].state.value == "ringing"


async def test_every_string_of_a_row_is_clean(upstream: Upstream) -> None:
    upstream.answers["pbxActiveCalls"] = Answer(
        body=ndjson(call("c-\x1b]0;x\x07", extraField=HOSTILE, **{"k\x1bey": [HOSTILE]}))
    )
    async with client_for(upstream) as client:
        calls = (await client.active_calls()).rows
        users = (await client.user_status()).rows
    for row in [*calls, *users]:
        for text in strings(row.to_json()):
            assert is_clean(text), repr(text)
    assert calls[0].agent_name == clean(HOSTILE)
    assert calls[0].call_ref == f"c-{ESCAPE_MARK}]0;x�"
    # markup-looking text is text: kept exactly
    assert calls[0].queue == MARKUP_QUEUE and calls[0].dgrp_name == BRACKETED


async def test_text_that_cleans_to_nothing_is_none_and_its_ends_are_trimmed(
    upstream: Upstream,
) -> None:
    """A value of marks alone (a bidi override, a right-to-left mark) is no value once
    they are removed: a call whose reference is only that has none, and its row is
    refused as any row without one is, not keyed by an empty reference. What removing a
    mark leaves at a value's end is trimmed, as the value's own spaces are."""
    upstream.answers["pbxActiveCalls"] = Answer(
        body=ndjson(
            call("\u202e"),
            call("c-2", displayName="\u202e Ann Lee\u200f ", dgrpName="\u200f", queueRef=" "),
        )
    )
    async with client_for(upstream) as client:
        result = await client.active_calls()
    assert [row.call_ref for row in result.rows] == ["c-2"]
    assert result.unreadable == 1
    (row,) = result.rows
    assert row.agent_name == "Ann Lee"
    assert row.dgrp_name is None and row.queue is None


async def test_duplicate_user_ids_keep_the_last(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        result = await client.user_status()
    assert [(u.user_id, u.display_name) for u in result.rows] == [
        ("1", "Last"),
        ("2", clean(HOSTILE)),
    ]
    assert result.duplicates == 1 and result.unreadable == 1


@pytest.mark.parametrize("layout", ["one line", "one item a line"])
async def test_a_bad_item_of_a_json_array_costs_only_itself(
    upstream: Upstream, layout: str
) -> None:
    """``format=jsonarray``: the same hostile rows as one array."""
    lines = [line for line in HOSTILE_CALLS.decode().split("\n") if '"c-deep"' not in line]
    joiner = "," if layout == "one line" else ",\n"
    upstream.answers["pbxActiveCalls"] = Answer(body=("[" + joiner.join(lines) + "]").encode())
    async with client_for(upstream) as client:
        result = await client.active_calls()
    assert [row.call_ref for row in result.rows] == HOSTILE_CALL_REFS
    assert result.unreadable == HOSTILE_SKIPPED - 1


@pytest.mark.parametrize("kind", ["ndjson", "array"])
async def test_a_body_with_a_utf8_bom_parses(upstream: Upstream, kind: str) -> None:
    body = ndjson(call("c-1")) if kind == "ndjson" else b"[" + ndjson(call("c-1")) + b"]"
    upstream.answers["pbxActiveCalls"] = Answer(body=b"\xef\xbb\xbf" + body)
    async with client_for(upstream) as client:
        result = await client.active_calls()
    assert [row.call_ref for row in result.rows] == ["c-1"] and result.unreadable == 0


async def test_a_lookup_answer_that_cannot_be_read_is_an_error(upstream: Upstream) -> None:
    upstream.answers["activeCall"] = Answer(body=b'{"igrp": NaN}')
    async with client_for(upstream) as client:
        with pytest.raises(errors.UnreadableResponse, match="could not be read"):
            await client.caller_details(call_ref="c-1")


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+14:00", "9999-12-31 23:59:59", "2026-05-01 10:00:00"]
)
async def test_a_date_out_of_range_costs_its_own_field_only(upstream: Upstream, when: str) -> None:
    """The whole lookup failed ("could not be read (date out of range …)") for one date."""
    upstream.answers["activeCall"] = Answer(
        body=ndjson({"igrp": "1", "triggerDatetime": when, "pub": "x", "c_list": ["a", {"b": 1}]})
    )
    async with client_for(upstream) as client:
        details = await client.caller_details(call_ref="c-1")
    assert details is not None and details.pub == "x"
    in_range = when.startswith("2026")
    assert (details.trigger_time is not None) is in_range
    # a list or object as JSON, not Python's repr of it
    assert details.custom == {"c_list": '["a", {"b": 1}]'}


async def test_lookup_values_are_clean(upstream: Upstream) -> None:
    upstream.answers["activeCall"] = Answer(
        body=ndjson({"igrp": "1", "campaign": HOSTILE, "c_var\x1b": HOSTILE, "pub": "[/]"})
    )
    async with client_for(upstream) as client:
        details = await client.caller_details(call_ref="c-1")
    assert details is not None
    assert details.campaign == clean(HOSTILE) and details.pub == "[/]"
    assert details.custom == {f"c_var{ESCAPE_MARK}": clean(HOSTILE)}
