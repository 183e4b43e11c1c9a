"""The users panel gives its agents' names the room the times, states and extensions
leave: the extension's column is as wide as the extensions shown, not wider; where the
state's words would cut a name in the table's lines, the state is its symbol alone (its
shape and hue), a legend under the table names the symbols, and the words come back
when the panel is wide enough for them and the names."""

from __future__ import annotations

import re

import pytest
from rich.text import Text

from rtdash.core.agents import ORDER, AgentState, agent_state
from rtdash.core.users_snapshot import UsersSnapshot
from rtdash.sim import Simulator
from rtdash.ui.messages import UsersUpdated
from rtdash.ui.widgets.palette import AGENT_COLOUR
from tests.ui.helpers import (
    fetch_truth,
    make_app,
    screen_text,
    wait_for_data,
    wait_until,
    with_polling_paused,
)

#: the legend's words, as the title says them where it has the room
LEGEND = "  ".join(f"{state.symbol} {state.word}" for state in ORDER)
WORDED = {f"{state.symbol} {state.word}" for state in AgentState}
SYMBOLS = {state.symbol for state in AgentState}
#: a users panel's row as the screen shows it: time in state, then the other cells
_ROW = re.compile(r"^ (\d+:\d\d(?::\d\d)?) +(.*)$")


def _user_row(text: str, extension: str) -> str:
    """The users panel's part of the screen line that ends with ``extension``."""
    line = next(line for line in text.splitlines() if line.rstrip().endswith(f" {extension}"))
    return line.split("▏")[-1]


def _panel_rows(text: str) -> list[tuple[str, str, str]]:
    """The users panel's rows on screen as ``(state, name, extension)``: its cells are
    apart by their padding (two spaces and more), a name's own spaces are single."""
    rows = []
    for line in text.splitlines():
        match = _ROW.match(line.split("▏")[-1])
        if match is None:
            continue
        state, name, extension = re.split(r" {2,}", match.group(2).rstrip())[:3]
        rows.append((state, name, extension.split()[0]))  # the scrollbar may follow
    return rows


@pytest.mark.parametrize("size", [(120, 30), (40, 30)])
async def test_beside_the_calls_every_name_in_view_is_whole_with_its_state_symbol(
    sim: Simulator, size: tuple[int, int]
) -> None:
    """Beside the calls (120 columns), and alone under a note to widen (40): the
    words "on a call" cut a name there, so the state is its symbol, in its hue."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        board = await with_polling_paused(pilot)
        await pilot.pause()
        text = screen_text(app)
        _, truth = await fetch_truth(sim)
        panel = board.user_panel
        by_extension = {user.extension: user for user in truth.visible(False)}
        rows = _panel_rows(text)
        # every user in the table's lines (under its header), as many as there are
        in_lines = min(panel.table.row_count, panel.table.size.height - 1)
        assert len(rows) == in_lines, text
        for state, name, extension in rows:
            user = by_extension[extension]
            assert name == user.label, (name, user.label)
            assert state == agent_state(user, panel.on_call).symbol, (state, name)
        cell = panel.table.get_cell(user.user_id, "state")
        shown = agent_state(user, panel.on_call)
        assert isinstance(cell, Text) and cell.plain == shown.symbol
        assert AGENT_COLOUR[shown].lower() in str(cell.get_style_at_offset(app.console, 0))


@pytest.mark.parametrize("size", [(120, 30), (40, 30)])
async def test_with_the_symbols_alone_a_legend_names_them(
    sim: Simulator, size: tuple[int, int]
) -> None:
    """The title's counts are by their symbols too there (no room for the words): a
    supervisor new to the symbols reads them under the table, on the same screen."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        title = next(line for line in lines if "☺ Users" in line)
        assert "available" not in title, title
        legend = [line.split("▏")[-1].strip() for line in lines if LEGEND in line]
        assert legend == [LEGEND], lines


async def test_where_the_names_fit_with_the_words_nothing_changes(sim: Simulator) -> None:
    """At 160 columns the panel holds the words and the names whole: no legend."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        text = screen_text(app)
        row = _user_row(text, "214")
        time, rest = row.split(maxsplit=1)
        assert ":" in time and "…" not in row, row
        assert rest.startswith("◆ on a call  Leo Wong "), row
        assert LEGEND not in text


async def test_the_words_return_when_the_panel_is_widened(sim: Simulator) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await with_polling_paused(pilot)
        await pilot.pause()
        assert {state for state, _, _ in _panel_rows(screen_text(app))} <= SYMBOLS
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        text = screen_text(app)
        assert _user_row(text, "214").split(maxsplit=1)[1].startswith("◆ on a call  Leo Wong ")
        assert LEGEND not in text
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert _user_row(screen_text(app), "214").split()[:4] == ["0:25", "◆", "Leo", "Wong"]


async def test_at_80_columns_the_panel_shows_its_title_with_the_words(sim: Simulator) -> None:
    """Under the calls at 80x24 the panel has room for its title only: no names in
    view, nothing to give room to, so the title keeps the words and no legend shows."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        text = screen_text(app)
        title = next(line for line in text.splitlines() if "☺ Users" in line)
        assert f"{AgentState.AWAY.symbol} " in title and title.rstrip().endswith(" away"), title
        assert LEGEND not in text


async def test_only_the_names_in_the_tables_lines_decide(sim: Simulator) -> None:
    """A long name far below the table's lines leaves the words; scrolled to, it takes
    their room (the table tells the panel it moved: paused, no poll would come)."""
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        board = await with_polling_paused(pilot)
        agent = next(user for user in board.users.users if user.dashboard)
        short = [
            agent.model_copy(update={"user_id": f"u{n}", "display_name": f"Agent {n}"})
            for n in range(200)
        ]
        long_name = "Bartholomew Montgomery-Fitz"  # whole only without the words
        last = agent.model_copy(update={"user_id": "u-last", "display_name": long_name})
        users = UsersSnapshot.build([*short, last], board.users.fetched_at)
        board.post_message(UsersUpdated(users))
        panel = board.user_panel
        table = panel.table
        await wait_until(pilot, lambda: table.row_count == len(short) + 1)
        assert str(table.get_cell("u0", "state")) in WORDED
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert any(name == long_name for _, name, _ in _panel_rows(text)), text
        assert str(table.get_cell("u-last", "state")) in SYMBOLS
        # the title names the states here (160 columns): no legend needed
        assert LEGEND not in text
        await pilot.press("home")
        await pilot.pause()
        assert str(table.get_cell("u0", "state")) in WORDED
