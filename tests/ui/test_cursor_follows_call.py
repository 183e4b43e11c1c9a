"""The cursor stays on its call when the call moves to another group: a supervisor who
selected a waiting caller and presses Enter after the caller was answered looks up
that caller, not the one who was next in the queue."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from textual.pilot import Pilot

from rtdash.api.models import CallState
from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.calls_grid import CallsGrid
from tests.ui.helpers import make_app, poll_after, settings_for, wait_for_data, wait_until


@contextlib.asynccontextmanager
async def _dashboard(
    sim: Simulator, size: tuple[int, int]
) -> AsyncIterator[tuple[RtdashApp, Pilot[None], Any, CallsGrid]]:
    """The dashboard on ``sim`` with its first data: the app, its pilot, the view shown
    and its calls grid."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        yield app, pilot, view, view.query_one(CallsGrid)


async def test_the_cursor_goes_with_a_waiting_call_into_the_bridged_group(
    sim: Simulator,
) -> None:
    async with _dashboard(sim, (160, 48)) as (app, pilot, view, grid):
        queueing = grid.table(CallState.QUEUEING)
        await wait_until(pilot, lambda: queueing.row_count > 1)
        queueing.focus()
        await pilot.pause()
        # the longest-waiting caller is the next to be answered: chosen by keys
        await pilot.press("down", "home")
        assert queueing.cursor_row == 0
        chosen = queueing.selected_key
        assert chosen is not None
        bridged = grid.table(CallState.BRIDGED)
        for _ in range(60):
            await poll_after(pilot, view, 5, sim)
            groups = view.calls.groups
            if any(call.call_ref == chosen for call in groups[CallState.BRIDGED]):
                break
            if not any(call.call_ref == chosen for call in groups[CallState.QUEUEING]):
                raise AssertionError("the chosen caller left without being answered")
        else:
            raise AssertionError("the chosen caller was never answered")
        await pilot.pause()
        assert app.focused is bridged
        assert bridged.selected_key == chosen
        picked = grid.selected_call()  # what Enter looks up
        assert picked is not None and picked.call_ref == chosen


async def test_a_hidden_installation_never_takes_the_focus_with_its_call(
    sim: Simulator,
) -> None:
    """The selection follows its call in its own installation only: a call answered on
    a tab not shown leaves the focus where the user is, on the tab shown."""
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        first = app.screen.view
        queueing = first.query_one(CallsGrid).table(CallState.QUEUEING)
        await wait_until(pilot, lambda: queueing.row_count > 1)
        queueing.focus()
        await pilot.pause()
        await pilot.press("down", "home")
        chosen = queueing.selected_key
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen.view is not first)
        shown = app.screen.view
        for _ in range(60):
            await poll_after(pilot, first, 5, sim)
            if any(call.call_ref == chosen for call in first.calls.groups[CallState.BRIDGED]):
                break
        else:
            raise AssertionError("the chosen caller was never answered")
        await pilot.pause()
        focused = app.focused
        assert focused is None or shown in focused.ancestors, focused


async def test_an_untouched_screen_keeps_each_groups_longest_calls_in_view(
    sim: Simulator,
) -> None:
    """The cursor the dashboard starts with, on the first ringing call, is nobody's
    choice: when that call is answered the focus stays, and Bridged is not scrolled
    to it (its longest calls, at the top, left the view of a screen nobody touched)."""
    async with _dashboard(sim, (80, 24)) as (app, pilot, view, grid):
        ringing = grid.table(CallState.RINGING)
        await wait_until(pilot, lambda: ringing.row_count > 0 and app.focused is ringing)
        bridged = grid.table(CallState.BRIDGED)
        first = ringing.selected_key
        for _ in range(120):
            await poll_after(pilot, view, 5, sim)
            groups = view.calls.groups
            where = {call.call_ref: state for state, calls in groups.items() for call in calls}
            if where.get(first) is CallState.BRIDGED:
                break  # answered (perhaps after queueing)
            if first not in where:  # rang off: the call under the cursor now
                first = ringing.selected_key
        else:
            raise AssertionError("no call under the cursor was answered")
        await pilot.pause()
        assert app.focused is not bridged
        assert bridged.scroll_offset.y == 0, "the longest calls stay at the top, in view"
        assert bridged.row_count > bridged.size.height, "more calls than lines: it could scroll"
