"""Rich's cache of text widths, kept small.

Rich measures a text's width in cells through ``rich.cells.cached_cell_len``, a
``functools.lru_cache`` of 4,096 texts: each text measured is held there until 4,096
others have been. A live view measures new texts every second (the age of the data, a
clock, each call's time in state), so a day's run keeps filling it for the better part
of an hour, a few hundred bytes a text: what a long run's memory grew by once the
screens had settled. Emptied here whenever it holds more than :data:`HELD` texts, the
cache stays the size of one screen's texts, and a long run holds no more than its first
minutes did. Only the cache's public ``cache_info`` and ``cache_clear`` are used; a
text measured again after a clear is simply measured (a pass over its characters).
"""

from __future__ import annotations

from rich import cells

#: texts the cache may hold before it is emptied: a screen's worth, and more
HELD = 512


def trim_width_cache() -> bool:
    """Empty rich's cache of text widths if it holds more than :data:`HELD` texts;
    whether it did."""
    cache = getattr(cells, "cached_cell_len", None)
    info, clear = getattr(cache, "cache_info", None), getattr(cache, "cache_clear", None)
    if info is None or clear is None or info().currsize <= HELD:
        return False  # (a rich without this cache holds nothing to trim)
    clear()
    return True
