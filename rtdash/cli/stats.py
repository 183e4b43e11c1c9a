"""``rtdash stats``: today's service level totals, from the state the dashboard saves,
or (``--hub``, or ``[hub] view``) from the one the hub publishes; with ``--window``,
those of the last 15 or 60 minutes instead, so a supervisor sees whether the service
is better now than the day's figure, still weighed down by the morning, says.

No request is made to the service: the totals are what a running (or earlier) dashboard
inferred and saved today (:mod:`rtdash.core.daystate`), or what the hub counted and
keeps in Redis, read as a screen on the hub reads it (:mod:`rtdash.hub.latest`). Either
way the same state makes the same report. No state for today, or none for the queue
asked, is exit 1 with one line, so a cron job can tell "nothing yet" from a number.

The state keeps a set of counters per minute for the last hour, which the dashboard
saves and the hub publishes with the day's: a window is read from those, up to the
moment the state was last counted (a dashboard saves only when something changed), and
a warning on stderr names that moment when it is more than a minute old. The agents'
time is kept for the day only: a window's agents carry their calls answered alone.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
from typing import TYPE_CHECKING, Any

from rtdash.cli.common import EXIT_OK, PROG, Failure, UsageError, say
from rtdash.cli.stats_days import Day, Target, how_long, hub_days, printable, saved_days

if TYPE_CHECKING:
    from rtdash.config import Settings
    from rtdash.core.service_metrics import ServiceReport, ServiceStats


def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    hub = settings.hub.view
    if hub:
        from rtdash.cli.hub import check_viewer

        check_viewer(
            settings,
            demo=getattr(args, "demo", False),
            prog=f"{PROG} stats",
            reader=f"{PROG} stats --hub",
        )
    targets = _targets(args, settings)
    window = getattr(args, "window", "today")
    days = hub_days(settings, targets, window) if hub else saved_days(targets)
    found = _today(days, window)
    if not found:
        why = (
            "the hub publishes them after each calls poll"
            if hub
            else "the dashboard saves them while it runs"
        )
        raise Failure(f"{PROG} stats: no totals for today yet ({why})")
    queue = getattr(args, "queue", None)
    if queue is not None:
        found = _with_queue(found, queue, window)
    if getattr(args, "json", False):
        print(json.dumps([_as_json(label, report, queue) for label, report in found], indent=2))
    elif getattr(args, "csv", False):
        sys.stdout.write(_as_csv(found, queue))
    else:
        print("\n\n".join(_as_text(label, report, queue) for label, report in found))
    return EXIT_OK


def _today(days: list[Day], window: str = "today") -> list[tuple[str, ServiceReport]]:
    """Each day state of today, as its report of ``window`` (its warning said); one of
    another day, or unreadable, is left out as if there were none, and its warning
    with it."""
    from zoneinfo import ZoneInfo

    from rtdash.core.daystate import same_day, upstream_now
    from rtdash.core.service import ServiceLevel

    found: list[tuple[str, ServiceReport]] = []
    for label, state, now, warning in days:
        try:
            zone = ZoneInfo(str(state.get("zone") or "UTC"))
        except (ValueError, KeyError):
            continue
        if not same_day(state, now, zone):
            continue
        try:
            service = ServiceLevel.from_dict(state)
        except (ValueError, TypeError, KeyError):
            continue
        report = service.report(window)
        if window != "today":
            report = _without_agent_time(report)
            late = upstream_now(state, now) - report.until.timestamp()
            if late > _WINDOW_LATE:
                say(
                    f"{PROG} stats: warning: {printable(label)}: counted last at "
                    f"{report.until:%H:%M:%S} ({how_long(late)} ago): the {_span(window)} "
                    "are those up to then"
                )
        found.append((label, report))
        if warning:
            say(warning)
    return found


#: a window's state counted longer ago than this is said to be (seconds)
_WINDOW_LATE = 60.0


def _span(window: str) -> str:
    """The window in words: "today", "last 15 minutes"."""
    return "today" if window == "today" else f"last {window.removesuffix('m')} minutes"


def _without_agent_time(report: ServiceReport) -> ServiceReport:
    """A window's report with its agents' calls answered alone: their time on a call,
    available and away is kept for the day only, and a nought there would read as
    measured."""
    from dataclasses import replace

    from rtdash.core.service_report import AgentStats

    agents = tuple(AgentStats(a.key, a.name, a.answered, 0.0, 0.0, 0.0) for a in report.agents)
    return replace(report, agents=agents)


def _with_queue(
    found: list[tuple[str, ServiceReport]], queue: str, window: str = "today"
) -> list[tuple[str, ServiceReport]]:
    """The installations with totals for ``queue`` today. The others are left out, as an
    installation with no totals is (an empty table would read as "no calls"); when none
    has it, exit 1 naming the queues that do, so a mistyped name is seen for what it is."""
    having = [(label, report) for label, report in found if report.queue(queue) is not None]
    if having:
        return having
    names = sorted({q.name for _, report in found for q in report.queues})
    span = "today" if window == "today" else f"in the {_span(window)}"
    others = (
        f"queues with totals {span}: {', '.join(map(repr, names))}"
        if names
        else "no queue has totals yet"
    )
    raise Failure(f"{PROG} stats: no totals for queue {queue!r} {span}; {others}")


def _targets(args: argparse.Namespace, settings: Settings) -> list[Target]:
    """Each installation whose totals are asked for."""
    from rtdash.core.daystate import demo_key, state_key
    from rtdash.core.naming import label_for

    #: --igrp given: that installation only, not every one the config file lists
    asked = settings.connection.igrp if "igrp" in vars(args) else None
    if getattr(args, "demo", False):
        from rtdash.cli.flags import refuse_igrp_outside_demo
        from rtdash.sim.simulator import DEFAULT_INSTALLATIONS

        refuse_igrp_outside_demo(args, settings, f"{PROG} stats")
        names = {one.igrp: one.name for one in DEFAULT_INSTALLATIONS}
        igrps = list(names) if asked is None else [asked]
        return [
            (f"demo: {label_for(igrp, names.get(igrp))}", igrp, demo_key(igrp)) for igrp in igrps
        ]
    installations = [
        i
        for i in settings.installations()
        if i.connection.igrp is not None and (asked is None or i.connection.igrp == asked)
    ]
    if not installations:
        raise UsageError(
            f"{PROG}: no installation id: pass --igrp ID or set igrp under [connection] "
            "in the config file (or try --demo)"
        )
    return [
        (i.label, i.connection.igrp, state_key(i.connection.base_url, i.connection.igrp))
        for i in installations
        if i.connection.igrp is not None
    ]


def _rows(report: ServiceReport, queue: str | None) -> list[ServiceStats]:
    if queue is not None:
        one = report.queue(queue)
        return [one] if one is not None else []
    return [report.total, *report.queues]


def _as_json(label: str, report: ServiceReport, queue: str | None) -> dict[str, Any]:
    data = report.to_dict()
    data["installation"] = label
    if report.window != "today":
        # their time is the day's only (see _without_agent_time): no key for it
        data["agents"] = [
            {"key": a["key"], "name": a["name"], "answered": a["answered"]} for a in data["agents"]
        ]
    if queue is not None:
        data["queues"] = [q for q in data["queues"] if q["name"] == queue]
    return data


def _as_csv(found: list[tuple[str, ServiceReport]], queue: str | None) -> str:
    """The export's service columns and cells, the installation first: names are
    upstream text, defused by the export's one rule so a spreadsheet runs none."""
    from rtdash.core.export import SERVICE_COLUMNS, defuse_cell, service_cells

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("installation", "window", *SERVICE_COLUMNS))
    for label, report in found:
        for row in _rows(report, queue):
            writer.writerow([defuse_cell(label), report.window, *service_cells(row)])
    return buffer.getvalue()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole}s"


