"""``?`` lists the keys of the screen it was asked from, and only those."""

from __future__ import annotations

from pathlib import Path

from rtdash.config import Settings
from rtdash.core.clock import FrozenClock
from rtdash.core.replay import Player, Recording
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.commands import LIVE, commands_for
from rtdash.ui.screens.help import HelpScreen
from rtdash.ui.screens.replay import REPLAY_HELP, ReplayApp, ReplayScreen
from tests.ui.helpers import (
    a_wallboard,
    open_help,
    rendered_text,
    settings_for,
    wait_for_data,
    wait_until,
)
from tests.ui.test_record_replay_export import _record

INTERACTIVE = {command.explanation for command in commands_for(LIVE) if command.interactive}


async def test_the_wallboard_help_lists_no_key_it_does_not_take(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        screen, marks = await open_help(pilot)
        keys = [key for key, _ in screen.rows]
        explanations = {explanation for _, explanation in screen.rows}
        assert not explanations & INTERACTIVE, "lookup, filter, sort… do nothing on a wallboard"
        assert "Tab" not in keys and "Esc" not in keys, "a wallboard has no tables, no filter"
        assert ("1–2", "Show that installation and pin it (rotation stops)") in screen.rows
        assert ("0", "Resume rotating through the installations") in screen.rows
        for line in ("● agent available", "◆ agent on a call", "○ agent away"):
            assert line in " ".join(marks.split()), line
        assert "Quit" in rendered_text(screen.query_one("#help-table"), width=150)


async def test_the_replay_help_lists_its_own_keys(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "day.rtrec"
    await _record(sim, path, polls=1)
    app = ReplayApp(Player(Recording.load(path), paused=True), settings=Settings())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert screen.rows[: len(REPLAY_HELP)] == REPLAY_HELP
        text = rendered_text(screen.query_one("#help-table"), width=150)
        assert "Jump to 0–90 % of the recording" in text
        assert "Look up a caller" not in text and "Filter calls and users" in text


async def test_the_dashboard_help_lists_the_keys_that_clear_the_filter_and_move_on(
    sim: Simulator,
) -> None:
    """``?`` lists every key (the README says so): Esc clearing the filter and ↑/↓ going
    on from one call group to the next are no commands of the registry, and were left
    out."""
    app = RtdashApp(settings_for(sim), clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        text = " ".join(rendered_text(screen.query_one("#help-table"), width=150).split())
        assert "Esc Clear the filter" in text, text
        assert (
            "↑, ↓ Move the cursor; past a call group's last call, on to the next group that "
            "has calls (↑: back to the one before)"
        ) in text, text


async def test_the_help_explains_the_band_over_a_paused_wallboard(sim: Simulator) -> None:
    """A stray ``p`` on a TV's keyboard puts a PAUSED band over the board: whoever walks
    up to it and presses ``?`` learns what it means and what undoes it."""
    app = a_wallboard(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        _, marks = await open_help(pilot)
        lines = [" ".join(line.split()) for line in marks.splitlines()]
        paused = next((line for line in lines if line.startswith("PAUSED ")), None)
        assert paused is not None, marks
        assert "paused wallboard" in paused and "resumes" in paused, paused
