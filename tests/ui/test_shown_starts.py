"""An agent a second off a call reads "away 0:01", not the call's length: the PBX keeps
them unavailable from the answer through the wrap-up, with the answer's state start.
Shown in the users panel and on the wallboard's tiles, on the simulator's own calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import pytest

from rtdash.api.models import PbxUser, UserState
from rtdash.core.agents import AgentState, agent_state
from rtdash.core.daystate import DayStore
from rtdash.core.format import duration
from rtdash.sim import Simulator
from rtdash.ui.widgets.agent_grid import AgentGrid
from tests.ui.helpers import (
    a_wallboard,
    dashboard_of,
    make_app,
    rendered_text,
    wait_for_data,
    wait_until,
)


async def _off_a_call(pilot, view, sim: Simulator) -> tuple[PbxUser, datetime]:  # type: ignore[no-untyped-def]
    """Move the day on a second a poll until an agent who was on a call is away, the
    PBX's start still the call's: that agent, and the poll before the hang-up was seen."""
    feed = view.feed
    for _ in range(180):
        before, polled = feed.calls.on_call(), feed.calls.fetched_at

        def polled_again(polled: datetime = polled) -> bool:
            return feed.calls.fetched_at > polled and feed.users.fetched_at > polled

        sim.advance(1)
        pilot.app.clock.advance(1)
        view.poller.refresh_now()
        await wait_until(pilot, polled_again)
        now = feed.calls.on_call()
        for user in feed.users.dashboard_users:
            if (
                before.has(user)
                and agent_state(user, now) is AgentState.AWAY
                and user.state is UserState.UNAVAILABLE
                and user.state_start is not None
                and user.state_start < polled
            ):
                return user, polled
    raise AssertionError("no agent came off a call in three simulated minutes")


@asynccontextmanager
async def _after_a_hang_up(
    sim: Simulator,
) -> AsyncIterator[tuple[Any, Any, Any, PbxUser, datetime]]:
    """The dashboard at 160x48 just after an agent hung up, ticked:
    ``(app, pilot, board, agent, the poll before the hang-up was seen)``."""
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        user, polled = await _off_a_call(pilot, board, sim)
        board.tick()
        await pilot.pause()
        yield app, pilot, board, user, polled


async def test_the_users_panel_times_an_agent_off_a_call_from_the_hang_up(sim: Simulator) -> None:
    async with _after_a_hang_up(sim) as (app, _pilot, board, user, polled):
        table = board.user_panel.table
        now = app.clock.now()
        assert str(table.get_cell(user.user_id, "state")).endswith("away")
        shown = str(table.get_cell(user.user_id, "in_state"))
        assert shown == duration((now - polled).total_seconds()) == "0:01"
        assert user.state_start is not None
        assert duration((now - user.state_start).total_seconds()) != shown


async def test_the_wallboard_tile_of_an_agent_off_a_call_reads_the_time_since(
    sim: Simulator,
) -> None:
    app = a_wallboard(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        user, _polled = await _off_a_call(pilot, view, sim)
        grid = view.query_one(AgentGrid)
        grid.refresh()
        await pilot.pause()
        lines = rendered_text(grid, width=grid.size.width).splitlines()
        row, column = next(
            (row, line.index(f"○ {user.label}"))
            for row, line in enumerate(lines)
            if f"○ {user.label}" in line
        )
        width = grid.tile_width()
        # a one-line tile ends with the time; a taller one says it under the name
        tile = lines[row][column - 1 : column - 1 + width].rstrip()
        under = lines[row + 1][column - 1 : column - 1 + width].strip()
        assert tile.endswith(" 0:01") or under == "away 0:01", (tile, under)


def _seconds(shown: str) -> int:
    parts = [int(part) for part in shown.split(":")]
    return sum(value * 60**power for power, value in enumerate(reversed(parts)))


async def test_sorting_the_users_by_time_in_state_follows_the_times_shown(
    sim: Simulator,
) -> None:
    """``s`` on the users (time in state ↑, shortest first) orders them by the times
    the rows show: an agent a second off a call is among the shortest, not where the
    call began; and by state, in the states the rows say."""
    from rtdash.core.agents import ORDER, agent_state

    async with _after_a_hang_up(sim) as (_app, pilot, board, user, _polled):
        panel = board.user_panel
        panel.table.focus()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        keys = panel.table.keys
        times = [_seconds(str(panel.table.get_cell(key, "in_state"))) for key in keys]
        assert times == sorted(times), times
        assert keys.index(user.user_id) < len(keys) // 2
        await pilot.press("s")  # by state, as the rows say it
        await pilot.pause()
        users = {u.user_id: u for u in panel.shown_users()}
        states = [ORDER.index(agent_state(users[key], panel.on_call)) for key in panel.table.keys]
        assert states == sorted(states)


async def test_a_dashboard_started_after_the_hang_up_times_the_agent_from_it(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart (or a browser tab opened) just after an agent hung up: the new screen
    saw no call end, and the day's state tells it when, so the agent is not "away" for
    the whole call."""
    # the day file is today's by the simulator's clock, not the machine's
    load = DayStore.load
    monkeypatch.setattr(
        DayStore,
        "load",
        lambda store, service, now=None: load(store, service, sim.now.timestamp()),
    )
    first = make_app(sim, persist=True)
    async with first.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        user, polled = await _off_a_call(pilot, dashboard_of(first), sim)
    # the first dashboard has gone, its day saved on the way out
    again = make_app(sim, persist=True)
    async with again.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(again)
        board.tick()
        await pilot.pause()
        now = again.clock.now()
        shown = str(board.user_panel.table.get_cell(user.user_id, "in_state"))
        assert shown == duration((now - polled).total_seconds()) == "0:01"
        assert user.state_start is not None
        assert duration((now - user.state_start).total_seconds()) != shown
