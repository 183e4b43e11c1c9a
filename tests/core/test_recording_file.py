"""The recording file: its header, mode and what it never holds; a file cut off by a
crash loads up to the cut, and a run appended after it; a file still being written can
be read; service totals are a kind of line a reader may skip."""

from __future__ import annotations

import gzip
import stat
import zlib
from pathlib import Path

from rtdash.api.models import CallState
from rtdash.core.recording import Recorder
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .recording_rig import INSTALLATION, TZ, Run, assert_same, recorded_lines
from .rows import at, call, user


def test_header_mode_and_no_secrets(recorded_run: Run) -> None:
    header = recorded_lines(recorded_run.path)[0]
    assert header["rtdash_recording"] == 1
    assert header["installation"] == INSTALLATION
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
    assert stat.S_IMODE(recorded_run.path.stat().st_mode) == 0o600
    text = gzip.decompress(recorded_run.path.read_bytes()).decode()
    assert recorded_run.password not in text and "Basic " not in text and "127.0.0.1" not in text
    loaded = Recording.load(recorded_run.path).header
    assert (loaded.installation, loaded.igrp, loaded.tz, loaded.exclude_pii) == (
        INSTALLATION,
        1234,
        TZ,
        False,
    )


def test_exclude_pii_is_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "nopii.rtrec"
    Recorder(path, installation="x", igrp=1, tz="UTC", exclude_pii=True).close()
    assert Recording.load(path).header.exclude_pii is True


def test_a_file_cut_short_loads_up_to_the_cut(recorded_run: Run, tmp_path: Path) -> None:
    data = recorded_run.path.read_bytes()
    full = Recording.load(recorded_run.path)
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
        kept = [poll for poll in recorded_run.polls if poll[0].fetched_at <= times[-1]]
        wrote = recorded_run.wrote[: len(kept)]
        assert_same(recording, kept, exact_stamps=wrote)


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
    assert keeper.recorded_totals() is None, "nothing counted yet: no totals of nought"
    feed.subscribe(consumer)
    feed.on_calls(CallsSnapshot.build([call("c-1", "queueing", 0, 0, queue="sales")], at(0)))
    feed.on_calls(CallsSnapshot.build([call("c-1", "bridged", 12, 0, queue="sales")], at(14)))
    feed.on_calls(CallsSnapshot.build([], at(90)))
    consumer.close()
    kinds = [line.get("kind") for line in recorded_lines(path)[1:]]
    # the first poll and a minute on; the way out adds the same totals at the same
    # time again only if they moved since
    assert kinds.count("service") == 2
    recording = Recording.load(path)
    assert recording.skipped == 0
    last = recording.service[-1].service
    assert last["total"]["answered"] == 1 and last["sl_seconds"] == 20
    assert recording.calls_at(at(14)).groups[CallState.BRIDGED][0].call_ref == "c-1"

    with gzip.open(path, "ab") as handle:  # a later kind this reader does not know
        handle.write(b'{"t": "2026-05-01T09:02:00+00:00", "kind": "later", "x": 1}\n')
    again = Recording.load(path)
    assert again.skipped == 1 and len(again) == len(recording)
