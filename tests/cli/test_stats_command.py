"""``rtdash stats``: today's totals from the saved state; exit 1 when there are none."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.daystate import DayStore, state_key, state_path
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot

from .conftest import RunCli

BASE = "https://api.infinitycloud.com/reports/v2"


def queue_row(ref: str, state: CallState, start: float, queue: str, answered: float | None = None):
    return ActiveCall(
        call_ref=ref,
        state=state,
        call_start=datetime.fromtimestamp(start, UTC),
        state_start=datetime.fromtimestamp(answered if answered else start, UTC),
        queue=queue,
        agent_ref="a.one" if state is CallState.BRIDGED else None,
    )


def _save_today(igrp: int = 1234, key: str | None = None, sales: str = "sales") -> None:
    """A day so far: two ``sales`` calls answered after 10 and 30 s, one "=evil" abandon."""
    now = time.time()
    t = max(now - 60, now - now % 86_400 + 1)  # never across midnight (UTC)
    service = ServiceLevel(ZoneInfo("UTC"), sl_seconds=20)

    def poll(at: float, *rows: ActiveCall) -> None:
        service.observe_calls(CallsSnapshot.build(rows, datetime.fromtimestamp(at, UTC)))

    Q, B = CallState.QUEUEING, CallState.BRIDGED
    poll(
        t,
        queue_row("c1", Q, t, sales),
        queue_row("c2", Q, t, sales),
        queue_row("c3", Q, t, "=evil"),
    )
    poll(
        t + 40,
        queue_row("c1", B, t, sales, t + 10),
        queue_row("c2", B, t, sales, t + 30),
    )
    DayStore(state_path(key or state_key(BASE, igrp))).maybe_save(service, force=True)


def test_no_state_is_exit_1_with_one_line(rtdash: RunCli) -> None:
    run = rtdash("stats", "--igrp", "1234")
    assert run.code == 1 and run.out == ""
    assert run.err_lines == [
        "rtdash stats: no totals for today yet (the dashboard saves them while it runs)"
    ]


def test_no_installation_is_a_usage_error(rtdash: RunCli) -> None:
    run = rtdash("stats")
    assert run.code == 2 and "no installation id" in run.err


def test_json_totals_and_one_queue(rtdash: RunCli) -> None:
    _save_today()
    run = rtdash("stats", "--igrp", "1234", "--json")
    assert run.code == 0, run.err
    (report,) = run.json()
    total = report["total"]
    assert (total["offered"], total["answered"], total["abandoned"]) == (3, 2, 1)
    assert total["sl_percent"] == 100 / 3  # 1 within 20 s / (2 answered + 1 abandoned)
    assert total["asa"] == 20.0
    assert [q["name"] for q in report["queues"]] == ["=evil", "sales"]
    assert report["agents"][0]["key"] == "a.one" and report["agents"][0]["answered"] == 2
    one = rtdash("stats", "--igrp", "1234", "--json", "--queue", "sales").json()[0]
    assert [q["name"] for q in one["queues"]] == ["sales"]
    assert rtdash("stats", "--igrp", "1234", "--queue", "nope").code == 1


def test_csv_defuses_upstream_names_and_text_is_a_table(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_today()
    monkeypatch.setattr("rtdash.cli.stats._terminal_width", lambda: 120)
    run = rtdash("stats", "--igrp", "1234", "--csv")
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert [r["queue"] for r in rows] == ["", "'=evil", "sales"]
    assert rows[2]["answered"] == "2" and rows[2]["sl_percent"] == "50.0"
    text = rtdash("stats", "--igrp", "1234").out.splitlines()
    assert text[0].startswith("installation 1234: today since 00:00 (UTC)")
    assert text[1].split() == [
        "offered", "answered", "abandoned", "short", "SL", "20s", "aband.", "ASA", "longest",
        "avg", "talk", "longest", "talk",
    ]  # fmt: skip
    # both calls are still talking: no talk is known yet
    assert text[2].split() == [
        "all", "queues", "3", "2", "1", "0", "33%", "33%", "20s", "30s", "–", "–"
    ]  # fmt: skip
    # then who answered them (no users were polled: times on a call are not known)
    assert text[6].split() == ["agent", "answered", "on", "call", "available", "away"]
    assert text[7].split() == ["a.one", "2", "0h00", "0h00", "0h00"]


def test_talk_in_the_table_the_json_and_the_csv(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two calls answered at 10 and 30 s end between the polls at 40 and 42 and at 42
    and 44: talked 31 s and 13 s. A terminal of 80 columns gets the table without the
    talk rather than wrapped; a pipe, the JSON and the CSV carry it whatever the width."""
    now = time.time()
    t = max(now - 60, now - now % 86_400 + 1)  # never across midnight (UTC)
    service = ServiceLevel(ZoneInfo("UTC"), sl_seconds=20)
    B = CallState.BRIDGED
    polls = [
        [
            queue_row("c1", CallState.QUEUEING, t, "sales"),
            queue_row("c2", CallState.QUEUEING, t, "sales"),
        ],
        [queue_row("c1", B, t, "sales", t + 10), queue_row("c2", B, t, "sales", t + 30)],
        [queue_row("c2", B, t, "sales", t + 30)],
        [],
    ]
    for at, rows in zip((t, t + 40, t + 42, t + 44), polls, strict=True):
        service.observe_calls(CallsSnapshot.build(rows, datetime.fromtimestamp(at, UTC)))
    DayStore(state_path(state_key(BASE, 1234))).maybe_save(service, force=True)
    text = rtdash("stats", "--igrp", "1234").out.splitlines()
    assert text[1].split()[-4:] == ["avg", "talk", "longest", "talk"]
    assert text[2].split()[-2:] == ["22s", "31s"]
    # to a pipe (as here), 80 columns or not, the table is whole
    monkeypatch.setenv("COLUMNS", "80")
    assert rtdash("stats", "--igrp", "1234").out.splitlines() == text
    # to a terminal 80 columns wide, the talk is left out
    monkeypatch.setattr("rtdash.cli.stats._terminal_width", lambda: 80)
    narrow = rtdash("stats", "--igrp", "1234").out.splitlines()
    assert narrow[1].split()[-2:] == ["ASA", "longest"]
    assert [line.split() for line in narrow[2:4]] == [line.split()[:-2] for line in text[2:4]]
    assert max(map(len, narrow[1:4])) <= 80 < max(map(len, text[1:4]))
    total = rtdash("stats", "--igrp", "1234", "--json").json()[0]["total"]
    assert (total["talked"], total["avg_talk"], total["longest_talk"]) == (2, 22.0, 31.0)
    rows = list(csv.DictReader(io.StringIO(rtdash("stats", "--igrp", "1234", "--csv").out)))
    assert [(r["talked"], r["avg_talk"], r["longest_talk"]) for r in rows] == [
        ("2", "22.0", "31"),
        ("2", "22.0", "31"),
    ]


