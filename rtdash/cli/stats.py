"""``rtdash stats``: today's service level totals, from the state the dashboard saves.

No request is made: the totals are what a running (or earlier) dashboard inferred and
saved today (:mod:`rtdash.core.daystate`). No state for today, or none for the queue
asked, is exit 1 with one line, so a cron job can tell "nothing yet" from a number.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from rtdash.cli.common import EXIT_OK, PROG, Failure, UsageError

if TYPE_CHECKING:
    from rtdash.config import Settings
    from rtdash.core.service_metrics import ServiceReport, ServiceStats


def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    from zoneinfo import ZoneInfo

    from rtdash.core.daystate import read_state, same_day, state_path
    from rtdash.core.service import ServiceLevel

    targets = _targets(args, settings)
    now = time.time()
    found: list[tuple[str, ServiceReport]] = []
    for label, key in targets:
        state = read_state(state_path(key))
        if state is None:
            continue
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
    if not found:
        raise Failure(
            f"{PROG} stats: no totals for today yet (the dashboard saves them while it runs)"
        )
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


def _targets(args: argparse.Namespace, settings: Settings) -> list[tuple[str, str]]:
    """(label, state key) of each installation whose totals are asked for."""
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
        return [(f"demo: {label_for(igrp, names.get(igrp))}", demo_key(igrp)) for igrp in igrps]
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
        (i.label, state_key(i.connection.base_url, i.connection.igrp))
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


def _as_text(label: str, report: ServiceReport, queue: str | None) -> str:
    from rtdash.core.service_metrics import fmt_gap

    sl = f"SL {report.sl_seconds:g}s"
    head = (
        f"{_printable(label)}: today since {report.since:%H:%M} ({report.since.tzinfo}), "
        f"as of {report.until:%H:%M:%S}"
    )
    header = ("", "offered", "answered", "abandoned", "short", sl, "aband.", "ASA", "longest")
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
            )
        )
    name_width = min(24, max(len(line[0]) for line in lines))
    widths = [name_width] + [max(len(line[i]) for line in lines) for i in range(1, len(header))]
    out = [head]
    for line in lines:
        first = line[0] if len(line[0]) <= name_width else line[0][: name_width - 1] + "…"
        cells = [first.ljust(name_width)] + [
            c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    if queue is None and report.agents:
        out += ["", *_agents_text(report)]
    out += [fmt_gap(a, b) for a, b in report.gaps]
    return "\n".join(out)


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
