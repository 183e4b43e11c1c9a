"""The status line's notes: a key's answer that goes after a while, and a line too
long for the terminal that says it was cut."""

from __future__ import annotations

from rtdash.sim import Simulator
from rtdash.ui.widgets.status_bar import NOTE_SECONDS
from tests.ui.helpers import dashboard_of, make_app, screen_text, wait_for_data


async def test_a_keys_note_goes_after_a_while_and_the_installation_comes_back(
    sim: Simulator,
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        bar = board.status_bar
        await pilot.press("a")
        assert bar.note == "all users; headline: dashboard"
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        assert bar.note in line, line  # whole at 80 columns
        app.clock.advance(NOTE_SECONDS - 1)  # type: ignore[attr-defined]
        bar.tick()
        assert bar.note is not None
        app.clock.advance(1)  # type: ignore[attr-defined]
        bar.tick()
        await pilot.pause()
        assert bar.note is None
        status_line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        assert status_line.rstrip().endswith(f"installation {sim.igrp} · UTC")


async def test_a_status_line_too_long_for_80_columns_ends_with_an_ellipsis(
    sim: Simulator,
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("s", "s", "s")  # the longest of the notes: a sort's
        await pilot.pause()
        status_line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        assert "sorted by" in status_line
        assert status_line.rstrip().endswith("…"), status_line