def test_another_installations_state_is_not_shown(rtdash: RunCli) -> None:
    _save_today(igrp=5678)
    assert rtdash("stats", "--igrp", "1234").code == 1
    assert rtdash("stats", "--igrp", "5678").code == 0


def test_demo_totals_are_read_from_the_demos_own_key(rtdash: RunCli) -> None:
    from rtdash.core.daystate import demo_key

    assert rtdash("stats", "--demo").code == 1
    _save_today(key=demo_key(1234))
    run = rtdash("stats", "--demo", "--json")
    assert run.code == 0, run.err
    assert run.json()[0]["total"]["answered"] == 2


def test_igrp_asks_for_that_installation_alone(rtdash: RunCli, tmp_path: Path) -> None:
    """With more installations in the config file, ``--igrp`` prints the one asked for
    (and says there is nothing for one with no totals), not every one listed."""
    config = tmp_path / "config.toml"
    config.write_text(f'[connection]\nbase_url = "{BASE}"\nigrp = 1234\nmore_igrps = [5678]\n')
    _save_today(igrp=1234)
    _save_today(igrp=5678)
    both = rtdash("stats", "--config", str(config), "--json")
    assert both.code == 0, both.err
    assert [r["installation"] for r in both.json()] == ["installation 1234", "installation 5678"]
    one = rtdash("stats", "--config", str(config), "--igrp", "5678", "--json")
    assert [r["installation"] for r in one.json()] == ["installation 5678"]
    none = rtdash("stats", "--config", str(config), "--igrp", "4321")
    assert none.code == 1 and none.out == ""


