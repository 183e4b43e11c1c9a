"""Today's unwatched periods, one line under a view's headline.

Today's totals (the wallboard's tiles, the dashboard's SL and abandoned) miss whatever
happened while nothing watched: a restart, an outage, a hub that stopped. Every view
that shows those totals says which periods they miss, in the words ``rtdash stats``
prints them (:func:`~rtdash.core.service_report.fmt_gaps`), from this one widget. The
part of the day before the first watch is one of them: totals that start at noon must
not read as the day's.

The periods are fitted to the width the line is drawn in, again on each resize: fitted
to a fixed 80 columns, a narrower terminal wrapped the line after a comma and hid the
latest period, the news. Where even ``…`` and the latest leave no room for
:data:`LEAD`, the lead gives way: "not watching" still says what the periods are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Label

from rtdash.core.service_report import fmt_gaps

#: the line's words before the periods
LEAD = "Today's totals: "


def unwatched_words(periods: Sequence[tuple[datetime, datetime]], width: int) -> str:
    """The line for ``periods`` in ``width`` characters where it can be: the periods
    fitted to the room :data:`LEAD` leaves, then the lead dropped if even they do not
    fit beside it (a line still too long is cut at its end, never wrapped)."""
    said = fmt_gaps(periods, width - len(LEAD))
    return LEAD + said if len(LEAD + said) <= width else said


class UnwatchedLine(Label):
    """Hidden while today has no unwatched period, so it costs no row until then."""

    DEFAULT_CSS = """
    UnwatchedLine { display: none; height: 1; width: 100%; padding: 0 1; }
    """

    #: the unwatched periods drawn last
    _shown: tuple[tuple[float, float], ...] = ()
    #: the same, as times in the installation's zone: a resize fits them again
    _periods: tuple[tuple[datetime, datetime], ...] = ()

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
        self._periods = tuple(
            (datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone)) for a, b in shown
        )
        self._fit()

    def on_resize(self) -> None:
        """The room changed: more periods may fit, or fewer."""
        self._fit()

    def _fit(self) -> None:
        if not self._periods:
            return
        # before its first layout the line has no size: the screen's width is its own
        width = self.content_size.width or self.app.size.width - self.styles.gutter.width
        words = unwatched_words(self._periods, width)
        self.update(Text(words, style="dim", no_wrap=True, overflow="ellipsis"), layout=False)
