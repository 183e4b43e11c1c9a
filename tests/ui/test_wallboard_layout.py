"""The wallboard on a TV: digits sized to the screen, the screen used, agents by state,
queues that fit, and a number key that pins an installation."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region

from rtdash.api.models import CallState
from rtdash.core.agents import AgentState
from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.wallboard import WallboardScreen
from rtdash.ui.widgets.agent_grid import AgentGrid
from rtdash.ui.widgets.metrics_bar import BigNumber
from rtdash.ui.widgets.queue_summary import QueueSummaryPanel
from tests.support import loopback_sim, sim_config
from tests.ui.grid_helpers import cut_marks
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    rendered_text,
    settings_for,
    wait_for_data,
    wait_until,
)
from tests.ui.wall_helpers import coloured_rows, content_rows, held_wallboard, screen_rows

#: one cell of the queue table from the next: a cell's padding each side
CELL_GAP = re.compile(r" {2,}")
ON_CALL_HEADERS = ("Agents on a call", "On call")
#: a centre whose agents, one line each, fill only half the agents' room at 200x50
AGENTS_AT_200X50 = 28


def wallboard_app(sim: Simulator, *, more: bool = False, rotate: float = 30.0) -> RtdashApp:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.flash = False
    settings.display.rotate_seconds = rotate
    if more:
        settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    return RtdashApp(settings, clock=FrozenClock(sim.now))


def _digit_rows(app: RtdashApp, row: str = "#tiles-live") -> int:
    """Rows of the first number of a headline row, as drawn in blocks on screen."""
    number = app.screen.query_one(row).query(BigNumber).first()
    lines = [line for line in number.render().plain.splitlines() if set(line) - {" "}]
    return len(lines)


# a tall screen draws the four live numbers in one row and today's SL %, answered and
# abandoned in a second row under them: the live digits get the larger share
@pytest.mark.parametrize(
    ("size", "least_digit_rows", "least_today_rows"),
    [((80, 24), 0, 0), ((160, 48), 7, 5), ((240, 67), 12, 7), ((320, 90), 16, 9)],
)
async def test_digits_grow_with_the_screen(
    sim: Simulator, size: tuple[int, int], least_digit_rows: int, least_today_rows: int
) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        tiles = app.screen.query_one("#tiles")
        if size == (80, 24):
            assert not tiles.display, "80x24: the one-line headline, every number on it"
            line = rendered_text(app.screen.query_one("#metrics-line"), width=80)
            assert all(word in line for word in ("Wait", "Talk", "Avail", "SL", "Aband"))
            return
        live = app.screen.query_one("#tiles-live")
        today = app.screen.query_one("#tiles-today")
        assert today.region.y >= live.region.bottom, "today's tiles are a row of their own"
        assert _digit_rows(app) >= least_digit_rows
        assert _digit_rows(app, "#tiles-today") >= least_today_rows
        share = tiles.size.height / size[1]
        assert 0.3 <= share <= 0.45, "the two headline rows take about a third or more"


async def test_a_short_wide_screen_keeps_one_row_of_tiles(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        live = app.screen.query_one("#tiles-live")
        today = app.screen.query_one("#tiles-today")
        assert today.region.y == live.region.y and today.region.x >= live.region.right
        widths = {tile.size.width for tile in app.screen.query(".tile")}
        assert max(widths) - min(widths) <= 1, "every tile as wide as the others"
        assert _digit_rows(app) >= 3


@pytest.mark.parametrize("size", [(240, 67), (320, 90)])
async def test_a_tv_screen_is_used(sim: Simulator, size: tuple[int, int]) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        used = content_rows(app)
        assert used >= 0.75 * size[1], f"{used} of {size[1]} rows carry content"


async def test_agents_are_grouped_by_state_in_one_vocabulary(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(240, 67)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        view = app.screen.view
        grid = view.query_one(AgentGrid)
        text = rendered_text(grid, width=grid.size.width)
        metrics = view.metrics
        assert metrics.agents_on_call, "the demo has agents on calls"
        for state, count in (
            (AgentState.AVAILABLE, metrics.agents_available),
            (AgentState.ON_CALL, metrics.agents_on_call),
            (AgentState.AWAY, metrics.agents_away),
        ):
            assert f"{state.symbol} {count} {state.word}" in text
        assert "busy" not in text and "free" not in text and "unavailable" not in text
        heading = rendered_text(view.query_one("#agents-heading"), width=200)
        assert f"◆ {metrics.agents_on_call} on a call" in heading
        whole = "\n".join(screen_rows(app))
        assert "busy" not in whole.lower() and "unavailable" not in whole.lower()


async def test_long_names_end_in_an_ellipsis(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(44, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        grid = app.screen.view.query_one(AgentGrid)
        text = rendered_text(grid, width=grid.size.width)
        cut = [user.label for user in grid.users if user.label not in text]
        assert cut, "at 44 columns some names are too long for a tile"
        for label in cut:
            assert any(label[:6] in line and "…" in line for line in text.splitlines())


@pytest.mark.parametrize("size", [(44, 24), (80, 24), (160, 48), (240, 67), (320, 90)])
async def test_agent_lines_fit_the_grid_and_never_wrap(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        grid = app.screen.view.query_one(AgentGrid)
        drawn = grid.render()
        assert drawn.no_wrap
        lines = drawn.plain.splitlines()
        assert max(len(line) for line in lines) <= grid.size.width
        assert len(lines) <= grid.size.height


async def test_queue_headers_are_whole_and_rows_sorted_by_longest_wait(sim: Simulator) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=(240, 67)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        panel = app.screen.view.query_one(QueueSummaryPanel)
        text = rendered_text(panel, width=panel.size.width)
        header = text.splitlines()[0]
        # the shorter words beside today's SL % and abandons: the box keeps its width
        for title in ("Queue", "Waiting", "Longest", "Talking", "On call", "SL", "Abandoned"):
            assert title in header
        assert "…" not in header
        waits = [queue.now.longest_wait_since for queue in panel.queues if queue.now]
        assert waits == sorted(w for w in waits if w is not None)
        for queue in panel.queues:
            assert queue.queue in text


async def test_a_number_key_pins_and_zero_resumes_rotation(sim: Simulator) -> None:
    app = wallboard_app(sim, more=True, rotate=30)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, WallboardScreen)
        await pilot.press("2")
        assert screen.current == 1 and screen.pinned
        bar = rendered_text(screen.query_one("#installations"), width=160)
        assert "pinned · 0 resumes rotation" in bar
        turns = screen.rotations
        for _ in range(3):  # what the rotation timer calls: a pinned board stays put
            screen.rotate()
        assert screen.current == 1 and screen.rotations == turns
        await pilot.press("0")
        assert not screen.pinned
        screen.rotate()
        assert screen.current == 0 and screen.rotations == turns + 1
        await pilot.pause()
        bar = rendered_text(screen.query_one("#installations"), width=160)
        assert "rotating every 30 s" in bar and "pinned" not in bar


async def test_a_rotation_note_with_no_room_is_fewer_words_not_a_cut_one(
    sim: Simulator,
) -> None:
    """At 80 columns the demo's two names left "rotating e…", which said nothing: the
    note is said in fewer words, whole, and in full again where the line holds it
    (here the tabs' labels are shorter: narrower terminals leave the same room)."""
    app = wallboard_app(sim, more=True, rotate=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, WallboardScreen)

        async def bar(width: int) -> str:
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            return rendered_text(screen.query_one("#installations"), width=width).rstrip()

        tabs = (await bar(80)).rsplit("  ", 1)[0]
        assert len(tabs) + len("  rotating every 30 s") > 64, "no room for it all at 64"
        assert (await bar(60)).endswith("  rotating")
        assert (await bar(64)).endswith("  rotating, 30 s")
        assert (await bar(80)).endswith("  rotating every 30 s")
        await pilot.press("2")
        assert (await bar(60)).endswith("  pinned")
        assert (await bar(80)).endswith("  pinned · 0 resumes rotation")
        for width in (60, 64, 80):
            assert "…" not in await bar(width)


async def test_the_dashboard_speaks_of_the_same_states(sim: Simulator) -> None:
    """Users panel, its title and the headline use the wallboard's words, and the agents
    of bridged calls are "on a call" whatever the PBX's unavailable says."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        board = dashboard_of(app)
        metrics = board.metrics
        panel = board.user_panel
        title = rendered_text(panel.query_one("#users-title"), width=160)
        assert f"● {metrics.agents_available} available" in title
        assert f"◆ {metrics.agents_on_call} on a call" in title
        assert f"○ {metrics.agents_away} away" in title
        talking = {call.agent_ref for call in board.calls.groups[CallState.BRIDGED]}
        assert talking and metrics.agents_on_call == len(talking)
        table = panel.table
        for user in panel.shown_users():
            cell = table.get_cell(user.user_id, "state")
            word = "on a call" if user.operator_ref in talking else None
            if word:
                assert word in str(cell)
            else:
                assert "on a call" not in str(cell)
        label = board.metrics_bar.query_one("#tile-agents_on_call .tile-label")
        # the tile's label, or its short form where the full one would be cut
        assert "on a call" in rendered_text(label, width=40).lower()


def _panel_rows(panel: QueueSummaryPanel) -> list[str]:
    """The queue table's lines as the panel hands them to the screen, at its size."""
    width, height = panel.size
    return [strip.text.rstrip() for strip in panel.render_lines(Region(0, 0, width, height))]


# 120 to 142 columns: a 1280x720 browser tab, a tmux window beside another
@pytest.mark.parametrize(
    ("size", "on_call_shown"), [((120, 30), False), ((130, 40), False), ((142, 40), True)]
)
async def test_a_middling_screen_gives_up_the_least_needed_column_last(
    sim: Simulator, size: tuple[int, int], on_call_shown: bool
) -> None:
    """Shorter headers rather than a column gone; where even those leave no room for
    all, the agents on a call go (the agents beside the table show them), named under
    the table, and each queue's row keeps its waits and its day."""
    app = wallboard_app(sim)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")  # no poll changes the queues while the screen is read
        await pilot.pause()
        panel = app.screen.view.query_one(QueueSummaryPanel)
        rows = _panel_rows(panel)
        header = CELL_GAP.split(next(row for row in rows if "Queue" in row).strip())
        assert "…" not in " ".join(header)
        assert header[-2:] in (["SL", "Aband"], ["SL 20s", "Abandoned"]), rows
        on_call = next(
            (h for h in header if h in ("Agents on a call", "On a call", "On call")), None
        )
        assert (on_call is not None) == on_call_shown, rows
        assert ("Too narrow for: Agents on a call" in rows) != on_call_shown, rows
        assert panel.queues
        for queue in panel.queues:
            row = next(row for row in rows if row.split()[0] == queue.queue)
            cells = dict(zip(header, CELL_GAP.split(row.strip()), strict=True))
            if on_call is not None:
                live = queue.now.agents_on_call if queue.now else None
                assert cells[on_call] == ("–" if live is None else str(live)), (queue, row)


async def test_a_column_left_out_is_named_under_the_table(sim: Simulator) -> None:
    """At 36 columns not even the shortest headers fit: the columns that go are named,
    least needed first, so an absent count does not read as none; the waits and the
    day's SL % stay, under the shortest headers still (a column given up does not bring
    the long words back)."""
    app = wallboard_app(sim)
    async with app.run_test(size=(36, 30)) as pilot:
        await wait_for_data(pilot)
        panel = app.screen.view.query_one(QueueSummaryPanel)
        note = "Too narrow for: Abandoned, Talking, Agents on a call"
        # the note's lines are the panel's once the panel is laid out again for it,
        # which a loaded machine may take more than one pause to do; at this width it
        # takes two
        await wait_until(pilot, lambda: note in " ".join(_panel_rows(panel)))
        rows = _panel_rows(panel)
        header = next(row for row in rows if "Queue" in row)
        assert CELL_GAP.split(header.strip()) == ["Queue", "Wait", "Long", "SL"], rows


async def test_a_200x50_screen_leaves_no_blank_band_under_the_agents() -> None:
    """One-line tiles filled half the agents' room at 200x50 and taller ones with a gap
    between rows did not fit: two-line tiles, the rows of a group together, use it."""
    with loopback_sim(sim_config(agents=AGENTS_AT_200X50)) as sim:
        app = wallboard_app(sim)
        await _no_blank_band(app)


async def test_a_160x48_screen_leaves_no_blank_band_under_the_agents() -> None:
    """The demo's centre at 160x48: one-line tiles, as packed two-line ones do not fit,
    left the last lines above the status line blank across the whole screen; the
    rows and groups are spaced apart instead."""
    with loopback_sim(sim_config(agents=AGENTS_AT_200X50)) as sim:
        app = wallboard_app(sim)
        await _no_blank_band(app, (160, 48))


async def _no_blank_band(app: RtdashApp, size: tuple[int, int] = (200, 50)) -> None:
    async with held_wallboard(app, size) as (grid, rows):
        coloured = coloured_rows(app)
        status = max(i for i, row in enumerate(rows) if "data as of" in row)
        last = max(i for i in range(status) if rows[i].strip() or i in coloured)
        assert status - 1 - last <= 2, f"{status - 1 - last} blank rows above the status line"
        text = "\n".join(rows)
        assert not cut_marks(grid.render().plain), text
        assert grid.users
        for user in grid.users:  # whole, or as much as a tile holds, then "…"
            label = user.label
            assert label in text or any(f"{label[:cut]}…" in text for cut in range(8, len(label)))
