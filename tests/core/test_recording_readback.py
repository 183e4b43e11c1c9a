"""Recording, read back: a real simulator run (the ``recorded_run`` fixture, with
keyframes far apart and close together) comes back exactly, every state at its time and
every row typed with every field, and a poll writes a record exactly when its snapshot
changed."""

from __future__ import annotations

from datetime import timedelta

from rtdash.api.models import CallState
from rtdash.api.row_types import ticked
from rtdash.core.feed import is_stale
from rtdash.core.player import Player
from rtdash.core.replay import Recording, replay_status

from .recording_rig import POLLS, Run, assert_same, recorded_lines


def test_every_recorded_state_is_reproduced_at_its_time(recorded_run: Run) -> None:
    recording = Recording.load(recorded_run.path)

    assert recording.skipped == 0 and not recording.truncated
    assert recording.bad_rows == 0
    assert recording.start == recorded_run.polls[0][0].fetched_at
    assert recording.end == recorded_run.polls[-1][0].fetched_at
    assert_same(recording, recorded_run.polls, exact_stamps=recorded_run.wrote)
    # between polls, the state is the last poll's
    calls, users = recorded_run.polls[40]
    got_calls, got_users = recording.state_at(calls.fetched_at + timedelta(seconds=1.9))
    assert got_calls is not None and got_calls.groups == calls.groups
    assert got_users is not None and got_users.users == users.users
    # and before the first poll there is nothing
    assert recording.state_at(recording.start - timedelta(microseconds=1)) == (None, None)


def test_rows_come_back_as_typed_rows_with_every_field(recorded_run: Run) -> None:
    recording = Recording.load(recorded_run.path)
    calls, users = recorded_run.polls[-1]
    got_calls, got_users = recording.state_at(calls.fetched_at)
    assert got_calls is not None and got_users is not None
    for before, after in zip(calls.calls, got_calls.calls, strict=True):
        assert after.to_json() == before.to_json()
        assert after.state_start == before.state_start
        assert after.call_duration == before.call_duration
    assert [u.to_json() for u in got_users.users] == [u.to_json() for u in users.users]
    assert sum(got_calls.count(state) for state in CallState) == len(calls.calls) > 10


def test_a_poll_writes_a_record_exactly_when_its_snapshot_changed(recorded_run: Run) -> None:
    keyframes = {
        (line["kind"], line["t"]) for line in recorded_lines(recorded_run.path) if "rows" in line
    }
    unchanged = {"calls": 0, "users": 0}
    kept_alive = 0
    calls_written = recorded_run.polls[0][0].fetched_at
    for index in range(1, POLLS):
        for slot, kind in enumerate(("calls", "users")):
            now, before = recorded_run.polls[index][slot], recorded_run.polls[index - 1][slot]
            changed = not now.same_rows(before) or now.unreadable != before.unreadable
            keyframe = (kind, now.fetched_at.isoformat()) in keyframes
            # an unchanged calls poll two intervals after the last calls record says a
            # poll was made (a replay would read a quiet centre as stale otherwise)
            alive = (
                kind == "calls"
                and not (changed or keyframe)
                and now.fetched_at - calls_written >= 2 * (now.fetched_at - before.fetched_at)
            )
            assert recorded_run.wrote[index][slot] == (changed or keyframe or alive)
            if kind == "calls" and recorded_run.wrote[index][slot]:
                calls_written = now.fetched_at
            unchanged[kind] += not changed
            kept_alive += alive
    # simulated users change now and then, not every 2 s: most of their polls write nothing
    assert unchanged["users"] > POLLS // 2


def test_a_replayed_call_has_the_durations_of_its_time(recorded_run: Run) -> None:
    """A poll holds a call whose durations only ticked from the poll that read it (see
    ``ticked``), and so does the recording: replayed, its durations are brought to the
    record's time, as the live export brought them to the poll's."""
    recording = Recording.load(recorded_run.path)
    calls, _ = recorded_run.polls[-1]
    got = recording.calls_at(calls.fetched_at)
    assert got is not None and got.server_now == calls.fetched_at
    assert calls.server_now is not None
    skew = (calls.server_now - calls.fetched_at).total_seconds()
    live = {call.call_ref: ticked(call, calls.server_now) for call in calls.calls}
    replayed = {call.call_ref: ticked(call, got.server_now) for call in got.calls}
    assert live.keys() == replayed.keys()
    for ref, call in replayed.items():
        assert call.call_duration is not None and live[ref].call_duration is not None
        assert abs(live[ref].call_duration - call.call_duration) <= abs(skew) + 1, ref
    # and some did tick since they were read
    assert any(replayed[call.call_ref].call_duration != call.call_duration for call in got.calls)


def test_a_replay_of_polls_that_changed_nothing_is_never_stale(recorded_run: Run) -> None:
    """Calls that only talk on are held rows, and a poll that changed nothing writes no
    change: the polls made are still told, so the replay reads as the live screen did."""
    recording = Recording.load(recorded_run.path)
    player = Player(recording)
    player.paused = False
    position = recording.start
    while position <= recording.end:
        player.seek_to(position)
        status = replay_status(player)
        assert not is_stale(status, position), position
        position += timedelta(seconds=0.5)