def test_demo_totals_of_each_demo_installation_are_named(rtdash: RunCli) -> None:
    from rtdash.core.daystate import demo_key

    _save_today(key=demo_key(1234))
    _save_today(key=demo_key(5678))
    both = rtdash("stats", "--demo", "--json").json()
    assert [r["installation"] for r in both] == [
        "demo: Northwind Contact Centre (1234)",
        "demo: Harbour Lettings (5678)",
    ]
    one = rtdash("stats", "--demo", "--igrp", "5678", "--json").json()
    assert [r["installation"] for r in one] == ["demo: Harbour Lettings (5678)"]


def test_a_queue_with_no_totals_names_the_queues_that_have_some(rtdash: RunCli) -> None:
    """Exit 1 as for an installation with no totals, not a table with no rows."""
    _save_today()
    for shape in ((), ("--json",), ("--csv",)):
        run = rtdash("stats", "--igrp", "1234", "--queue", "billing", *shape)
        assert (run.code, run.out) == (1, "")
        assert run.err_lines == [
            "rtdash stats: no totals for queue 'billing' today; "
            "queues with totals today: '=evil', 'sales'"
        ]


def test_a_demo_installation_without_the_queue_is_left_out(rtdash: RunCli) -> None:
    """The demo's installations have queues of their own: ``--queue sales`` prints the
    one that has it, not the other's heading over an empty table."""
    from rtdash.core.daystate import demo_key

    _save_today(key=demo_key(1234))
    _save_today(key=demo_key(5678), sales="lettings")
    run = rtdash("stats", "--demo", "--queue", "sales")
    assert (run.code, run.err) == (0, "")
    lines = run.out.splitlines()
    assert lines[0].startswith("demo: Northwind Contact Centre (1234): today since")
    # the table's rows, then the part of the day before the first watch
    assert [line.split()[0] for line in lines[2:-1]] == ["sales"]
    assert lines[-1].startswith("not watching 00:00–")
    assert "Harbour" not in run.out
    json_run = rtdash("stats", "--demo", "--queue", "sales", "--json")
    assert [r["installation"] for r in json_run.json()] == ["demo: Northwind Contact Centre (1234)"]
    lettings = rtdash("stats", "--demo", "--queue", "lettings", "--json").json()
    assert [r["installation"] for r in lettings] == ["demo: Harbour Lettings (5678)"]
    none = rtdash("stats", "--demo", "--queue", "viewings")
    assert none.code == 1
    assert none.err_lines == [
        "rtdash stats: no totals for queue 'viewings' today; "
        "queues with totals today: '=evil', 'lettings', 'sales'"
    ]


def test_the_demo_refuses_an_installation_it_does_not_run(rtdash: RunCli) -> None:
    """Not "no totals yet", which would wait for totals that can never come."""
    run = rtdash("stats", "--demo", "--igrp", "42")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == ["rtdash stats: --igrp 42: the demo runs installations 1234 and 5678"]


def test_the_text_says_the_day_before_the_first_watch_was_not_watched(
    rtdash: RunCli,
) -> None:
    """Totals first counted mid-morning are not the day's since 00:00: the hours before
    are listed as the outages are, on one line, said once."""
    now = time.time()
    minute = max(now - now % 60 - 600, now - now % 86_400 + 3600)  # today (UTC), 1:00 on
    first = minute + 30
    service = ServiceLevel(ZoneInfo("UTC"))
    rows = (queue_row("c1", CallState.QUEUEING, first, "sales"),)
    for t in (first, first + 200):  # a poll, then another after more than a minute
        service.observe_calls(CallsSnapshot.build(rows, datetime.fromtimestamp(t, UTC)))
    DayStore(state_path(state_key(BASE, 1234))).maybe_save(service, force=True)
    run = rtdash("stats", "--igrp", "1234")
    assert run.code == 0, run.err
    at = datetime.fromtimestamp(minute, UTC)
    # the outage began in the minute the night ended: to the second, so they never
    # read as overlapping
    outage = at + timedelta(seconds=30), at + timedelta(seconds=230)
    assert run.out.splitlines()[-1] == (
        f"not watching 00:00–{at:%H:%M}, {outage[0]:%H:%M:%S}–{outage[1]:%H:%M:%S}"
    )
