"""A trend that does not lie: a fixed time window, a y-axis from zero, both labelled.

Textual's ``Sparkline`` stretches whatever samples it has across its width and scales
from the smallest to the largest, so two minutes of data look like an hour and 1 → 2
waiting fills the full height. Here each column is a fixed slice of the window (the
part not yet observed is drawn as a dim dotted baseline), bars rise from zero, and
the labels say the window and the maximum.

The maximum labelled is the tallest bar's, not the highest sample's: where a column
sums up several slots with ``min`` (the agents available), the highest sample may be
in no bar at all, and a label over an empty top row reads as a peak that never was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

BARS = " ▁▂▃▄▅▆▇█"
#: drawn where the window was not observed
EMPTY = "·"


def columns_of(
    values: Sequence[int | None], width: int, summary: Callable[[list[int]], int]
) -> list[int | None]:
    """The window squeezed (or stretched) into ``width`` columns, each column the
    ``summary`` of its slots (``max`` for waiting: a spike must show), ``None`` where
    none of its slots was observed."""
    if width <= 0:
        return []
    if not values:
        return [None] * width
    slots = len(values)
    out: list[int | None] = []
    for column in range(width):
        first = column * slots // width
        last = max(first + 1, (column + 1) * slots // width)
        seen = [value for value in values[first:last] if value is not None]
        out.append(summary(seen) if seen else None)
    return out


def tallest(columns: Sequence[int | None]) -> int:
    """The value of the tallest bar (0 where none is drawn): the label a chart's top
    row carries, so the tallest bar always reaches it."""
    return max((value for value in columns if value is not None), default=0)


def bar_rows(columns: Sequence[int | None], top: int, height: int) -> list[list[str]]:
    """Rows of bar characters, top row first; bars in eighths of a row from zero."""
    rows = [[" "] * len(columns) for _ in range(height)]
    for x, value in enumerate(columns):
        if value is None:
            rows[-1][x] = EMPTY
            continue
        eighths = round(value / top * height * 8) if top else 0
        if value > 0:
            eighths = max(1, eighths)
        for y in range(height):
            level = min(8, max(0, eighths - 8 * (height - 1 - y)))
            rows[y][x] = BARS[level]
        if value == 0:
            rows[-1][x] = "▁"
    return rows


class Trend(Widget):
    """One series over the history window. ``values`` come oldest first, one per slot.

    ``summary`` is what a column shows of the slots it covers: the worst of them, as the
    history keeps the worst of each slot. For calls waiting that is ``max``; for agents
    available, ``min``, the fewest the headline showed in the column's slice of time,
    since running short of agents is what a room must see (the alert is for few
    available) and a dip to none lasting a poll would vanish from an average or a last
    value. So the newest bar can stand under the headline's count while agents are
    coming free: it shows the fewest of its slice, the headline the count now.
    """

    DEFAULT_CSS = """
    Trend { height: 1; width: 1fr; }
    Trend > .trend--bar { color: $primary; }
    Trend > .trend--empty { color: $text-disabled; }
    Trend > .trend--label { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"trend--bar", "trend--empty", "trend--label"}

    def __init__(
        self,
        title: str,
        *,
        minutes: float,
        summary: Callable[[list[int]], int] = max,
        **kwargs: object,
    ) -> None:
        # kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.title = title
        self.minutes = minutes
        self.summary = summary
        self.values: list[int | None] = []

    def show(self, values: list[int | None]) -> None:
        if values != self.values:
            self.values = values
            self.refresh()

    @property
    def span(self) -> str:
        minutes = self.minutes
        return f"{minutes / 60:g} h" if minutes >= 120 and minutes % 60 == 0 else f"{minutes:g} min"

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        seen = [value for value in self.values if value is not None]
        # room for the label is kept for the highest sample, which no bar exceeds: the
        # chart's width does not hang on the columns it decides
        highest = max(seen, default=0)
        label = self.get_component_rich_style("trend--label")
        bar = self.get_component_rich_style("trend--bar")
        empty = self.get_component_rich_style("trend--empty")
        if height < 3:
            # one line: "waiting, 60 min  ▁▂█··· max 4"
            head = f"{self.title}, {self.span} "
            tail = f" max {highest}" if seen else " no data yet"
            chart = max(0, width - len(head) - len(tail))
            columns = columns_of(self.values, chart, self.summary)
            top = tallest(columns) if columns else highest
            line = Text(head, style=label, no_wrap=True, overflow="crop")
            line.append_text(_styled(bar_rows(columns, max(top, 1), 1)[0], bar, empty))
            line.append(f" max {top}" if seen else tail, style=label)
            return line
        axis = len(str(highest)) + 1
        chart = max(1, width - axis)
        columns = columns_of(self.values, chart, self.summary)
        top = tallest(columns)
        rows = bar_rows(columns, max(top, 1), height - 2)
        lines = [Text(f"{self.title} — last {self.span}", style=label, no_wrap=True)]
        for index, row in enumerate(rows):
            mark = str(top) if index == 0 else ("0" if index == len(rows) - 1 else "")
            line = Text(mark.rjust(axis - 1) + "▕", style=label, no_wrap=True)
            line.append_text(_styled(row, bar, empty))
            lines.append(line)
        left, right = f"−{self.span}", "now"
        gap = max(1, chart - len(left) - len(right))
        lines.append(Text(" " * axis + left + " " * gap + right, style=label, no_wrap=True))
        return Text("\n", no_wrap=True, overflow="crop").join(lines)


def _styled(row: list[str], bar: Style, empty: Style) -> Text:
    """Runs of bars and runs of the empty mark, each in its style."""
    text = Text(no_wrap=True)
    start = 0
    for index in range(1, len(row) + 1):
        if index == len(row) or (row[index] == EMPTY) != (row[start] == EMPTY):
            text.append("".join(row[start:index]), style=empty if row[start] == EMPTY else bar)
            start = index
    return text
