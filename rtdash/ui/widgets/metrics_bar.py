"""Headline numbers: big tiles on a wide terminal, one compact line at 80 columns."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label, Sparkline, Static

from rtdash.core.clock import Clock
from rtdash.core.format import duration
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.thresholds import Level, Thresholds
from rtdash.ui.widgets.palette import LEVEL_MARK, LEVEL_STYLE

TILES = (
    ("waiting", "Calls waiting"),
    ("ringing", "Ringing"),
    ("talking", "Talking"),
    ("longest_wait", "Longest wait"),
    ("agents_available", "Agents available"),
    ("agents_unavailable", "Unavailable"),
)

#: what a number shows while it is not known (and the longest wait when nobody waits)
PLACEHOLDER = "–"


def _count(value: int | None) -> str:
    return PLACEHOLDER if value is None else str(value)


class MetricTile(Vertical):
    def __init__(self, key: str, label: str) -> None:
        super().__init__(id=f"tile-{key}", classes="tile")
        self.key = key
        self.label = label
        self._value: str | None = None
        self._level: Level | None = None
        self._alert = (False, False)

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="tile-label")
        yield Digits(PLACEHOLDER, classes="tile-value")

    def flash(self, breached: bool, lit: bool) -> None:
        # a class change restyles the tile and its children: only when it changes, and
        # both classes in one change (a breach at start sets both: one restyle, not two)
        if (breached, lit) != self._alert:
            self._alert = (breached, lit)
            self.update_classes({"breached": breached, "flash": lit})

    def show(self, value: str, level: Level) -> None:
        """Redraw only what changed: most seconds only one tile's number moves."""
        if value != self._value:
            self._value = value
            self.query_one(Digits).update(value)
        if level is not self._level:
            self._level = level
            self.update_classes(
                {"level-warn": level is Level.WARN, "level-alert": level is Level.ALERT}
            )
            mark = LEVEL_MARK[level].strip()
            self.query_one(Label).update(f"{self.label} {mark}".rstrip(), layout=False)


class MetricsBar(Static):
    """Computes nothing itself: it shows a :class:`Metrics` against the thresholds."""

    def __init__(
        self,
        *,
        clock: Clock,
        thresholds: Thresholds,
        history: History | None = None,
        tiles: tuple[tuple[str, str], ...] = TILES,
        **kwargs: object,
    ) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.thresholds = thresholds
        self.history = history
        self.tiles = tiles
        self.metrics = Metrics()
        self._shown: tuple[object, ...] | None = None
        self._trend: tuple[int, list[int], list[int]] | None = None
        self._tile_widgets: list[MetricTile] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="tiles"):
            for key, label in self.tiles:
                yield MetricTile(key, label)
        yield Static(id="metrics-line")
        if self.history is not None:
            minutes = f"{self.history.span_minutes:g} min"
            with Horizontal(id="trends"):
                yield Label(f"waiting, {minutes}", classes="trend-label")
                yield Sparkline([], summary_function=max, id="trend-waiting")
                yield Label(f"available, {minutes}", classes="trend-label")
                yield Sparkline([], summary_function=min, id="trend-available")

    def show_alerts(self, active: set[str], flashing: set[str]) -> None:
        for tile in self._tiles():
            tile.flash(tile.key in active, tile.key in flashing)

    def update_metrics(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.tick()

    def values(self) -> dict[str, tuple[str, Level]]:
        """An unknown number (no data yet) and a longest wait with nobody waiting show
        a placeholder: a zero would read as a measured empty queue or 0:00 wait."""
        metrics = self.metrics
        now = self.clock.now()
        levels = metrics.levels(self.thresholds, now)
        wait = metrics.longest_wait(now)
        return {
            "waiting": (_count(metrics.waiting), levels["waiting"]),
            "ringing": (_count(metrics.ringing), Level.OK),
            "talking": (_count(metrics.talking), Level.OK),
            "longest_wait": (
                duration(wait) if wait is not None else PLACEHOLDER,
                levels["longest_wait"],
            ),
            "agents_available": (_count(metrics.agents_available), levels["agents_available"]),
            "agents_unavailable": (_count(metrics.agents_unavailable), Level.OK),
        }

    def tick(self) -> None:
        self._show_trends()
        values = self.values()
        state = tuple(values.items())
        if state == self._shown:
            return
        self._shown = state
        for tile in self._tiles():
            value, level = values[tile.key]
            tile.show(value, level)
        self.query_one("#metrics-line", Static).update(compact_line(values), layout=False)

    def _tiles(self) -> list[MetricTile]:
        """The tiles, found once (a DOM query every second is not free)."""
        if self._tile_widgets is None:
            self._tile_widgets = list(self.query(MetricTile))
        return self._tile_widgets

    def _show_trends(self) -> None:
        if self.history is None:
            return
        trend = (len(self.history), self.history.waiting(), self.history.available())
        if trend == self._trend:
            return
        self._trend = trend
        # one bucket is not a trend: draw nothing until there are two
        enough = trend[0] >= 2
        self.query_one("#trend-waiting", Sparkline).data = trend[1] if enough else []
        self.query_one("#trend-available", Sparkline).data = trend[2] if enough else []


def compact_line(values: dict[str, tuple[str, Level]]) -> Text:
    short = {
        "waiting": "Waiting",
        "ringing": "Ringing",
        "talking": "Talking",
        "longest_wait": "Longest",
        "agents_available": "Free",
        "agents_unavailable": "Busy",
    }
    line = Text()
    for index, (key, (value, level)) in enumerate(values.items()):
        if index:
            line.append(" │ ", style="dim")
        line.append(f"{short[key]} ")
        line.append(value + LEVEL_MARK[level], style=LEVEL_STYLE[level] or "bold")
    return line
