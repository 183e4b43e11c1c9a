"""Where the blank lines go between the wallboard's agent groups and rows.

A wallboard is read across a room, so the agents' room is used from top to foot: the
lines the tiles leave over are shared out as blank lines between groups first (the
groups are what a glance looks for), then between every row where all of them fit,
and the rest between the groups again, rather than left as a blank band under the
last agent. The groups are never closer together than the rows inside them.

Pure arithmetic, no Textual: the grid asks for a plan, then draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Gaps:
    """Blank lines to draw after each group but the last (after its last row, or after
    its heading when it has no one), and after each row of a group but its last."""

    after_group: tuple[int, ...]
    after_row: tuple[tuple[int, ...], ...]

    @classmethod
    def every_row(cls, rows: Sequence[int]) -> Gaps:
        """A line after every row of tall tiles, which already fill their room: a group
        of no one is followed by the next group's heading straight away."""
        return cls(
            after_group=tuple(1 if count else 0 for count in rows[:-1]),
            after_row=tuple((1,) * max(0, count - 1) for count in rows),
        )

    def after(self, group: int, row: int, rows: int) -> int:
        """Blank lines after row ``row`` of ``rows`` in group ``group`` (none after the
        last group's last row: nothing follows it)."""
        if row < rows - 1:
            return self.after_row[group][row]
        return self.after_group[group] if group < len(self.after_group) else 0


def spread_gaps(rows: Sequence[int], spare: int) -> Gaps:
    """Share ``spare`` blank lines between groups of ``rows`` rows each (in drawing
    order): a line to each gap between groups, then a line between every row of every
    group where all of those fit, then the rest between the groups, evenly.

    Rows are spaced everywhere or nowhere: a group spaced in part reads as blocks of
    uneven height, and one spaced while the next is not as two kinds of tile. What
    that leaves goes between the groups, which a glance looks for, so the last line
    drawn is at the foot whenever there are two groups or more."""
    after_group = [0] * max(0, len(rows) - 1)
    left = _between_groups(after_group, max(0, spare))
    row_gaps = sum(max(0, count - 1) for count in rows)
    spaced = 0 < row_gaps <= left
    if spaced:
        left -= row_gaps
    while left and after_group:
        left = _between_groups(after_group, left)
    row_gap = 1 if spaced else 0
    return Gaps(tuple(after_group), tuple((row_gap,) * max(0, count - 1) for count in rows))


def _between_groups(after_group: list[int], lines: int) -> int:
    """A line more to as many gaps between groups as ``lines`` allow, spread evenly:
    the lines left."""
    given = min(lines, len(after_group))
    for index in _evenly(given, len(after_group)):
        after_group[index] += 1
    return lines - given


def _evenly(count: int, slots: int) -> list[int]:
    """``count`` of ``slots`` positions, each in the middle of an equal share."""
    return [(2 * share + 1) * slots // (2 * count) for share in range(count)]
