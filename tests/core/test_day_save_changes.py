"""The day-state save encodes only what changed since the last save, and what it writes
restores to the very day the whole state (``ServiceLevel.to_dict``, the old save)
restores to: after a random churning day, at every save, and after a crash between
saves or in the middle of one."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.models import ActiveCall, CallState, UserState
from rtdash.core.daystate import DayStore, read_state
from rtdash.core.outcome_events import Abandoned, Answered, Unknown
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .rows import at, call, user

R, Q, B = CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED
UTC = ZoneInfo("UTC")


class _Centre:
    """A random churning centre: calls arrive, change, leave (a callRef now and then
    used again), a body now and then holds a call twice or an unreadable row, polls
    now and then come after a gap or find the body unchanged; agents change state."""

    def __init__(self, seed: int, start: float, *, keyed: bool = True) -> None:
        #: keyed=False builds the snapshots as the poller does (and hands on the changes)
        self.keyed = keyed
        self.rnd = random.Random(seed)
        self.t = start
        self.live: dict[str, ActiveCall] = {}
        self.left: list[str] = []
        self.n = 0
        self.people = {
            f"u{i}": user(
                f"u{i}",
                self.rnd.choice(list(UserState)),
                start,
                name=f"Agent {i}",
                operator_ref=f"a{i}",
                dashboard=i != 7,
            )
            for i in range(1, 10)
        }
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None

    def step(self) -> list[CallsSnapshot | UsersSnapshot]:
        """The next poll's snapshots (built on the last ones, rows reused as the
        poller's are)."""
        rnd = self.rnd
        self.t += 2 + rnd.choice([0] * 30 + [70])  # now and then a gap
        t = self.t
        for ref in list(self.live):
            row = self.live[ref]
            roll = rnd.random()
            if roll < 0.08:
                del self.live[ref]
                self.left.append(ref)
            elif roll < 0.2 and row.state is not B:
                agent = rnd.choice(["a1", "a2", "a3", "a4", "a5", "a9"])
                self.live[ref] = call(ref, B, t - 1, t - 30, queue=row.queue, agent_ref=agent)
            elif roll < 0.25 and row.state is R:
                self.live[ref] = call(ref, Q, t - 1, t - 30, queue=row.queue)
            elif roll < 0.27 and row.state is B:
                self.live[ref] = call(ref, B, t - 1, t - 30, queue=row.queue, agent_name="Agent 8")
        for _ in range(rnd.randint(0, 4)):
            if self.left and rnd.random() < 0.1:
                ref = self.left.pop(rnd.randrange(len(self.left)))  # a callRef used again
            else:
                self.n += 1
                ref = f"c{self.n}"
            queue = rnd.choice(["sales", "support"])
            self.live[ref] = call(ref, rnd.choice([R, Q]), t - 1, t - 1, queue=queue)
        rows = list(self.live.values())
        unreadable = 0
        if rows and rnd.random() < 0.04:
            rows.pop(rnd.randrange(len(rows)))
            unreadable = 1
        if rows and rnd.random() < 0.03:
            twin = rows[rnd.randrange(len(rows))]
            rows.append(call(twin.call_ref, B, t - 1, t - 30, queue=twin.queue, agent_ref="a2"))
        stamp = at(t)
        assert stamp is not None
        out: list[CallsSnapshot | UsersSnapshot] = []
        if self.calls is not None and rnd.random() < 0.1:
            out.append(self.calls.again(stamp))
        self.calls = CallsSnapshot.build(
            rows, stamp, unreadable, previous=self.calls, keyed=self.keyed
        )
        out.append(self.calls)
        if rnd.random() < 0.6:
            if rnd.random() < 0.2 and len(self.people) > 4:  # one leaves
                del self.people[rnd.choice(sorted(self.people))]
            for _ in range(rnd.choice([0, 0, 0, 1, 2])):  # some join
                self.n += 1
                key = f"u{self.n}"
                self.people[key] = user(
                    key,
                    rnd.choice(list(UserState)),
                    t - 1 - rnd.randint(0, 1),
                    name=f"Agent {self.n}",
                    operator_ref=rnd.choice([f"a{self.n}", None]),
                )
            for key in rnd.sample(sorted(self.people), 2):
                was = self.people[key]
                self.people[key] = user(
                    key,
                    rnd.choice(list(UserState)),
                    t - 1,
                    name=was.display_name,
                    operator_ref=was.operator_ref,
                    dashboard=was.dashboard,
                )
            self.users = UsersSnapshot.build(
                list(self.people.values()), stamp, previous=self.users, keyed=self.keyed
            )
            out.append(self.users)
        return out


