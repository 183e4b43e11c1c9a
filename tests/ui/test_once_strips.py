"""Strips made to be written once (rtdash.ui.strip_caches.once_strip and
divide_once) are Textual's strips without their caches, and a partial update written
by the faster writer is the same bytes Textual's own writer produces."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual import _compositor
from textual.geometry import Region
from textual.strip import Strip

from rtdash.sim import Simulator
from rtdash.ui.strip_caches import divide_once, once_strip

RED, BOLD = Style(color="red"), Style(bold=True, bgcolor="blue")
SEGMENTS = [Segment("12:", RED), Segment("04", BOLD), Segment("  ", None), Segment("ab", RED)]


def test_a_once_strip_is_the_strip_textual_makes() -> None:
    console = Console(color_system="truecolor", width=80)
    made, once = Strip(SEGMENTS, 9), once_strip(list(SEGMENTS), 9)
    assert once.cell_length == made.cell_length == 9
    assert list(once) == list(made)
    assert once.render(console) == made.render(console)
    for start, end in [(0, 9), (1, 4), (3, 9), (8, 9), (5, 5)]:
        assert list(once.crop(start, end)) == list(made.crop(start, end))
        assert list(once.crop(start, end)) == list(once.crop(start, end))  # twice: no cache
    assert once.crop(0, 9) is once


def test_divide_once_cuts_where_divide_cuts() -> None:
    strip = Strip(SEGMENTS, 9)
    for cuts in ([9], [3, 9], [1, 2, 5, 9], [4, 6], [2, 9, 12][:2]):
        ours = [list(piece) for piece in divide_once(strip, cuts)]
        textuals = [list(piece) for piece in strip.divide(cuts)]
        assert ours == textuals, cuts
        assert [p.cell_length for p in divide_once(strip, cuts)] == [
            p.cell_length for p in strip.divide(cuts)
        ]


async def test_a_partial_update_writes_the_bytes_textuals_writer_writes(sim: Simulator) -> None:
    from tests.ui.helpers import make_app, wait_for_data

    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        compositor = app.screen._compositor
        console = Console(color_system="truecolor", width=160, force_terminal=True)
        cases = [
            [Region(0, 9, 19, 17), Region(55, 2, 14, 3), Region(0, 46, 160, 1)],
            [Region(107, 9, 10, 37), Region(100, 20, 30, 5)],
            [Region(0, 0, 160, 1), Region(150, 47, 10, 1), Region(30, 10, 100, 2)],
        ]
        for regions in cases:
            compositor._dirty_regions.update(regions)
            update = compositor.render_partial_update()
            assert update is not None and type(update) is not _compositor.ChopsUpdate
            ours = update.render_segments(console)
            textuals = _compositor.ChopsUpdate.render_segments(update, console)
            assert ours == textuals and ours.count("\x1b[") > 10
