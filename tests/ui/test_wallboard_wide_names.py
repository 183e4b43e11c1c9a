"""The wallboard's agent tiles are as wide in terminal cells as their column whatever the
name: a Chinese or Korean name, or emoji, take two cells a character, and a tile padded
or cut by characters pushed every tile after it right (the last one's time off the
screen's edge)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from rtdash.core.agents import AgentState
from rtdash.sim import Simulator
from rtdash.ui.label_fit import fit_cells
from tests.support import loopback_sim, sim_config
from tests.ui.helpers import a_wallboard
from tests.ui.wall_helpers import held_wallboard

#: what starts a tile: a blank, then the agent's state symbol
SYMBOLS = {state.symbol for state in AgentState}
#: as the upstream sends them: the emoji family is joined and skin-toned (the
#: sanitiser takes it apart), the last name is too long for any tile
WIDE_NAMES = [
    "王小明 Wang",
    "김민준 Kim",
    "👨\u200d👩\u200d👧\U0001f3fd Family",
    "欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜 Ouyang",
]


def tile_starts(row: str) -> list[int]:
    """The cells at which the tiles of a row of tiles start (their state symbol)."""
    return [
        cell_len(row[:index])
        for index, char in enumerate(row)
        if char in SYMBOLS and row[index - 1 : index + 2 : 2] == "  "
    ]


@pytest.mark.parametrize(("size", "agents"), [((100, 30), 20), ((160, 48), 20), ((100, 30), 44)])
async def test_tiles_keep_their_columns_with_wide_names(size: tuple[int, int], agents: int) -> None:
    """Two-line tiles (a small centre) and one-line tiles (a bigger one at 100x30)."""
    with loopback_sim(sim_config(agents=agents)) as sim:
        _name_agents(sim, WIDE_NAMES)
        app = a_wallboard(sim)
        async with held_wallboard(app, size) as (grid, rows):
            text = "\n".join(rows)
            assert all(cell_len(row) <= size[0] for row in rows), text
            tiled = [row for row in rows if row.startswith(tuple(f" {s} " for s in SYMBOLS))]
            starts = [tile_starts(row) for row in tiled]
            widest = max(starts, key=len)
            assert len(widest) > 1, text
            for row, row_starts in zip(tiled, starts, strict=True):
                assert row_starts == widest[: len(row_starts)], f"{row!r}\n{text}"
            labels = {user.label for user in grid.users}
            assert {"王小明 Wang", "김민준 Kim", "👨👩👧 Family"} <= labels
            for label in ("王小明 Wang", "김민준 Kim", "👨👩👧 Family"):
                assert label in text, text
            assert "欧阳娜娜" in text and "Ouyang" not in text, text


def test_a_name_is_cut_and_padded_by_cells() -> None:
    """A wide character that the cut would halve goes, so the ``…`` still ends the
    name, and the text is the column's width exactly."""
    assert fit_cells("王小明 Wang", 14) == "王小明 Wang   "
    assert fit_cells("王小明 Wang", 6) == "王小… "
    assert fit_cells("王小明 Wang", 5) == "王小…"
    assert fit_cells("王小明 Wang", 4) == "王… "
    assert [cell_len(fit_cells("王小明 Wang", width)) for width in range(8)] == list(range(8))
    # a cut after a space ends the name, not the space ("Amelia…", not "Amelia …")
    assert fit_cells("Amelia Thompson", 8) == "Amelia… "
    assert fit_cells("王小明 Wang", 8) == "王小明… "


def _name_agents(sim: Simulator, names: list[str]) -> None:
    """The first agents on the dashboard renamed, as the upstream will send them."""
    users = [user for user in sim.model.centres[sim.igrp].users if user.dashboard]
    for user, name in zip(users, names, strict=False):
        user.display_name = name
