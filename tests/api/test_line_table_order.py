"""The C head table follows the last body's lines in order (rtdash/api/_heads_order.h):
bodies made from the one before (lines gone, changed, new, moved, twice, cut into
pieces anywhere) are answered as the dict-backed table answers them, and a body in the
last one's order is found by following it, not by look-ups."""

from __future__ import annotations

import random
from array import array
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtdash.api import line_table
from rtdash.api.line_table import DictHeads

pytestmark = pytest.mark.skipif(line_table.built is None, reason="the C head table is not built")

EDIT = st.sampled_from(["gone", "changed", "new", "moved", "twice", "same"])


def as_words(keys: list[int]) -> Sequence[int]:
    return memoryview(array("q", keys).tobytes()).cast("q")


class Row:
    """A row object as a body's new line makes one."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key


def edited(last: list[int], edits: list[str], fresh: random.Random) -> list[int]:
    """The next body's keys: ``last``'s, each line edited in turn as ``edits`` say
    (cycled): left out, given a new key, a new line put before it, moved to the end,
    written twice, or kept."""
    body: list[int] = []
    moved: list[int] = []
    for at, key in enumerate(last):
        edit = edits[at % len(edits)] if edits else "same"
        if edit == "gone":
            continue
        if edit == "changed":
            key = fresh.getrandbits(63)
        elif edit == "new":
            body.append(fresh.getrandbits(63))
        elif edit == "moved":
            moved.append(key)
            continue
        elif edit == "twice":
            body.append(key)
        body.append(key)
    return body + moved


def read_body(table: object, keys: list[int], cuts: list[int]) -> tuple[list[object], list[object]]:
    """A body read as the line reader reads it: its keys taken a piece at a time, each
    piece's new lines put in found, then settled. The rows found, and those let go."""
    found: list[object] = []
    start = 0
    for end in [*sorted(cut % (len(keys) + 1) for cut in cuts), len(keys)]:
        if end < start:
            continue
        piece = keys[start:end]
        missing: list[int] = []
        rows = table.take(as_words(piece), missing)  # type: ignore[attr-defined]
        made = [Row(piece[at]) for at in missing]
        table.put(as_words([piece[at] for at in missing]), made, True)  # type: ignore[attr-defined]
        for at, row in zip(missing, made, strict=True):
            rows[at] = row
        found += rows
        start = end
    return found, table.settle()  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(EDIT, max_size=6), min_size=1, max_size=6),
    st.lists(st.lists(st.integers(0, 10_000), max_size=4), min_size=6, max_size=6),
    st.integers(0, 2000),
    st.sampled_from([0, 1, 32]),
    st.sampled_from([2, 4]),
)
def test_bodies_made_from_the_last_are_answered_as_the_dict_answers(
    bodies: list[list[str]], cuts: list[list[int]], size: int, distance: int, fill: int
) -> None:
    assert line_table.built is not None
    was, filled = line_table.built.ahead(distance), line_table.built.fill(fill)
    try:
        fresh = random.Random(size)
        keys = [fresh.getrandbits(63) for _ in range(size)]
        c_table, dict_table = line_table.built.Heads(), DictHeads()
        c_rows: list[object] = []
        dict_rows: list[object] = []
        for edits, body_cuts in zip(bodies, cuts, strict=False):
            got, c_gone = read_body(c_table, keys, body_cuts)
            expected, dict_gone = read_body(dict_table, keys, body_cuts)
            assert [row.key for row in got] == [row.key for row in expected] == keys  # type: ignore[attr-defined]
            # each line's row is the last body's row of the same line in both, or new in both
            assert _places_in(got, c_rows) == _places_in(expected, dict_rows)
            assert sorted(row.key for row in c_gone) == sorted(row.key for row in dict_gone)  # type: ignore[attr-defined]
            assert len(c_table) == len(dict_table)
            c_rows, dict_rows = got, expected
            keys = edited(keys, edits, fresh)
    finally:
        line_table.built.ahead(was)
        line_table.built.fill(filled)


