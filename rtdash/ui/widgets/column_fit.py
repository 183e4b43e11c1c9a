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

#: a column's key and its headers, roomiest first; every column has :data:`FORMS`
HeaderForms = tuple[str, str, str, str]
FORMS = 4
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
    queue name is whole: a shorter header reads as well as a longer one, a cut name
    may not be told from another. Where even the shortest leave a name too little
    room, the names are cut (to :data:`NAME_MIN` cells at least; the caller gives them
    what room is left), then the least needed columns go (never below :data:`KEEP`),
    the headers staying the shortest: a table narrowed by a cell never brings the long
    words back, which would make it look wider than it was."""

    def needed(kept: Sequence[ColumnHeaders], form: int, name: int) -> int:
        cells = sum(max(widths[key], len(heads[form])) + PADDING for key, heads in kept)
        return name + PADDING + cells

    def chosen(kept: Sequence[ColumnHeaders], form: int) -> tuple[list[tuple[str, str]], list[str]]:
        dropped = [heads[0] for _, heads in columns[len(kept) :]]
        return [(key, heads[form]) for key, heads in kept], dropped

    for form in range(FORMS):
        if needed(columns, form, name_width) <= room:
            return chosen(columns, form)
    shortest, cut_name = FORMS - 1, min(name_width, NAME_MIN)
    kept = columns
    while len(kept) > KEEP and needed(kept, shortest, cut_name) > room:
        kept = kept[:-1]
    return chosen(kept, shortest)


def too_narrow_line(dropped: Sequence[str]) -> Text:
    """The line under a table that names the columns it has no room for."""
    return Text(f"Too narrow for: {', '.join(dropped)}", style="dim")
