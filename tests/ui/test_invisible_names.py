"""A name with zero-width characters in it is shown, filtered and exported as the text a
supervisor reads: ``/ZeroWidth`` finds the agent whose name reads ``ZeroWidth``, and no
invisible character reaches the terminal."""

from __future__ import annotations

import unicodedata

from rtdash.sim import Simulator
from tests.ui.helpers import dashboard_of, make_app, screen_text, wait_for_data

#: as the upstream sends it: a zero-width space, a joiner and a word joiner inside
SENT = "Ze\u200bro\u200dWidth\u2060"
READ = "ZeroWidth"


def rename_an_agent(sim: Simulator, name: str) -> str:
    """The first agent on the dashboard renamed ``name``; their user id."""
    user = next(user for user in sim.model.centres[sim.igrp].users if user.dashboard)
    user.display_name = name
    return str(user.uid)


async def test_the_name_as_read_filters_to_its_agent(sim: Simulator) -> None:
    uid = rename_an_agent(sim, SENT)
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("p", "slash", *READ, "enter")
        await pilot.pause()
        assert board.user_panel.table.keys == [uid]
        text = screen_text(app)
        assert READ in text
        hidden = {f"U+{ord(char):04X}" for char in text if unicodedata.category(char) == "Cf"}
        assert hidden == set(), text
