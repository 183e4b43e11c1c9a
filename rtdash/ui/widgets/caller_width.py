"""The calls grid's Caller column: as wide as the longest number in view, within
limits."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.format import caller_label
from rtdash.ui.widgets.keyed_table import KeyedTable

#: the Caller column's declared width: a UK number fits it
CALLER_WIDTH = 16
#: the widest the column grows for a number from abroad, or one with an extension
#: (past it, cut with "…"): an upstream's word in place of a number cannot take the
#: table's whole width
CALLER_WIDEST = 26


class CallerWidth:
    """The width the Caller column asks for, from the numbers in the tables' lines.

    Only the calls a table shows from where it is scrolled to are measured, in the
    lines it has now: a number is formatted to be measured, which costs too much to do
    for every call of a centre's thousands on each poll, or even for a screen's height
    of them in each group, and the tables format only the rows they draw (the same
    numbers, formatted once: see ``format_international``)."""

    def __init__(self, *, pii_excluded: bool) -> None:
        self.pii_excluded = pii_excluded
        #: how wide each caller in view at the last measure shows: the same callers
        #: come back on every poll, and only a new one is formatted to find the widest
        self._cells: dict[str | None, int] = {}
        #: the calls the tables were last given, by group (measured again on a scroll)
        self.in_tables: dict[CallState, tuple[ActiveCall, ...]] | None = None

    def measure(
        self,
        shown: dict[CallState, tuple[ActiveCall, ...]],
        table: Callable[[CallState], KeyedTable[ActiveCall]],
    ) -> None:
        self.in_tables = shown
        known, cells = self._cells, {}
        for state, calls in shown.items():
            lines = table(state)
            top = round(lines.scroll_offset.y)
            for call in calls[top : top + lines.size.height]:
                number = call.src_number
                if number not in cells:
                    width = known.get(number)
                    if width is None:
                        width = cell_len(caller_label(number, self.pii_excluded))
                    cells[number] = width
        self._cells = cells

    def wanted(self, room: int, floor: int) -> int:
        """The longest number's width, as far as ``room`` above the tables' ``floor``
        allows (``room`` 0: not laid out yet, no limit): a long number in a narrow
        terminal is cut, and never pushes the tables under their floor, where they
        would give way to the line that asks for a wider terminal, and every call would
        go from view while one caller from abroad is in it."""
        widest = max(self._cells.values(), default=0)
        width = min(max(CALLER_WIDTH, widest), CALLER_WIDEST)
        if room:
            width = min(width, CALLER_WIDTH + max(0, room - floor))
        return width
