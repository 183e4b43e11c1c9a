"""``rtdash stats``: today's service level totals, from the state the dashboard saves,
or (``--hub``, or ``[hub] view``) from the one the hub publishes.

No request is made to the service: the totals are what a running (or earlier) dashboard
inferred and saved today (:mod:`rtdash.core.daystate`), or what the hub counted and
keeps in Redis, read as a screen on the hub reads it (:mod:`rtdash.hub.latest`). Either
way the same state makes the same report. No state for today, or none for the queue
asked, is exit 1 with one line, so a cron job can tell "nothing yet" from a number.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import time
from typing import TYPE_CHECKING, Any

from rtdash.cli.common import EXIT_OK, PROG, Failure, UsageError, say

if TYPE_CHECKING:
    from rtdash.config import Settings
    from rtdash.core.service_metrics import ServiceReport, ServiceStats

#: an installation asked for: its label, its id and the key of its saved state
Target = tuple[str, int, str]
#: an installation's day state, the upstream's clock now as that state tells it, and a
#: warning to say if that day is printed
Day = tuple[str, dict[str, Any], float, str]


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
    found = _today(_hub_days(settings, targets) if hub else _saved_days(targets))
    if not found:
        why = (
            "the hub publishes them after each calls poll"
            if hub
            else "the dashboard saves them while it runs"
        )
        raise Failure(f"{PROG} stats: no totals for today yet ({why})")
    queue = getattr(args, "queue", None)
    if queue is not None:
        found = _with_queue(found, queue)
    if getattr(args, "json", False):
        print(json.dumps([_as_json(label, report, queue) for label, report in found], indent=2))
    elif getattr(args, "csv", False):
        sys.stdout.write(_as_csv(found, queue))
    else:
        print("\n\n".join(_as_text(label, report, queue) for label, report in found))
    return EXIT_OK


def _saved_days(targets: list[Target]) -> list[Day]:
    from rtdash.core.daystate import read_state, state_path

    now = time.time()
    days = []
    for label, _, key in targets:
        state = read_state(state_path(key))
        if state is not None:
            days.append((label, state, now, ""))
    return days


def _hub_days(settings: Settings, targets: list[Target]) -> list[Day]:
    """The day state the hub publishes for each installation, as its screens read it.

    That state is on the upstream's clock and carries no offset to ours (the screens
    need none), so whether it is today's is judged by its own clock moved on by the
    time since it was published: a hub that stopped yesterday leaves yesterday's day in
    Redis, and that is not today's whatever the two clocks say."""
    from rtdash.hub.codec import FrameError
    from rtdash.hub.connect import hub_url
    from rtdash.hub.latest import HubMisconfigured, HubUnreachable, read_installations
    from rtdash.hub.subscriber import STALE_INTERVALS

    prefix = settings.hub.prefix
    try:
        read = read_installations(hub_url(settings), prefix, [t[1] for t in targets])
    except HubMisconfigured as exc:
        raise Failure(f"{PROG} stats: {exc}") from None
    except HubUnreachable as exc:
        raise Failure(f"{PROG} stats: hub unreachable: {exc}") from None
    unpublished = [igrp for _, igrp, _ in targets if read[igrp].quiet is None]
    if len(unpublished) == len(targets):
        ids = ", ".join(map(str, unpublished))
        which = f"installation {ids}" if len(unpublished) == 1 else f"installations {ids}"
        raise Failure(
            f"{PROG} stats: no hub publishes {which} under prefix {prefix!r} "
            f"(is `{PROG} hub` running with it in its config?)"
        )
    for label, igrp, _ in targets:
        if igrp in unpublished:
            say(f"{PROG} stats: warning: no hub publishes {_printable(label)}")
    now = time.time()
    days = []
    for label, igrp, _ in targets:
        latest = read[igrp]
        try:
            frame = latest.service()
            interval = latest.interval() or settings.polling.interval
        except FrameError as exc:
            say(
                f"{PROG} stats: warning: {_printable(label)}: the hub's state is unreadable ({exc})"
            )
            continue
        if frame is None or frame.service is None:
            continue
        quiet = latest.quiet or 0.0
        stale = (
            f"{PROG} stats: warning: {_printable(label)}: no hub has published for "
            f"{_quiet(quiet)}: these are the totals it published last"
            if quiet > STALE_INTERVALS * interval
            else ""
        )
        try:
            upstream = float(frame.service.get("saved_at") or 0.0) + max(0.0, now - frame.at)
        except (TypeError, ValueError):
            continue
        days.append((label, frame.service, upstream, stale))
    return days


