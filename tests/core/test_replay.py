"""Replay: the player's position, speed, pause, seeks and clamping; states found at any
position (also across checkpoints, forwards and backwards); the replay clock and status."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rtdash.core.poller_status import Phase
from rtdash.core.recording import Recorder
from rtdash.core.replay import (
    CHECKPOINT_EVERY,
    MAX_SPEED,
    MIN_SPEED,
    SPEEDS,
    Player,
    PlayerClock,
    Recording,
    replay_status,
)
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.status import describe

from .rows import T0, at, call, user

UTC = ZoneInfo("UTC")


def _calls(second: int) -> CallsSnapshot:
    """A small centre at ``second``: a call arrives every 6 s, rings 4 s, queues 10 s,
    talks 30 s; durations tick."""
    rows = []
    for n in range(max(0, (second - 60) // 6), second // 6 + 1):
        born = 6 * n
        age = second - born
        if age < 0 or age >= 44:
            continue
        if age < 4:
            state, since = "ringing", born
        elif age < 14:
            state, since = "queueing", born + 4
        else:
            state, since = "bridged", born + 14
        rows.append(
            call(
                f"c-{n:04d}",
                state,
                since,
                born,
                call_duration=age,
                ring_time=min(age, 4),
                agent_name="Ana" if state == "bridged" else None,
            )
        )
    return CallsSnapshot.build(rows, at(second))


def _users(second: int) -> UsersSnapshot:
    busy = (second // 20) % 3
    rows = [
        user(f"u-{n}", "unavailable" if n == busy else "available", state_start=0, name=f"U{n}")
        for n in range(3)
    ]
    return UsersSnapshot.build(rows, at(second + 1))  # users land a second after calls


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, dict[int, CallsSnapshot], dict[int, UsersSnapshot]]:
    """400 s polled every 2 s (200 polls: several checkpoints, a keyframe a minute)."""
    path = tmp_path_factory.mktemp("replay") / "centre.rtrec"
    calls, users = {}, {}
    with Recorder(path, installation="Test", igrp=1, tz="Europe/London", keyframe_every=60) as rec:
        for second in range(0, 400, 2):
            calls[second], users[second] = _calls(second), _users(second)
            rec.record_calls(calls[second])
            rec.record_users(users[second])
    return path, calls, users


@pytest.fixture
def player(recorded) -> Player:
    return Player(Recording.load(recorded[0]))


# --- position, speed, pause ----------------------------------------------------------------


def test_a_player_starts_at_the_start_playing_at_1x(player: Player) -> None:
    assert player.start == at(0) and player.end == at(399)
    assert player.position == player.start
    assert player.speed == 1.0 and not player.paused
    assert player.duration == 399 and player.fraction == 0


def test_advance_moves_by_real_seconds_times_speed(player: Player) -> None:
    assert player.advance(1.5) == at(1.5)
    player.speed = 4
    assert player.advance(0.25) == at(2.5)
    player.speed = 0.25
    assert player.advance(2) == at(3)
    player.advance(-5)  # time does not run backwards
    assert player.position == at(3)


def test_paused_does_not_move_but_seeks_still_do(player: Player) -> None:
    player.pause()
    assert player.advance(10) == at(0)
    assert player.seek(30) == at(30)
    assert player.toggle_pause() is False
    assert player.advance(1) == at(31)
    assert player.toggle_pause() is True


def test_the_position_is_clamped_to_the_recording(player: Player) -> None:
    player.speed = 64
    player.advance(3600)
    assert player.position == player.end and player.at_end and player.fraction == 1
    assert player.seek(-10_000) == player.start
    assert player.seek_to(T0 + timedelta(days=1)) == player.end
    assert player.seek_to(T0 - timedelta(days=1)) == player.start


def test_resuming_at_the_end_plays_again_from_the_start(player: Player) -> None:
    player.seek_fraction(1)
    player.pause()
    player.resume()
    assert player.position == player.start and not player.paused
    player.seek_fraction(1)
    player.pause()
    assert player.toggle_pause() is False  # the play/pause key does the same
    assert player.position == player.start


def test_speed_is_clamped_and_steps_through_the_speeds(player: Player) -> None:
    player.speed = 1000
    assert player.speed == MAX_SPEED == 64
    player.speed = 0.01
    assert player.speed == MIN_SPEED == 0.25
    with pytest.raises(ValueError):
        player.speed = float("nan")
    steps = [player.faster() for _ in range(len(SPEEDS) + 2)]
    assert steps == [*SPEEDS[1:], 64, 64, 64]
    assert player.slower() == 32
    player.speed = 3  # between steps: the next step up or down from there
    assert player.faster() == 4
    player.speed = 3
    assert player.slower() == 2


def test_seek_fraction_and_seek_to(player: Player) -> None:
    assert player.seek_fraction(0.5) == at(199.5)
    assert player.fraction == 0.5
    assert player.seek_fraction(2) == player.end
    assert player.seek_fraction(-1) == player.start
    assert player.seek_to(at(123)) == at(123)
    with pytest.raises(ValueError):
        player.seek_to(at(1).replace(tzinfo=None))


def test_step_walks_the_recorded_changes(player: Player) -> None:
    times = player.recording.times()
    assert times[:4] == [at(0), at(1), at(2), at(4)]  # calls at even seconds, users after
    assert player.step() == at(1)
    assert player.step() == at(2)
    assert player.step(-1) == at(1)
    player.seek_to(at(2.5))  # shown as 09:00:02, the change at 2 s: back is the one at 1 s
    assert player.step(-1) == at(1)
    assert player.step(10_000) == times[-1]
    assert player.step(-10_000) == times[0]


def test_a_step_moves_the_shown_second_past_both_routes_of_a_poll(tmp_path: Path) -> None:
    """A poll's two routes are recorded milliseconds apart: a step lands on the last
    record of the next second, never between the two (the shown time would not move)."""
    path = tmp_path / "polls.rtrec"
    recorder = Recorder(path, installation="x", igrp=1, tz="UTC", started=at(0))
    for second in range(3):  # each poll changed something on both routes
        calls = [call(f"c-{second}", "ringing", state_start=second)]
        users = [user("1", state_start=second)]
        recorder.record_calls(CallsSnapshot.build(calls, at(second + 0.120)))
        recorder.record_users(UsersSnapshot.build(users, at(second + 0.180)))
    recorder.close()
    player = Player(Recording.load(path))
    assert player.step() == at(1.180)
    assert player.step() == at(2.180)
    assert player.step(-1) == at(1.180)
    assert player.step(-2) == at(0.180)


# --- states ----------------------------------------------------------------------------------


def test_the_state_at_any_position_is_the_last_recorded_before_it(recorded, player) -> None:
    _, calls, users = recorded
    assert player.state_at(at(-1)) == (None, None)
    first_calls, first_users = player.state_at(at(0.5))
    assert first_calls == calls[0] and first_users is None  # users arrive at 1 s
    for second in (0, 2, 58, 60, 62, 64, 100, 398):
        got_calls, got_users = player.state_at(at(second + 1.5))
        assert got_calls is not None and got_calls.groups == calls[second].groups
        assert got_users is not None and got_users.users == users[second].users


def test_playing_forward_and_seeking_anywhere_give_the_recorded_states(recorded) -> None:
    path, calls, users = recorded
    recording = Recording.load(path)
    assert len(recording.calls.checkpoints) > 3  # the test crosses checkpoints
    player = Player(recording)
    # play through at 1 s steps, as a UI timer at 2x would
    player.speed = 2
    while not player.at_end:
        second = int((player.position - T0).total_seconds()) // 2 * 2
        assert player.state_at()[0] == calls[second]
        player.advance(0.5)
    # then jump around: backwards, forwards, across checkpoints, to the same place twice
    rng = random.Random(7)
    for second in [398, 0, 64, 62, 66, 200, 200, 2, *rng.sample(range(0, 400, 2), 40)]:
        player.seek_to(at(second))
        got_calls, got_users = player.state_at()
        assert got_calls == calls[second]
        if second:
            # users write only when they change: the rows are those of the poll before
            assert got_users is not None and got_users.users == users[second - 2].users
    # and a cold read of each state agrees with the warm ones
    cold = Recording.load(path)
    for second in range(0, 400, 2 * (CHECKPOINT_EVERY // 3)):
        assert cold.state_at(at(second))[0] == calls[second]


def test_unchanged_rows_are_not_validated_again(player: Player) -> None:
    first, _ = player.state_at(at(20))
    later, _ = player.state_at(at(22))
    assert first is not None and later is not None
    # a talking call's duration ticks (a new row); the users did not change (same rows)
    assert later.calls[0] is not first.calls[0]
    a, _ = player.state_at(at(21))
    b, _ = player.state_at(at(21.5))
    assert a is b


def test_a_recording_with_no_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "empty.rtrec"
    Recorder(path, installation="x", igrp=1, tz="UTC", started=at(50)).close()
    recording = Recording.load(path)
    player = Player(recording)
    assert player.start == player.end == at(50) and len(recording) == 0
    assert player.advance(10) == at(50) and player.fraction == 1.0
    assert player.state_at() == (None, None)
    assert player.step() == at(50)


def test_a_clock_step_back_keeps_the_timeline_in_order(tmp_path: Path) -> None:
    path = tmp_path / "step.rtrec"
    snapshots = [
        CallsSnapshot.build([call("a", "ringing", 0, 0, ring_time=s)], at(s)) for s in (0, 2, 4)
    ]
    back = CallsSnapshot.build([call("a", "queueing", 0, 0, ring_time=4)], at(3))
    with Recorder(path, installation="x", igrp=1, tz="UTC") as recorder:
        for snapshot in [*snapshots, back]:
            recorder.record_calls(snapshot)
    recording = Recording.load(path)
    assert recording.calls.times == [at(0), at(2), at(4), at(4)]
    latest, _ = recording.state_at(at(4))
    assert latest == back  # placed at 4 s, but keeps its own fetched_at


# --- clock, badge, status ------------------------------------------------------------------


def test_the_player_clock_reads_the_position(player: Player) -> None:
    clock = PlayerClock(player)
    assert clock.now() == player.start
    player.seek(42)
    assert clock.now() == at(42)
    ticks = clock.monotonic()
    player.seek(-40)
    assert clock.now() == at(2)
    assert clock.monotonic() >= ticks  # a seek never moves the interval clock back


def test_the_badge_says_replay_time_speed_and_pause(player: Player) -> None:
    london = ZoneInfo("Europe/London")
    player.seek(75)
    assert player.label(london) == "REPLAY 10:01:15 ×1"  # 09:01:15 UTC in May is BST
    player.speed = 0.25
    player.pause()
    assert player.label(UTC) == "REPLAY 09:01:15 ×0.25 ⏸"
    player.seek_fraction(1)
    assert player.label() == "REPLAY 10:06:39 ×0.25 end"  # the recording's own zone


def test_replay_status_reads_as_the_live_status_did(player: Player) -> None:
    player.seek_to(at(21))
    status = replay_status(player)
    assert status.phase is Phase.LIVE and status.interval == 2
    assert status.last_success == at(21)  # the users changed at 21 s (calls: 20 s)
    text = describe(status, PlayerClock(player).now(), 0.0, UTC)
    assert text.connection == "live" and not text.stale
    assert text.age == "data as of 09:00:21 (0 s ago)"
    player.seek(2.5)  # 23.5 s: the calls of 22 s are the newest
    player.pause()
    status = replay_status(player)
    assert status.phase is Phase.PAUSED
    # paused, as live: the data's time, held still
    assert describe(status, player.position, 0.0, UTC).age.endswith(" (not updating)")
