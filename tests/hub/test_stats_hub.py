"""``rtdash stats --hub`` (or ``[hub] view = true``): today's totals as the hub counted
them, read from Redis as its screens read them, in every output format, with the
periods the hub did not watch; one line and the right exit code when it cannot."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis as redis_sync

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.export import SERVICE_COLUMNS, service_cells
from rtdash.core.service import RESTART_GAP_SECONDS, ServiceLevel
from rtdash.core.service_report import ServiceReport, fmt_gaps
from rtdash.core.snapshot import CallsSnapshot
from rtdash.hub import codec
from rtdash.hub.keys import HubKeys
from rtdash.hub.outbox import shown
from rtdash.hub.publisher import InstallationPublisher
from rtdash.sim import Simulator
from tests.hub.conftest import QUICK_DAY_START, RedisServer, _free_port
from tests.hub.helpers import publisher, running, until
from tests.support import a_password, isolate_cli, run_cli


@pytest.fixture
def sim(quick_day_sim: Simulator) -> Simulator:
    """The quick day (tests/hub/conftest.py): its day is not ours, so the hub's day is
    judged on the upstream's clock."""
    return quick_day_sim


def _config(tmp_path: Path, prefix: str, *, view: bool) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[hub]\nprefix = "{prefix}"\nview = {"true" if view else "false"}\n')
    return path


