"""Recording's delta encoding: an unchanged poll adds no bytes, a call that merely ticks
costs a tick and not a row, changed and removed fields and keys are patched, repeated
keys are kept by keyframes, and keyframes come every ``keyframe_every`` seconds."""

from __future__ import annotations

from pathlib import Path

from rtdash.core.recording import Recorder
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .recording_rig import recorded_lines
from .rows import at, call, user


def test_unchanged_polls_add_only_a_mark_that_polling_went_on(tmp_path: Path) -> None:
    """No row of an unchanged poll is written; every other calls poll says it was made
    (a replay of a quiet centre must not read as an outage), in a few bytes."""
    path = tmp_path / "quiet.rtrec"
    rows = [call("c-1", "bridged", 0, 0, call_duration=0), call("c-2", "queueing", 5, 5)]
    people = [user("u-1"), user("u-2", "unavailable", name="Zoë")]
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        assert recorder.record_calls(CallsSnapshot.build(rows, at(0)))
        assert recorder.record_users(UsersSnapshot.build(people, at(0)))
        records, raw = recorder.records, recorder.raw_bytes
        marked = []
        for second in range(2, 60, 2):
            marked.append(recorder.record_calls(CallsSnapshot.build(list(rows), at(second))))
            assert not recorder.record_users(UsersSnapshot.build(list(people), at(second)))
        # two intervals after the last calls record: at 4 s, 8 s, … 56 s
        assert marked == [False, True] * 14 + [False]
        assert recorder.records == records + 14
        assert recorder.raw_bytes - raw < 64 * 14
    recording = Recording.load(path)
    assert recording.calls.times[1:] == [at(second) for second in range(4, 60, 4)]
    assert recording.calls_at(at(56)) == CallsSnapshot.build(rows, at(56))


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
    lines = recorded_lines(path)
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
    lines = recorded_lines(path)
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
    kinds = ["rows" in line for line in recorded_lines(path)[1:]]
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
    keyframes = [line["t"] for line in recorded_lines(path) if "rows" in line]
    assert keyframes == [at(s).isoformat() for s in (0, 60, 120, 180, 240)]
