"""The installations' tabs always fit their line: with several long names at 80 columns
the labels are shortened alike (the names cut with their ids kept, then the ids alone),
so no tab, and no tab's mark of a breach, falls off the end of the line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from rtdash.core.thresholds import Level
from rtdash.ui.widgets.installation_bar import TAB_MARKS, InstallationBar, Tab

NAMES = [
    "Northwind Contact Centre (1234)",
    "Harbour Lettings (5678)",
    "Riverside Support Desk (9012)",
    "installation 3456",
]


class BarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield InstallationBar(id="bar")


async def shown(width: int, tabs: list[Tab], current: int = 0, notes: tuple[str, ...] = ()) -> str:
    app = BarApp()
    async with app.run_test(size=(width, 3)) as pilot:
        bar = app.query_one(InstallationBar)
        bar.show(tabs, current, notes)
        await pilot.pause()
        line = bar.render()
        assert hasattr(line, "plain")
        return str(line.plain)


@pytest.mark.parametrize("count", [3, 4])
async def test_every_tab_and_its_breach_mark_stays_on_an_80_column_line(count: int) -> None:
    """The last installation is in breach: its mark must be on the line, as must every
    tab's number and id (a line cut at its end lost the last tabs whole)."""
    tabs = [Tab(name, Level.OK) for name in NAMES[:count]]
    tabs[-1] = tabs[-1]._replace(level=Level.ALERT)
    line = await shown(80, tabs)
    assert cell_len(line) <= 80 and "…" not in line[-3:], line
    assert line.rstrip().endswith(TAB_MARKS[Level.ALERT]), line
    for number, igrp in enumerate(["1234", "5678", "9012", "3456"][:count], start=1):
        assert f" {number} " in line and igrp in line, line


async def test_names_are_cut_alike_keeping_their_ids_before_they_go() -> None:
    """Three tabs at 80 columns: room for the start of each name beside its id."""
    line = await shown(80, [Tab(name, Level.OK) for name in NAMES[:3]])
    assert "Northw" in line and "(1234)" in line, line
    assert "Harbou" in line and "(5678)" in line, line
    assert "Rivers" in line and "(9012)" in line, line


async def test_tabs_that_fit_are_drawn_whole() -> None:
    line = await shown(160, [Tab(name, Level.OK) for name in NAMES[:3]])
    assert all(name in line for name in NAMES[:3]), line


async def test_too_narrow_for_any_label_the_numbers_and_marks_stay() -> None:
    tabs = [Tab(name, Level.WARN) for name in NAMES]
    line = await shown(30, tabs)
    assert cell_len(line) <= 30, line
    assert line.count(TAB_MARKS[Level.WARN]) == 4, line


#: the wallboard's notes, in fewer words each (``WallboardScreen.installation_note``)
PINNED = ("pinned · 0 resumes rotation", "pinned · 0 resumes", "pinned")
ROTATING = ("rotating every 30 s", "rotating, 30 s", "rotating")
DEMO = [Tab(NAMES[0], Level.ALERT), Tab(NAMES[1], Level.ALERT)]


@pytest.mark.parametrize(
    ("paused", "notes", "line"),
    [
        (
            [True, False],
            PINNED,
            " 1 Northwind Contact Centre (1234) ‼ ‖ │  2 Harbour Lettings (5678) ‼  pinned",
        ),
        (
            [True, False],
            ROTATING,
            " 1 Northwind Contact Centre (1234) ‼ ‖ │  2 Harbour Lettings (5678) ‼  rotating",
        ),
        (
            [True, True],
            ROTATING,
            " 1 Northwind Contact Cent… (1234) ‼ ‖ │  2 Harbour Lettings (5678) ‼ ‖  rotating",
        ),
    ],
    ids=["pinned", "rotating", "both-paused-rotating"],
)
async def test_a_paused_board_still_says_whether_it_is_pinned_at_80_columns(
    paused: list[bool], notes: tuple[str, ...], line: str
) -> None:
    """A pin stops the rotation and the bar says so, paused or not: "paused" gives way
    to its mark, then the names are cut (ids kept), before the note goes."""
    tabs = [tab._replace(paused=frozen) for tab, frozen in zip(DEMO, paused, strict=True)]
    assert await shown(80, tabs, notes=notes) == line
