"""The day-state file and its saver: two stores (or a restore) each write the whole
day, the file is one JSON document of the day's parts however it is written (in slices,
a first save encoded on a thread while the polls go on), and the saver encodes its
first save off the loop and then only the changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rtdash.core.daystate import DayStore, read_state
from rtdash.core.service import ServiceLevel

from .day_rig import UTC, Centre, feed_all, restored, same_day, whole_state


def test_two_stores_or_a_restore_on_one_service_each_write_the_whole_day(
    tmp_path: Path,
) -> None:
    centre = Centre(11, 0.0)
    service = ServiceLevel(UTC)
    one, two = DayStore(tmp_path / "one.json", every=0.0), DayStore(tmp_path / "two.json")
    for poll in range(80):
        feed_all(service, centre.step())
        (one if poll % 2 else two).maybe_save(service, force=True)
        if poll == 40:
            service.restore(whole_state(service))  # as the hub's follower or a reload would
        for store in (one, two):
            if store.path.exists():
                state = read_state(store.path)
                assert state is not None
                assert len(state["tracker"]["calls"]) <= len(service.tracker.calls) + 50
    for store in (one, two):
        store.maybe_save(service, force=True)
        same_day(restored(read_state(store.path)), restored(whole_state(service)))


def test_the_file_is_one_json_document_of_the_days_parts(tmp_path: Path) -> None:
    service = ServiceLevel(UTC)
    store = DayStore(tmp_path / "day.json", every=0.0)
    store.maybe_save(service, force=True)  # an empty day
    empty = read_state(store.path)
    assert empty is not None and empty["tracker"]["calls"] == [] and empty["agents"] == {}
    same_day(restored(empty), restored(whole_state(service)))
    centre = Centre(3, 0.0)
    for _ in range(30):
        feed_all(service, centre.step())
    store.maybe_save(service, force=True)
    raw = store.path.read_bytes()
    state = json.loads(raw)
    assert set(state) == {
        "version",
        "zone",
        "sl_seconds",
        "short_abandon",
        "saved_at",
        "tracker",
        "metrics",
        "agents",
    }
    assert b"\n" not in raw
    assert state["tracker"]["seen_at"] is not None
    # a call in the last poll leaves its stamps to the poll's time; one gone keeps its own
    present = {c.ref for c in service.tracker.calls.values() if c.rows}
    for item in state["tracker"]["calls"]:
        assert (item[4] is None) == (item[0] in present)


def test_a_first_save_encoded_off_the_loop_while_polls_go_on_restores_the_day(
    tmp_path: Path,
) -> None:
    centre = Centre(21, 0.0)
    service = ServiceLevel(UTC)
    for _ in range(40):
        feed_all(service, centre.step())
    store = DayStore(tmp_path / "day.json", every=0.0)
    parts = store.parts
    assert parts.stale(service)
    encode = parts.begin(service)
    for _ in range(6):
        feed_all(service, centre.step())  # the day goes on while the thread encodes
    assert parts.install(service, encode()) and not parts.stale(service)
    # the calls read then and still there hold what was encoded
    assert sum(1 for made in service.tracker.calls.values() if made.part) > 10 and parts.clocks
    assert store.maybe_save(service, force=True)
    same_day(restored(read_state(store.path)), restored(whole_state(service)))
    # restored while it encoded: what was encoded is not put in, the day taken whole
    service.restore(whole_state(service))
    assert parts.stale(service)
    encode = parts.begin(service)
    feed_all(service, centre.step())
    service.restore(whole_state(service))
    assert not parts.install(service, encode())
    for _ in range(3):
        feed_all(service, centre.step())
    assert store.maybe_save(service, force=True)
    same_day(restored(read_state(store.path)), restored(whole_state(service)))
    # the clocks resumed (the first calls poll after a restart) while it encoded
    service.restore(whole_state(service))
    encode = parts.begin(service)
    feed_all(service, centre.step())
    assert not parts.install(service, encode())
    assert store.maybe_save(service, force=True)
    same_day(restored(read_state(store.path)), restored(whole_state(service)))
    # a save taken (the way out) before it is put in: the day taken whole, and what
    # was encoded is then not put in
    service.restore(whole_state(service))
    encode = parts.begin(service)
    feed_all(service, centre.step())
    assert store.maybe_save(service, force=True)
    same_day(restored(read_state(store.path)), restored(whole_state(service)))
    assert not parts.install(service, encode())
    feed_all(service, centre.step())
    assert store.maybe_save(service, force=True)
    same_day(restored(read_state(store.path)), restored(whole_state(service)))


def test_the_saver_encodes_the_first_save_on_a_thread_then_saves_changes(
    tmp_path: Path,
) -> None:
    import asyncio
    import contextlib
    import threading

    from rtdash.core.service_feed import ServiceKeeper, ServiceOptions

    centre = Centre(22, 0.0)
    service = ServiceLevel(UTC)
    for _ in range(30):
        feed_all(service, centre.step())
    store = DayStore(tmp_path / "day.json", every=0.0)
    wholes: list[dict[str, Any]] = []
    threads: list[str] = []
    begin = store.parts.begin

    def noting(svc: ServiceLevel) -> Any:
        encode = begin(svc)

        def run() -> Any:
            threads.append(threading.current_thread().name)
            return encode()

        return run

    store.parts.begin = noting  # type: ignore[method-assign]

    async def sleep(seconds: float) -> None:
        if store.path.exists():
            wholes.append(whole_state(service))  # what the save just written holds
            if len(wholes) == 3:
                raise asyncio.CancelledError
        feed_all(service, centre.step())  # a poll while the saver waits

    keeper = ServiceKeeper(service, ServiceOptions(), store, every=5.0, sleep=sleep)
    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(keeper.run_saver())
    assert len(threads) == 1 and threads[0] != threading.current_thread().name
    assert len(wholes) == 3
    last = read_state(store.path)
    assert last is not None
    same_day(restored(last), restored(wholes[-1]))


def test_a_big_day_is_written_in_slices_that_make_one_document(tmp_path: Path) -> None:
    from rtdash.core.daysave import SavedDay

    parts = [f'["c{i}",{i}]'.encode() for i in range(10_000)]
    saved = SavedDay((b'{"calls":[', parts, b'],"more":[', [], b"]}"))
    chunks = list(saved.chunks())
    assert max(map(len, chunks)) < 70_000  # never the 10,000 parts (~120 kB) in one copy
    assert json.loads(b"".join(chunks)) == {
        "calls": [[f"c{i}", i] for i in range(10_000)],
        "more": [],
    }
    assert saved.encode() == b"".join(chunks)
