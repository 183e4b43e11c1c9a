"""The status line's notes: a key's answer that goes after a while, and a line too
long for the terminal that says it was cut."""

from __future__ import annotations

import pytest
from rich.text import Text

from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.status_bar import NOTE_SECONDS, fitted
from tests.ui.helpers import dashboard_of, make_app, screen_text, settings_for, wait_for_data


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


async def test_a_status_line_too_long_for_the_terminal_ends_with_an_ellipsis(
    sim: Simulator,
) -> None:
    """At 80 columns the longest note, a sort's, is whole beside the zone (the
    installation's name gives way to it); narrower, the line's end is cut, and says so."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("s", "s", "s")
        await pilot.pause()
        status_line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        assert status_line.rstrip().endswith("sorted by total time ↑ · UTC"), status_line
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        status_line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        assert "sorted by" in status_line
        assert status_line.rstrip().endswith("…"), status_line


async def test_at_80_columns_a_long_installation_name_gives_way_to_the_time_zone(
    sim: Simulator,
) -> None:
    """The demo's first installation, "Northwind Contact Centre (1234)", made the line
    83 cells: its end, the time zone the times are read in, was cut off. The name gives
    way, never its id: that tells the installations' lines apart."""
    app = RtdashApp(settings_for(sim), demo=True, simulator=sim, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        assert dashboard_of(app).label == "Northwind Contact Centre (1234)"
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        shown = " ".join(line.split())  # the badge's reverse video ends in a space
        assert shown == (
            "DEMO live · data as of 09:00:00 (0 s ago) · Northwind Contact… (1234) · UTC"
        ), line
        await pilot.resize_terminal(120, 24)  # room again: the name comes back whole
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
        assert line.rstrip().endswith("(0 s ago) · Northwind Contact Centre (1234) · UTC"), line


HEAD = Text("live · data as of 09:00:00 (0 s ago)")  # 36 cells


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (80, "live · data as of 09:00:00 (0 s ago) · Northwind Contact Centre (1234) · UTC"),
        (70, "live · data as of 09:00:00 (0 s ago) · Northwind Contact… (1234) · UTC"),
        (59, "live · data as of 09:00:00 (0 s ago) · Northw… (1234) · UTC"),
        (58, "live · data as of 09:00:00 (0 s ago) · #1234 · UTC"),
        (50, "live · data as of 09:00:00 (0 s ago) · #1234 · UTC"),
        (49, "live · data as of 09:00:00 (0 s ago) · UTC"),
        (40, "live · data as of 09:00:00 (0 s ago)"),  # the Static cuts what is left
    ],
)
def test_the_status_line_gives_way_name_first_then_id_then_zone_then_its_end(
    width: int, shown: str
) -> None:
    line = fitted(HEAD, "Northwind Contact Centre (1234)", "UTC", width)
    assert line.plain == shown


#: what ``+`` twice then ``-`` to the end say, with two installations (the other at
#: 2 s): live from 10 s the headline says the pace ("live (every 10 s)"), so the note
#: does not say it again; paused, the headline is "paused" and the note says it
PACE_NOTES = {
    "live": [
        "every 1 s (this tab)",
        "fastest: 1 s (this tab)",
        "every 2 s (all tabs)",
        "every 3 s (this tab)",
        "every 5 s (this tab)",
        *["slower (this tab)"] * 4,  # 10, 15, 30 and 60 s
        "slowest (this tab)",
    ],
    "paused": [
        "every 1 s (this tab)",
        "fastest: 1 s (this tab)",
        "every 2 s (all tabs)",
        *[f"every {pace} s (this tab)" for pace in (3, 5, 10, 15, 30, 60)],
        "slowest: 60 s (this tab)",
    ],
}


@pytest.mark.parametrize("state", list(PACE_NOTES))
async def test_at_80_columns_the_pace_note_of_one_of_two_installations_shows_whole(
    sim: Simulator, state: str
) -> None:
    """`-` with two installations, beside the demo's badge and the data's age: from
    10 s on the line said the pace twice, "live (every 10 s)" and then "every 10 s
    (this tab)", and cut the note's end; "slowest: every 60 s (this tab)" was longer
    still, live or paused. Every step's note is whole, with the data's age at its
    widest (two digits) from 10 s on."""
    settings = settings_for(sim)
    settings.polling.interval = 2.0
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = RtdashApp(settings, demo=True, simulator=sim, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        assert len(app.screen.views) == 2  # type: ignore[attr-defined]
        if state == "paused":
            await pilot.press("p")
            await pilot.pause()
            assert board.feed.paused
        notes = []
        for key in ["plus", "plus", *["minus"] * 8]:
            if key == "minus" and board.poller.interval >= 5:
                # the data ten seconds older each time, never stale: the age's
                # widest, and before the press, which the note's time runs from
                app.clock.advance(10)  # type: ignore[attr-defined]
            await pilot.press(key)
            await pilot.pause()
            note = board.status_bar.note
            line = next(line for line in screen_text(app).splitlines() if "data as of" in line)
            assert f" · {note}" in line and "…" not in line, line
            notes.append(note)
        assert board.poller.interval == 60.0
        assert notes == PACE_NOTES[state]
