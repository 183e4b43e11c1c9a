"""The day-state save encodes only what changed since the last save, and what it writes
restores to the very day the whole state (``ServiceLevel.to_dict``, the old save)
restores to: after a random churning day, at every save, and after a crash between
saves or in the middle of one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rtdash.core.daystate import DayStore, read_state
from rtdash.core.outcome_events import Abandoned, Answered, Unknown
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .day_rig import UTC, B, Centre, Q, R, feed_all, restored, same_day, whole_state
from .rows import at, call, user


@pytest.mark.parametrize("seed", range(6))
def test_every_save_restores_the_day_the_whole_state_restores(tmp_path: Path, seed: int) -> None:
    # one day runs over midnight: the clocks start the new day, the save takes them all
    start = 15 * 3600 - 300.0 if seed == 5 else 0.0
    centre = Centre(seed, start)
    service = ServiceLevel(UTC)
    unanswered: list[Abandoned | Unknown] = []
    service.unanswered_listeners.append(unanswered.append)
    path = tmp_path / "day.json"
    store = DayStore(path, every=0.0)
    saves = corrected = 0
    for _ in range(220):
        feed_all(service, centre.step())
        if unanswered and centre.rnd.random() < 0.1:
            # the confirmation found one was answered: a minute counted into again
            wrong = unanswered.pop(centre.rnd.randrange(len(unanswered)))
            service.correct(wrong, Answered(wrong.ref, wrong.queue, wrong.at - 1, None, ""))
            corrected += 1
        if centre.rnd.random() < 0.3:
            assert store.maybe_save(service, force=True)
            saves += 1
            same_day(restored(read_state(path)), restored(whole_state(service)))
        elif centre.rnd.random() < 0.1:
            service.to_dict()  # the hub's whole state, taken between saves
    assert saves > 40 and corrected > 5
    assert service.report().total.offered > 100 and service.report().total.answered > 30
    assert service.agents.clocks and any(c.call for c in service.agents.clocks.values())


@pytest.mark.parametrize("seed", range(4))
def test_a_crash_between_saves_continues_as_the_whole_state_would(
    tmp_path: Path, seed: int
) -> None:
    centre = Centre(100 + seed, 0.0)
    service = ServiceLevel(UTC)
    path = tmp_path / "day.json"
    store = DayStore(path, every=0.0)
    for poll in range(120):
        feed_all(service, centre.step())
        if poll % 7 == 0:
            store.maybe_save(service, force=True)
            whole = whole_state(service)
    # more polls after the last save, then the process dies: the file is that save's
    for _ in range(5):
        feed_all(service, centre.step())
    again = ServiceLevel(UTC)
    assert DayStore(path).load(again, now=service.metrics.now)
    old = restored(whole)
    same_day(again, old)
    # both carry on from the restart alike (the gap, the calls gone meanwhile, the clocks)
    for _ in range(40):
        snapshots = centre.step()
        feed_all(again, snapshots)
        feed_all(old, snapshots)
    same_day(again, old)
    assert again.report().gaps  # the restart shows as a time not watched
    # and the restarted service saves as it goes on: its file restores to its day
    store = DayStore(path, every=0.0)
    for _ in range(10):
        feed_all(again, centre.step())
        store.maybe_save(again, force=True)
        same_day(restored(read_state(path)), restored(whole_state(again)))


def test_a_crash_in_the_middle_of_a_save_leaves_the_last_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    centre = Centre(7, 0.0)
    service = ServiceLevel(UTC)
    path = tmp_path / "day.json"
    store = DayStore(path, every=0.0)
    for _ in range(60):
        feed_all(service, centre.step())
    assert store.maybe_save(service, force=True)
    whole = whole_state(service)
    for _ in range(10):
        feed_all(service, centre.step())

    def dies(src: str, dst: str) -> None:  # the temporary file written, never moved
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("rtdash.core.daystate.os.replace", dies)
    assert not store.maybe_save(service, force=True)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.json", "day.json.lock"]
    same_day(restored(read_state(path)), restored(whole))
    # the changes the failed save took are not lost: the next one writes them
    for _ in range(3):
        feed_all(service, centre.step())
    assert store.maybe_save(service, force=True)
    same_day(restored(read_state(path)), restored(whole_state(service)))


def test_a_save_encodes_the_calls_and_clocks_that_changed_not_the_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rtdash.core.tracked_call import each_kept as real

    encoded: list[int] = []

    def counting(calls: Any) -> Iterator[list[Any]]:
        out = list(real(calls))
        encoded.append(len(out))
        return iter(out)

    monkeypatch.setattr("rtdash.core.daysave.each_kept", counting)
    service = ServiceLevel(UTC)
    rows = [call(f"c{i}", Q, 0, 0, queue="sales") for i in range(2000)]
    people = tuple(user(f"u{i}", "available", 0, operator_ref=f"a{i}") for i in range(500))
    first = CallsSnapshot.build(rows, at(1), previous=None)  # type: ignore[arg-type]
    service.observe_users(UsersSnapshot.build(list(people), at(1)))  # type: ignore[arg-type]
    service.observe_calls(first)
    store = DayStore(tmp_path / "day.json", every=0.0)
    assert store.maybe_save(service, force=True)
    assert encoded == [2000]  # the first save takes every call
    # two calls answered, one gone, one new; an agent on a call, one away
    rows[3] = call("c3", B, 2, 0, queue="sales", agent_ref="a1")
    rows[4] = call("c4", B, 2, 0, queue="sales", agent_ref="a2")
    del rows[5]
    rows.append(call("c-new", R, 2, 2, queue="sales"))
    second = CallsSnapshot.build(rows, at(3), previous=first)  # type: ignore[arg-type]
    service.observe_calls(second)
    moved = (*people[:7], user("u7", "unavailable", 3, operator_ref="a7"), *people[8:])
    service.observe_users(UsersSnapshot.build(list(moved), at(3)))  # type: ignore[arg-type]
    clocks: list[str] = []
    real_kept = service.agents.kept

    def kept(key: str) -> list[Any]:
        clocks.append(key)
        return real_kept(key)

    monkeypatch.setattr(service.agents, "kept", kept)
    encoded.clear()
    assert store.maybe_save(service, force=True)
    assert sum(encoded) == 3  # c3, c4 and the new call; c5 dropped
    assert sorted(clocks) == ["a1", "a2", "a7"]
    saved = read_state(store.path)
    assert saved is not None and len(saved["tracker"]["calls"]) == 2000
    same_day(restored(saved), restored(whole_state(service)))
    # a poll where nothing changed encodes nothing, yet the stamps move on
    service.observe_calls(CallsSnapshot.build(rows, at(5), previous=second))  # type: ignore[arg-type]
    encoded.clear()
    clocks.clear()
    assert store.maybe_save(service, force=True)
    assert sum(encoded) == 0 and clocks == []
    same_day(restored(read_state(store.path)), restored(whole_state(service)))