def _feed(service: ServiceLevel, snapshots: list[CallsSnapshot | UsersSnapshot]) -> None:
    for snapshot in snapshots:
        if isinstance(snapshot, CallsSnapshot):
            service.observe_calls(snapshot)
        else:
            service.observe_users(snapshot)


def _whole(service: ServiceLevel) -> dict[str, Any]:
    """What the old save wrote: the whole state, as JSON."""
    loaded: dict[str, Any] = json.loads(json.dumps(service.to_dict()))
    return loaded


def _same_day(a: ServiceLevel, b: ServiceLevel) -> None:
    assert a.to_dict() == b.to_dict()
    assert a.report("today") == b.report("today")
    assert a.report("15m") == b.report("15m")


def _restored(state: dict[str, Any] | None) -> ServiceLevel:
    assert state is not None
    return ServiceLevel.from_dict(state)


@pytest.mark.parametrize("seed", range(6))
def test_every_save_restores_the_day_the_whole_state_restores(tmp_path: Path, seed: int) -> None:
    # one day runs over midnight: the clocks start the new day, the save takes them all
    start = 15 * 3600 - 300.0 if seed == 5 else 0.0
    centre = _Centre(seed, start)
    service = ServiceLevel(UTC)
    unanswered: list[Abandoned | Unknown] = []
    service.unanswered_listeners.append(unanswered.append)
    path = tmp_path / "day.json"
    store = DayStore(path, every=0.0)
    saves = corrected = 0
    for _ in range(220):
        _feed(service, centre.step())
        if unanswered and centre.rnd.random() < 0.1:
            # the confirmation found one was answered: a minute counted into again
            wrong = unanswered.pop(centre.rnd.randrange(len(unanswered)))
            service.correct(wrong, Answered(wrong.ref, wrong.queue, wrong.at - 1, None, ""))
            corrected += 1
        if centre.rnd.random() < 0.3:
            assert store.maybe_save(service, force=True)
            saves += 1
            _same_day(_restored(read_state(path)), _restored(_whole(service)))
        elif centre.rnd.random() < 0.1:
            service.to_dict()  # the hub's whole state, taken between saves
    assert saves > 40 and corrected > 5
    assert service.report().total.offered > 100 and service.report().total.answered > 30
    assert service.agents.clocks and any(c.call for c in service.agents.clocks.values())


@pytest.mark.parametrize("seed", range(4))
def test_a_crash_between_saves_continues_as_the_whole_state_would(
    tmp_path: Path, seed: int
) -> None:
    centre = _Centre(100 + seed, 0.0)
    service = ServiceLevel(UTC)
    path = tmp_path / "day.json"
    store = DayStore(path, every=0.0)
    for poll in range(120):
        _feed(service, centre.step())
        if poll % 7 == 0:
            store.maybe_save(service, force=True)
            whole = _whole(service)
    # more polls after the last save, then the process dies: the file is that save's
    for _ in range(5):
        _feed(service, centre.step())
    again = ServiceLevel(UTC)
    assert DayStore(path).load(again, now=service.metrics.now)
    old = _restored(whole)
    _same_day(again, old)
    # both carry on from the restart alike (the gap, the calls gone meanwhile, the clocks)
    for _ in range(40):
        snapshots = centre.step()
        _feed(again, snapshots)
        _feed(old, snapshots)
    _same_day(again, old)
    assert again.report().gaps  # the restart shows as a time not watched
    # and the restarted service saves as it goes on: its file restores to its day
    store = DayStore(path, every=0.0)
    for _ in range(10):
        _feed(again, centre.step())
        store.maybe_save(again, force=True)
        _same_day(_restored(read_state(path)), _restored(_whole(again)))


def test_a_crash_in_the_middle_of_a_save_leaves_the_last_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    centre = _Centre(7, 0.0)
    service = ServiceLevel(UTC)
    path = tmp_path / "day.json"
    store = DayStore(path, every=0.0)
    for _ in range(60):
        _feed(service, centre.step())
    assert store.maybe_save(service, force=True)
    whole = _whole(service)
    for _ in range(10):
        _feed(service, centre.step())

    def dies(src: str, dst: str) -> None:  # the temporary file written, never moved
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("rtdash.core.daystate.os.replace", dies)
    assert not store.maybe_save(service, force=True)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["day.json"]
    _same_day(_restored(read_state(path)), _restored(whole))
    # the changes the failed save took are not lost: the next one writes them
    for _ in range(3):
        _feed(service, centre.step())
    assert store.maybe_save(service, force=True)
    _same_day(_restored(read_state(path)), _restored(_whole(service)))


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
    _same_day(_restored(saved), _restored(_whole(service)))
    # a poll where nothing changed encodes nothing, yet the stamps move on
    service.observe_calls(CallsSnapshot.build(rows, at(5), previous=second))  # type: ignore[arg-type]
    encoded.clear()
    clocks.clear()
    assert store.maybe_save(service, force=True)
    assert sum(encoded) == 0 and clocks == []
    _same_day(_restored(read_state(store.path)), _restored(_whole(service)))


