"""Recording: a real simulator run recorded and read back exactly; the delta encoding
(nothing for an unchanged poll, nothing for a call that merely ticks); a file cut off
by a crash, and a run appended after it; files that are not recordings."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import stat
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.models import CallState
from rtdash.core.recording import Recorder, RecordingError
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.sim import SimConfig, Simulator

from .rows import at, call, user

POLLS = 100
TZ = "Europe/London"


@dataclass
class Run:
    path: Path
    polls: list[tuple[CallsSnapshot, UsersSnapshot]]
    #: whether each poll's calls / users snapshot wrote a record
    wrote: list[tuple[bool, bool]]
    recorder: Recorder
    password: str


async def _record_run(path: Path, keyframe_every: float) -> Run:
    sim = Simulator(SimConfig(seed=7, realtime=False))
    with sim:
        client = InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, sim.password),
            base_url=sim.url,
            tz=TZ,
        )
        recorder = Recorder(
            path,
            installation="Northwind Contact Centre",
            igrp=sim.igrp,
            tz=TZ,
            keyframe_every=keyframe_every,
        )
        polls, wrote = [], []
        try:
            for index in range(POLLS):
                calls = await client.active_calls()
                users = await client.user_status()
                # a poll's own time, with microseconds, as the poller stamps it
                fetched = sim.now + timedelta(microseconds=137 * index + 1)
                snapshots = (
                    CallsSnapshot.build(calls.rows, fetched, calls.unreadable),
                    UsersSnapshot.build(users.rows, fetched, users.unreadable),
                )
                wrote.append(
                    (recorder.record_calls(snapshots[0]), recorder.record_users(snapshots[1]))
                )
                polls.append(snapshots)
                sim.advance(2)
        finally:
            recorder.close()
            await client.aclose()
    return Run(path, polls, wrote, recorder, sim.password)


@pytest.fixture(scope="module", params=[300.0, 20.0], ids=["keyframe-5min", "keyframe-20s"])
def run(request, tmp_path_factory) -> Run:
    path = tmp_path_factory.mktemp("rec") / "day.rtrec"
    return asyncio.run(_record_run(path, request.param))


def _lines(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _assert_same(recording: Recording, polls, *, exact_stamps: list[tuple[bool, bool]]) -> None:
    for (calls, users), (calls_written, users_written) in zip(polls, exact_stamps, strict=True):
        got_calls, got_users = recording.state_at(calls.fetched_at)
        assert got_calls is not None and got_users is not None
        assert got_calls.groups == calls.groups
        assert got_calls.unreadable == calls.unreadable
        assert got_users.users == users.users
        assert got_users.dashboard_users == users.dashboard_users
        if calls_written:
            assert got_calls.fetched_at == calls.fetched_at
        if users_written:
            assert got_users.fetched_at == users.fetched_at


# --- a real run, read back ------------------------------------------------------------------


def test_every_recorded_state_is_reproduced_at_its_time(run: Run) -> None:
    recording = Recording.load(run.path)

    assert recording.skipped == 0 and not recording.truncated
    assert recording.bad_rows == 0
    assert recording.start == run.polls[0][0].fetched_at
    assert recording.end == run.polls[-1][0].fetched_at
    _assert_same(recording, run.polls, exact_stamps=run.wrote)
    # between polls, the state is the last poll's
    calls, users = run.polls[40]
    got_calls, got_users = recording.state_at(calls.fetched_at + timedelta(seconds=1.9))
    assert got_calls is not None and got_calls.groups == calls.groups
    assert got_users is not None and got_users.users == users.users
    # and before the first poll there is nothing
    assert recording.state_at(recording.start - timedelta(microseconds=1)) == (None, None)


def test_rows_come_back_as_typed_rows_with_every_field(run: Run) -> None:
    recording = Recording.load(run.path)
    calls, users = run.polls[-1]
    got_calls, got_users = recording.state_at(calls.fetched_at)
    assert got_calls is not None and got_users is not None
    for before, after in zip(calls.calls, got_calls.calls, strict=True):
        assert after.to_json() == before.to_json()
        assert after.state_start == before.state_start
        assert after.call_duration == before.call_duration
    assert [u.to_json() for u in got_users.users] == [u.to_json() for u in users.users]
    assert sum(got_calls.count(state) for state in CallState) == len(calls.calls) > 10


def test_a_poll_writes_a_record_exactly_when_its_snapshot_changed(run: Run) -> None:
    keyframes = {(line["kind"], line["t"]) for line in _lines(run.path) if "rows" in line}
    unchanged = {"calls": 0, "users": 0}
    for index in range(1, POLLS):
        for slot, kind in enumerate(("calls", "users")):
            now, before = run.polls[index][slot], run.polls[index - 1][slot]
            changed = not now.same_rows(before) or now.unreadable != before.unreadable
            keyframe = (kind, now.fetched_at.isoformat()) in keyframes
            assert run.wrote[index][slot] == (changed or keyframe)
            unchanged[kind] += not changed
    # simulated users change now and then, not every 2 s: most of their polls write nothing
    assert unchanged["users"] > POLLS // 2


def test_unchanged_polls_add_no_bytes(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rtrec"
    rows = [call("c-1", "bridged", 0, 0, call_duration=0), call("c-2", "queueing", 5, 5)]
    people = [user("u-1"), user("u-2", "unavailable", name="Zoë")]
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        assert recorder.record_calls(CallsSnapshot.build(rows, at(0)))
        assert recorder.record_users(UsersSnapshot.build(people, at(0)))
        size, records = path.stat().st_size, recorder.records
        for second in range(2, 60, 2):
            assert not recorder.record_calls(CallsSnapshot.build(list(rows), at(second)))
            assert not recorder.record_users(UsersSnapshot.build(list(people), at(second)))
            assert path.stat().st_size == size
        assert recorder.records == records


def test_a_call_that_only_ticks_costs_a_tick_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "tick.rtrec"
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        for poll in range(6):
            second = 100 + 2 * poll
            rows = [
                call(
                    f"c-{n}",
                    "bridged",
                    10 + n,
                    n,
                    bridge_duration=second - 10 - n,
                    call_duration=second - n,
                    ring_time=4,
                    queue_duration=6,
                    src_number="+442079460557",
                )
                for n in range(20)
            ]
            recorder.record_calls(CallsSnapshot.build(rows, at(second)))
    lines = _lines(path)
    assert "rows" in lines[1]  # the keyframe
    # the first delta learns which fields tick; after that a poll is just the tick
    assert len(lines[2]["upd"]) == 20
    for line in lines[3:]:
        assert set(line) == {"t", "kind", "d"} and line["d"] == 2
    recording = Recording.load(path)
    got, _ = recording.state_at(at(110))
    assert got is not None
    assert [c.call_duration for c in got.calls] == [110 - n for n in range(20)]
    assert {c.ring_time for c in got.calls} == {4}


def test_changed_and_removed_fields_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "patch.rtrec"
    states = [
        [call("a", "ringing", 0, 0, ring_time=1, queue="sales"), call("b", "queueing", 0, 0)],
        # a answered (state, agent, durations), b hung up, c arrives
        [
            call("a", "bridged", 5, 0, ring_time=3, agent_name="Ana", queue="sales"),
            call("c", "ringing", 6, 6, extra={"holdMusic": "jazz"}),
        ],
        # a loses its queue (field removed), c changes its extra
        [
            call("a", "bridged", 5, 0, ring_time=3, agent_name="Ana"),
            call("c", "ringing", 6, 6, extra={"holdMusic": "none"}),
        ],
    ]
    snapshots = [
        CallsSnapshot.build(rows, at(10 * n), unreadable=n) for n, rows in enumerate(states)
    ]
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        for snapshot in snapshots:
            assert recorder.record_calls(snapshot)
    lines = _lines(path)
    assert lines[2]["del"] == ["b"] and [r["callRef"] for r in lines[2]["add"]] == ["c"]
    patches = {patch["callRef"]: patch for patch in lines[3]["upd"]}
    assert patches["a"] == {"callRef": "a", "queueRef": None}
    assert patches["c"] == {"callRef": "c", "extra": {"holdMusic": "none"}}
    recording = Recording.load(path)
    for snapshot in snapshots:
        got, _ = recording.state_at(snapshot.fetched_at)
        assert got == snapshot


def test_repeated_keys_are_kept_by_keyframes(tmp_path: Path) -> None:
    path = tmp_path / "dups.rtrec"
    twice = [call("a", "queueing", 1, 1), call("a", "bridged", 2, 1), call("b", "ringing", 3, 3)]
    snapshots = [
        CallsSnapshot.build(twice, at(0)),
        CallsSnapshot.build([*twice, call("c", "ringing", 4, 4)], at(2)),
        CallsSnapshot.build([call("a", "bridged", 2, 1)], at(4)),
        CallsSnapshot.build([call("a", "bridged", 2, 1), call("d", "ringing", 5, 5)], at(6)),
    ]
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        for snapshot in snapshots:
            recorder.record_calls(snapshot)
    kinds = ["rows" in line for line in _lines(path)[1:]]
    # keyframes while a key repeats and right after; a delta once keys are unique again
    assert kinds == [True, True, True, False]
    recording = Recording.load(path)
    for snapshot in snapshots:
        assert recording.state_at(snapshot.fetched_at)[0] == snapshot


def test_keyframes_come_every_keyframe_every_seconds(tmp_path: Path) -> None:
    path = tmp_path / "keys.rtrec"
    with Recorder(path, installation="x", igrp=1, tz="UTC", keyframe_every=60) as recorder:
        for second in range(0, 300, 2):
            rows = [call("a", "bridged", 0, 0, call_duration=second, bridge_duration=second)]
            recorder.record_calls(CallsSnapshot.build(rows, at(second)))
    keyframes = [line["t"] for line in _lines(path) if "rows" in line]
    assert keyframes == [at(s).isoformat() for s in (0, 60, 120, 180, 240)]


# --- the file -----------------------------------------------------------------------------


def test_header_mode_and_no_secrets(run: Run) -> None:
    header = _lines(run.path)[0]
    assert header["rtdash_recording"] == 1
    assert header["installation"] == "Northwind Contact Centre"
    assert header["igrp"] == 1234 and header["tz"] == TZ
    assert header["exclude_pii"] is False
    assert set(header) == {
        "rtdash_recording",
        "installation",
        "igrp",
        "tz",
        "started",
        "exclude_pii",
    }
    assert stat.S_IMODE(run.path.stat().st_mode) == 0o600
    text = gzip.decompress(run.path.read_bytes()).decode()
    assert run.password not in text and "Basic " not in text and "127.0.0.1" not in text
    loaded = Recording.load(run.path).header
    assert (loaded.installation, loaded.igrp, loaded.tz, loaded.exclude_pii) == (
        "Northwind Contact Centre",
        1234,
        TZ,
        False,
    )


def test_exclude_pii_is_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "nopii.rtrec"
    Recorder(path, installation="x", igrp=1, tz="UTC", exclude_pii=True).close()
    assert Recording.load(path).header.exclude_pii is True


def test_a_file_cut_short_loads_up_to_the_cut(run: Run, tmp_path: Path) -> None:
    data = run.path.read_bytes()
    full = Recording.load(run.path)
    cuts = [1, 9, 200, len(data) // 3, len(data) // 2]
    for cut in cuts:
        path = tmp_path / f"cut-{cut}.rtrec"
        path.write_bytes(data[:-cut])
        recording = Recording.load(path)
        assert recording.truncated
        times = recording.calls.times
        assert times == full.calls.times[: len(times)]
        if cut > 200:
            assert len(times) < len(full.calls.times)
        assert len(times) >= 1
        # every state before the cut is the recorded one
        kept = [poll for poll in run.polls if poll[0].fetched_at <= times[-1]]
        wrote = run.wrote[: len(kept)]
        _assert_same(recording, kept, exact_stamps=wrote)


def test_a_cut_mid_line_drops_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.rtrec"
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        for n in range(5):
            recorder.record_calls(CallsSnapshot.build([call(f"c-{n}", "ringing", n, n)], at(n)))
    text = gzip.decompress(path.read_bytes())
    # recompress all but the last 10 characters, flushed but not finished, as a crash leaves it
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    path.write_bytes(squeeze.compress(text[:-10]) + squeeze.flush(zlib.Z_SYNC_FLUSH))
    recording = Recording.load(path)
    assert recording.truncated and recording.skipped == 1
    assert len(recording.calls.times) == 4


def test_a_killed_run_then_another_run_appended(tmp_path: Path) -> None:
    path = tmp_path / "crash.rtrec"
    first = Recorder(path, installation="x", igrp=1, tz="UTC")
    before = [CallsSnapshot.build([call(f"c-{n}", "ringing", n, n)], at(n)) for n in range(6)]
    for snapshot in before:
        first.record_calls(snapshot)
    # the app is killed here: the member is never finished, and the last write is cut
    killed = path.read_bytes()[:-3]
    first.close()
    path.write_bytes(killed)
    after = [CallsSnapshot.build([call(f"d-{n}", "queueing", n, n)], at(100 + n)) for n in range(4)]
    with Recorder(path, installation="x", igrp=1, tz="UTC") as second:
        for snapshot in after:
            second.record_calls(snapshot)

    recording = Recording.load(path)
    assert len(recording.sessions) == 2 and recording.truncated
    assert recording.state_at(at(3))[0] == before[3]
    for snapshot in after:
        assert recording.state_at(snapshot.fetched_at)[0] == snapshot


def test_a_file_being_recorded_can_be_read(tmp_path: Path) -> None:
    path = tmp_path / "live.rtrec"
    recorder = Recorder(path, installation="x", igrp=1, tz="UTC")
    try:
        for n in range(3):
            recorder.record_users(UsersSnapshot.build([user("u", state_start=n)], at(n)))
        recording = Recording.load(path)  # the member is still open
        assert len(recording.users.times) == 3 and recording.skipped == 0
    finally:
        recorder.close()


# --- files that are not recordings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "is empty"),
        (b"callRef,state\nc-1,ringing\n", "is not gzip-compressed"),
        (gzip.compress(b'{"hello": "world"}\n'), "does not start with an rtdash header"),
        (gzip.compress(b"not json at all\n"), "does not start with an rtdash header"),
        (gzip.compress(b""), "has no readable header"),
    ],
    # named, not shown: gzip bytes carry the time they were made, and every test
    # worker must collect the same names
    ids=["empty", "csv", "other-json", "not-json", "empty-gzip"],
)
def test_a_file_that_is_not_a_recording_says_so_in_one_line(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as caught:
        Recording.load(path)
    message = str(caught.value)
    assert message == f"not an rtdash recording: {path} {why}"
    assert "\n" not in message


def test_a_newer_format_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "future.rtrec"
    path.write_bytes(gzip.compress(b'{"rtdash_recording": 2, "igrp": 1}\n'))
    with pytest.raises(RecordingError, match=r"^not an rtdash recording this version reads: .* 2"):
        Recording.load(path)
    with pytest.raises(RecordingError, match=r"^cannot read .*missing\.rtrec: No such file"):
        Recording.load(tmp_path / "missing.rtrec")


def test_the_recorder_never_appends_to_a_file_that_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    with pytest.raises(RecordingError, match="exists and is not an rtdash recording"):
        Recorder(path, installation="x", igrp=1, tz="UTC")
    assert path.read_text() == "my notes\n"
    other = tmp_path / "other.rtrec"
    Recorder(other, installation="x", igrp=1, tz="UTC").close()
    size = other.stat().st_size
    with pytest.raises(RecordingError, match="records installation 1, not 2"):
        Recorder(other, installation="y", igrp=2, tz="UTC")
    assert other.stat().st_size == size


def test_a_write_failure_is_one_line_and_stops_recording(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    with pytest.raises(RecordingError) as caught:
        Recorder("/dev/full", installation="x", igrp=1, tz="UTC")
    assert str(caught.value) == "recording stopped: cannot write /dev/full: No space left on device"
    with pytest.raises(RecordingError, match=r"^cannot record to .*: No such file or directory$"):
        Recorder(tmp_path / "no" / "such" / "folder.rtrec", installation="x", igrp=1, tz="UTC")


def test_service_totals_are_recorded_as_a_kind_readers_may_skip(tmp_path: Path) -> None:
    """``--record`` keeps today's totals now and then; the calls and users replay as
    before, and a line of a kind a reader does not know (as ``service`` is to older
    readers) is skipped without breaking the calls' deltas."""
    from zoneinfo import ZoneInfo

    from rtdash.core.clock import FrozenClock
    from rtdash.core.feed import FeedOptions, LiveFeed
    from rtdash.core.recording_consumer import RecordingConsumer
    from rtdash.core.service_feed import ServiceOptions, attach_service
    from rtdash.core.thresholds import Thresholds

    path = tmp_path / "day.rtrec"
    feed = LiveFeed(FeedOptions(clock=FrozenClock(at(0)), thresholds=Thresholds()))
    keeper = attach_service(
        feed, ServiceOptions(persist=False), zone=ZoneInfo("UTC"), base_url="http://x", igrp=1
    )
    consumer = RecordingConsumer(
        Recorder(path, installation="x", igrp=1, tz="UTC"), service=keeper.recorded_totals
    )
    feed.subscribe(consumer)
    feed.on_calls(CallsSnapshot.build([call("c-1", "queueing", 0, 0, queue="sales")], at(0)))
    feed.on_calls(CallsSnapshot.build([call("c-1", "bridged", 12, 0, queue="sales")], at(14)))
    feed.on_calls(CallsSnapshot.build([], at(90)))
    consumer.close()
    kinds = [line.get("kind") for line in _lines(path)[1:]]
    assert kinds.count("service") == 3  # the first poll, a minute on, and the end
    recording = Recording.load(path)
    assert recording.skipped == 0
    last = recording.service[-1].service
    assert last["total"]["answered"] == 1 and last["sl_seconds"] == 20
    assert recording.calls_at(at(14)).groups[CallState.BRIDGED][0].call_ref == "c-1"

    with gzip.open(path, "ab") as handle:  # a later kind this reader does not know
        handle.write(b'{"t": "2026-05-01T09:02:00+00:00", "kind": "later", "x": 1}\n')
    again = Recording.load(path)
    assert again.skipped == 1 and len(again) == len(recording)
