"""Today's unwatched periods, one line under a view's headline.

Today's totals (the wallboard's tiles, the dashboard's SL and abandoned) miss whatever
happened while nothing watched: a restart, an outage, a hub that stopped. Every view
that shows those totals says which periods they miss, in the words ``rtdash stats``
prints them (:func:`~rtdash.core.service_report.fmt_gap`), from this one widget.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Label

from rtdash.core.service_report import fmt_gap

#: the latest unwatched periods shown (a day of restarts must not fill the line)
GAPS_SHOWN = 2


class UnwatchedLine(Label):
    """Hidden while today has no unwatched period, so it costs no row until then."""

    DEFAULT_CSS = """
    UnwatchedLine { display: none; height: 1; width: 100%; padding: 0 1; }
    """

    #: the unwatched periods drawn last
    _shown: tuple[tuple[float, float], ...] = ()

    def show(self, gaps: list[tuple[float, float]], zone: ZoneInfo) -> None:
        shown = tuple(gaps[-GAPS_SHOWN:])
        if shown == self._shown:
            return
        self._shown = shown
        self.display = bool(shown)
        words = [
            fmt_gap(datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone))
            for a, b in shown
        ]
        self.update(Text("Today's totals: " + ", ".join(words), style="dim"))
