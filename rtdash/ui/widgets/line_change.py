"""Which cells of a one-line widget a new text draws differently, so that it repaints
those and not the whole line.

A headline line is drawn again on every tick (its longest wait counts up) and on every
poll (its counts move): a few cells change, and a repaint of all of them writes the
whole line's characters and colours to the terminal again, a share of what a
supervisor's SSH link carries at 80×24. Plain comparison of characters and their
styles, nothing of Textual's.
"""

from __future__ import annotations

from itertools import accumulate

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text


def changed_cells(before: Text | None, after: Text) -> tuple[int, int] | None:
    """The cells ``[start, end)`` of a line where ``after`` draws differently from
    ``before`` (a character or its style), the line padded with blanks to its width;
    None where they draw alike; the whole of both where there is no ``before`` or the
    line's own style changed."""
    if before is None or before.style != after.style:
        return 0, max(after.cell_len, before.cell_len if before is not None else 0)
    old, new = _drawn(before), _drawn(after)
    pairs = enumerate(zip(old, new, strict=False))
    first = next((at for at, (was, now) in pairs if was != now), None)
    if first is None:
        if len(old) == len(new):
            return None
        first = min(len(old), len(new))
    start = _cell(before, first)  # the characters before it are the same
    if len(old) == len(new) and before.cell_len == after.cell_len:
        last = next(at for at in range(len(new) - 1, first - 1, -1) if old[at] != new[at])
        return start, _cell(after, last + 1)
    # a line that grew or shrank moves everything after the change (and a shorter one
    # leaves blanks where the longer one ended)
    return start, max(before.cell_len, after.cell_len)


def _drawn(text: Text) -> list[tuple[str, tuple[Style | str, ...]]]:
    """Each character with the styles of the spans over it, in order (as Rich
    combines them): two characters with the same are drawn alike."""
    styles: list[tuple[Style | str, ...]] = [()] * len(text.plain)
    for span in text.spans:
        for at in range(span.start, min(span.end, len(styles))):
            styles[at] += (span.style,)
    return list(zip(text.plain, styles, strict=True))


def _cell(text: Text, index: int) -> int:
    """The cell where character ``index`` of ``text`` begins (past the end: its
    length in cells)."""
    plain = text.plain
    if plain.isascii():
        return min(index, len(plain))
    return ([0, *accumulate(map(cell_len, plain))])[min(index, len(plain))]
