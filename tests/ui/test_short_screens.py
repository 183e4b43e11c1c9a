"""A terminal 120 columns wide but short (a split pane, a laptop's tmux window): the
status line, every line of it, and the Footer stay in view, and so do calls. The
headline's tiles used to take their lines at any height: at 120x12, with the service
down, the status line fell off the bottom; at 120x13 its cause line did; at 120x15 no
call showed where 100x15 showed several; and a paused wallboard at 120x12 showed no
queue and no agent (and, under a bar of tabs, no status line either)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.short_screen import (
    GROUP_LINES,
    MIN_CALL_ROWS,
    TILE_LINES,
    WALL_DIGITS_FROM,
)
from tests.ui.helpers import (
    a_wallboard,
    dashboard_of,
    make_app,
    screen_text,
    settings_for,
    wait_for_data,
    wait_until,
)

#: a call's row in the calls tables: its time in state, then its total time (a user's
#: row in the users panel beside it has one time)
CALL_ROW = re.compile(r"^\d+:\d\d\s+\d+:\d\d\b")
#: the footer and the status line: what the dashboard keeps under the panes
FOOTER_AND_STATUS = 2


def _lines(app: RtdashApp) -> list[str]:
    """The screen's lines with text, top to bottom."""
    return [line.strip() for line in screen_text(app).splitlines() if line.strip()]


def _call_rows(lines: list[str]) -> int:
    return sum(1 for line in lines if CALL_ROW.match(line))


async def _dashboard_lines(sim: Simulator, size: tuple[int, int], *, down: bool) -> list[str]:
    """The dashboard's screen at ``size``: live, or two minutes after the service began
    dropping every request (stale, its status line saying why)."""
    settings = settings_for(sim)
    settings.polling.interval = 1.0
    app = make_app(sim, settings, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        if down:
            sim.faults.add(Fault("reset", times=None))
            board.poller.refresh_now()

            def all_failing() -> bool:
                return all(route.error for route in board.poller.status().routes.values())

            await wait_until(pilot, all_failing)
            app.clock.advance(125)  # type: ignore[attr-defined]
            board.tick()
            await wait_until(pilot, lambda: board.banner.text is not None)
        else:
            board.tick()
        await pilot.pause()
        lines = _lines(app)
    sim.faults.clear()
    return lines


@pytest.mark.parametrize("down", [False, True], ids=["live", "disconnected"])
@pytest.mark.parametrize("height", [12, 13, 15])
async def test_a_short_wide_dashboard_keeps_its_status_line_and_calls(
    sim: Simulator, height: int, down: bool
) -> None:
    lines = await _dashboard_lines(sim, (120, height), down=down)
    shown = "\n".join(lines)
    assert "q Quit" in lines[-1], f"the Footer is not the last line:\n{shown}"
    status = [at for at, line in enumerate(lines) if "data as of 09:00:00" in line]
    assert status, f"no status line:\n{shown}"
    at = status[-1]
    if down:
        assert lines[at].startswith("retrying in ") and "(2 min ago)" in lines[at], shown
        cause = lines[at + 1]
        assert cause.endswith("dropped mid-response"), f"the cause line is gone:\n{shown}"
        assert lines[0].startswith("DISCONNECTED — data from 09:00:00"), shown
    else:
        assert lines[at].startswith("live · ") and "(0 s ago)" in lines[at], shown
    assert at + (3 if down else 2) == len(lines), f"not over the Footer:\n{shown}"
    rows = _call_rows(lines)
    narrower = _call_rows(await _dashboard_lines(sim, (100, height), down=down))
    assert rows >= max(narrower, 1), (
        f"{rows} call rows at 120x{height}, {narrower} at 100x{height}:\n{shown}"
    )


async def test_the_tiles_stay_where_they_leave_room_for_a_few_calls(sim: Simulator) -> None:
    """The rule, at its edge: the tiles show from the height where the calls keep
    ``MIN_CALL_ROWS`` rows under them, and one line shorter the headline is one line."""
    edge = FOOTER_AND_STATUS + TILE_LINES + GROUP_LINES + MIN_CALL_ROWS
    lines = await _dashboard_lines(sim, (120, edge), down=False)
    shown = "\n".join(lines)
    assert lines[0].startswith("█▀▀") or lines[0].startswith("╭"), f"no tiles:\n{shown}"
    assert _call_rows(lines) == MIN_CALL_ROWS, shown
    lines = await _dashboard_lines(sim, (120, edge - 1), down=False)
    shown = "\n".join(lines)
    assert lines[0].startswith("Waiting "), f"tiles with too few calls under them:\n{shown}"
    assert _call_rows(lines) > MIN_CALL_ROWS, shown


def _queue_names(view: Any) -> set[str]:
    return {call.queue for state in CallState for call in view.calls.groups[state] if call.queue}


async def test_a_short_wide_paused_wallboard_keeps_its_status_line_queues_and_agents(
    sim: Simulator,
) -> None:
    app = a_wallboard(sim)
    async with app.run_test(size=(120, 12)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        view = app.screen.view  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: view.query_one("#paused").text is not None)
        await pilot.pause()
        lines = _lines(app)
        queues = _queue_names(view)
        agents = {user.label for user in view.users.dashboard_users}
    shown = "\n".join(lines)
    assert lines[0].startswith("PAUSED — data from 09:00:00"), shown
    assert lines[-1].startswith("paused · data as of 09:00:00 (not updating)"), shown
    queue_rows = [line for line in lines if line.split(" ", 1)[0] in queues]
    assert queue_rows, f"no queue's row:\n{shown}"
    assert any(name in shown for name in agents), f"no agent's tile:\n{shown}"


async def _wallboard_lines(sim: Simulator, height: int) -> list[str]:
    app = a_wallboard(sim)
    async with app.run_test(size=(120, height)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        return _lines(app)


async def test_the_wallboard_gives_up_its_big_digits_under_its_height(sim: Simulator) -> None:
    """Its regions are shares of the screen's height, so the height is the rule: the big
    digits and the trend from ``WALL_DIGITS_FROM`` rows, one line of numbers under it."""
    lines = await _wallboard_lines(sim, WALL_DIGITS_FROM)
    shown = "\n".join(lines)
    assert not lines[0].startswith("Waiting "), f"no big digits:\n{shown}"
    assert any(line.startswith("Calls waiting") for line in lines), f"no trend:\n{shown}"
    lines = await _wallboard_lines(sim, WALL_DIGITS_FROM - 1)
    shown = "\n".join(lines)
    assert lines[0].startswith("Waiting "), f"big digits on a short screen:\n{shown}"
    assert not any(line.startswith("Calls waiting") for line in lines), shown
