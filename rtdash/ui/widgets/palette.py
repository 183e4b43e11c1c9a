"""Colours for states and levels, in one place.

Chosen from the Okabe-Ito palette so they stay apart for the common colour-vision
deficiencies. Two rules: the warning and alert colours (orange, vermillion) mean a
threshold is crossed and nothing else; states (of agents, of calls) take calm hues.
Every coloured value also carries a symbol or a word, so nothing depends on colour
alone (and ``NO_COLOR`` loses nothing): breached values are also bold and marked.

The same values reach the TCSS as theme variables (:meth:`Hues.variables`, e.g.
``$level-alert``, ``$agent-on-call``), so a style sheet never spells a colour.

The hues are made for a dark background in truecolor (256 colours keep them apart).
Two other displays get sets of their own (:func:`hues_for` picks; the app knows its
theme and its terminal's colours, and sets them with :func:`use_colours`):

- a light theme: the same hues darkened until they read as text there (WCAG AA's
  contrast for text against the theme's background and surface);
- 16 colours (``TERM=xterm``, ``screen`` or ``linux`` without ``COLORTERM``): the
  terminal would turn each hue into its nearest of the 16, and orange and vermillion
  are then the same yellow (an alert reads as a warning), the ringing yellow is the
  warnings' own and two agent states share a cyan. There each value is one of the 16
  (as the console's palette spells it, so it maps to itself): red for an alert,
  yellow for a warning, and neither for a state.
"""

from __future__ import annotations

from dataclasses import dataclass

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

#: the hues darkened for a light background, for the contrast text needs (WCAG AA),
#: as the yellow and the orange above all but vanish there
WARN_ON_LIGHT = "#7A5400"
ALERT_ON_LIGHT = "#9C3E00"
AVAILABLE_ON_LIGHT = "#00684A"
ON_CALL_ON_LIGHT = "#005F96"
AWAY_ON_LIGHT = "#595959"
RINGING_ON_LIGHT = "#6B5B00"
QUEUEING_ON_LIGHT = "#8E3B6E"
BRIDGED_ON_LIGHT = ON_CALL_ON_LIGHT

#: the 16 colours as Rich's console spells them (its downgrade keeps these as they are)
ANSI_RED = "#AA0000"
ANSI_GREEN = "#00AA00"
ANSI_YELLOW = "#AA5500"
ANSI_CYAN = "#00AAAA"
ANSI_WHITE = "#AAAAAA"
ANSI_BRIGHT_RED = "#FF5555"
ANSI_BRIGHT_BLUE = "#5555FF"
ANSI_BRIGHT_MAGENTA = "#FF55FF"


@dataclass(frozen=True, slots=True)
class Hues:
    """One display's colours: thresholds, then states. An agent's state has two: the
    symbol drawn as text, and the wallboard's tile (dark text on it, so it keeps the
    light hue where text takes a darker one)."""

    warn: str
    alert: str
    agents: dict[AgentState, str]
    agent_tiles: dict[AgentState, str]
    ringing: str
    queueing: str
    bridged: str

    def variables(self) -> dict[str, str]:
        """The theme variables of the TCSS."""
        tiles = self.agent_tiles
        return {
            "level-warn": self.warn,
            "level-alert": self.alert,
            "agent-available": tiles[AgentState.AVAILABLE],
            "agent-on-call": tiles[AgentState.ON_CALL],
            "agent-away": tiles[AgentState.AWAY],
            "call-ringing": self.ringing,
            "call-queueing": self.queueing,
            "call-bridged": self.bridged,
        }


def _agents(available: str, on_call: str, away: str) -> dict[AgentState, str]:
    return {
        AgentState.AVAILABLE: available,
        AgentState.ON_CALL: on_call,
        AgentState.AWAY: away,
        AgentState.UNAVAILABLE: away,
    }


ON_DARK = Hues(
    WARN,
    ALERT,
    _agents(AVAILABLE, ON_CALL, AWAY),
    _agents(AVAILABLE, ON_CALL, AWAY),
    RINGING,
    QUEUEING,
    BRIDGED,
)
ON_LIGHT = Hues(
    WARN_ON_LIGHT,
    ALERT_ON_LIGHT,
    _agents(AVAILABLE_ON_LIGHT, ON_CALL_ON_LIGHT, AWAY_ON_LIGHT),
    ON_DARK.agent_tiles,
    RINGING_ON_LIGHT,
    QUEUEING_ON_LIGHT,
    BRIDGED_ON_LIGHT,
)
#: bright red, as a dark red reads dim on black; the ringing not yellow, on a call and
#: available not two cyans, queueing not the grey of away
SIXTEEN = Hues(
    ANSI_YELLOW,
    ANSI_BRIGHT_RED,
    _agents(ANSI_GREEN, ANSI_CYAN, ANSI_WHITE),
    _agents(ANSI_GREEN, ANSI_CYAN, ANSI_WHITE),
    ANSI_BRIGHT_BLUE,
    ANSI_BRIGHT_MAGENTA,
    ANSI_CYAN,
)

#: the colour systems of a Rich console that have 16 colours
SIXTEEN_COLOUR_SYSTEMS = frozenset({"standard", "windows"})


def hues_for(*, light: bool, color_system: str | None) -> Hues:
    """The set for a display: 16 colours decide first (their values are the
    terminal's own, light or dark), then the theme."""
    if color_system in SIXTEEN_COLOUR_SYSTEMS:
        return SIXTEEN
    return ON_LIGHT if light else ON_DARK


#: the agents' symbols' colours now (set with the display: :func:`use_colours`)
AGENT_COLOUR = dict(ON_DARK.agents)


def level_styles(hues: Hues) -> dict[Level, str]:
    return {
        Level.OK: "",
        Level.WARN: f"bold {hues.warn}",
        Level.ALERT: f"bold reverse {hues.alert}",
    }


#: the levels' styles now (set with the display: :func:`use_colours`)
LEVEL_STYLE = level_styles(ON_DARK)
LEVEL_MARK = {Level.OK: "", Level.WARN: " ▲", Level.ALERT: " ‼"}


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


#: the level styles under ``NO_COLOR``
_NO_COLOR_STYLES = {Level.OK: "", Level.WARN: "bold", Level.ALERT: "bold reverse"}


def use_colours(hues: Hues, *, no_color: bool) -> None:
    """The styles texts are made with, for the display: ``hues`` as :func:`hues_for`
    picks them. ``NO_COLOR``: colours turn to grey, which would draw a breach dimmer
    than a normal number; reverse and bold instead, so a breach still stands out. Set
    by the app at start and when the theme changes, both ways (one process may run
    several apps, as tests do)."""
    LEVEL_STYLE.update(_NO_COLOR_STYLES if no_color else level_styles(hues))
    AGENT_COLOUR.update(hues.agents)
