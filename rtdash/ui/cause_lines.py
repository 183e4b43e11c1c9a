"""A failure's causes folded onto the status bar's lines of their own.

Cut at the screen's edge on one line, a cause lost its end, and its end was often what
to do about it: the ``[mapping]`` key to fix, the keys the rows do carry, what went wrong
with the second route. So each cause starts a line and folds at its words onto as many
lines as it needs, up to a few (the calls grid needs its rows at 80×24). Where even
those cannot hold everything, the cut says so and where the whole text is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, get_character_cell_size

from rtdash.ui.label_fit import fit_cells

#: the most lines the causes take under the status line's first
MOST_LINES = 3
#: where the cut part is: every poll failure is logged whole, and ``rtdash doctor``
#: checks each route and the mapping again
IN_FULL = " (in full: the log, rtdash doctor)"


def cause_lines(causes: Sequence[str], width: int, most: int = MOST_LINES) -> list[str]:
    """``causes`` in at most ``most`` lines of ``width`` cells, each cause from a line's
    start. Every cause has a line; the lines left over go to the last causes first,
    since the note that says where the rest is ends the last line and must not cut
    that cause's own words. A cause cut short ends in ``…``."""
    if not causes:
        return []
    if width <= 0:
        return ["; ".join(causes)]
    most = max(1, most)
    shown = list(causes)
    if len(shown) > most:  # the last line's cause holds the rest
        shown[most - 1 :] = ["; ".join(shown[most - 1 :])]
    folded = [fold(cause, width) for cause in shown]
    room = [1] * len(folded)
    spare = most - len(folded)
    for index in reversed(range(len(folded))):
        more = min(spare, len(folded[index]) - 1)
        room[index] += more
        spare -= more
    lines: list[str] = []
    cut = False
    for wrapped, fits in zip(folded, room, strict=True):
        kept = wrapped[:fits]
        if len(wrapped) > fits:
            cut = True
            kept[-1] = _ended(kept[-1], width)
        lines.extend(kept)
    if cut:
        lines[-1] = _noted(lines[-1], width)
    return lines


def fold(text: str, width: int) -> list[str]:
    """``text`` broken at its spaces into lines of at most ``width`` cells; a word
    longer than a line (a URL, a path) is broken where the line ends."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        joined = f"{line} {word}" if line else word
        if cell_len(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        while cell_len(word) > width:
            head = _head_cells(word, width)
            lines.append(head)
            word = word[len(head) :]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _head_cells(word: str, width: int) -> str:
    """The longest start of ``word`` in ``width`` cells (at least one character, so a
    wide character in a one-cell line still moves on)."""
    size = 0
    for index, char in enumerate(word):
        size += get_character_cell_size(char)
        if size > width:
            return word[: max(1, index)]
    return word


def _ended(line: str, width: int) -> str:
    """``line`` marked as going on past what is shown."""
    if cell_len(line) + 1 <= width:
        return f"{line}…"
    return fit_cells(line, width).rstrip()


def _noted(line: str, width: int) -> str:
    """``line`` with :data:`IN_FULL` after it, its own end cut to make room where the
    two do not fit (too narrow for the note at all: the line alone)."""
    if cell_len(line) + cell_len(IN_FULL) <= width:
        return line + IN_FULL
    room = width - cell_len(IN_FULL)
    if room < 2:
        return line
    return fit_cells(line, room).rstrip() + IN_FULL
