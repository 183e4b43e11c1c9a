"""The wallboard's agent tiles use their room evenly: the lines the tiles leave over
go between groups, then between every row where all of them fit, then between the
groups again, and none is left as a blank band at the foot.

The grid is drawn on its own at the size of the agents' room on a wallboard, with a
centre split exactly as each case says (which a simulated centre reaches only by
chance), and read back from the screen."""

from __future__ import annotations

from itertools import pairwise

import pytest

from rtdash.core.agents import ORDER
from tests.ui.grid_helpers import WORDS, GridApp, centre, cut_marks
from tests.ui.wall_helpers import screen_rows

#: the agents' room on the wallboard at 160x48 is this wide: four tiles a row
ROOM_WIDTH = 94


def _gaps(rows: list[str]) -> tuple[list[int], list[int], int]:
    """Runs of blank lines before each heading but the first, between the rows of
    tiles, and under the last line drawn."""
    drawn = [index for index, row in enumerate(rows) if row.strip()]
    headings = {index for index in drawn if rows[index][:1] in {s.symbol for s in ORDER}}
    before_groups: list[int] = []
    between_rows: list[int] = []
    for above, below in pairwise(drawn):
        blank = below - above - 1
        if above in headings and below not in headings:
            assert blank == 0, "a heading stands on its group's first row"
            continue
        (before_groups if below in headings else between_rows).append(blank)
    return before_groups, between_rows, len(rows) - 1 - drawn[-1]


# (available, on a call, away), lines of the agents' room
SPLITS = [
    pytest.param((5, 14, 6), 17, id="5-14-6 in 17 lines, the demo at 160x48"),
    pytest.param((5, 14, 6), 18, id="5-14-6 in 18 lines, every gap fits"),
    pytest.param((9, 14, 6), 18, id="9-14-6 in 18 lines"),
    pytest.param((0, 18, 7), 16, id="0-18-7 in 16 lines, an empty group"),
    pytest.param((8, 16, 8), 12, id="8-16-8 in 12 lines, one line spare"),
    pytest.param((3, 15, 7), 22, id="3-15-7 in 22 lines, packed two-line tiles"),
    pytest.param((2, 20, 1), 20, id="2-20-1 in 20 lines, packed, one large group"),
]


@pytest.mark.parametrize(("split", "height"), SPLITS)
async def test_the_spare_lines_are_shared_between_groups_and_rows(
    split: tuple[int, int, int], height: int
) -> None:
    users, on_call = centre(*split)
    app = GridApp(users, on_call)
    async with app.run_test(size=(ROOM_WIDTH, height)) as pilot:
        await pilot.pause()
        rows = screen_rows(app)
    text = "\n".join(rows)
    assert not cut_marks(text), text
    before_groups, between_rows, under = _gaps(rows)
    assert under == 0, f"{under} blank lines under the agents:\n{text}"
    # rows spaced alike everywhere (a group spaced in part reads as uneven blocks),
    # the groups evenly and never closer than the rows
    assert len(set(between_rows)) <= 1, f"rows spaced unevenly {between_rows}:\n{text}"
    assert max(before_groups) - min(before_groups) <= 1, f"groups {before_groups}:\n{text}"
    if between_rows:
        assert min(before_groups) >= max(between_rows), "groups as far apart as rows"
    # the order kept: each group under its heading, longest in state first
    reading_order = [
        label
        for state, count, word in zip(ORDER, split, WORDS, strict=True)
        for label in (
            f"{state.symbol} {count} {state.word}",
            *(f"{state.symbol} {word} {n:02d}" for n in range(count)),
        )
    ]
    places = [text.index(label) for label in reading_order]
    assert places == sorted(places), text
