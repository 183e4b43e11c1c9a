"""The users panel gives its agents' names the room the times, states and extensions
leave: the extension's column is as wide as the extensions shown, not wider, beside the
calls (120 columns) and alone under a note to widen (40 columns)."""

from __future__ import annotations

import pytest

from rtdash.sim import Simulator
from tests.ui.helpers import make_app, screen_text, wait_for_data


def _user_row(text: str, extension: str) -> str:
    """The users panel's part of the screen line that ends with ``extension``."""
    line = next(line for line in text.splitlines() if line.rstrip().endswith(f" {extension}"))
    return line.split("▏")[-1]


@pytest.mark.parametrize("size", [(120, 30), (40, 30), (160, 48)])
async def test_a_short_name_reads_whole_with_its_time_state_and_extension(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        row = _user_row(screen_text(app), "214")
        time, rest = row.split(maxsplit=1)
        assert ":" in time and "…" not in row, row
        assert rest.startswith("◆ on a call  Leo Wong "), row
