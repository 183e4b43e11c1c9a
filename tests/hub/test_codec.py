"""Frames: snapshots and status to bytes and back, exactly (no Redis needed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rtdash.api import errors
from rtdash.api.models import CallState, UserState
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.status import describe
from rtdash.hub import codec
from tests.core.rows import T0, call, user


def _calls() -> CallsSnapshot:
    rows = [
        call("c-1", CallState.QUEUEING, 10, 5, queue="sales", src_number="+4477********"),
        call("c-2", CallState.BRIDGED, 20, None, agent_name="Ann «x»", extra={"odd": [1, "2"]}),
        call("c-3", CallState.RINGING, None, None, ring_time=4),
    ]
    return CallsSnapshot.build(rows, T0, unreadable=1)


def test_calls_and_users_come_back_equal_with_their_types() -> None:
    calls = _calls()
    back = codec.decode(codec.encode_calls(calls)).snapshot
    assert back == calls
    assert isinstance(back, CallsSnapshot)
    assert back.groups[CallState.QUEUEING][0].state_start == T0 + timedelta(seconds=10)
    assert back.groups[CallState.BRIDGED][0].extra == {"odd": [1, "2"]}
    assert back.unreadable == 1
    users = UsersSnapshot.build([user("1"), user("2", UserState.UNAVAILABLE, dashboard=False)], T0)
    again = codec.decode(codec.encode_users(users)).snapshot
    assert again == users
    assert isinstance(again, UsersSnapshot) and again.dashboard_users == users.dashboard_users


def test_an_unchanged_snapshot_travels_as_its_time_only() -> None:
    calls = _calls()
    later = calls.again(T0 + timedelta(seconds=2))
    frame = codec.encode_calls(later)
    assert len(frame) < 100
    decoded = codec.decode(frame)
    assert decoded.same and decoded.snapshot is None and decoded.when == later.fetched_at
    full = codec.decode(codec.encode_full(later)).snapshot
    assert full is not None and full.fetched_at == later.fetched_at
    assert full.groups == calls.groups and not full.unchanged


def test_status_comes_back_with_errors_and_retry_times_on_the_readers_clock() -> None:
    status = PollerStatus(
        phase=Phase.RETRYING,
        interval=2.0,
        routes={
            Route.CALLS: RouteHealth(
                last_success=T0,
                failures=2,
                error=errors.UpstreamError("service unavailable", 503, retry_after=30),
                next_try=110.0,
            ),
            Route.USERS: RouteHealth(last_success=T0),
        },
        made_at=100.0,
    )
    frame = codec.encode_status(status, wall_now=1000.0)
    back = codec.decode(frame, loop_now=50.0, wall_now=1001.0).status
    assert back is not None
    health = back.routes[Route.CALLS]
    assert isinstance(health.error, errors.UpstreamError)
    assert (health.error.status, health.error.retry_after) == (503, 30)
    # due 10 s after it was made, read 1 s later: 9 s from the reader's now
    assert health.next_try == pytest.approx(59.0)
    assert back.phase is Phase.RETRYING and back.interval == 2.0
    assert back.routes[Route.USERS].last_success == T0
    assert back.data_interval == 0.0


def test_a_sped_up_publishers_status_carries_the_pace_its_data_was_polled_at() -> None:
    """A viewer judges staleness as the publisher does: just sped up from 60 s to 2 s,
    data 20 s old is not late."""
    status = PollerStatus(
        phase=Phase.LIVE,
        interval=2.0,
        routes={route: RouteHealth(last_success=T0) for route in Route},
        data_interval=60.0,
    )
    back = codec.decode(codec.encode_status(status, wall_now=1000.0), loop_now=0.0).status
    assert back is not None and back.stale_after == 180.0


def test_a_frame_of_another_version_or_garbage_is_one_clear_error() -> None:
    frame = codec.encode_calls(_calls())
    with pytest.raises(codec.FrameError, match="version 2"):
        codec.decode(bytes((2,)) + frame[1:])
    with pytest.raises(codec.FrameError):
        codec.decode(b"\x01zgarbage")
    with pytest.raises(codec.FrameError):
        codec.decode(b"")


def test_the_status_line_says_the_data_comes_from_the_hub_and_what_is_wrong() -> None:
    live = PollerStatus(
        phase=Phase.LIVE,
        interval=2.0,
        routes={route: RouteHealth(last_success=T0) for route in Route},
        via="hub",
    )
    text = describe(live, T0 + timedelta(seconds=1), 0.0, T0.tzinfo)  # type: ignore[arg-type]
    assert (text.headline, text.stale) == ("hub · upstream live", False)
    assert text.age.startswith("data as of 09:00:00")
    down = PollerStatus(
        phase=Phase.LIVE,
        interval=2.0,
        routes=live.routes,
        via="hub",
        via_problem="hub unreachable",
        via_detail="reconnecting in 3 s",
    )
    text = describe(down, T0 + timedelta(seconds=7), 0.0, T0.tzinfo)  # type: ignore[arg-type]
    assert text.headline == "hub unreachable" and text.detail == "reconnecting in 3 s"
    assert text.stale and text.age.startswith("STALE")


def test_a_delta_carries_ticking_rows_as_integers_and_comes_back_exactly() -> None:
    base = CallsSnapshot.build(
        [
            call(
                "c-1", CallState.QUEUEING, 10, 5, queue="sales", queue_duration=7, call_duration=9
            ),
            call("c-2", CallState.BRIDGED, 20, 2, bridge_duration=3, call_duration=30),
            call("c-3", CallState.RINGING, None, None, ring_time=4, call_duration=4),
            call("c-4", CallState.BRIDGED, 20, 2, bridge_duration=50, call_duration=60),
        ],
        T0,
    )
    rows = {c.call_ref: c for c in base.calls}
    later = CallsSnapshot.build(
        [
            rows["c-1"].model_copy(update={"queue_duration": 9, "call_duration": 11}),
            # answered since: a new state, sent whole
            rows["c-3"].model_copy(update={"state": CallState.BRIDGED, "call_duration": 6}),
            rows["c-4"],  # held still: the very row
            call("c-5", CallState.RINGING, 30, 30, ring_time=1, call_duration=1),  # new
        ],
        T0 + timedelta(seconds=2),
    )
    delta = codec.encode_delta(later, base)
    sent = codec._unpack(delta)["r"]
    assert sorted(type(row).__name__ for row in sent) == ["int", "int", "list", "list"]
    back = codec.decode(delta, base_calls=base).snapshot
    assert back == later
    assert isinstance(back, CallsSnapshot)
    kept = {c.call_ref: c for c in back.calls}
    assert kept["c-4"] is rows["c-4"], "an unmoved row is the base's own object"
    assert kept["c-1"].queue_duration == 9 and kept["c-1"].call_duration == 11
    # a reader without that base, or with another, is told to read the latest state
    with pytest.raises(codec.NeedBase):
        codec.decode(delta)
    with pytest.raises(codec.NeedBase):
        codec.decode(delta, base_calls=later)
    assert codec.peek(delta) == (codec.Kind.CALLS, later.fetched_at.timestamp(), True)
    users = UsersSnapshot.build([user("1"), user("2", UserState.UNAVAILABLE)], T0)
    moved = UsersSnapshot.build(
        [user("1", UserState.UNAVAILABLE, 5), user("2", UserState.UNAVAILABLE)],
        T0 + timedelta(seconds=2),
    )
    back_users = codec.decode(codec.encode_delta(moved, users), base_users=users).snapshot
    assert back_users == moved
