"""The words of the status bar, from a poller status and the clock.

Kept pure so the one rule for "how old is the data and is it stale" is tested without
a screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rtdash.api.errors import AuthFailed
from rtdash.core.format import clock_time, duration
from rtdash.core.poller_status import STALE_INTERVALS, Phase, PollerStatus
from rtdash.core.thresholds import Level

__all__ = ["STALE_INTERVALS", "StatusText", "describe", "disconnected", "paused_banner"]


@dataclass(frozen=True, slots=True)
class StatusText:
    #: the whole connection state in words, as a log line or a test reads it
    connection: str
    connection_level: Level
    age: str
    age_level: Level
    stale: bool
    #: the connection state in a word or two, and its causes: a status line shows the
    #: word, then the age, then the causes, so that at 80 columns an outage's long
    #: causes are what gets cut, never the age of the data
    headline: str = ""
    detail: str = ""
    #: while retrying, or while the hub is unreachable or silent, for a status line
    #: too narrow for ``detail`` (an 80-column terminal): the headline (with the
    #: soonest retry in it), and the causes alone in the fewest words, to go on a line
    #: of their own; "" otherwise
    brief: str = ""
    causes: str = ""
    #: ``causes`` cause by cause (one per failing route, or the one they share): a
    #: status line folds each onto lines of its own, so a second route's cause is not
    #: pushed past the edge by the first's
    each_cause: tuple[str, ...] = ()
    #: while the credentials are refused: when they are tried again, as minutes and
    #: seconds (``retrying in 4:12``), the same width from one second to the next so
    #: that the line around it holds still, or ``retrying now``
    retry: str = ""


def describe(status: PollerStatus, now: datetime, loop_now: float, zone: ZoneInfo) -> StatusText:
    age, age_level, stale = _age(status, now, zone)
    headline, detail, level = _connection(status, loop_now, stale)
    if status.via:
        headline, detail, level = _via(status, headline, detail, level)
    if status.phase is Phase.RETRYING and not status.via:
        connection = detail
    else:
        connection = f"{headline}: {detail}" if detail else headline
    brief = ""
    each_cause: tuple[str, ...] = ()
    if status.phase is Phase.RETRYING and not status.via_problem:
        brief = _retry(status, loop_now)
        if status.via:
            brief = f"{status.via} · upstream {brief}"
        each_cause = _causes(status)
    elif status.via_problem and detail:
        # the hub unreachable or silent: its cause ("nothing from the hub for 16 s",
        # "cannot connect to …") on a line of its own too, not cut at 80 columns
        brief, each_cause = headline, (detail,)
    causes = "; ".join(each_cause)
    retry = _rejected_retry(status, loop_now) if status.phase is Phase.AUTH_FAILED else ""
    if retry:
        connection = f"{connection}, {retry}"
    unreadable = _unreadable(status)
    if unreadable:
        rows = "row" if unreadable == 1 else "rows"
        age = f"{age} · {unreadable} {rows} unreadable"
        age_level = max(age_level, Level.WARN)
    return StatusText(
        connection,
        level,
        age,
        age_level,
        stale,
        headline,
        detail,
        brief,
        causes,
        each_cause,
        retry,
    )


def _unreadable(status: PollerStatus) -> int:
    """Unreadable rows of the routes whose last poll was read. A failing route's
    count is from its last good poll: whether the service still sends such rows is not
    known, and at 80 columns the stale count held off the cause of the failure."""
    return sum(health.unreadable for health in status.routes.values() if health.error is None)


def _retry(status: PollerStatus, loop_now: float) -> str:
    """``retrying in N s`` for the soonest retry of the failing routes: when the
    screen can next change."""
    return _soonest([health.next_try for _, health in status.failing()], loop_now, "{} s")


def _rejected_retry(status: PollerStatus, loop_now: float) -> str:
    """When the refused credentials are tried again (the routes not polled meanwhile
    are not what the screen waits for)."""
    waits = [h.next_try for _, h in status.failing() if isinstance(h.error, AuthFailed)]
    return _soonest(waits, loop_now, "") if waits else ""


def _soonest(waits: list[float | None], loop_now: float, form: str) -> str:
    """``retrying in …`` for the soonest of ``waits`` (``form`` the seconds' words,
    "" for minutes and seconds), or ``retrying now``: a request is under way, or
    about to be. A status is made when a poll ends, not when one starts, so a
    countdown run out means the request has gone: "in 0 s" for as long as it hung
    read as a retry that never came."""
    if not waits or any(wait is None for wait in waits):
        return "retrying now"
    seconds = math.ceil(min(wait for wait in waits if wait is not None) - loop_now)
    if seconds <= 0:
        return "retrying now"
    return f"retrying in {form.format(seconds) if form else duration(seconds)}"


def _causes(status: PollerStatus) -> tuple[str, ...]:
    """The failing routes' causes, each said once: the same cause on every route is
    the service's and needs no route's name (a web page's words alone nearly fill 80
    columns); one route failing, or routes failing differently, are named."""
    failing = status.failing()
    said = [
        (route, health.error.message if health.error else "failed") for route, health in failing
    ]
    distinct = list(dict.fromkeys(cause for _, cause in said))
    if len(distinct) == 1 and len(failing) == len(status.routes):
        return (distinct[0],)
    return tuple(f"{route}: {cause}" for route, cause in said)


#: from this poll interval (seconds) on, the status line says it
SAID_INTERVAL = 10.0

#: the word for data gone stale with no poll failing: a request that has not come back
#: (or a poll that never went out, a machine woken from sleep). "live" beside "STALE"
#: said two things at once, and the board under it said DISCONNECTED
NO_ANSWER = "no answer"


def _connection(status: PollerStatus, loop_now: float, stale: bool) -> tuple[str, str, Level]:
    """(headline, detail, level)."""
    if status.phase is Phase.AUTH_FAILED:
        # the cause is the route whose credentials were refused, not any failing route
        rejected = [h.error for _, h in status.failing() if isinstance(h.error, AuthFailed)]
        cause = rejected[0].message if rejected else ""
        return "credentials rejected", _cause(cause), Level.ALERT
    if status.phase is Phase.PAUSED:
        return "paused", "", Level.WARN
    if status.phase is Phase.RETRYING:
        parts = []
        for route, health in status.failing():
            cause = health.error.message if health.error else "failed"
            parts.append(f"{route}: {cause}, {_soonest([health.next_try], loop_now, '{} s')}")
        return "retrying", "; ".join(parts), Level.ALERT
    if status.phase is Phase.CONNECTING:
        return "connecting…", "", Level.WARN
    if stale:
        return NO_ANSWER, "", Level.ALERT
    if status.slow:
        pace = f" (slow: every {status.interval:g} s)"
    elif status.interval >= SAID_INTERVAL:
        # polls this far apart make "2 s ago" and "40 s ago" both normal: say so (and
        # an installation slowed with - says it when switched back to)
        pace = f" (every {status.interval:g} s)"
    else:
        pace = ""
    return f"live{pace}", "", Level.OK


def _via(status: PollerStatus, headline: str, detail: str, level: Level) -> tuple[str, str, Level]:
    """Data from elsewhere (the hub): say where, then the trouble on the way there, or
    the upstream's state as the hub reports it."""
    if status.via_problem:
        return status.via_problem, status.via_detail, Level.ALERT
    if status.phase is Phase.PAUSED:  # this screen's own pause: the hub polls on
        return f"{status.via} · paused", detail, level
    return f"{status.via} · upstream {headline}", detail, level


