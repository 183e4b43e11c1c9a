"""Today's service state on disk: atomic, throttled, per installation, same day only."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rtdash.core import daystate
from rtdash.core.daystate import DayStore, read_state, state_key, state_path
from rtdash.core.service import ServiceLevel
from rtdash.core.service_report import fmt_gaps
from rtdash.core.snapshot import CallsSnapshot

from .rows import T0, at
from .test_outcomes import bridged, snap, waiting

UTC = ZoneInfo("UTC")


class Tick:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _busy_service() -> ServiceLevel:
    service = ServiceLevel(UTC)
    service.observe_calls(snap(0, waiting("c1", 0), waiting("c2", 0)))
    service.observe_calls(snap(10, bridged("c1", 5, 0), waiting("c2", 0)))
    return service


def test_state_key_and_path(tmp_path: Path) -> None:
    assert state_key("https://api.infinitycloud.com/reports/v2", 1234) == (
        "api.infinitycloud.com-1234"
    )
    # a simulator's port changes every run: the host alone names it
    assert state_key("http://127.0.0.1:40123/reports/v2", 1234) == "127.0.0.1-1234"
    assert state_path("a-1", tmp_path) == tmp_path / "a-1.json"


def test_writes_are_atomic_and_throttled(tmp_path: Path) -> None:
    tick = Tick()
    path = tmp_path / "state" / "x-1.json"
    store = DayStore(path, every=5.0, monotonic=tick)
    service = _busy_service()
    assert store.maybe_save(service) is True
    # the file keeps calls in the last poll and running clocks in a form of its own
    # (rtdash.core.daysave); read back, it is the day the whole state gives
    saved = read_state(path)
    assert saved is not None
    whole = json.loads(json.dumps(service.to_dict()))
    assert ServiceLevel.from_dict(saved).to_dict() == ServiceLevel.from_dict(whole).to_dict()
    service.observe_calls(snap(12, bridged("c1", 5, 0)))
    tick.t = 3.0
    assert store.maybe_save(service) is False  # too soon
    tick.t = 5.0
    assert store.maybe_save(service) is True
    assert store.maybe_save(service) is False  # nothing changed since
    assert store.maybe_save(service, force=True) is True
    # no temporary file is left beside it
    assert sorted(os.listdir(path.parent)) == ["x-1.json", "x-1.json.lock"]  # no temporary file


def test_a_failed_write_keeps_the_old_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x-1.json"
    store = DayStore(path, every=0.0)
    service = _busy_service()
    assert store.maybe_save(service)
    before = path.read_text()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(daystate.os, "replace", broken_replace)
    service.observe_calls(snap(20, bridged("c1", 5, 0)))
    assert store.maybe_save(service) is False
    assert store.error is not None and "No space left on device" in store.error
    assert path.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["x-1.json", "x-1.json.lock"]


def test_a_restart_the_same_day_continues_and_marks_the_gap(tmp_path: Path) -> None:
    path = tmp_path / "x-1.json"
    DayStore(path).maybe_save(_busy_service(), force=True)
    restarted = ServiceLevel(UTC)
    assert DayStore(path).load(restarted, now=T0.timestamp() + 190)
    restarted.observe_calls(snap(190, bridged("c1", 5, 0), waiting("c3", 185)))
    report = restarted.report()
    assert (report.total.offered, report.total.answered, report.total.unknown) == (3, 1, 1)
    # the first watch began at 09:00: the restart keeps the morning before it unwatched
    assert [fmt_gaps([gap]) for gap in report.gaps] == [
        "not watching 00:00–09:00",
        "not watching 09:00–09:03",
    ]


def test_yesterdays_state_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "x-1.json"
    DayStore(path).maybe_save(_busy_service(), force=True)
    fresh = ServiceLevel(UTC)
    assert not DayStore(path).load(fresh, now=T0.timestamp() + 86_400)
    assert fresh.report().total.offered == 0
    # and no state at all, or junk, is just "none"
    assert not DayStore(tmp_path / "none.json").load(fresh)
    (tmp_path / "junk.json").write_text("{not json")
    assert not DayStore(tmp_path / "junk.json").load(fresh)


def test_open_day_carries_on_or_starts_fresh(tmp_path: Path) -> None:
    from rtdash.core.daystate import open_day

    kw = dict(base_url="http://127.0.0.1:9/reports/v2", igrp=1234, sl_seconds=20, short_abandon=5)
    service, store = open_day(UTC, folder=tmp_path, now=T0.timestamp(), **kw)  # type: ignore[arg-type]
    assert store is not None and store.path == tmp_path / "127.0.0.1-1234.json"
    service.observe_calls(snap(0, waiting("c1", 0)))
    store.maybe_save(service, force=True)
    again, _ = open_day(UTC, folder=tmp_path, now=T0.timestamp() + 30, **kw)  # type: ignore[arg-type]
    assert again.report().total.offered == 1
    off, none = open_day(UTC, folder=tmp_path, persist=False, **kw)  # type: ignore[arg-type]
    assert none is None and off.report().total.offered == 0


#: 23:50 on T0's day, in seconds from T0 (09:00)
LATE = 14 * 3600 + 50 * 60


def _counted_on(upstream_off: float, path: Path) -> ServiceLevel:
    """A day counted from polls whose bodies say the upstream's clock is ``upstream_off``
    seconds from ours, saved: a call waiting since 23:48, answered at 23:50 upstream."""
    service = ServiceLevel(UTC)
    for t, row in ((LATE - 60, waiting("c1", LATE - 120)), (LATE, bridged("c1", LATE, LATE - 120))):
        upstream = at(t)
        assert upstream is not None
        ours = upstream - timedelta(seconds=upstream_off)
        service.observe_calls(CallsSnapshot.build([row], ours, server_now=upstream))
    assert service.report().total.answered == 1
    DayStore(path).maybe_save(service, force=True)
    return service


def test_a_restart_keeps_the_upstreams_day_when_our_clock_passed_midnight(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x-1.json"
    _counted_on(-600.0, path)  # the upstream is 10 minutes behind ours
    # restarted at 00:05 on our clock: 23:55 on the upstream's, the day it counted
    restarted = ServiceLevel(UTC)
    ours = T0.timestamp() + LATE + 900
    assert DayStore(path).load(restarted, now=ours)
    assert restarted.report().total.answered == 1


def test_a_restart_drops_the_day_when_the_upstreams_clock_passed_midnight(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x-1.json"
    _counted_on(600.0, path)  # the upstream is 10 minutes ahead of ours
    # restarted at 23:55 on our clock: 00:05 the next day on the upstream's
    fresh = ServiceLevel(UTC)
    ours = T0.timestamp() + LATE - 600 + 900
    assert not DayStore(path).load(fresh, now=ours)
    assert fresh.report().total.answered == 0


def test_one_process_saves_a_day_the_others_keep_theirs_until_it_stops(tmp_path: Path) -> None:
    """A dashboard and a wallboard (or two demos) on one installation: the first to
    save holds the day's file; the other's saves write nothing, and it takes over when
    the first lets go (its process ends)."""
    path = tmp_path / "x-1.json"
    first, second = DayStore(path, every=0.0), DayStore(path, every=0.0)
    busy = _busy_service()
    assert first.maybe_save(busy, force=True)
    written = path.read_bytes()
    assert not second.maybe_save(ServiceLevel(ZoneInfo("UTC")), force=True)
    assert second.saved_elsewhere and second.error is None
    assert path.read_bytes() == written, "the holder's totals stay"
    first.lock.release()
    assert second.maybe_save(ServiceLevel(ZoneInfo("UTC")), force=True)
    assert not second.saved_elsewhere and path.read_bytes() != written
    assert not first.maybe_save(busy, force=True), "now the second holds it"


def test_the_lock_holds_across_processes_and_goes_with_the_holder(tmp_path: Path) -> None:
    """The real case: another process holds the day (a wallboard beside a dashboard);
    once it is gone, even killed, this one saves."""
    import subprocess
    import sys

    path = tmp_path / "x-1.json"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from rtdash.core.day_lock import DayLock; "
            f"lock = DayLock(Path({str(path)!r})); assert lock.take(); "
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store = DayStore(path, every=0.0)
        assert not store.maybe_save(_busy_service(), force=True)
        assert store.saved_elsewhere and not path.exists()
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert store.maybe_save(_busy_service(), force=True)
    assert read_state(path) is not None
