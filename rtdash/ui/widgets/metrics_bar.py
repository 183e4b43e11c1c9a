"""Headline numbers: big tiles on a wide terminal, one compact line at 80 columns and
on a wide one too short for the tiles (:mod:`.short_screen`).

The tile set is data (:class:`TileSpec`), so a view or a configuration can add tiles
(service level, answered, abandoned) without a new widget: a tile names the value it
shows by key, and :meth:`MetricsBar.values` says what each key's value and level are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from rtdash.core.agents import AgentState
from rtdash.core.clock import Clock
from rtdash.core.format import duration
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.service_tiles import WINDOW_TILES, Tile
from rtdash.core.thresholds import Level, Thresholds
from rtdash.ui.widgets.big_digits import PLACEHOLDER, BigNumber
from rtdash.ui.widgets.big_number import text_pixels
from rtdash.ui.widgets.compact_line import NOT_KNOWN, CompactLine
from rtdash.ui.widgets.palette import LEVEL_MARK
from rtdash.ui.widgets.trend import Trend


@dataclass(frozen=True, slots=True)
class TileSpec:
    """One headline tile: which value, its label, its short label on the compact line,
    and the widest value it is sized for (so digits keep their size as values change)."""

    key: str
    label: str
    short: str
    template: str = "88"
    #: on the one-line headline of a narrow terminal (80 columns hold six numbers)
    compact: bool = True
    #: a shorter label still, for a one-line headline the short labels overflow (three
    #: digit counts, a long wait): the numbers keep their room, the words give way
    terse: str = ""


WAITING = TileSpec("waiting", "Calls waiting", "Waiting", terse="Wait")
RINGING = TileSpec("ringing", "Ringing", "Ringing", compact=False, terse="Ring")
TALKING = TileSpec("talking", "Talking", "Talking", terse="Talk")
LONGEST = TileSpec("longest_wait", "Longest wait", "Longest", "8:88", terse="Long")
AVAILABLE = TileSpec(
    "agents_available",
    f"Agents {AgentState.AVAILABLE.word}",
    AgentState.AVAILABLE.word.title(),
    terse="Avail",
)
# on a narrow terminal the users panel's title counts agents on a call and away just
# below: the one-line headline keeps its room for today's SL % and abandons
ON_CALL = TileSpec(
    "agents_on_call",
    f"Agents {AgentState.ON_CALL.word}",
    AgentState.ON_CALL.word.capitalize(),
    compact=False,
    terse="On call",
)
AWAY = TileSpec(
    "agents_away", f"Agents {AgentState.AWAY.word}", AgentState.AWAY.word.title(), compact=False
)

TILES: tuple[TileSpec, ...] = (WAITING, RINGING, TALKING, LONGEST, AVAILABLE, ON_CALL, AWAY)

#: today's service level tiles (``[service] wallboard_tiles`` picks among them): the
#: short label, the widest value each is sized for, and the terse label
SERVICE_SPECS: dict[str, tuple[str, str, str]] = {
    "sl": ("SL", "88%", "SL"),
    "answered": ("Answered", "888", "Ans"),
    "abandoned": ("Abandoned", "88", "Aband"),
    "offered": ("Offered", "888", "Offer"),
    "asa": ("ASA", "88s", "ASA"),
    "longest_wait": ("Longest today", "8:88", "Max"),
    "abandon_percent": ("Abandon", "88%", "Aband"),
    "talk": ("Avg talk", "8:88", "AvgTalk"),
    "sl_15m": ("SL 15m", "88%", "SL15m"),
    "sl_60m": ("SL 60m", "88%", "SL60m"),
}
#: the headline's own keys: a service tile of the same name is keyed apart
_HEADLINE_KEYS = frozenset(spec.key for spec in TILES)


def service_key(key: str) -> str:
    """The bar's key of a service tile (``longest_wait`` today is not the current one)."""
    return f"{key}_today" if key in _HEADLINE_KEYS else key


def service_specs(tiles: tuple[Tile, ...], suffix: str = " today") -> tuple[TileSpec, ...]:
    """Tile specs for today's service tiles, labelled as the core labels them (and
    ``suffix``: a wallboard says "today" where a room may wonder since when; a recent
    window's tile says its window in its label already)."""
    specs = []
    for tile in tiles:
        short, template, terse = SERVICE_SPECS.get(tile.key, (tile.label, "88", ""))
        ends = "" if tile.key in WINDOW_TILES else suffix
        key, label = service_key(tile.key), f"{tile.label}{ends}"
        specs.append(TileSpec(key, label, short, template, terse=terse))
    return tuple(specs)


def _count(value: int | None) -> str:
    return PLACEHOLDER if value is None else str(value)