def test_two_stores_or_a_restore_on_one_service_each_write_the_whole_day(
    tmp_path: Path,
) -> None:
    centre = _Centre(11, 0.0)
    service = ServiceLevel(UTC)
    one, two = DayStore(tmp_path / "one.json", every=0.0), DayStore(tmp_path / "two.json")
    for poll in range(80):
        _feed(service, centre.step())
        (one if poll % 2 else two).maybe_save(service, force=True)
        if poll == 40:
            service.restore(_whole(service))  # as the hub's follower or a reload would
        for store in (one, two):
            if store.path.exists():
                state = read_state(store.path)
                assert state is not None
                assert len(state["tracker"]["calls"]) <= len(service.tracker.calls) + 50
    for store in (one, two):
        store.maybe_save(service, force=True)
        _same_day(_restored(read_state(store.path)), _restored(_whole(service)))


def test_the_file_is_one_json_document_of_the_days_parts(tmp_path: Path) -> None:
    service = ServiceLevel(UTC)
    store = DayStore(tmp_path / "day.json", every=0.0)
    store.maybe_save(service, force=True)  # an empty day
    empty = read_state(store.path)
    assert empty is not None and empty["tracker"]["calls"] == [] and empty["agents"] == {}
    _same_day(_restored(empty), _restored(_whole(service)))
    centre = _Centre(3, 0.0)
    for _ in range(30):
        _feed(service, centre.step())
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
    centre = _Centre(21, 0.0)
    service = ServiceLevel(UTC)
    for _ in range(40):
        _feed(service, centre.step())
    store = DayStore(tmp_path / "day.json", every=0.0)
    parts = store.parts
    assert parts.stale(service)
    encode = parts.begin(service)
    for _ in range(6):
        _feed(service, centre.step())  # the day goes on while the thread encodes
    assert parts.install(service, encode()) and not parts.stale(service)
    # the calls read then and still there hold what was encoded
    assert sum(1 for made in service.tracker.calls.values() if made.part) > 10 and parts.clocks
    assert store.maybe_save(service, force=True)
    _same_day(_restored(read_state(store.path)), _restored(_whole(service)))
    # restored while it encoded: what was encoded is not put in, the day taken whole
    service.restore(_whole(service))
    assert parts.stale(service)
    encode = parts.begin(service)
    _feed(service, centre.step())
    service.restore(_whole(service))
    assert not parts.install(service, encode())
    for _ in range(3):
        _feed(service, centre.step())
    assert store.maybe_save(service, force=True)
    _same_day(_restored(read_state(store.path)), _restored(_whole(service)))
    # the clocks resumed (the first calls poll after a restart) while it encoded
    service.restore(_whole(service))
    encode = parts.begin(service)
    _feed(service, centre.step())
    assert not parts.install(service, encode())
    assert store.maybe_save(service, force=True)
    _same_day(_restored(read_state(store.path)), _restored(_whole(service)))
    # a save taken (the way out) before it is put in: the day taken whole, and what
    # was encoded is then not put in
    service.restore(_whole(service))
    encode = parts.begin(service)
    _feed(service, centre.step())
    assert store.maybe_save(service, force=True)
    _same_day(_restored(read_state(store.path)), _restored(_whole(service)))
    assert not parts.install(service, encode())
    _feed(service, centre.step())
    assert store.maybe_save(service, force=True)
    _same_day(_restored(read_state(store.path)), _restored(_whole(service)))


def test_the_saver_encodes_the_first_save_on_a_thread_then_saves_changes(
    tmp_path: Path,
) -> None:
    import asyncio
    import contextlib
    import threading

    from rtdash.core.service_feed import ServiceKeeper, ServiceOptions

    centre = _Centre(22, 0.0)
    service = ServiceLevel(UTC)
    for _ in range(30):
        _feed(service, centre.step())
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
            wholes.append(_whole(service))  # what the save just written holds
            if len(wholes) == 3:
                raise asyncio.CancelledError
        _feed(service, centre.step())  # a poll while the saver waits

    keeper = ServiceKeeper(service, ServiceOptions(), store, every=5.0, sleep=sleep)
    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(keeper.run_saver())
    assert len(threads) == 1 and threads[0] != threading.current_thread().name
    assert len(wholes) == 3
    last = read_state(store.path)
    assert last is not None
    _same_day(_restored(last), _restored(wholes[-1]))


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
