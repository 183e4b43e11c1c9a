"""A scroll container that says how much of it lies below the fold.

At 80x24 a caller's lookup holds more than its dialog shows (its state, durations,
custom data and the dashboard's row of the call), and a scrollbar's thumb was all that
said so: a colour, gone under ``NO_COLOR``, and easy to take for a border. A dim line
at its bottom edge names the lines below and the key that shows them; it goes once
the end is in view, and is not there when everything fits.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

#: the key named in the hint: one press shows a page of what is below
MORE_KEY = "PgDn"


def more_below(lines: int) -> Text:
    """The hint for ``lines`` below the fold: ``↓ 12 more lines (PgDn)``."""
    noun = "line" if lines == 1 else "lines"
    return Text(f"↓ {lines} more {noun} ({MORE_KEY})")


class FoldHint(Static):
    """The line at the container's bottom edge; hidden until something is below."""

    DEFAULT_CSS = """
    FoldHint {
        dock: bottom;
        height: 1;
        width: 100%;
        color: $text-muted;
        display: none;
    }
    """


class FoldScroll(VerticalScroll):
    """A :class:`VerticalScroll` whose bottom line, while more lies below, says how
    many lines and which key shows them."""

    def compose(self) -> ComposeResult:
        # after the children given with ``with``: docked, it stays at the bottom edge
        yield FoldHint()

    @property
    def lines_below(self) -> int:
        """Lines of content under the bottom edge (under the hint, when it shows)."""
        return max(0, round(self.max_scroll_y - self.scroll_y))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.show_fold()

    def watch_virtual_size(self) -> None:
        """The content changed height (new details, or folded anew to a new width):
        counted once the layout under way has set the room it has too."""
        self.call_after_refresh(self.show_fold)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.show_fold)

    def show_fold(self) -> None:
        hints = self.query_children(FoldHint)
        if not hints:  # scrolled before it was composed
            return
        hint, below = hints.first(), self.lines_below
        if below and not hint.display:
            below += 1  # its own line will hide one more: said so from its first frame
        if below:
            hint.update(more_below(below))
        if hint.display != bool(below):
            hint.display = bool(below)
            # its line was the content's, or is again: counted once laid out anew
            self.call_after_refresh(self.show_fold)