BLACK = Color(0, 0, 0)


@lru_cache(maxsize=16)
def _color(value: str) -> Color:
    return Color.parse(value)


class MetricTile(Vertical):
    def __init__(self, spec: TileSpec, group: list[BigNumber]) -> None:
        super().__init__(id=f"tile-{spec.key}", classes="tile")
        self.spec = spec
        self.key = spec.key
        self.label = spec.label
        self._group = group
        self._value: str | None = None
        self._level: Level | None = None
        self._alert = (False, False)
        self._label_text = self.label

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="tile-label")
        yield BigNumber(self.spec.template, self._group, classes="tile-value")

    def flash(self, breached: bool, lit: bool) -> None:
        """Mark a breach (a class: it changes rarely) and light the tile on the flash's
        lit seconds. The light is inline styles, not a class: a class change sends the
        tile and its children through the style sheet again, each second of a flash."""
        was_breached, was_lit = self._alert
        self._alert = (breached, lit)
        if breached != was_breached:
            self.set_class(breached, "breached")
        if lit != was_lit:
            self._light(lit)

    @property
    def lit(self) -> bool:
        """Whether the tile shows the flash's lit look now."""
        return self._alert[1]

    def _light(self, lit: bool) -> None:
        """The lit look: the theme's alert colour behind black text (an inline style
        set to None is cleared, and the style sheet's look is back)."""
        alert = _color(self.app.theme_variables["level-alert"]) if lit else None
        self.styles.background = alert
        for child in self.children:
            child.styles.color = BLACK if lit else None
            # the label's colour is "auto" (a contrast to its background) in the sheet
            child.styles.auto_color = False if lit else None

    def least_width(self) -> int:
        """The width at which this tile's number is drawn in the font's smallest digits
        (one column a font pixel) inside its border and padding."""
        return text_pixels(self.spec.template) + self.styles.gutter.width

    @property
    def number(self) -> str:
        return self._value or PLACEHOLDER

    def show(self, value: str, level: Level) -> None:
        """Redraw only what changed: most seconds only one tile's number moves."""
        if value != self._value:
            self._value = value
            self.query_one(BigNumber).update(value)
        if level is not self._level:
            self._level = level
            self.update_classes(
                {"level-warn": level is Level.WARN, "level-alert": level is Level.ALERT}
            )
            self._show_label()

    def on_resize(self) -> None:
        self._show_label()

    def _show_label(self) -> None:
        """The label where it fits, else the short one, else the terse one: nine tiles
        at 120 columns would cut "Agents available" to "Agents a…", where "Available"
        reads whole."""
        mark = LEVEL_MARK[self._level or Level.OK].strip()
        room = self.content_size.width
        spec = self.spec
        text = ""
        for name in (spec.label, spec.short, spec.terse or spec.short):
            text = f"{name} {mark}".rstrip()
            if not room or len(text) <= room:
                break
        if text != self._label_text:
            self._label_text = text
            self.query_one(Label).update(text, layout=False)


class TileRow(Horizontal):
    """A row of tiles that share its width equally, each no narrower than its number
    needs, where the row holds them all so: an equal share of nine tiles at 150 columns
    drew "0:13" and "53%" as plain text beside one-digit counts in big digits, the most
    important numbers the smallest. A row too narrow for that keeps equal shares (a
    number that does not fit is still shown whole, as plain text)."""

    def on_resize(self) -> None:
        self.plan_widths()

    def plan_widths(self) -> None:
        tiles = list(self.query_children(MetricTile))
        needs = [tile.least_width() for tile in tiles]
        room = self.content_size.width
        fits = bool(room) and sum(needs) <= room
        for tile, need in zip(tiles, needs, strict=True):
            tile.styles.min_width = need if fits else None


