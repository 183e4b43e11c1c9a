"""Gone rows taken out of a group by identity: the part in C (rtdash/core/_drop.c) does
what the Python does, on generated groups, and holds its references right."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rtdash.core import row_order


class Row:
    """A row whose equality is not identity: only identity may decide."""

    def __init__(self, key: int) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def _by_identity(kept: list[Row], gone: list[Row]) -> tuple[Row, ...]:
    out = set(map(id, gone))
    return tuple(row for row in kept if id(row) not in out)


needs_part = pytest.mark.skipif(row_order.dropping is None, reason="the C part is not built")


#: how far ahead the part in C asks for rows (its ``ahead``): none, the nearest, and
#: further than a small group holds
DISTANCES = st.sampled_from([0, 1, 32, 500])
#: how sparse it keeps its set of gone rows (its ``fill``): half full, as built, sparsest
FILLS = st.sampled_from([2, 16, 64])


@contextmanager
def tuned(distance: int, fill: int) -> Iterator[None]:
    """The part in C asking for rows ``distance`` ahead, its set of gone rows ``fill``
    slots a row."""
    assert row_order.dropping is not None
    was, filled = row_order.dropping.ahead(distance), row_order.dropping.fill(fill)
    try:
        yield
    finally:
        row_order.dropping.ahead(was)
        row_order.dropping.fill(filled)


@needs_part
@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(0, 300),
    picks=st.lists(st.integers(0, 299), max_size=80),
    strangers=st.integers(0, 5),
    as_list=st.booleans(),
    twice=st.booleans(),
    distance=DISTANCES,
    fill=FILLS,
)
def test_the_part_in_c_takes_out_exactly_the_gone_objects(
    size: int,
    picks: list[int],
    strangers: int,
    as_list: bool,
    twice: bool,
    distance: int,
    fill: int,
) -> None:
    """Whatever the distance its rows are asked for at, however sparse its set."""
    assert row_order.dropping is not None
    with tuned(distance, fill):
        _takes_out_exactly(size, picks, strangers, as_list, twice)


def _takes_out_exactly(
    size: int, picks: list[int], strangers: int, as_list: bool, twice: bool
) -> None:
    assert row_order.dropping is not None
    rows = [Row(n % 7) for n in range(size)]  # many equal, none identical
    if twice and rows:
        rows.append(rows[0])  # one object twice: both go if it goes
    gone = [rows[pick] for pick in picks if pick < len(rows)]
    gone += [Row(n) for n in range(strangers)]  # equal to some, identical to none
    kept = rows if as_list else tuple(rows)
    made = row_order.dropping.without(kept, gone)
    assert type(made) is tuple
    assert list(map(id, made)) == list(map(id, _by_identity(rows, gone)))
    found: list[Row] = []
    assert row_order.dropping.without(kept, gone, found) == made
    assert list(map(id, found)) == list(map(id, _met(rows, gone)))


def _met(kept: list[Row], gone: list[Row]) -> list[Row]:
    """The items of ``kept`` that are (by identity) gone, in ``kept``'s order."""
    out = set(map(id, gone))
    return [row for row in kept if id(row) in out]


