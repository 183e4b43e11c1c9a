"""The head table in C (rtdash/api/_heads.c) does what the dict-backed one does, call
for call: random runs of takes, puts, settles and clears on both, with keys that crowd
the same slots, grow the table, repeat, and reach both ends of 64 bits."""

from __future__ import annotations

import gc
import sys
from array import array
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtdash.api import line_table
from rtdash.api.line_table import DictHeads

pytestmark = pytest.mark.skipif(line_table.built is None, reason="the C head table is not built")

KEYS = st.one_of(
    st.integers(-50, 50),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([-(2**63), 2**63 - 1, 0, -1, 2**62, 1024, 2048]),
)
ROWS = [object() for _ in range(64)]
STEP = st.one_of(
    st.tuples(st.just("take"), st.lists(KEYS, max_size=40)),
    st.tuples(
        st.just("put"),
        st.lists(st.tuples(KEYS, st.one_of(st.none(), st.integers(0, len(ROWS) - 1))), max_size=40),
    ),
    st.tuples(
        st.just("put found"),
        st.lists(st.tuples(KEYS, st.one_of(st.none(), st.integers(0, len(ROWS) - 1))), max_size=40),
    ),
    st.tuples(st.just("clear"), st.none()),
    st.tuples(st.just("settle"), st.none()),
    st.tuples(st.just("many"), st.integers(0, 3000)),
    st.tuples(st.just("poll"), st.integers(0, 3000)),
)


def as_words(keys: list[int]) -> Sequence[int]:
    """``keys`` as the C scanner hands a piece's keys on: a memoryview of int64."""
    return memoryview(array("q", keys).tobytes()).cast("q")


def apply(table: object, step: tuple[str, object], words: bool = False) -> object:
    """``step`` on ``table``, its keys a list (or, with ``words``, as the scanner's)."""
    given: Callable[[list[int]], Sequence[int]] = as_words if words else list
    kind, arg = step
    if kind == "take":  # the rows, then the indexes of the keys not found
        missing: list[int] = []
        rows = table.take(given(list(arg)), missing)  # type: ignore[attr-defined, call-overload]
        return [*rows, missing]
    if kind in ("put", "put found"):
        pairs = list(arg)  # type: ignore[call-overload]
        keys = given([key for key, _ in pairs])
        rows = [None if at is None else ROWS[at] for _, at in pairs]
        return table.put(keys, rows, kind == "put found")  # type: ignore[attr-defined]
    if kind == "clear":
        return table.clear()  # type: ignore[attr-defined]
    if kind == "settle":
        return table.settle()  # type: ignore[attr-defined]
    if kind == "poll":  # as a body is read: most keys found, some new, the rest gone
        count = int(arg)  # type: ignore[call-overload]
        keys = [key * 7919 for key in range(count // 3, count + count // 3)]
        found = table.take(given(keys))  # type: ignore[attr-defined]
        fresh = [key for key, row in zip(keys, found, strict=True) if row is None]
        table.put(fresh, [ROWS[key % len(ROWS)] for key in fresh], True)  # type: ignore[attr-defined]
        return table.settle()  # type: ignore[attr-defined]
    count = int(arg)  # type: ignore[call-overload]
    keys = [key * 7919 for key in range(count)]  # many keys: the table grows
    return table.put(keys, [ROWS[key % len(ROWS)] for key in range(count)])  # type: ignore[attr-defined]


def same(c_table: object, dict_table: DictHeads) -> None:
    assert len(c_table) == len(dict_table)  # type: ignore[arg-type]
    assert sorted(c_table.held_keys()) == sorted(dict_table.held_keys())  # type: ignore[attr-defined]
    assert sorted(map(id, c_table.rows())) == sorted(map(id, dict_table.rows()))  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(STEP, max_size=25),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0, 1, 32, 4096]),
    st.sampled_from([2, 4, 16]),
)
def test_the_c_table_answers_every_call_as_the_dict_does(
    steps: list[tuple[str, object]], c_words: bool, dict_words: bool, distance: int, fill: int
) -> None:
    """Either table given its keys as a list or as the scanner's words, whatever the
    distance the C table asks for slots and rows ahead at and however sparse it is
    kept."""
    assert line_table.built is not None
    was, filled = line_table.built.ahead(distance), line_table.built.fill(fill)
    try:
        _answers_as_the_dict_does(steps, c_words, dict_words)
    finally:
        line_table.built.ahead(was)
        line_table.built.fill(filled)


