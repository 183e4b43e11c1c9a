"""``rtdash stats --window``: the last 15 or 60 minutes' totals, read from the minutes
the saved day keeps, figure for figure as the service level itself reports them."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import asdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.daystate import DayStore, state_key, state_path
from rtdash.core.export import service_cells
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot

from .conftest import RunCli
from .test_stats_command import queue_row

BASE = "https://api.infinitycloud.com/reports/v2"
Q, B = CallState.QUEUEING, CallState.BRIDGED

#: each call: how many minutes before the last poll it began, its queue, after how many
#: seconds it was answered (None: abandoned then); the day's first is outside both
#: windows, the next three inside the hour only, the last three inside both
CALLS = (
    (90, "sales", 3, None),
    (50, "sales", 5, None),
    (40, "sales", 40, None),
    (35, "support", None, 30),
    (10, "sales", 8, None),
    (5, "support", None, 25),
    (3, "sales", 30, None),
)


def _zone_at_noon(now: float) -> ZoneInfo:
    """A zone where it is about noon now: the day's calls, 90 minutes back, never
    cross its midnight, whenever the test runs."""
    offset = max(-12, min(14, 12 - datetime.fromtimestamp(now, UTC).hour))
    return ZoneInfo("Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}")


def _save_day(ago: float = 10.0) -> ServiceLevel:
    """:data:`CALLS` as the polls saw them, the last poll ``ago`` seconds back, saved as
    the dashboard saves its day; the service level that counted them."""
    end = time.time() - ago
    service = ServiceLevel(_zone_at_noon(end), sl_seconds=20)

    def poll(at: float, *rows: ActiveCall) -> None:
        service.observe_calls(CallsSnapshot.build(rows, datetime.fromtimestamp(at, UTC)))

    for n, (minutes, queue, answer, abandon) in enumerate(CALLS):
        ref, t = f"c{n}", end - minutes * 60
        poll(t, queue_row(ref, Q, t, queue))
        if answer is not None:
            poll(t + answer, queue_row(ref, B, t, queue, t + answer))
            poll(t + answer + 2)
        else:
            assert abandon is not None
            poll(t + abandon - 1, queue_row(ref, Q, t, queue))
            poll(t + abandon + 1)
    poll(end)
    DayStore(state_path(state_key(BASE, 1234))).maybe_save(service, force=True)
    return service


def test_each_window_is_the_service_levels_own_in_every_format(rtdash: RunCli) -> None:
    service = _save_day()
    totals = {w: service.report(w).total for w in ("today", "60m", "15m")}
    assert len({(t.answered, t.abandoned, t.sl_percent) for t in totals.values()}) == 3, (
        "the calls make each window's totals differ from the others'"
    )
    for window in ("15m", "60m"):
        own = service.report(window)
        run = rtdash("stats", "--igrp", "1234", "--window", window, "--json")
        assert run.code == 0 and run.err == "", run.err
        (printed,) = run.json()
        assert printed["window"] == window
        assert printed["total"] == asdict(own.total)
        assert printed["queues"] == [asdict(q) for q in own.queues]
        assert printed["since"] == own.since.isoformat()
        assert printed["agents"] == [
            {"key": a.key, "name": a.name, "answered": a.answered} for a in own.agents
        ], "a window's agents: their calls answered, no time (kept for the day only)"

        rows = list(
            csv.reader(
                io.StringIO(rtdash("stats", "--igrp", "1234", "--window", window, "--csv").out)
            )
        )
        assert rows[0][:2] == ["installation", "window"]
        assert rows[1:] == [
            ["installation 1234", window, *service_cells(row)] for row in (own.total, *own.queues)
        ]

        text = rtdash("stats", "--igrp", "1234", "--window", window).out.splitlines()
        minutes = window.removesuffix("m")
        assert text[0].startswith(
            f"installation 1234: last {minutes} minutes since {own.since:%H:%M}"
        )
        sl = own.total.sl_percent
        assert text[2].split()[:7] == [
            "all", "queues", str(own.total.offered), str(own.total.answered),
            str(own.total.abandoned), str(own.total.short_abandoned),
            "–" if sl is None else f"{sl:.0f}%",
        ]  # fmt: skip
    # today stays the default, and says so
    today = rtdash("stats", "--igrp", "1234", "--json").json()[0]
    assert today["window"] == "today" and today["total"] == asdict(totals["today"])


def test_a_window_counted_long_ago_says_up_to_when(rtdash: RunCli) -> None:
    service = _save_day(ago=300)
    until = service.report("15m").until
    run = rtdash("stats", "--igrp", "1234", "--window", "15m")
    assert run.code == 0
    assert run.err_lines == [
        f"rtdash stats: warning: installation 1234: counted last at {until:%H:%M:%S} "
        "(5 min ago): the last 15 minutes are those up to then"
    ]


def test_an_unknown_window_is_one_usage_line(rtdash: RunCli) -> None:
    _save_day()
    run = rtdash("stats", "--igrp", "1234", "--window", "30m")
    assert run.code == 2 and run.out == ""
    assert run.err_lines == [
        "rtdash stats: argument --window: invalid choice: '30m' (choose from 'today', "
        "'60m', '15m') (see `rtdash stats --help`)"
    ]
