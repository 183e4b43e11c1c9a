"""The headline as one line, for a narrow terminal: which numbers fit and in which
words, drawn to the width the line has, repainting only the cells that changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from rtdash.core.thresholds import Level
from rtdash.ui.widgets.big_digits import PLACEHOLDER
from rtdash.ui.widgets.line_change import changed_cells
from rtdash.ui.widgets.palette import LEVEL_MARK, LEVEL_STYLE

#: one number of the compact line: its short label, its terse label, value and level
LineItem = tuple[str, str, str, Level]
#: a value no poll has given yet
NOT_KNOWN = (PLACEHOLDER, Level.OK)
#: the forms the compact line tries, roomiest first: which label, and what between
_FORMS = ((0, "  "), (1, "  "), (1, " "))


def compact_line(items: Sequence[LineItem], width: int | None = None) -> Text:
    """``Waiting 17 ‼  Longest 1:39 ▲  …``, in ``width`` cells: the short labels while
    they fit, then the terse ones, then closer together; past that whole numbers give
    way, calm ones before breached ones and the last first (an ellipsis says some are
    missing). Words give way before numbers: the number is what the line is read for.
    A number is never cut: a clipped "12" would read as "1"."""
    for label, gap in _FORMS:
        line = _line(items, label, gap)
        if width is None or line.cell_len <= width:
            return line
    assert width is not None
    kept = list(items)
    while len(kept) > 1:
        calm = [i for i, item in enumerate(kept) if item[3] is Level.OK]
        del kept[calm[-1] if calm else -1]
        line = _line(kept, 1, " ")
        line.append(" …", style="dim")
        if line.cell_len <= width:
            return line
    return _line(kept, 1, " ")


def _line(items: Sequence[LineItem], label: int, gap: str) -> Text:
    line = Text()
    for index, item in enumerate(items):
        value, level = item[2], item[3]
        if index:
            line.append(gap)
        line.append(f"{item[label]} ")
        line.append(value + LEVEL_MARK[level], style=LEVEL_STYLE[level] or "bold")
    return line


class CompactLine(Widget):
    """The headline as one line (a narrow terminal): drawn to the width it is given,
    so a resize or a longer number picks the form that fits."""

    DEFAULT_CSS = """
    CompactLine { height: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        # kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: tuple[LineItem, ...] = ()
        #: the line as last drawn, and the width it was drawn to
        self._drawn: tuple[Text, int] | None = None

    def show(self, items: tuple[LineItem, ...]) -> None:
        """Only the cells that now draw differently are repainted: the longest wait
        counts up every second, and the rest of the line stays as it was."""
        if items == self.items:
            return
        self.items = items
        width = self.size.width
        before = self._drawn[0] if self._drawn is not None and self._drawn[1] == width else None
        line = compact_line(items, width or None)
        self._drawn = (line, width)
        span = changed_cells(before, line)
        if span is None:
            return
        if before is None:
            self.refresh()
            return
        start, end = span
        self.refresh(Region(start, 0, max(end - start, 1), 1))

    def render(self) -> Text:
        """The line :meth:`show` made for these items, unless the width changed since."""
        width = self.size.width
        if self._drawn is None or self._drawn[1] != width:
            self._drawn = (compact_line(self.items, width or None), width)
        return self._drawn[0]