@needs_part
@pytest.mark.parametrize("gone_count", [1, 300, 4095, 4096, 9000])
def test_the_part_in_c_takes_out_many_gone_rows_as_few(gone_count: int) -> None:
    """The set of gone rows is kept sparse while small and half full past a size:
    either way, each gone row out (met in order), every other row kept in order."""
    assert row_order.dropping is not None
    rows = [Row(n % 11) for n in range(20_000)]
    gone = rows[3 :: 20_000 // gone_count][:gone_count]
    strangers = [Row(n) for n in range(5)]  # equal to some, identical to none
    found: list[Row] = []
    made = row_order.dropping.without(tuple(rows), gone + strangers, found)
    assert list(map(id, made)) == list(map(id, _by_identity(rows, gone)))
    assert list(map(id, found)) == list(map(id, gone))


@needs_part
def test_the_part_in_c_holds_one_reference_per_place() -> None:
    assert row_order.dropping is not None
    rows = tuple(Row(n) for n in range(50))
    gone = list(rows[10:20])
    before = [sys.getrefcount(row) for row in rows]
    made = row_order.dropping.without(rows, gone)
    during = [sys.getrefcount(row) for row in rows]
    assert [after - first for first, after in zip(before, during, strict=True)] == [
        0 if 10 <= n < 20 else 1 for n in range(50)
    ]
    del made
    assert [sys.getrefcount(row) for row in rows] == before


@needs_part
def test_the_part_in_c_refuses_what_is_not_a_sequence() -> None:
    assert row_order.dropping is not None
    with pytest.raises(TypeError):
        row_order.dropping.without(5, [])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        row_order.dropping.without((), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        row_order.dropping.without(())  # type: ignore[call-arg]


def test_without_takes_out_the_gone_rows_both_ways(each_drop: str) -> None:
    """row_order.without, with the part in C and without it: the gone rows out, the
    rest in order, whatever the number gone (the Python searches for a few, and passes
    over every row for many)."""
    rows = tuple(Row(n) for n in range(400))
    key = row_order.remembered(lambda row: row.key)
    for gone in ([], rows[5:6], rows[::97], rows[::3], list(rows)):
        made = row_order.without(rows, list(gone), key)
        assert list(map(id, made)) == list(map(id, _by_identity(list(rows), list(gone))))


@needs_part
@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.integers(0, 40), max_size=300),
    picks=st.lists(st.integers(0, 299), max_size=60),
    new_keys=st.lists(st.integers(-2, 42), max_size=30),
    strangers=st.integers(0, 3),
    distance=DISTANCES,
    fill=FILLS,
)
# a group just big enough for a search until its gone row is out: both ways must then
# take the same path (placing by search and merging order equal keys apart)
@example(keys=[0] * 8, picks=[3], new_keys=[0], strangers=0, distance=32, fill=16)
def test_replaced_in_one_pass_is_the_group_without_its_gone_rows_then_placed(
    keys: list[int],
    picks: list[int],
    new_keys: list[int],
    strangers: int,
    distance: int,
    fill: int,
) -> None:
    """The one pass in C lays a group out as taking the gone rows out and then placing
    the new ones does: the same objects in the same order, ties among equal keys
    included (a new row goes before the equal ones already there); whatever the
    distance its rows are asked for at and however sparse its set of gone rows."""
    with tuned(distance, fill):
        _replaced_as_placed(keys, picks, new_keys, strangers)


def _replaced_as_placed(
    keys: list[int], picks: list[int], new_keys: list[int], strangers: int
) -> None:
    rows = tuple(Row(key) for key in sorted(keys))
    gone = [rows[pick] for pick in picks if pick < len(rows)]
    gone += [Row(n) for n in range(strangers)]  # equal to some, identical to none
    new = [Row(key) for key in new_keys]
    key = row_order.remembered(lambda row: row.key)
    expected = row_order.placed(_by_identity(list(rows), gone), new, key)
    made, found = row_order.replaced(rows, gone, new, key)
    assert list(map(id, made)) == list(map(id, expected))
    # the gone rows as the snapshots hand them on: in the group's order when each is
    # one of its rows (so in order by key), else sorted by key
    if len(_met(list(rows), gone)) == len(gone):
        assert list(map(id, found)) == list(map(id, _met(list(rows), gone)))
    else:
        assert list(map(id, found)) == list(map(id, sorted(gone, key=key)))


@needs_part
def test_replaced_refuses_places_out_of_order_or_out_of_the_group() -> None:
    assert row_order.dropping is not None
    rows = tuple(Row(n) for n in range(5))
    new = [Row(1), Row(3)]
    with pytest.raises(ValueError):
        row_order.dropping.replaced(rows, [], new, [3, 1])
    with pytest.raises(ValueError):
        row_order.dropping.replaced(rows, [], new, [1, 6])
    with pytest.raises(ValueError):
        row_order.dropping.replaced(rows, [], new, [1])
    with pytest.raises(TypeError):
        row_order.dropping.replaced(list(rows), [], new, [1, 3])  # type: ignore[arg-type]
    before = [sys.getrefcount(row) for row in (*rows, *new)]
    made = row_order.dropping.replaced(rows, [rows[0]], new, [1, 5])
    assert [row.key for row in made] == [1, 1, 2, 3, 4, 3]
    del made
    assert [sys.getrefcount(row) for row in (*rows, *new)] == before
    found: list[Row] = []
    made = row_order.dropping.replaced(rows, [rows[3], rows[0]], new, [1, 5], found)
    assert found == [rows[0], rows[3]] and found[0] is rows[0]
    del made, found
    assert [sys.getrefcount(row) for row in (*rows, *new)] == before
    gone = [rows[0]]
    for own in (gone, new):  # appended to while it is read: refused
        with pytest.raises(ValueError):
            row_order.dropping.replaced(rows, gone, new, [1, 5], own)
    with pytest.raises(TypeError):
        row_order.dropping.without(rows, gone, ())  # type: ignore[arg-type]