#: the table's last columns, left out where the terminal has no room for them
_TALK_COLUMNS = 2


def _as_text(label: str, report: ServiceReport, queue: str | None) -> str:
    from rtdash.core.service_report import fmt_gaps

    sl = f"SL {report.sl_seconds:g}s"
    head = (
        f"{printable(label)}: {_span(report.window)} since {report.since:%H:%M} "
        f"({report.since.tzinfo}), as of {report.until:%H:%M:%S}"
    )
    header = (
        *("", "offered", "answered", "abandoned", "short", sl, "aband.", "ASA", "longest"),
        *("avg talk", "longest talk"),
    )
    lines = [header]
    for row in _rows(report, queue):
        lines.append(
            (
                printable(row.name) or "all queues",
                str(row.offered),
                str(row.answered),
                str(row.abandoned),
                str(row.short_abandoned),
                "–" if row.sl_percent is None else f"{row.sl_percent:.0f}%",
                "–" if row.abandon_percent is None else f"{row.abandon_percent:.0f}%",
                _duration(row.asa),
                _duration(row.longest_wait),
                _duration(row.avg_talk),
                _duration(row.longest_talk),
            )
        )
    name_width = min(24, max(len(line[0]) for line in lines))
    widths = [name_width] + [max(len(line[i]) for line in lines) for i in range(1, len(header))]
    room = _terminal_width()
    if room is not None:
        widths = _fitted(widths, room)
    out = [head]
    for line in lines:
        first = line[0] if len(line[0]) <= name_width else line[0][: name_width - 1] + "…"
        cells = [first.ljust(name_width)] + [
            c.rjust(w) for c, w in zip(line[1 : len(widths)], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    if queue is None and report.agents:
        out += ["", *_agents_text(report, timed=report.window == "today")]
    if report.gaps:
        out.append(fmt_gaps(report.gaps))
    return "\n".join(out)


def _terminal_width() -> int | None:
    """The terminal's width; None when the table goes to a pipe or a file, which takes
    every column (a script reading it, or ``less``, is not 80 columns wide)."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _fitted(widths: list[int], room: int) -> list[int]:
    """The columns that fit ``room``: the talk columns, last, are left out of a
    terminal too narrow for them (a supervisor's 80 columns over SSH), where a wrapped
    table would be unreadable; the day's counts and waits always stay, and the JSON and
    CSV always carry the talk."""
    keep = len(widths)
    while keep > len(widths) - _TALK_COLUMNS and sum(widths[:keep]) + 2 * (keep - 1) > room:
        keep -= 1
    return widths[:keep]


def _hours(seconds: float) -> str:
    """Hours and minutes (``2h05``): an agent's day, told apart at a glance from the
    queues' waits above it (minutes and seconds, ``1:43``)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


def _agents_text(report: ServiceReport, *, timed: bool = True) -> list[str]:
    """Agents by calls answered: the supervisor's "who took what" under the queues;
    ``timed``, with their day's time on a call, available and away."""
    rows: list[tuple[str, ...]] = [("agent", "answered", "on call", "available", "away")]
    for agent in sorted(report.agents, key=lambda a: (-a.answered, a.name.casefold())):
        rows.append(
            (
                printable(agent.name),
                str(agent.answered),
                _hours(agent.on_call),
                _hours(agent.available),
                _hours(agent.away),
            )
        )
    if not timed:
        rows = [row[:2] for row in rows]
    name_width = min(24, max(len(row[0]) for row in rows))
    widths = [max(len(row[i]) for row in rows) for i in range(1, len(rows[0]))]
    out = []
    for row in rows:
        first = row[0] if len(row[0]) <= name_width else row[0][: name_width - 1] + "…"
        cells = [first.ljust(name_width)]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths, strict=True)]
        out.append("  ".join(cells).rstrip())
    return out
