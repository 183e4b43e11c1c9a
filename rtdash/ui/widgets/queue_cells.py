"""One queue's cells, now and today, as every table of queues draws them.

The dashboard's queues view and the wallboard's queue table show the same queue on two
screens of one centre: a supervisor who reads an SL % marked amber on one and unmarked
on the other, or a dash for a wait on one and a zero on the other, no longer trusts
either. So both build their cells here, from :func:`rtdash.core.queues.queue_days`'
rows and the service's thresholds, and each only chooses which cells fit its width.

Queue names are upstream text: every cell is a ``Text`` built from data, never markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from rtdash.core.queues import QueueDay
from rtdash.core.service_report import ServiceStats
from rtdash.core.service_tiles import MIN_CALLS, ServiceThresholds, counted
from rtdash.core.thresholds import Thresholds
from rtdash.ui.widgets.column_fit import ColumnHeaders, HeaderForms
from rtdash.ui.widgets.metrics_bar import LONGEST, ON_CALL, SERVICE_SPECS, TALKING, WAITING
from rtdash.ui.widgets.palette import level_text, wait_cell

#: the columns left to right, after the queue's name: the queue now, then its day (the
#: queues view's SL of the last 15 minutes beside the day's, and its average talk
#: last); which of them fit is each table's own choice
COLUMN_ORDER = ("waiting", "longest", "talking", "on_call", "sl", "sl_15m", "abandoned", "talk")
#: a cell with nothing to show: no wait, no outcome today, agents not known yet
DASH = "–"
#: a queue's SL % and abandons with too few outcomes to be judged by the thresholds
FEW = "dim"
#: the headers of today's abandons, roomiest first: then the headline's shorter word
ABANDONED_TERSE = SERVICE_SPECS["abandoned"][2]
ABANDONED_HEADERS: HeaderForms = ("Abandoned", "Abandoned", ABANDONED_TERSE, ABANDONED_TERSE)


def sl_headers(sl_seconds: float) -> HeaderForms:
    """The headers of today's SL %, roomiest first: the roomier say within how long an
    answer counts, which "SL" alone leaves to the config."""
    within = f"SL {sl_seconds:g}s"
    return (within, within, "SL", "SL")


#: the headers of the last 15 minutes' SL %, roomiest first
SL_15M_HEADERS: HeaderForms = ("SL 15m", "SL 15m", "SL 15m", "15m")


def queue_columns(
    sl_seconds: float, talk: bool = False, recent: bool = False
) -> tuple[ColumnHeaders, ...]:
    """Both tables' columns in order of need, each with its headers roomiest first: a
    TV's table spells the headline's labels out; then the words that keep today's SL
    and abandons whole (an 80-column queues view's); then the headline's shorter words.
    The later columns are dropped first when even the shortest headers do not fit
    (:func:`.column_fit.fit_columns`): what a queue is for (its callers waiting, how
    long) and what the table is for (today's SL and abandons, which the headline gives
    only for the whole installation) come before what the screen shows elsewhere
    (calls talking, agents on a call; with ``recent`` the SL % of the last 15 minutes,
    and with ``talk`` the average talk)."""
    columns: list[ColumnHeaders] = [
        ("waiting", ("Waiting", "Waiting", WAITING.short, WAITING.terse)),
        ("longest", (LONGEST.label, LONGEST.short, LONGEST.short, LONGEST.terse)),
        ("sl", sl_headers(sl_seconds)),
        ("abandoned", ABANDONED_HEADERS),
        ("talking", (TALKING.label, TALKING.short, TALKING.short, TALKING.terse)),
        ("on_call", (ON_CALL.label, ON_CALL.terse, ON_CALL.terse, ON_CALL.terse)),
    ]
    if recent:
        columns.append(("sl_15m", SL_15M_HEADERS))
    if talk:
        avg_talk, terse = "Avg talk", SERVICE_SPECS["talk"][2]
        columns.append(("talk", (avg_talk, avg_talk, avg_talk, terse)))
    return tuple(columns)


def queue_cells(
    row: QueueDay, now: datetime, waits: Thresholds, service: ServiceThresholds
) -> dict[str, Text]:
    """The queue's cells by column key (``queue``, ``waiting``, ``longest``,
    ``talking``, ``on_call``, ``sl``, ``sl_15m``, ``abandoned``), coloured and marked
    by the same thresholds as the headline's numbers. Abandons are those past the
    short-abandon time, as the headline counts them; their level is judged on the
    abandon rate, as the headline's is."""
    live, today = row.now, row.today
    wait = live.longest_wait(now) if live is not None and live.waiting else None
    on_call = live.agents_on_call if live is not None else None
    abandoned = Text(DASH, style="dim")
    if today is not None:
        measured = counted(today)
        abandons = str(today.abandoned - today.short_abandoned)
        if measured < MIN_CALLS:
            # too few outcomes to judge (so never coloured): dim, as the SL % is
            abandoned = Text(abandons, style=FEW)
        else:
            abandoned = level_text(abandons, service.abandon(today.abandon_percent, measured))
    return {
        "queue": Text(row.queue, no_wrap=True, overflow="ellipsis"),
        "waiting": Text(str(row.waiting)),
        "longest": Text(DASH, style="dim") if wait is None else wait_cell(wait, waits),
        "talking": Text(str(row.talking)),
        "on_call": Text(DASH if on_call is None else str(on_call)),
        "sl": sl_cell(today, service),
        "sl_15m": sl_cell(row.recent, service),
        "abandoned": abandoned,
    }


def sl_cell(stats: ServiceStats | None, service: ServiceThresholds) -> Text:
    """An SL %, marked as the headline's is: a window's as the day's, so a recent
    figure in red reads as the day's would."""
    if stats is None:
        return Text(DASH, style="dim")
    percent = stats.sl_percent
    words = DASH if percent is None else f"{percent:.0f}%"
    measured = counted(stats)
    if measured < MIN_CALLS:
        # too few outcomes to judge (so never coloured): dim, so a quiet queue's 50 %
        # does not read as calmer than a busy queue's 55 % marked red
        return Text(words, style=FEW)
    return level_text(words, service.sl(percent, measured))
