"""The widget that draws a headline number in the font of :mod:`.big_number`.

Its lines are made here, from the font's text, in the widget's own style, and kept
until the number, the box or the style changes: a poll at a busy centre changes most
of the headline's numbers, and Textual's way to the screen for a widget's text (its
content layout, then its per-widget line cache) cost several times what the font does.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from rtdash.ui.textual_internals import has_plain_box
from rtdash.ui.widgets.big_number import Scale, big_text, fit

#: what a number shows while it is not known (and the longest wait when nobody waits)
PLACEHOLDER = "–"

#: what a number's lines were drawn from: its text, size, scale, style, line filters
#: and the background those blend with
_Drawn = tuple[str, Size, Scale, Style, tuple[LineFilter, ...], Color]


class BigNumber(Widget):
    """A number drawn as large as its box allows; the tiles of one bar share the
    smallest of their scales, so equal numbers look equal across the row."""

    DEFAULT_CSS = """
    BigNumber { height: 3; width: 1fr; }
    """

    #: block art: there is no text in it to select and copy
    ALLOW_SELECT = False

    def __init__(self, template: str, group: list[BigNumber], **kwargs: object) -> None:
        # kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.template = template
        self.group = group
        self.value = PLACEHOLDER
        #: the scale this number fits at on its own, and what it was worked out for
        #: (the text sized for, the outer size): a draw looks at every number of the
        #: row, and a widget's content size is a look-up through the screen
        self._own: tuple[str, Size, Scale | None] | None = None
        #: the lines as last drawn, and what they were drawn from
        self._drawn: tuple[_Drawn, list[Strip]] | None = None
        group.append(self)

    def update(self, value: str) -> None:
        if value != self.value:
            longer = len(value) > len(self.value)
            self.value = value
            # a longer number may shrink every tile's scale: redraw the row
            for number in self.group if longer else (self,):
                number.refresh()

    def own_scale(self) -> Scale | None:
        """The largest scale this number fits at in its own box; None while the box has
        no room (the row's scale is then the others')."""
        sizing = self.value if len(self.value) > len(self.template) else self.template
        outer = self.outer_size
        own = self._own
        if own is None or own[0] != sizing or own[1] != outer:
            size = self.size
            scale = fit(sizing, size.width, size.height) if size.area else None
            own = self._own = (sizing, outer, scale)
        return own[2]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._own = None  # a new border or padding is a new room, in the same outer size

    def scale(self) -> Scale:
        scales = [scale for number in self.group if (scale := number.own_scale()) is not None]
        if not scales:
            return Scale(1, 1)
        w = min(scale.w for scale in scales)
        h = min(scale.h for scale in scales)
        return Scale(w, min(h, w * 2))

    def render(self) -> Text:
        return big_text(self.value, self.size.width, self.size.height, self.scale())

    def render_lines(self, crop: Region) -> list[Strip]:
        """The number's lines as :meth:`_lines` makes them, where its box is plain (no
        border, padding, tint or opacity: a stale wallboard's numbers are dimmed, and
        go Textual's way); otherwise, and for what is outside the lines, Textual's."""
        if not has_plain_box(self):
            return super().render_lines(crop)
        lines = self._lines()
        if not lines or crop.bottom > len(lines) or crop.right > lines[0].cell_length:
            return super().render_lines(crop)
        strips = [lines[y] for y in crop.line_range]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, lines[0].cell_length):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _lines(self) -> list[Strip]:
        """What Textual draws for :meth:`render`'s text in this plain box: each line
        of the text in the widget's style, the rest of the line (and each line below
        the text) in its background, the app's line filters applied."""
        size = self.size
        style = self.rich_style
        filters = tuple(self.get_line_filters())
        background = self.background_colors[1]
        drawn = (self.value, size, self.scale(), style, filters, background)
        if self._drawn is not None and self._drawn[0] == drawn:
            return self._drawn[1]
        width, height = size
        text = big_text(self.value, width, height, drawn[2])
        rows = text.plain.split("\n")[:height]
        # after a line of text, its background; below the text, the text's style
        blank = Style.from_color(bgcolor=style.bgcolor)
        below = Segment(" " * width, style)
        lines = []
        for y in range(height):
            if y < len(rows):
                # an empty line of text too is a segment (of no cells) in its style, as
                # Textual draws it: a screenshot's SVG shows it
                row = rows[y][:width]  # the font's characters are one cell each
                segments = [Segment(row, style)]
                if len(row) < width:
                    segments.append(Segment(" " * (width - len(row)), blank))
            else:
                segments = [below]
            line = Strip(segments, width)
            for line_filter in filters:
                line = line.apply_filter(line_filter, background)
            lines.append(line)
        self._drawn = (drawn, lines)
        return lines
