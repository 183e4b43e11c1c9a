"""Strips whose caches are made when first used (rtdash.ui.strip_caches.
lazy_strip_caches) do what Textual's strips do, and make no cache they do not use."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.color import Color
from textual.filter import Monochrome
from textual.strip import Strip

from rtdash.ui import strip_caches
from rtdash.ui.strip_caches import lazy_strip_caches, strip_cache_sizes

RED, BOLD = Style(color="#ff0000"), Style(bold=True, bgcolor="#0000ff")
SEGMENTS = [Segment("12:", RED), Segment("04", BOLD), Segment("  ", Style()), Segment("ab", RED)]


def _textuals(segments: list[Segment], length: int | None = None) -> Strip:
    """A strip made by Textual's own ``Strip.__init__``, all its caches made."""
    strip = Strip.__new__(Strip)
    strip_caches._TEXTUAL_STRIP_INIT(strip, segments, length)
    return strip


def test_the_cache_sizes_are_textuals() -> None:
    made = _textuals(SEGMENTS)
    caches = {
        name: getattr(made, name)._maxsize
        for name in Strip.__slots__
        if isinstance(getattr(made, name, None), FIFOCache)
    }
    assert len(caches) >= 7
    assert strip_cache_sizes() == caches


def test_a_lazy_strip_does_what_textuals_does() -> None:
    lazy_strip_caches()
    lazy_strip_caches()  # idempotent
    ours, theirs = Strip(SEGMENTS), _textuals(SEGMENTS)
    for name in strip_cache_sizes():
        try:
            object.__getattribute__(ours, name)
        except AttributeError:
            continue
        raise AssertionError(f"{name} made before it was used")
    assert ours.cell_length == theirs.cell_length == 9
    for _ in range(2):  # the second time from the caches made the first
        assert list(ours.crop(1, 6)) == list(theirs.crop(1, 6))
        assert [list(p) for p in ours.divide([2, 5, 9])] == [
            list(p) for p in theirs.divide([2, 5, 9])
        ]
        assert list(ours.apply_style(BOLD)) == list(theirs.apply_style(BOLD))
        assert list(ours.adjust_cell_length(12, RED)) == list(theirs.adjust_cell_length(12, RED))
        assert list(ours.crop_extend(2, 14, RED)) == list(theirs.crop_extend(2, 14, RED))
        assert list(ours.apply_offsets(3, 4)) == list(theirs.apply_offsets(3, 4))
        line_filter, background = Monochrome(), Color(10, 20, 30)
        assert list(ours.apply_filter(line_filter, background)) == list(
            theirs.apply_filter(line_filter, background)
        )
    assert object.__getattribute__(ours, "_crop_cache")._maxsize == 16
    assert ours.text == theirs.text and ours == theirs
