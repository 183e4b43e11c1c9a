"""Textual's :class:`Strip` without the caches each one makes: made only when first
used (:func:`lazy_strip_caches`), or never, for a line written once (:func:`once_strip`,
:func:`divide_once`).

Apart from :mod:`rtdash.ui.textual_internals` because it is one job of its own, but
like it, it relies on how Textual works inside (a strip's private slots and its own
``__init__``), so it is held to the same checked Textual version
(``textual_internals.CHECKED_TEXTUAL``); tests/ui/test_lazy_strips.py and
tests/ui/test_once_strips.py check each assumption.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip


class _NoCache:
    """Stands in for each of a :class:`Strip`'s own caches in a strip made to be
    written once: nothing is kept, every lookup misses (see :func:`once_strip`)."""

    __slots__ = ()

    def get(self, key: object) -> None:
        return None

    def __setitem__(self, key: object, value: object) -> None:
        pass


_NO_CACHE = _NoCache()


def once_strip(segments: list[Segment], cell_length: int) -> Strip:
    """A :class:`Strip` for a line drawn once and written once (a tick's time cells,
    a piece of a chop): the same strip, without the seven caches ``Strip.__init__``
    makes for it, none of which such a line ever uses more than it fills. A strip of
    ``segments`` (a list, not copied) and ``cell_length`` (not measured)."""
    strip = Strip.__new__(Strip)
    strip._segments = segments
    strip._cell_length = cell_length
    none: Any = _NO_CACHE  # stands in for each FIFOCache (only get and [] = are used)
    strip._divide_cache = strip._crop_cache = strip._style_cache = none
    strip._filter_cache = strip._line_length_cache = none
    strip._crop_extend_cache = strip._offsets_cache = none
    strip._render_cache = None
    strip._link_ids = None
    strip._cell_count = None
    return strip


#: Textual's own, kept before :func:`lazy_strip_caches` replaces it
_TEXTUAL_STRIP_INIT = Strip.__init__


def lazy_strip_caches() -> None:
    """Make each :class:`Strip`'s caches when it first uses them, not when it is made.

    ``Strip.__init__`` makes seven ``FIFOCache`` objects for every strip, one per way a
    strip can be changed (cropped, divided, styled, filtered...). Most strips are made,
    drawn once and dropped, and use one cache or none: a draw made a few hundred such
    strips, each cache an object the cyclic garbage collector then had to count and, at
    a big centre with hundreds of thousands of live rows, walk. Here a strip gets only
    its segments and lengths; a cache is made (at the size Textual gives it) the first
    time the strip looks it up. What each strip does is unchanged. Installed once by
    the app (idempotent).
    """
    if getattr(Strip.__init__, "_rtdash", False):
        return
    sizes = strip_cache_sizes()

    def __init__(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    def __getattr__(self: Strip, name: str) -> FIFOCache[Any, Any]:
        # only reached for a slot not set yet: a cache not used until now
        size = sizes.get(name)
        if size is None:
            raise AttributeError(name)
        cache: FIFOCache[Any, Any] = FIFOCache(size)
        setattr(self, name, cache)
        return cache

    # a function attribute marks ours, so a second install is a no-op
    __init__._rtdash = True  # type: ignore[attr-defined]
    # the point of this function: Textual's methods replaced on its class
    Strip.__init__ = __init__  # type: ignore[method-assign]
    # (Strip declares no __getattr__ of its own: this one is added to the class)
    Strip.__getattr__ = __getattr__  # type: ignore[attr-defined]


def strip_cache_sizes() -> dict[str, int]:
    """Each of a :class:`Strip`'s caches by attribute, with its size, as Textual's own
    ``Strip.__init__`` makes them."""
    strip = Strip.__new__(Strip)
    _TEXTUAL_STRIP_INIT(strip, [], 0)
    return {
        name: getattr(strip, name)._maxsize
        for name in Strip.__slots__
        if isinstance(getattr(strip, name, None), FIFOCache)
    }


def divide_once(strip: Strip, cuts: list[int]) -> list[Strip]:
    """``strip.divide(cuts)`` (cuts ascending, the last at most the strip's length),
    made of :func:`once_strip` pieces."""
    if cuts == [strip.cell_length]:
        return [strip]
    pieces: list[Strip] = []
    position = 0
    for segments, cut in zip(Segment.divide(strip._segments, cuts), cuts, strict=False):
        pieces.append(once_strip(segments, cut - position))
        position = cut
    return pieces
