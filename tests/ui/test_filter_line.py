"""The filter line: a bordered box while words are typed, one line once Enter hands the
focus to the calls, saying how to clear or change the filter; at 80×24 the two lines
it gives back show two more calls."""

from __future__ import annotations

import re

from textual.widgets import Input

from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.filter_line import APPLIED_HINT, FilterLine

from .helpers import screen_text, settings_for, wait_for_data, wait_until

#: a call's row as the grid draws it: its two times first
CALL_ROW = re.compile(r"^\s*\d+:\d\d\s+\d+:\d\d\s")


def _call_rows(app: RtdashApp) -> int:
    return sum(1 for line in screen_text(app).splitlines() if CALL_ROW.match(line))


async def test_a_filter_in_use_takes_one_line_and_says_how_to_clear_it(sim: Simulator) -> None:
    app = RtdashApp(settings_for(sim), clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        # "line" is in every call's line name: the filter hides no call, so the grid
        # is as full as it can be either way and only the filter line's height differs
        await pilot.press("/", *"line")
        box = app.screen.query_one("#filter", Input)
        await wait_until(pilot, lambda: box.value == "line" and box.has_focus)
        await pilot.pause()
        assert box.region.height == 3, "typing: a bordered box"
        assert APPLIED_HINT not in screen_text(app)
        typing = _call_rows(app)

        await pilot.press("enter")
        await wait_until(pilot, lambda: not box.has_focus)
        await pilot.pause()
        assert box.region.height == 1
        shown = screen_text(app)
        filter_row = next(row for row in shown.splitlines() if APPLIED_HINT in row)
        assert filter_row.strip().startswith("line"), filter_row
        assert _call_rows(app) == typing + 2, shown

        await pilot.press("/")  # back in the box: bordered again, the words kept
        await wait_until(pilot, lambda: box.has_focus)
        await pilot.pause()
        assert box.region.height == 3 and APPLIED_HINT not in screen_text(app)
        assert box.value == "line"

        await pilot.press("escape")  # cleared: no line at all
        await wait_until(pilot, lambda: not box.display)
        await pilot.pause()
        assert APPLIED_HINT not in screen_text(app)
        assert box.value == ""


async def test_an_emptied_filter_hides_the_line_without_the_hint(sim: Simulator) -> None:
    """Enter on no words is no filter: the line goes, and the hint is never shown."""
    app = RtdashApp(settings_for(sim), clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("/", "enter")
        box = app.screen.query_one("#filter", Input)
        await wait_until(pilot, lambda: not box.display)
        await pilot.pause()
        assert APPLIED_HINT not in screen_text(app)
        assert not app.screen.query_one(FilterLine).display, "no empty line left behind"
