"""The calls route unreadable (a ``[mapping]`` naming a key no call row carries),
against the simulator over loopback, the users route fine.

The status line says what to fix whole, at 80 columns as at 160: cut at the edge, it
lost the ``[mapping]`` key and the keys the rows carry, which is what the user acts on.
And with no calls read, nobody can tell who is on a call: the agents the PBX has as
unavailable are said to be that, not "away" (on no call), and the counts of who is on a
call or away are not known, never a count of none beside fresh-looking data."""

from __future__ import annotations

from typing import Any

import pytest

from rtdash.api.models import CallState, UserState
from rtdash.core.poller_status import Route
from rtdash.sim import Simulator
from rtdash.ui.widgets.agent_grid import AgentGrid
from tests.support import make_app, settings_for
from tests.ui.helpers import dashboard_of, fetch_truth, rendered_text, screen_text, wait_until

FIX = '[mapping] call_state names "callMood", which no row carries'


def _unreadable_calls_app(sim: Simulator, *, wallboard: bool = False) -> Any:
    settings = settings_for(sim)
    settings.mapping = {"call_state": "callMood"}
    settings.display.wallboard = wallboard
    return make_app(sim, settings, flash=False)


def _view(app: Any) -> Any:
    from rtdash.ui.screens.views import ViewsScreen

    screen = app.screen
    assert isinstance(screen, ViewsScreen), type(screen).__name__
    return screen.views[0]


async def _calls_failed_users_read(pilot: Any, view: Any) -> None:
    poller = view.poller
    await wait_until(
        pilot,
        lambda: view.users is not None and poller.status().routes[Route.CALLS].error is not None,
        10.0,
    )
    view.status_bar.tick()
    await pilot.pause()


def _status_lines(shown: str) -> list[str]:
    """The status bar's lines: from the one with the data's age to the Footer's."""
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "data as of" in line)
    return lines[start:-1]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_mapping_to_fix_and_the_rows_keys_are_whole_on_the_status_line(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = _unreadable_calls_app(sim)
    async with app.run_test(size=size) as pilot:
        board = dashboard_of(app)
        await _calls_failed_users_read(pilot, board)
        lines = _status_lines(screen_text(app))
        assert lines[0].startswith("retrying in "), lines
        causes = " ".join(lines[1:])
        # the key to fix and what it names, on the first line of the causes, whole
        assert lines[1].startswith(f"calls: {FIX}"), lines
        # the keys the rows do carry: the right one among the first
        assert "(the rows carry: igrp, callRef, callState," in causes, lines
        if size[0] >= 160:
            assert causes.endswith("unreadable rows)"), lines  # all of it
        else:
            # too long for the lines it may take: said where, not cut at the edge
            assert causes.endswith("(in full: the log, rtdash doctor)"), lines
        assert len(lines) <= 4, lines  # the calls grid keeps its rows


async def test_unavailable_agents_are_not_away_while_no_call_can_be_read(
    sim: Simulator,
) -> None:
    calls, users = await fetch_truth(sim)
    assert calls.groups[CallState.BRIDGED], "the simulator has agents on calls"
    unavailable = sum(user.state is UserState.UNAVAILABLE for user in users.visible(show_all=False))
    assert unavailable
    app = _unreadable_calls_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        board = dashboard_of(app)
        await _calls_failed_users_read(pilot, board)
        panel = board.user_panel
        title = panel._title().plain
        assert f"◌ {unavailable} unavailable  ◆ – on a call  ○ – away" in title, title
        shown = screen_text(app)
        # the rows: the unavailable said as such, none away
        assert "○ away" not in shown, shown
        assert "◌ unavailable  " in shown, shown


async def test_the_wallboard_tiles_the_unavailable_while_no_call_can_be_read(
    sim: Simulator,
) -> None:
    _, users = await fetch_truth(sim)
    dashboard = users.dashboard_users
    unavailable = sum(user.state is UserState.UNAVAILABLE for user in dashboard)
    app = _unreadable_calls_app(sim, wallboard=True)
    async with app.run_test(size=(160, 48)) as pilot:
        board = _view(app)
        await _calls_failed_users_read(pilot, board)
        await pilot.pause()
        tiles = rendered_text(app.screen.query_one(AgentGrid), width=160)
        assert f"◌ {unavailable} unavailable" in tiles, tiles
        assert "away" not in tiles and "on a call" not in tiles, tiles
        heading = str(app.screen.query_one("#agents-heading").render())
        assert f"◌ {unavailable} unavailable  ◆ – on a call  ○ – away" in heading, heading


async def test_the_export_leaves_the_unknown_state_empty_as_the_screen_does(
    sim: Simulator, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`e` with no call readable wrote "away" for every unavailable agent the users
    panel draws "unavailable"."""
    import json

    monkeypatch.chdir(tmp_path)  # export_dir is "." by default
    app = _unreadable_calls_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        view = _view(app)
        await _calls_failed_users_read(pilot, view)
        await pilot.press("e")
        screen = app.screen
        await wait_until(pilot, lambda: len(screen.exported) >= 4, 10.0)
        users_json = next(p for p in screen.exported if "-users-" in p.name and p.suffix == ".json")
        states = [row["agentState"] for row in json.loads(users_json.read_text())]
    assert "away" not in states and "on a call" not in states, states
    assert "" in states, states
