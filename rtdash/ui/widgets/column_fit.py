"""Which columns of a table of queues fit its width, and under which headers.

The wallboard's queue table and the dashboard's queues view give up room the same way,
so one reads like the other: first the headers take shorter words, then the queue
names are cut (to :data:`NAME_MIN` cells, ending in "…"), and only then do the least
needed columns go, each named under the table (:func:`too_narrow_line`): a column gone
without a word reads as "not measured".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

#: a column's key and its headers, roomiest first; every column has as many
HeaderForms = tuple[str, str, str]
ColumnHeaders = tuple[str, HeaderForms]

#: the fewest cells the queue name keeps before a header is shortened or a column dropped
NAME_MIN = 10
#: a cell's padding, one each side
PADDING = 2
#: the columns beside the name that stay however narrow the table (what a queue is
#: for: its callers waiting and how long)
KEEP = 2


def fit_columns(
    columns: Sequence[ColumnHeaders],
    widths: Mapping[str, int],
    name_width: int,
    room: int,
) -> tuple[list[tuple[str, str]], list[str]]:
    """The (key, header) pairs that fit ``room`` cells, and the full headers of the
    columns left out. ``columns`` are in order of need (the last goes first);
    ``widths`` are the values' widths per key. The roomiest headers at which every
    queue name is whole; where no headers let the names be whole, names cut to
    ``NAME_MIN`` cells beside the roomiest headers that fit: a shorter header reads
    as well as a longer one, a cut name may not be told from another. Past the
    shortest headers, the least needed columns go (never below :data:`KEEP`)."""

    def needed(kept: Sequence[ColumnHeaders], form: int, name: int) -> int:
        cells = sum(max(widths[key], len(heads[form])) + PADDING for key, heads in kept)
        return name + PADDING + cells

    for form in range(3):
        if needed(columns, form, name_width) <= room:
            return [(key, heads[form]) for key, heads in columns], []
    cut_name = min(name_width, NAME_MIN)
    kept = columns
    while True:
        for form in range(3):
            if needed(kept, form, cut_name) <= room or (form == 2 and len(kept) <= KEEP):
                shown = [(key, heads[form]) for key, heads in kept]
                dropped = [heads[0] for _, heads in columns[len(kept) :]]
                return shown, dropped
        kept = kept[:-1]


def too_narrow_line(dropped: Sequence[str]) -> Text:
    """The line under a table that names the columns it has no room for."""
    return Text(f"Too narrow for: {', '.join(dropped)}", style="dim")