class MetricsBar(Static):
    """Computes nothing itself: it shows a :class:`Metrics` against the thresholds."""

    def __init__(
        self,
        *,
        clock: Clock,
        thresholds: Thresholds,
        history: History | None = None,
        tiles: tuple[TileSpec, ...] = TILES,
        today: tuple[TileSpec, ...] = (),
        **kwargs: object,
    ) -> None:
        """``today``: tiles of a second row under ``tiles`` where the screen is tall
        enough (beside them where it is not), with digits scaled apart from the first
        row's; the compact line shows both."""
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.thresholds = thresholds
        self.history = history
        self.tiles = tiles + today
        self._rows = (tiles, today) if today else (tiles,)
        self.metrics = Metrics()
        #: the numbers are the last known, not the present (see :meth:`values`)
        self.stale = False
        #: today's service level, by the bar's key: (text, level)
        self.service: dict[str, tuple[str, Level]] = {}
        self._shown: tuple[object, ...] | None = None
        self._tile_widgets: list[MetricTile] | None = None

    def compose(self) -> ComposeResult:
        if len(self._rows) == 1:
            with TileRow(id="tiles"):
                yield from self._row(self.tiles)
        else:
            live, today = self._rows
            with Vertical(id="tiles", classes="-two-rows"):
                # "-of-N": beside each other (a short screen) a row's width is its
                # share of the tiles, so every tile is as wide as the others
                with TileRow(id="tiles-live", classes=f"tile-row -of-{len(live)}"):
                    yield from self._row(live)
                with TileRow(id="tiles-today", classes=f"tile-row -of-{len(today)}"):
                    yield from self._row(today)
        yield CompactLine(id="metrics-line")
        if self.history is not None:
            minutes = self.history.span_minutes
            with Horizontal(id="trends"):
                yield Trend("Calls waiting", minutes=minutes, summary=max, id="trend-waiting")
                yield Trend(
                    f"Agents {AgentState.AVAILABLE.word}",
                    minutes=minutes,
                    summary=min,
                    id="trend-available",
                )

    @staticmethod
    def _row(specs: tuple[TileSpec, ...]) -> ComposeResult:
        """One row's tiles: its numbers share one scale."""
        numbers: list[BigNumber] = []
        for spec in specs:
            yield MetricTile(spec, numbers)

    def show_alerts(self, active: set[str], flashing: set[str]) -> None:
        for tile in self._tiles():
            tile.flash(tile.key in active, tile.key in flashing)

    def update_metrics(self, metrics: Metrics, *, stale: bool = False) -> None:
        self.metrics = metrics
        self.stale = stale
        self.tick()

    def show_service(self, tiles: tuple[Tile, ...]) -> None:
        """Today's service level (drawn with the next :meth:`tick`)."""
        self.service = {service_key(tile.key): (tile.text, tile.level) for tile in tiles}

    def service_level(self) -> Level:
        """The worst level among today's tiles as last given: what an installation's
        tab adds to its feed's alerts, which judge only the tiles ``wallboard_tiles``
        names, while the dashboard's headline shows SL and abandoned whatever it says."""
        return max((level for _, level in self.service.values()), default=Level.OK)

    def values(self) -> dict[str, tuple[str, Level]]:
        """An unknown number (no data yet) and a longest wait with nobody waiting show
        a placeholder: a zero would read as a measured empty queue or 0:00 wait.

        Stale numbers are drawn calm, as unknown ones are: they are not the present,
        and as an outage ends one route's fresh rows meet the other's old ones (fresh
        calls taken from stale users read "Available 1 ‼" a second before the fresh
        picture read 2). The DISCONNECTED banner is the alarm then."""
        metrics = self.metrics
        now = self.clock.now()
        levels = metrics.levels(self.thresholds, now)
        wait = metrics.longest_wait(now)
        values: dict[str, tuple[str, Level]] = {
            "waiting": (_count(metrics.waiting), levels["waiting"]),
            "ringing": (_count(metrics.ringing), Level.OK),
            "talking": (_count(metrics.talking), Level.OK),
            "longest_wait": (
                duration(wait) if wait is not None else PLACEHOLDER,
                levels["longest_wait"],
            ),
            "agents_available": (_count(metrics.agents_available), levels["agents_available"]),
            "agents_on_call": (_count(metrics.agents_on_call), Level.OK),
            "agents_away": (_count(metrics.agents_away), Level.OK),
            **self.service,
        }
        if self.stale:
            return {key: (text, Level.OK) for key, (text, _) in values.items()}
        return values

    def tick(self) -> None:
        self._show_trends()
        values = self.values()
        state = tuple(values.items())
        if state == self._shown:
            return
        self._shown = state
        for tile in self._tiles():
            value, level = values.get(tile.key, (PLACEHOLDER, Level.OK))
            tile.show(value, level)
        on_line = [spec for spec in self.tiles if spec.compact]
        self.query_one("#metrics-line", CompactLine).show(
            tuple(
                (spec.short, spec.terse or spec.short, *values.get(spec.key, NOT_KNOWN))
                for spec in on_line
            )
        )

    def _tiles(self) -> list[MetricTile]:
        """The tiles, found once (a DOM query every second is not free)."""
        if self._tile_widgets is None:
            self._tile_widgets = list(self.query(MetricTile))
        return self._tile_widgets

    def _show_trends(self) -> None:
        if self.history is None:
            return
        waiting, available = self.history.window(self.clock.now())
        self.query_one("#trend-waiting", Trend).show(waiting)
        self.query_one("#trend-available", Trend).show(available)
