"""The replay player as a Source: it delivers a recording's snapshots to a live feed as
the poller delivers the service's, moves with (virtual) time, and rewinds the feed
when a seek goes back."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rtdash.core.clock import FrozenClock
from rtdash.core.feed import FeedOptions, LiveFeed
from rtdash.core.player import PlayerSource
from rtdash.core.poller_status import Phase
from rtdash.core.recording import Recorder
from rtdash.core.replay import Player, PlayerClock, Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import Source
from rtdash.core.thresholds import Thresholds

from .rows import T0, at, call, user
from .virtual_time import VirtualTime


@pytest.fixture
def recording(tmp_path: Path) -> Recording:
    """60 s polled every 2 s; the queue grows by one call every 10 s from 0 to 5."""
    path = tmp_path / "day.rtrec"
    with Recorder(path, installation="Test", igrp=7, tz="UTC") as rec:
        for second in range(0, 60, 2):
            waiting = second // 10
            rows = [call(f"q-{n}", "queueing", 0, 0) for n in range(waiting)]
            rows.append(call("b-1", "bridged", 0, 0))
            rec.record_calls(CallsSnapshot.build(rows, at(second)))
            rec.record_users(UsersSnapshot.build([user("1"), user("2")], at(second)))
    return Recording.load(path)


def rig(recording: Recording, **player: object) -> tuple[PlayerSource, LiveFeed, Player]:
    position = Player(recording, **player)  # type: ignore[arg-type]
    feed = LiveFeed(
        FeedOptions(
            clock=PlayerClock(position),
            thresholds=Thresholds(waiting_alert=4),
            judge_staleness=False,
        )
    )
    source = PlayerSource(position, feed, on_rewind=feed.rewind)
    feed.attach(source)
    return source, feed, position


def test_the_player_is_a_source_that_fills_a_feed(recording: Recording) -> None:
    source, feed, _ = rig(recording, paused=True)
    assert isinstance(source, Source)
    source.refresh_now()
    assert feed.metrics.waiting == 0 and feed.metrics.talking == 1
    assert feed.metrics.agents_available == 2
    assert feed.status is not None and feed.status.phase is Phase.PAUSED
    assert feed.paused


def test_seeking_delivers_the_state_at_the_new_position(recording: Recording) -> None:
    source, feed, player = rig(recording, paused=True)
    source.seek(30)
    assert player.position == T0 + (at(30) - T0)
    assert feed.metrics.waiting == 3
    source.seek_fraction(1.0)
    assert feed.metrics.waiting == 5
    assert feed.alerts.active == {"waiting"}
    source.step(-1)
    # a poll that changed nothing writes a record only two intervals after the last
    # (the keep-alive): the records before the end (58 s) are 54 s, then the change at 50
    assert feed.calls is not None and feed.calls.fetched_at == at(54)
    assert feed.metrics.waiting == 5
    source.step(-1)
    assert feed.calls is not None and feed.calls.fetched_at == at(50)


def test_a_snapshot_already_delivered_is_not_delivered_again(recording: Recording) -> None:
    source, feed, _ = rig(recording, paused=True)
    delivered: list[object] = []
    original = feed.on_calls

    def counting(snapshot: CallsSnapshot) -> None:
        delivered.append(snapshot)
        original(snapshot)

    feed.on_calls = counting  # type: ignore[method-assign]
    source.refresh_now()
    source.refresh_now()
    source.faster()
    assert len(delivered) == 1


def test_going_back_in_time_rewinds_the_feed(recording: Recording) -> None:
    source, feed, _ = rig(recording, paused=True)
    source.seek_fraction(1.0)
    assert feed.alerts.active == {"waiting"} and len(feed.history) >= 1
    source.seek(-50)
    assert feed.metrics.waiting == 0
    assert feed.alerts.active == set()
    assert len(feed.history) <= 1, "the trend starts again from here"


def test_pause_resume_and_speed(recording: Recording) -> None:
    source, feed, player = rig(recording)
    assert not source.paused
    assert source.toggle_pause() is True
    assert feed.status is not None and feed.status.phase is Phase.PAUSED
    assert source.faster() == 2.0 and source.slower() == 1.0
    source.seek_fraction(1.0)
    source.resume()  # at the end: from the start again
    assert player.position == player.start
    assert feed.status.phase is Phase.LIVE  # type: ignore[union-attr]


async def test_run_moves_the_position_with_loop_time(recording: Recording) -> None:
    time = VirtualTime()
    time.start()
    position = Player(recording, speed=4.0)
    feed = LiveFeed(FeedOptions(clock=FrozenClock(T0), thresholds=Thresholds()))
    source = PlayerSource(position, feed, loop_time=time.time, sleep=time.sleep)
    feed.attach(source)
    task = asyncio.ensure_future(source.run())
    try:
        while position.elapsed < 20:
            await time.sleep(0.25)
        # 4x: 20 s of recording in 5 s of (virtual) real time, in steps of 0.25 s
        assert 4.9 <= time.time() - 1000.0 <= 5.5
        assert feed.metrics.waiting == 2
    finally:
        source.stop()
        await asyncio.wait_for(task, 1.0)
        await time.stop()
