"""On a terminal too narrow for every key, the dashboard's Footer hides whole keys, the
least needed first, and keeps ``?`` (which lists every key) and Quit to the last:
Textual's Footer clipped the row at the right edge, so those two went first and the
last key left showed half its word ("r Refre"). A replay's back and forward keys go
together."""

from __future__ import annotations

from pathlib import Path

import pytest

from rtdash.config import Settings
from rtdash.core.replay import Player
from rtdash.sim import Simulator
from rtdash.ui.screens.replay import ReplayApp, ReplayScreen
from tests.ui.helpers import make_app, screen_text, wait_for_data, wait_for_footer_keys, wait_until
from tests.ui.replay_helpers import POSITION, make_recording

#: the Footer's line as drawn at each width (the gap before the palette's key is blank)
FOOTERS = {
    80: "⏎ Look up  l Number  / Filter  p Pause  r Refresh  ? Help  q Quit ▏^p palette",
    70: "⏎ Look up  l Number  / Filter  p Pause  ? Help  q Quit ▏^p palette",
    64: "⏎ Look up  l Number  / Filter  ? Help  q Quit ▏^p palette",
    60: "⏎ Look up  l Number  / Filter  ? Help  q Quit ▏^p palette",
    58: "⏎ Look up  / Filter  ? Help  q Quit ▏^p palette",
}


@pytest.mark.parametrize("width", sorted(FOOTERS, reverse=True))
async def test_a_narrow_footer_drops_whole_keys_and_keeps_help_and_quit(
    sim: Simulator, width: int
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert footer.strip() == FOOTERS[width], footer


async def test_a_footer_narrowed_and_widened_again_gets_its_keys_back(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        await wait_for_footer_keys(pilot)
        assert screen_text(app).splitlines()[-1].strip() == FOOTERS[60]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await wait_for_footer_keys(pilot)
        assert screen_text(app).splitlines()[-1].strip() == FOOTERS[80]


def test_the_lowest_rank_goes_first_and_the_rightmost_of_a_rank_before_the_others() -> None:
    from rtdash.ui.widgets.steady_footer import keys_kept

    widths = [5, 5, 5, 5]
    assert keys_kept(widths, [0, 0, 2, 1], 20) == [True, True, True, True]
    assert keys_kept(widths, [0, 0, 2, 1], 15) == [True, False, True, True]
    assert keys_kept(widths, [0, 0, 2, 1], 9) == [False, False, True, False]
    assert keys_kept(widths, [0, 0, 2, 1], 4) == [False, False, False, False]


def test_keys_that_go_together_are_dropped_as_one() -> None:
    from rtdash.ui.widgets.steady_footer import keys_kept

    widths = [5, 5, 5, 5]
    # room for three keys, but the pair goes whole: the next rank's key stays
    assert keys_kept(widths, [0, 0, 1, 2], 15, ["seek", "seek", "a", "b"]) == [
        False,
        False,
        True,
        True,
    ]
    assert keys_kept(widths, [0, 0, 1, 2], 20, ["seek", "seek", "a", "b"]) == [True] * 4


@pytest.mark.parametrize("width", [62, 66, 70, 71])
async def test_a_replays_footer_keeps_back_and_forward_together(tmp_path: Path, width: int) -> None:
    """The seek keys give way first, as a pair: between 62 and 70 columns the footer
    kept "← -10 s" and dropped "→ +10 s", as if a recording played only backwards."""
    player = Player(make_recording(tmp_path / "day.rtrec"))
    player.seek_to(POSITION)
    app = ReplayApp(player, settings=Settings())
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await wait_for_footer_keys(pilot)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert ("← -10 s" in footer) == ("→ +10 s" in footer), footer
        assert " q Quit " in footer and "Space Pause" in footer, footer
