"""Where the blank lines go between the wallboard's agent groups and rows.

A wallboard is read across a room, so the agents' room is used from top to foot: the
lines the tiles leave over are shared out as blank lines between groups first (the
groups are what a glance looks for), then between the rows of a group, as evenly as
they go, rather than left as a blank band under the last agent. A gap takes a second
line only once every gap has one, so no two gaps differ by more than a line and the
groups are never closer together than the rows inside them.

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
    order): a line to each gap between groups, then a line to each gap between rows,
    then a second line the same way, and so on until none are left.

    Where a round's lines do not go round every gap between rows, the groups with the
    most rows get theirs first, a whole group at a time, so the rows of a group are
    spaced alike; the lines too few for another whole group are spaced evenly through
    the largest group left, so the last of them is never a blank band at the foot."""
    after_group = [0] * max(0, len(rows) - 1)
    after_row = [[0] * max(0, count - 1) for count in rows]
    left = max(0, spare)
    while left and (after_group or any(after_row)):
        given = min(left, len(after_group))
        for index in _evenly(given, len(after_group)):
            after_group[index] += 1
        left -= given
        left -= _round_of_row_gaps(after_row, left)
    return Gaps(tuple(after_group), tuple(map(tuple, after_row)))


def _round_of_row_gaps(after_row: list[list[int]], lines: int) -> int:
    """Add a line to as many gaps between rows as ``lines`` allow (each gap at most one
    this round): the lines given."""
    by_size = sorted(range(len(after_row)), key=lambda group: -len(after_row[group]))
    given = 0
    short: list[int] = []
    for group in by_size:
        gaps = after_row[group]
        if not gaps:
            continue
        if len(gaps) <= lines - given:
            after_row[group] = [count + 1 for count in gaps]
            given += len(gaps)
        else:
            short.append(group)
    if short and lines > given:
        gaps = after_row[short[0]]
        for index in _evenly(lines - given, len(gaps)):
            gaps[index] += 1
        given = lines
    return given


def _evenly(count: int, slots: int) -> list[int]:
    """``count`` of ``slots`` positions, each in the middle of an equal share: two of
    four row gaps are the second and the fourth, so rows go in even pairs."""
    return [(2 * share + 1) * slots // (2 * count) for share in range(count)]