def _stats(tmp_path: Path, url: str, config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The installed command in a process of its own, as a supervisor runs it: the
    hub's URL in the environment, never on the command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RTDASH_")}
    env.update(
        RTDASH_HUB_URL=url,
        RTDASH_CONFIG=str(config),
        HOME=str(tmp_path),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return subprocess.run(
        [sys.executable, "-m", "rtdash", "stats", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _counted(hub: InstallationPublisher) -> int:
    if hub.service is None:
        return 0
    total = hub.service.report("today").total
    return total.answered + total.abandoned


def _table_rows(text: str) -> dict[str, list[str]]:
    """The queues table of ``stats``'s text: each row's figures by its name."""
    rows = {}
    for line in text.splitlines()[2:]:
        if not line.strip() or line.startswith("not watching"):
            break
        *name, offered, answered, abandoned, short, sl, _, _, _, talk, longest_talk = line.split()
        rows[" ".join(name)] = [offered, answered, abandoned, short, sl, talk, longest_talk]
    return rows


def _expected_row(row: Any) -> list[str]:
    sl = "–" if row.sl_percent is None else f"{row.sl_percent:.0f}%"
    counts = [str(row.offered), str(row.answered), str(row.abandoned), str(row.short_abandoned)]
    return [*counts, sl, _duration(row.avg_talk), _duration(row.longest_talk)]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole}s"


@pytest.mark.asyncio
async def test_stats_on_a_hub_prints_the_hubs_own_day_in_every_format(
    redis_up: RedisServer, prefix: str, sim: Simulator, tmp_path: Path
) -> None:
    # a hub counts a while, stops, and is down long enough for a gap; a second one
    # carries the day on from Redis, marks the gap, and stops cleanly (its last state
    # published), so what it counted is what Redis holds
    first = publisher(redis_up.url, prefix, sim, service=True, holder="hub-a")
    async with running(first):
        assert await until(lambda: _counted(first) >= 4, 20)
    await asyncio.sleep(RESTART_GAP_SECONDS + 1.0)
    second = publisher(redis_up.url, prefix, sim, service=True, holder="hub-b")
    async with running(second):
        assert await until(lambda: _counted(second) > _counted(first) and second.published > 4, 20)
    assert second.service is not None
    hubs: ServiceReport = second.service.report("today")
    assert hubs.gaps, "the hub's day has a period it did not watch"
    assert hubs.since.date() == QUICK_DAY_START.date() != datetime.now(UTC).date()
    label = f"installation {sim.igrp}"
    igrp = str(sim.igrp)
    flagged = _config(tmp_path, prefix, view=False)
    # the hub has stopped: past three of its intervals, that is said beside the totals
    stopped = re.compile(
        rf"(rtdash stats: warning: {label}: no hub has published for \d+ s: these are the "
        r"totals it published last\n)?"
    )

    # JSON: the hub's whole report (totals, queues, agents, gaps), figure for figure
    run = _stats(tmp_path, redis_up.url, flagged, "--hub", "--igrp", igrp, "--json")
    assert run.returncode == 0 and stopped.fullmatch(run.stderr), run.stderr
    (printed,) = json.loads(run.stdout)
    assert printed == {**hubs.to_dict(), "installation": label}

    # the table: [hub] view = true in the config does what --hub does
    viewing = _config(tmp_path, prefix, view=True)
    run = _stats(tmp_path, redis_up.url, viewing, "--igrp", igrp)
    assert run.returncode == 0 and stopped.fullmatch(run.stderr), run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == (f"{label}: today since 00:00 (UTC), as of {hubs.until:%H:%M:%S}"), (
        "the hub's day, on the upstream's clock"
    )
    rows = _table_rows(run.stdout)
    assert rows == {
        "all queues": _expected_row(hubs.total),
        **{q.name: _expected_row(q) for q in hubs.queues},
    }
    # the hub's day before its first poll, and its restart: one line, said once
    assert hubs.gaps[0][0] == hubs.since and len(hubs.gaps) > 1
    assert lines[-1] == fmt_gaps(hubs.gaps)
    assert lines[-1].startswith("not watching ")

    # CSV, one queue
    queue = hubs.queues[0]
    run = _stats(
        tmp_path, redis_up.url, flagged, "--hub", "--igrp", igrp, "--csv", "--queue", queue.name
    )
    assert run.returncode == 0 and stopped.fullmatch(run.stderr), run.stderr
    assert list(csv.reader(io.StringIO(run.stdout))) == [
        ["installation", "window", *SERVICE_COLUMNS],
        [label, "today", *service_cells(queue)],
    ]

    # the last 15 minutes: the hub's own window, from the minutes it keeps
    recent = second.service.report("15m")
    run = _stats(
        tmp_path, redis_up.url, flagged, "--hub", "--igrp", igrp, "--window", "15m", "--json"
    )
    assert run.returncode == 0, run.stderr
    (printed,) = json.loads(run.stdout)
    assert printed["window"] == "15m" and printed["since"] == recent.since.isoformat()
    assert printed["total"] == recent.to_dict()["total"] and recent.total.answered > 0
    assert printed["queues"] == recent.to_dict()["queues"]


def _cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, prefix: str, url: str) -> None:
    isolate_cli(monkeypatch, tmp_path)
    monkeypatch.setenv("RTDASH_HUB_URL", url)
    monkeypatch.setenv("RTDASH_CONFIG", str(_config(tmp_path, prefix, view=False)))


def test_an_unreachable_hub_is_one_line_naming_host_and_port_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    word, port = a_password(), _free_port()  # nothing listens there
    _cli(monkeypatch, tmp_path, "rtdash", f"redis://viewer:{word}@127.0.0.1:{port}/0")
    run = run_cli(capsys, "stats", "--hub", "--igrp", "1234")
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == [
        f"rtdash stats: hub unreachable: cannot connect to 127.0.0.1:{port} (connection refused)"
    ]
    assert word not in run.err


def test_a_hub_url_that_does_not_fit_its_redis_says_what_to_fix(
    redis_up: RedisServer,
    locked: tuple[RedisServer, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Not "hub unreachable" in Redis's words ("(DB index is out of range)", "(HELLO
    must be called with the client already authenticated, …)"): what to fix."""
    plain, wants = f"127.0.0.1:{redis_up.port}", f"127.0.0.1:{locked[0].port}"
    word = a_password()
    for url, said in [
        (f"redis://{plain}/99", f"no database 99 on {plain}: pick another in the hub's URL"),
        (f"redis://{wants}/0", "Redis wants a password: put it in RTDASH_HUB_URL or [hub] url"),
        (
            f"redis://:{word}@{wants}/0",
            "Redis refused the user or password: check RTDASH_HUB_URL or [hub] url",
        ),
        (
            f"rediss://{plain}/0",
            f"no TLS answer from {plain}: use redis:// if it does not serve TLS",
        ),
    ]:
        _cli(monkeypatch, tmp_path, "rtdash", url)
        run = run_cli(capsys, "stats", "--hub", "--igrp", "1234")
        assert (run.code, run.out, run.err_lines) == (1, "", [f"rtdash stats: {said}"])
        assert word not in run.err


def test_no_hub_publishing_the_installation_is_exit_1(
    redis_up: RedisServer,
    prefix: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _cli(monkeypatch, tmp_path, prefix, redis_up.url)
    run = run_cli(capsys, "stats", "--hub", "--igrp", "4321", "--json")
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == [
        f"rtdash stats: no hub publishes installation 4321 under prefix {prefix!r} "
        "(is `rtdash hub` running with it in its config?)"
    ]


def test_stats_without_an_installation_names_itself_not_a_viewer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``rtdash stats --hub`` opens no viewer: the line names the command that was run.
    No Redis is reached to say so (nothing listens at the URL)."""
    _cli(monkeypatch, tmp_path, "rtdash", f"redis://127.0.0.1:{_free_port()}/0")
    run = run_cli(capsys, "stats", "--hub")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        "rtdash stats --hub needs an installation: give --igrp ID, or igrp under "
        "[connection] in the config file"
    ]
    opened: list[object] = []
    monkeypatch.setattr("rtdash.ui.app.run_dashboard", lambda *a, **k: opened.append(a) or 0)
    viewer = run_cli(capsys, "--hub")  # the dashboard, as a viewer, keeps its words
    assert (viewer.code, viewer.out, opened) == (2, "", [])
    assert viewer.err_lines == [
        "rtdash: --hub: a hub viewer needs an installation: give --igrp ID, or igrp under "
        "[connection] in the config file"
    ]


def test_hub_and_demo_together_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli(monkeypatch, tmp_path, "rtdash", f"redis://127.0.0.1:{_free_port()}/0")
    run = run_cli(capsys, "stats", "--hub", "--demo")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        "rtdash stats: --hub shows what `rtdash hub` publishes and --demo runs its own "
        "simulator: use one of them"
    ]


def _day(upstream: datetime) -> dict[str, Any]:
    """A day's state with one call answered, counted with the upstream's clock at
    ``upstream`` (ours the same)."""
    service = ServiceLevel(ZoneInfo("UTC"))
    start = upstream - timedelta(seconds=60)
    waiting = ActiveCall(
        call_ref="c1", state=CallState.QUEUEING, state_start=start, call_start=start
    )
    bridged = ActiveCall(
        call_ref="c1",
        state=CallState.BRIDGED,
        state_start=upstream,
        call_start=start,
        agent_ref="a.one",
    )
    for n, row in enumerate((waiting, bridged)):
        at = upstream + timedelta(seconds=n)
        service.observe_calls(CallsSnapshot.build([row], at, server_now=at))
    return service.to_dict()


def _publish(url: str, keys: HubKeys, state: dict[str, Any], at: float, beat: float) -> None:
    """As a hub leaves the latest state: the screens' day published at ``at``, and its
    last frame at ``beat`` (epoch seconds)."""
    db = redis_sync.Redis.from_url(url)
    try:
        frame = codec.encode_service(shown(state), at)
        db.hset(keys.latest, mapping={"service": frame, "beat": int(beat * 1000)})
    finally:
        db.close()


def test_a_day_the_hub_left_yesterday_is_no_totals_for_today(
    redis_up: RedisServer,
    prefix: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    yesterday = time.time() - 86_400
    state = _day(datetime.fromtimestamp(yesterday, UTC))
    _publish(redis_up.url, HubKeys(prefix, 1234), state, yesterday, yesterday)
    _cli(monkeypatch, tmp_path, prefix, redis_up.url)
    run = run_cli(capsys, "stats", "--hub", "--igrp", "1234")
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == [
        "rtdash stats: no totals for today yet (the hub publishes them after each calls poll)"
    ]


def test_totals_of_a_hub_that_stopped_today_are_printed_with_a_warning(
    redis_up: RedisServer,
    prefix: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Still today's totals, as a dashboard's saved ones are after it stops: printed,
    with a line on stderr saying no hub publishes them any more."""
    now = time.time()
    before = now - 600
    midnight = now - now % 86_400
    counted = max(before, midnight + 120)  # never across midnight (UTC)
    state = _day(datetime.fromtimestamp(counted, UTC))
    _publish(redis_up.url, HubKeys(prefix, 1234), state, counted, before)
    _cli(monkeypatch, tmp_path, prefix, redis_up.url)
    run = run_cli(capsys, "stats", "--hub", "--igrp", "1234", "--json")
    assert run.code == 0
    (printed,) = run.json()
    assert (printed["total"]["answered"], printed["total"]["offered"]) == (1, 1)
    assert run.err_lines == [
        "rtdash stats: warning: installation 1234: no hub has published for 10 min: these "
        "are the totals it published last"
    ]


PROBE = """
import json, sys
import rtdash.cli
code = rtdash.cli.main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_stats_on_a_hub_loads_no_textual(
    redis_up: RedisServer, prefix: str, tmp_path: Path
) -> None:
    """A cron job's ``stats --hub`` pays for Redis, not for the terminal UI."""
    now = time.time()
    counted = max(now - 60, now - now % 86_400 + 1)  # never across midnight (UTC)
    _publish(
        redis_up.url, HubKeys(prefix, 1234), _day(datetime.fromtimestamp(counted, UTC)), now, now
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RTDASH_")}
    env.update(
        RTDASH_HUB_URL=redis_up.url,
        RTDASH_CONFIG=str(_config(tmp_path, prefix, view=True)),
        HOME=str(tmp_path),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "stats", "--igrp", "1234", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    probe = json.loads(done.stderr.splitlines()[-1])
    assert probe["code"] == 0 and json.loads(done.stdout)[0]["total"]["answered"] == 1
    assert [
        m for m in probe["modules"] if m.split(".")[0] == "textual" or m.startswith("rtdash.ui")
    ] == []
