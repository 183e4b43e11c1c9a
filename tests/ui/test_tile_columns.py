"""Every column of the wallboard's agent tiles has the room the others have: a name
whole in one column is whole in all of them."""

from __future__ import annotations

from datetime import timedelta

from rtdash.api.models import PbxUser, UserState
from rtdash.core.agents import OnCall
from rtdash.sim import Simulator
from rtdash.ui.widgets.agent_grid import AgentGrid
from tests.ui.helpers import wait_for_data
from tests.ui.test_wallboard_layout import wallboard_app


async def test_a_name_that_fits_the_first_column_fits_the_third_at_120_columns(
    sim: Simulator,
) -> None:
    """At 120x40 the third column was a cell narrower: "Poppy MacDona… 1:25" there,
    "Poppy MacDonald 1:17" in the first."""
    app = wallboard_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        grid = app.screen.view.query_one(AgentGrid)
        now = grid.clock.now()
        names = ["Poppy MacDonald", "Sofia MacDonald", "Jacob MacDonald", "Ffion Kowalski"]
        # each name six times in a row, so each has a tile in every column of two or three
        users = tuple(
            PbxUser(
                user_id=f"u{index}",
                state=UserState.AVAILABLE,
                state_start=now - timedelta(minutes=9, seconds=index),
                display_name=names[index // 6],
                dashboard=True,
            )
            for index in range(6 * len(names))
        )
        grid.users, grid.on_call = users, OnCall(refs=frozenset())
        drawn = grid.render().plain
        assert max(line.count("● ") for line in drawn.splitlines()) == 3, drawn
        tiles = [tile.strip() for line in drawn.splitlines() for tile in line.split("● ")[1:]]
        for name in names:
            first = name.split()[0] + " "
            shown = [tile for tile in tiles if tile.startswith(first)]
            assert len(shown) == 6, (name, drawn)
            whole = [tile for tile in shown if name in tile]
            assert whole in ([], shown), f"{name!r} whole in some columns only: {shown}"
        assert any(name in drawn for name in names), "the columns have room for a name"
