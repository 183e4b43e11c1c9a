"""The ``s`` key's cycle: the arrow means the same for every key (↑ ascending)."""

from __future__ import annotations

from rtdash.core.sorting import SortCycle, SortKey

#: rows are (name, start), in a snapshot's own order (earliest start first); a smaller
#: start is a longer time in state
ROWS = (("bea", 10), ("cy", 20), ("al", 30))


def cycle() -> SortCycle[tuple[str, int]]:
    return SortCycle(
        [
            SortKey("wait", "time in state", lambda row: row[1], label_descends=True),
            SortKey("name", "name", lambda row: row[0]),
        ]
    )


def test_time_in_state_up_is_the_shortest_first_as_a_name_up_is_a_first() -> None:
    sort = cycle()
    # the default: earliest start first, i.e. the longest time in state first
    assert sort.apply(ROWS) == ROWS
    assert sort.cycle() == "sorted by time in state ↑"
    assert [row[1] for row in sort.apply(ROWS)] == [30, 20, 10], "shortest time first"
    assert sort.cycle() == "sorted by name ↑"
    assert [row[0] for row in sort.apply(ROWS)] == ["al", "bea", "cy"]
    assert sort.cycle() == "sorted by name ↓"
    assert [row[0] for row in sort.apply(ROWS)] == ["cy", "bea", "al"]
    assert sort.cycle() == "sorted by time in state ↓"
    assert [row[1] for row in sort.apply(ROWS)] == [10, 20, 30], "longest time first"


def test_a_plain_key_up_is_its_values_ascending() -> None:
    sort = SortCycle([SortKey("start", "state start", lambda row: row[1])])
    assert sort.cycle() == "sorted by state start ↓"
    assert [row[1] for row in sort.apply(ROWS)] == [30, 20, 10], "latest start first"
    assert sort.apply(ROWS) != ROWS
    assert sort.cycle() == "sorted by state start ↑"
    assert sort.is_default