def _answers_as_the_dict_does(
    steps: list[tuple[str, object]], c_words: bool, dict_words: bool
) -> None:
    assert line_table.built is not None
    c_table, dict_table = line_table.built.Heads(), DictHeads()
    for step in steps:
        got, expected = apply(c_table, step, c_words), apply(dict_table, step, dict_words)
        if step[0] == "take":
            *rows, missing = got  # type: ignore[misc]
            assert [id(row) for row in rows] == [id(row) for row in expected[:-1]]  # type: ignore[index]
            assert missing == expected[-1] == [i for i, row in enumerate(rows) if row is None]  # type: ignore[index]
        if step[0] in ("settle", "poll"):  # the same rows let go, in no order
            assert sorted(map(id, got)) == sorted(map(id, expected))  # type: ignore[call-overload]
        same(c_table, dict_table)
    c_table.settle()  # every row found is held again, as in the dict
    dict_table.settle()
    same(c_table, dict_table)


def test_the_table_holds_its_rows_and_lets_them_go() -> None:
    assert line_table.built is not None
    table = line_table.built.Heads()
    row = object()
    before = sys.getrefcount(row)
    table.put([1, 2, 3], [row, row, row])
    assert sys.getrefcount(row) == before + 3
    taken = table.take([2])
    assert taken[0] is row
    assert len(table) == 2
    assert sys.getrefcount(row) == before + 4  # found: still held, and in the list
    del taken
    assert sys.getrefcount(row) == before + 3
    gone = table.settle()  # keys 1 and 3 were not found: let go, handed to the list
    assert gone == [row, row]
    assert len(table) == 1
    assert sys.getrefcount(row) == before + 3
    del gone
    assert sys.getrefcount(row) == before + 1
    assert table.take([1, 2, 2]) == [None, row, None]  # a row is found once
    other = object()
    table.put([1], [other], True)  # read from a new line: held, but not found again
    assert table.take([1]) == [None]
    assert len(table) == 0 and table.settle() == []
    assert table.take([1, 2]) == [other, row]  # both held for the next body
    table.clear()
    assert len(table) == 0
    assert sys.getrefcount(row) == before
    cycle: list[object] = []
    table.put([5], [cycle])
    cycle.append(table)  # a cycle through the table: the collector frees it
    del table, cycle
    assert gc.collect() >= 2


def test_bad_calls_are_refused() -> None:
    assert line_table.built is not None
    table = line_table.built.Heads()
    with pytest.raises(TypeError):
        table.take((1, 2))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        table.take(["1"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        table.take([1], (0,))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        table.put([1, 2], [object()])
    with pytest.raises(OverflowError):
        table.put([2**64], [object()])
    with pytest.raises(TypeError):
        line_table.built.Heads(1)
    with pytest.raises(TypeError):  # bytes, not int64 words
        table.take(memoryview(b"12345678"))
    with pytest.raises(TypeError):  # 32-bit words
        table.put(memoryview(array("i", [1, 2])), [object(), object()])
    with pytest.raises(ValueError):
        table.put(as_words([1, 2]), [object()])
    assert table.take(as_words([])) == [] and len(table) == 0


@pytest.mark.parametrize("call", ["rows", "held_keys", "settle", "put", "take"])
def test_a_row_let_go_by_clear_may_use_the_table(call: str) -> None:
    """A row's finalizer, run as clear() lets it go, finds the table empty and whole:
    what it asks is answered, what it puts in stays, and the counts agree."""
    assert line_table.built is not None
    table = line_table.built.Heads()
    answers: list[object] = []
    kept = object()

    class Row:
        def __del__(self) -> None:
            if answers:
                return
            if call == "put":
                table.put([999], [kept])
                answers.append(None)
            elif call == "take":
                answers.append(table.take([3, 999]))
            else:
                answers.append(getattr(table, call)())

    keys = list(range(10))
    table.put(keys, [Row() for _ in keys])
    table.take([0, 1])  # some rows found, some not, when the table is cleared
    table.clear()
    assert len(answers) == 1
    if call == "put":  # put in while the table was being cleared: held
        assert len(table) == 1 and table.rows() == [kept] and table.held_keys() == [999]
        assert table.take([999]) == [kept] and len(table) == 0
        assert table.settle() == [] and table.take([999]) == [kept]
    else:
        assert answers[0] in ([], [None, None])
        assert len(table) == 0 and table.rows() == [] and table.settle() == []
