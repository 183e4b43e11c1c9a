"""Colours for states and levels, chosen from the Okabe-Ito palette so they stay apart
for the common colour-vision deficiencies; every coloured value also carries a symbol
or a word, so nothing depends on colour alone (and ``NO_COLOR`` loses nothing)."""

from __future__ import annotations

from rich.text import Text

from rtdash.core.format import duration
from rtdash.core.thresholds import Level, Thresholds

AVAILABLE = "#009E73"
UNAVAILABLE = "#D55E00"
RINGING = "#E69F00"
QUEUEING = "#CC79A7"
BRIDGED = "#56B4E9"

LEVEL_STYLE = {Level.OK: "", Level.WARN: "bold #E69F00", Level.ALERT: "bold #D55E00"}
LEVEL_MARK = {Level.OK: "", Level.WARN: " ▲", Level.ALERT: " ‼"}


def level_text(text: str, level: Level) -> Text:
    return Text(text + LEVEL_MARK[level], style=LEVEL_STYLE[level])


def wait_cell(seconds: float | None, thresholds: Thresholds) -> Text:
    return level_text(duration(seconds), thresholds.wait(seconds))


#: the level styles with colour, and under ``NO_COLOR``
_COLOUR_STYLES = dict(LEVEL_STYLE)
_NO_COLOR_STYLES = {Level.OK: "", Level.WARN: "bold", Level.ALERT: "bold reverse"}


def use_no_color(no_color: bool) -> None:
    """``NO_COLOR``: colours turn to grey, which would draw a breach dimmer than a
    normal number; reverse and bold instead, so a breach still stands out. Set by the
    app at start, both ways (one process may run several apps, as tests do)."""
    LEVEL_STYLE.update(_NO_COLOR_STYLES if no_color else _COLOUR_STYLES)