def _cause(cause: str) -> str:
    return cause if cause and not cause.startswith("credentials rejected") else ""


def _age(status: PollerStatus, now: datetime, zone: ZoneInfo) -> tuple[str, Level, bool]:
    last = status.last_success
    if last is None:
        return "no data yet", Level.WARN, False
    age = max(0.0, (now - last).total_seconds())
    # judged on the exact age: whole seconds would keep "live" up to 1 s past the limit
    stale = age > status.stale_after and status.phase is not Phase.PAUSED
    seconds = int(age)
    if status.phase is Phase.PAUSED:
        # a still picture the user asked for: its time, and why it does not move; no
        # count that ticks (a paused dashboard left on a wall draws nothing at all)
        text = f"data as of {clock_time(last, zone)} (not updating)"
    else:
        text = f"data as of {clock_time(last, zone)} ({_ago(seconds)})"
    if stale:
        return f"STALE: {text}", Level.ALERT, True
    return text, Level.OK, False


def _ago(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 5400:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def disconnected(last: datetime, now: datetime, zone: ZoneInfo) -> str:
    """The banner over stale data, read from across a room: what is shown and how old."""
    seconds = int(max(0.0, (now - last).total_seconds()))
    return f"DISCONNECTED — data from {clock_time(last, zone)} ({_ago(seconds)})"


def paused_banner(last: datetime | None, now: datetime, zone: ZoneInfo, resume_key: str) -> str:
    """The band over a paused wallboard: that it is held, since when, and the one key
    that undoes a stray press. Its age moves on (unlike the status line's "not
    updating"): how long the board has been frozen is what the room needs to know."""
    if last is None:
        return f"PAUSED — no data yet · {resume_key} resumes"
    seconds = int(max(0.0, (now - last).total_seconds()))
    return f"PAUSED — data from {clock_time(last, zone)} ({_ago(seconds)}) · {resume_key} resumes"
