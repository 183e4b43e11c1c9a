"""A group's one-line title ("☎ Ringing 12"), drawn from its text straight to a line.

A poll at a busy centre changes the counts in most of the titles. Textual's way to the
screen for a widget's text (its content layout, then its per-widget line cache) cost
far more than the line itself, so where the box is plain and the text fits on its one
line, the line is made here from the text's own segments in the widget's style, and
kept until the text, the width or the style changes.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from rtdash.ui.textual_internals import has_plain_box

#: before the title of the group or panel the focus is in (a character, not a colour: it
#: reads in monochrome and over any link)
FOCUS_MARK = "▸"

#: what a title's line was drawn from: text (its spans, and its own style: a Text's
#: equality leaves that out), width, style, line filters and the background those
#: blend with
_Drawn = tuple[Text, str | Style, int, Style, tuple[LineFilter, ...], Color]


class TitleLine(Static):
    """A :class:`Static` of one line of :class:`Text` (never markup: titles carry
    upstream names)."""

    def __init__(self, text: Text, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self._text: Text | None = text
        self._drawn: tuple[_Drawn, Strip] | None = None

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        self._text = content if isinstance(content, Text) else None
        super().update(content, layout=layout)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The title's line as :meth:`_line` makes it, where the box is plain (no
        border, padding, tint or opacity: a stale view is dimmed and goes Textual's way)
        and the text fits its one line; otherwise Textual's."""
        line = self._line() if has_plain_box(self) else None
        if line is None or crop.bottom > 1 or crop.right > line.cell_length:
            return super().render_lines(crop)
        x1, x2 = crop.column_span
        return [line if (x1, x2) == (0, line.cell_length) else line.crop(x1, x2)]

    def _line(self) -> Strip | None:
        """What Textual draws for the text on this one line: the text's segments in the
        widget's style, the rest of the line in its background, the app's line filters
        applied, cut with "…" where it is too long; None where that is not so simple (no
        text, two lines)."""
        text = self._text
        width, height = self.size
        if text is None or height != 1 or "\n" in text.plain:
            return None
        style = self.rich_style
        filters = tuple(self.get_line_filters())
        background = self.background_colors[1]
        drawn = (text, text.style, width, style, filters, background)
        if self._drawn is not None and self._drawn[0] == drawn:
            return self._drawn[1]
        if text.cell_len > width:  # one line: its end is cut with "…" (a long filter's)
            text = text.copy()
            text.truncate(width, overflow="ellipsis")
        console = self.app.console
        # Text.render leaves the text's own (whole-text) style to its caller
        base = style + console.get_style(text.style) if text.style else style
        # each piece of text carries where it starts, as Textual's own do (what a mouse
        # selection reads; a screenshot keeps such pieces apart)
        segments, x = [], 0
        for segment in Segment.apply_style(text.render(console), style=base):
            at = Style.from_meta({"offset": (x, 0)})
            segments.append(Segment(segment.text, (segment.style or Style()) + at))
            x += segment.cell_length
        if text.cell_len < width:
            blank = Style.from_color(bgcolor=style.bgcolor)
            segments.append(Segment(" " * (width - text.cell_len), blank))
        line = Strip(segments, width)
        for line_filter in filters:
            line = line.apply_filter(line_filter, background)
        self._drawn = (drawn, line)
        return line