def _quiet(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.0f} h"


def _today(days: list[Day]) -> list[tuple[str, ServiceReport]]:
    """Each day state of today, as its report (its warning said); one of another day,
    or unreadable, is left out as if there were none, and its warning with it."""
    from zoneinfo import ZoneInfo

    from rtdash.core.daystate import same_day
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
        found.append((label, service.report("today")))
        if warning:
            say(warning)
    return found


def _with_queue(
    found: list[tuple[str, ServiceReport]], queue: str
) -> list[tuple[str, ServiceReport]]:
    """The installations with totals for ``queue`` today. The others are left out, as an
    installation with no totals is (an empty table would read as "no calls"); when none
    has it, exit 1 naming the queues that do, so a mistyped name is seen for what it is."""
    having = [(label, report) for label, report in found if report.queue(queue) is not None]
    if having:
        return having
    names = sorted({q.name for _, report in found for q in report.queues})
    others = (
        f"queues with totals today: {', '.join(map(repr, names))}"
        if names
        else "no queue has totals yet"
    )
    raise Failure(f"{PROG} stats: no totals for queue {queue!r} today; {others}")


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
    if queue is not None:
        data["queues"] = [q for q in data["queues"] if q["name"] == queue]
    return data


def _as_csv(found: list[tuple[str, ServiceReport]], queue: str | None) -> str:
    """The export's service columns and cells, the installation first: names are
    upstream text, defused by the export's one rule so a spreadsheet runs none."""
    from rtdash.core.export import SERVICE_COLUMNS, defuse_cell, service_cells

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("installation", *SERVICE_COLUMNS))
    for label, report in found:
        for row in _rows(report, queue):
            writer.writerow([defuse_cell(label), *service_cells(row)])
    return buffer.getvalue()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole}s"


def _printable(text: str) -> str:
    """No control or bidi characters reach the terminal, whatever the state file holds."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


#: the table's last columns, left out where the terminal has no room for them
_TALK_COLUMNS = 2


def _as_text(label: str, report: ServiceReport, queue: str | None) -> str:
    from rtdash.core.service_report import fmt_gaps

    sl = f"SL {report.sl_seconds:g}s"
    head = (
        f"{_printable(label)}: today since {report.since:%H:%M} ({report.since.tzinfo}), "
        f"as of {report.until:%H:%M:%S}"
    )
    header = (
        *("", "offered", "answered", "abandoned", "short", sl, "aband.", "ASA", "longest"),
        *("avg talk", "longest talk"),
    )
    lines = [header]
    for row in _rows(report, queue):
        lines.append(
            (
                _printable(row.name) or "all queues",
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
        out += ["", *_agents_text(report)]
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


def _agents_text(report: ServiceReport) -> list[str]:
    """Agents by calls answered: the supervisor's "who took what" under the queues."""
    rows = [("agent", "answered", "on call", "available", "away")]
    for agent in sorted(report.agents, key=lambda a: (-a.answered, a.name.casefold())):
        rows.append(
            (
                _printable(agent.name),
                str(agent.answered),
                _hours(agent.on_call),
                _hours(agent.available),
                _hours(agent.away),
            )
        )
    name_width = min(24, max(len(row[0]) for row in rows))
    widths = [max(len(row[i]) for row in rows) for i in range(1, 5)]
    out = []
    for row in rows:
        first = row[0] if len(row[0]) <= name_width else row[0][: name_width - 1] + "…"
        cells = [first.ljust(name_width)]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths, strict=True)]
        out.append("  ".join(cells).rstrip())
    return out
