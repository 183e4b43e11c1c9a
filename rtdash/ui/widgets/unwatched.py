"""Today's unwatched periods, one line under a view's headline.

Today's totals (the wallboard's tiles, the dashboard's SL and abandoned) miss whatever
happened while nothing watched: a restart, an outage, a hub that stopped. Every view
that shows those totals says which periods they miss, in the words ``rtdash stats``
prints them (:func:`~rtdash.core.service_report.fmt_gaps`), from this one widget. The
part of the day before the first watch is one of them: totals that start at noon must
not read as the day's.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Label

from rtdash.core.service_report import fmt_gaps

#: the line's words before the periods
LEAD = "Today's totals: "
#: room for the periods: the line is written for 80 columns (a supervisor on SSH), the
#: narrowest the views are laid out for, less its padding and :data:`LEAD`; a day of
#: restarts must not run off it
GAPS_ROOM = 80 - 2 - len(LEAD)


class UnwatchedLine(Label):
    """Hidden while today has no unwatched period, so it costs no row until then."""

    DEFAULT_CSS = """
    UnwatchedLine { display: none; height: 1; width: 100%; padding: 0 1; }
    """

    #: the unwatched periods drawn last
    _shown: tuple[tuple[float, float], ...] = ()

    def show(
        self,
        gaps: list[tuple[float, float]],
        zone: ZoneInfo,
        *,
        lone_start_unsaid: float | None = None,
    ) -> None:
        """``lone_start_unsaid``: the day's start, where the part of the day before the
        first watch, alone, is not worth a row of its own (the dashboard's: at 80x24 the
        row is a waiting call's); it is said with the first outage."""
        shown = tuple(gaps)
        if len(shown) == 1 and lone_start_unsaid is not None and shown[0][0] == lone_start_unsaid:
            shown = ()
        if shown == self._shown:
            return
        self._shown = shown
        self.display = bool(shown)
        if not shown:
            return
        periods = [
            (datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone)) for a, b in shown
        ]
        self.update(Text(LEAD + fmt_gaps(periods, GAPS_ROOM), style="dim"))
