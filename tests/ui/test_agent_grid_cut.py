"""Where the wallboard's agents do not all fit, every one of them is still counted under
their state: a group with no room for a tile keeps its count on its heading, marked
"(not shown)", and the last line names the states of the agents it counts.

The grid is drawn on its own at small heights with a centre split as each case says,
and read back from the screen line by line."""

from __future__ import annotations

import re

import pytest

from rtdash.core.agents import ORDER
from tests.ui.grid_helpers import WORDS, GridApp, centre
from tests.ui.wall_helpers import screen_rows

#: the agents' room on the wallboard at 80x24: three one-line tiles a row
ROOM_AT_80X24 = (78, 14)


async def _rows(split: tuple[int, int, int], size: tuple[int, int]) -> list[str]:
    """The rows as drawn text: the blank between two tiles is no text, so a tile follows
    the one before it straight on (at 80 columns the first column's tiles are a cell
    wider, a margin the others give up to keep a name's room)."""
    users, on_call = centre(*split)
    app = GridApp(users, on_call)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return [row.rstrip() for row in screen_rows(app)]


def _tiles(row: str) -> list[str]:
    return re.findall(r"[●◆○] (?:Free|Talk|Gone) \d\d", row)


async def test_a_group_with_no_room_for_a_tile_says_so_on_its_heading() -> None:
    """The screen ended in a bare "○ 6 away" over "+6 more agents", read as six more."""
    rows = await _rows((2, 10, 6), (80, 8))
    assert rows == [
        "● 2 available",
        " ● Free 00   1:00:00● Free 01     59:00",
        "◆ 10 on a call",
        " ◆ Talk 00   1:00:00◆ Talk 01     59:00◆ Talk 02     58:00◆ Talk 03     57:00",
        " ◆ Talk 04     56:00◆ Talk 05     55:00◆ Talk 06     54:00◆ Talk 07     53:00",
        " ◆ Talk 08     52:00◆ Talk 09     51:00",
        "○ 6 away (not shown)",
        "",
    ]


async def test_a_heading_on_the_last_line_keeps_its_count() -> None:
    """The last group's heading on the screen's last line gave way to "+6 more agents",
    which did not say they were away."""
    rows = await _rows((2, 10, 6), (80, 7))
    assert rows[-2:] == [" ◆ Talk 08     52:00◆ Talk 09     51:00", "○ 6 away (not shown)"]


async def test_the_groups_after_a_bare_heading_keep_theirs_where_there_is_a_line() -> None:
    rows = await _rows((2, 10, 6), (80, 4))
    assert rows[2:] == ["◆ 10 on a call (not shown)", "○ 6 away (not shown)"]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param(
            (80, 3),
            [
                "● 2 available",
                " ● Free 00   1:00:00● Free 01     59:00",
                "+10 more on a call, +6 away",
            ],
            id="one line for two groups",
        ),
        pytest.param(
            (80, 2), ["● 2 available (not shown)", "+10 more on a call, +6 away"], id="two lines"
        ),
        pytest.param((80, 1), ["+2 more available, +10 on a call, +6 away"], id="one line"),
    ],
)
async def test_groups_with_no_line_are_named_in_the_last(
    size: tuple[int, int], expected: list[str]
) -> None:
    assert await _rows((2, 10, 6), size) == expected


async def test_a_cut_inside_a_group_counts_exactly_the_agents_without_a_tile() -> None:
    rows = await _rows((12, 20, 6), (80, 10))
    tiles = [tile for row in rows for tile in _tiles(row)]
    assert len([tile for tile in tiles if "Talk" in tile]) == 16
    assert len(tiles) == 12 + 16
    assert rows[-1] == "+4 more on a call, +6 away (longest in state first)"


async def test_one_line_tiles_at_80x24_end_in_the_count_by_state() -> None:
    """The demo's larger centre on an SSH wallboard: the rows of on-a-call tiles are cut
    and the away group has no room at all."""
    rows = await _rows((6, 41, 16), ROOM_AT_80X24)
    assert rows[0] == "● 6 available"
    assert rows[3] == "◆ 41 on a call"
    assert rows[-1] == "+14 more on a call, +16 away (longest in state first)"
    drawn = [row for row in rows[1:-1] if row != rows[3]]
    assert all(len(_tiles(row)) == 3 for row in drawn[:-1]), rows
    assert sum(len(_tiles(row)) for row in drawn) == 6 + 27
    assert max(len(row) for row in rows) <= ROOM_AT_80X24[0]


def _named(rows: list[str]) -> dict[str, int]:
    """Each state's agents the screen counts without a tile, by its words."""
    named = dict.fromkeys((state.word for state in ORDER), 0)
    for row in rows:
        for state in ORDER:
            if row == f"{state.symbol} {_count(row)} {state.word} (not shown)":
                named[state.word] += _count(row)
        if row.startswith("+"):
            for part in row.split(" (")[0].split(", "):
                count, _, word = part.removeprefix("+").partition(" ")
                word = word.removeprefix("more ")
                named[word] = named.get(word, 0) + int(count)
    return named


def _count(row: str) -> int:
    digits = re.match(r"\S+ (\d+) ", row)
    return int(digits.group(1)) if digits else -1


#: centres and, at 80 columns (four tiles a row), the lines they need to fit whole
CENTRES = [((2, 10, 6), 9), ((12, 20, 6), 13), ((0, 8, 6), 7), ((3, 3, 3), 6), ((5, 14, 0), 9)]


@pytest.mark.parametrize(
    ("split", "height"),
    [
        pytest.param(split, height, id=f"{'-'.join(map(str, split))} in {height} lines")
        for split, whole in CENTRES
        for height in range(1, whole)
    ],
)
async def test_every_agent_is_a_tile_or_counted_under_their_state(
    split: tuple[int, int, int], height: int
) -> None:
    rows = await _rows(split, (80, height))
    tiles = [tile for row in rows for tile in _tiles(row)]
    assert len(tiles) < sum(split), "a screen too short for every tile"
    named = _named(rows)
    for state, word, count in zip(ORDER, WORDS, split, strict=True):
        drawn = sum(1 for tile in tiles if word in tile)
        assert drawn + named[state.word] == count, f"{state.word}:\n" + "\n".join(rows)
    # no heading over nothing: a group's heading stands on its first row, or says why not
    for above, below in zip(rows, [*rows[1:], ""], strict=True):
        for state in ORDER:
            if above == f"{state.symbol} {_count(above)} {state.word}" and _count(above) > 0:
                assert below.startswith(f" {state.symbol}"), "\n".join(rows)
