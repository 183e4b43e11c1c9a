"""Colours for states and levels, in one place.

Chosen from the Okabe-Ito palette so they stay apart for the common colour-vision
deficiencies. Two rules: the warning and alert colours (orange, vermillion) mean a
threshold is crossed and nothing else; states (of agents, of calls) take calm hues.
Every coloured value also carries a symbol or a word, so nothing depends on colour
alone (and ``NO_COLOR`` loses nothing): breached values are also bold and marked.

The same values reach the TCSS as theme variables (:data:`THEME_VARIABLES`, e.g.
``$level-alert``, ``$agent-on-call``), so a style sheet never spells a colour.
"""

from __future__ import annotations

from rich.text import Text

from rtdash.core.agents import AgentState, counts_said
from rtdash.core.format import duration
from rtdash.core.thresholds import Level, Thresholds

#: thresholds only
WARN = "#E69F00"
ALERT = "#D55E00"

#: calm state hues
AVAILABLE = "#009E73"
ON_CALL = "#56B4E9"
AWAY = "#9A9A9A"
UNAVAILABLE = AWAY
RINGING = "#F0E442"
QUEUEING = "#CC79A7"
BRIDGED = ON_CALL
#: the call states' hues on a light background: darker, for the contrast text needs
#: (at least 4.5:1), as the yellow above all but vanishes on a light theme
RINGING_ON_LIGHT = "#6B5B00"
QUEUEING_ON_LIGHT = "#8E3B6E"
BRIDGED_ON_LIGHT = "#005F96"

AGENT_COLOUR = {
    AgentState.AVAILABLE: AVAILABLE,
    AgentState.ON_CALL: ON_CALL,
    AgentState.AWAY: AWAY,
    AgentState.UNAVAILABLE: UNAVAILABLE,
}

LEVEL_STYLE = {Level.OK: "", Level.WARN: f"bold {WARN}", Level.ALERT: f"bold reverse {ALERT}"}
LEVEL_MARK = {Level.OK: "", Level.WARN: " ▲", Level.ALERT: " ‼"}

#: custom theme variables for the TCSS (a theme may override any of them)
THEME_VARIABLES = {
    "level-warn": WARN,
    "level-alert": ALERT,
    "agent-available": AVAILABLE,
    "agent-on-call": ON_CALL,
    "agent-away": AWAY,
    "call-ringing": RINGING,
    "call-queueing": QUEUEING,
    "call-bridged": BRIDGED,
    "call-ringing-on-light": RINGING_ON_LIGHT,
    "call-queueing-on-light": QUEUEING_ON_LIGHT,
    "call-bridged-on-light": BRIDGED_ON_LIGHT,
}


def agent_text(state: AgentState, count: int | str | None = None, *, worded: bool = True) -> Text:
    """``● 3 available``: the symbol in the state's hue, the count and word in the
    theme's own text colour (legible on a dark and a light background alike); not
    ``worded``, ``● 3`` (the symbol says the state where the words do not fit). A
    count as text is one not known (``–``)."""
    middle = "" if count is None else f" {count}"
    text = Text()
    text.append(state.symbol, style=f"bold {AGENT_COLOUR[state]}")
    text.append(f"{middle} {state.word}" if worded else middle)
    return text


#: a count not known
UNKNOWN = "–"


def counts_text(counts: dict[AgentState, int], *, worded: bool = True) -> Text:
    """``● 5 available  ◆ 14 on a call  ○ 4 away``; while the calls are not known,
    ``● 5 available  ◌ 20 unavailable  ◆ – on a call  ○ – away``: no count of none
    for who is talking, which the calls alone tell."""
    text = Text()
    for index, (state, count) in enumerate(counts_said(counts)):
        if index:
            text.append("  ")
        text.append_text(agent_text(state, UNKNOWN if count is None else count, worded=worded))
    return text


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