def _places_in(rows: list[object], last: list[object]) -> list[int | None]:
    """Where each of ``rows`` was in the last body's rows (None: a new row); the last
    index where a row was there twice (the table holds the later one)."""
    index = {id(row): at for at, row in enumerate(last)}
    return [index.get(id(row)) for row in rows]


def test_a_body_in_the_last_ones_order_is_followed_not_looked_up() -> None:
    """A body of the last one's lines with a few gone, changed and new is found by
    following the last: every line it held, none by look-up. A body in another order
    is found by look-up (a few in the window aside), and the one after it, in its
    order, is followed again; so are the lines new in a body, in the next one."""
    assert line_table.built is not None
    table = line_table.built.Heads()
    fresh = random.Random(7)
    first = [fresh.getrandbits(63) for _ in range(5000)]
    read_body(table, first, [1000, 2500])
    table.take(as_words(first))
    assert table.followed() == 0  # the table was made again as the first body grew it
    table.settle()
    second = edited(first, ["same"] * 40 + ["gone", "changed", "new"], fresh)
    held = len(set(first) & set(second))
    missing: list[int] = []
    table.take(as_words(second), missing)
    assert table.followed() == held == len(second) - len(missing)
    table.put(as_words([second[at] for at in missing]), [Row(second[at]) for at in missing], True)
    table.settle()
    table.take(as_words(second))
    assert table.followed() == len(second)  # its new lines too
    table.settle()
    shuffled = list(second)
    fresh.shuffle(shuffled)
    table.take(as_words(shuffled))
    assert table.followed() < len(shuffled) // 100
    table.settle()
    table.take(as_words(shuffled))
    assert table.followed() == len(shuffled)


def test_a_table_made_again_is_not_followed_until_a_body_is_settled() -> None:
    """A table made again (its rows in other slots) mid-body is not followed by the rest
    of that body nor the next (its lines were noted with the old slots); the one after
    follows it. The rows found are right throughout."""
    assert line_table.built is not None
    table = line_table.built.Heads()
    keys = list(range(1, 200))
    read_body(table, keys, [])
    table.take(as_words(keys[:100]))
    assert table.followed() == 100
    many = list(range(10_000, 20_000))  # a put that makes the table again
    table.put(as_words(many), [Row(key) for key in many], True)
    rows = table.take(as_words(keys[100:]))
    assert [row.key for row in rows] == keys[100:]
    assert table.followed() == 100
    table.settle()
    rows = table.take(as_words(keys))
    assert [row.key for row in rows] == keys and table.followed() == 0
    table.settle()
    rows = table.take(as_words(keys))
    assert [row.key for row in rows] == keys and table.followed() == len(keys)


def test_a_line_twice_put_over_its_row_is_not_followed_to_the_old_row() -> None:
    """A line twice in a body is read the second time, and its new row put over the
    first (a key put twice keeps the later row): the next body finds the later row,
    not the one the first line noted."""
    assert line_table.built is not None
    table = line_table.built.Heads()
    keys = [11, 22, 33]
    read_body(table, keys, [])
    found, _ = read_body(table, [11, 22, 22, 33], [])
    later = found[2]
    assert found[1] is not later and later.key == 22  # type: ignore[attr-defined]
    rows = table.take(as_words([11, 22, 33]))
    assert rows[1] is later


def test_turned_off_every_line_is_looked_up_and_found_alike() -> None:
    """``follow(False)`` (the benchmark's other arm): a body in the last one's order is
    found by look-up, the same rows; turned on again, the next body is followed."""
    assert line_table.built is not None
    table = line_table.built.Heads()
    keys = list(range(1, 500))
    read_body(table, keys, [])
    first = table.take(as_words(keys))
    table.settle()
    was = line_table.built.follow(False)
    try:
        assert was is True
        looked_up = table.take(as_words(keys))
        assert table.followed() == 0
        table.settle()
    finally:
        line_table.built.follow(was)
    assert [id(row) for row in looked_up] == [id(row) for row in first]
    table.take(as_words(keys))
    assert table.followed() == len(keys)
