"""A viewer's work per published snapshot: a delta takes the rows it keeps from the
snapshot before without building or sorting them again; the day's state is followed by
what changed; a frame the viewer already has is not decoded again; and a connection
that frames keep busy is not pinged."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis as redis_sync

from rtdash.api.models import CallState
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.service import ServiceLevel
from rtdash.core.service_feed import FollowedServiceLevel
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot
from rtdash.hub import codec, rows
from rtdash.hub.keys import HubKeys
from rtdash.sim import SimConfig, Simulator
from tests.core.rows import T0, call, user
from tests.hub.conftest import RedisServer, require_redis_server
from tests.hub.helpers import Screen, publisher, running, subscriber, until

NOW = T0 + timedelta(seconds=300)


def _base() -> CallsSnapshot:
    rows = [
        call("r-1", CallState.RINGING, 100, 100, ring_time=3),
        call("r-2", CallState.RINGING, 120, 120),
        *(call(f"q-{i}", CallState.QUEUEING, 10 + i, 5, queue="sales") for i in range(6)),
        *(call(f"b-{i}", CallState.BRIDGED, 40 + i, 1, agent_name=f"A{i}") for i in range(4)),
    ]
    return CallsSnapshot.build(rows, T0, server_now=NOW)


def _next(base: CallsSnapshot) -> CallsSnapshot:
    """The next poll as the poller gives it: rows whose durations only ticked are the
    very same objects; one queued call was answered, one ended, one new call rings, one
    new call queues ahead of the others (an older start)."""
    held = {row.call_ref: row for row in base.calls}
    rows = [held[ref] for ref in ("r-1", "r-2", "q-0", "q-2", "q-3", "q-4", "q-5")]
    rows += [held[f"b-{i}"] for i in range(4)]
    rows += [
        call("q-1", CallState.BRIDGED, 200, 5, agent_name="A9"),
        call("r-3", CallState.RINGING, 150, 150),
        call("q-9", CallState.QUEUEING, 1, 1, queue="sales"),
    ]
    return CallsSnapshot.build(rows, T0 + timedelta(seconds=2), server_now=NOW + timedelta(2))


def test_a_delta_keeps_the_held_rows_and_their_order_without_sorting_them_again() -> None:
    base = _base()
    later = _next(base)
    frame = codec.encode_delta(later, base)
    back = codec.decode(frame, base_calls=base).snapshot
    assert isinstance(back, CallsSnapshot)
    assert back == later  # groups, order, times, unreadable
    assert back.server_now == later.server_now  # held rows' durations follow from it
    for state in CALL_STATES:
        assert [row.call_ref for row in back.groups[state]] == [
            row.call_ref for row in later.groups[state]
        ]
        assert back.order_keys[state] == later.order_keys[state]
    # the rows kept are the base's own objects, not copies
    kept = {id(row) for row in base.calls}
    assert sum(id(row) in kept for row in back.calls) == 11
    # a poll where nothing changed: every group is the held snapshot's own tuple (a
    # screen tells it unchanged by identity)
    quiet = codec.decode(
        codec.encode_delta(later.again(later.fetched_at), later), base_calls=back
    ).snapshot
    assert isinstance(quiet, CallsSnapshot)
    assert all(quiet.groups[state] is back.groups[state] for state in CALL_STATES)


def test_a_delta_out_of_the_bases_order_is_still_read_right() -> None:
    """A hub that sent kept rows out of order (or rows whose durations moved on) is read
    row by row, and the snapshot is ordered as the core orders it."""
    base = _base()
    later = _next(base)
    step, sent = rows.delta_rows(later, base)
    ints = [i for i, item in enumerate(sent) if type(item) is int]
    # swap two kept rows: their differences no longer rise
    first, second = ints[2], ints[3]
    a, b = sent[first], sent[second]
    sent[first], sent[second] = a + b, -b
    sent[ints[4]] += b  # the next row's difference is from the row before it again
    frame = codec._pack(
        {
            "k": "calls",
            "t": later.fetched_at.isoformat(),
            "u": 0,
            "b": base.fetched_at.isoformat(),
            "s": step,
            "r": sent,
        }
    )
    back = codec.decode(frame, base_calls=base).snapshot
    assert isinstance(back, CallsSnapshot)
    assert back.groups == later.groups


def _states() -> list[dict[str, object]]:
    """A day's states as the hub's service level gives them, one after each poll:
    calls answered and abandoned, agents changing state, a new queue."""
    service = ServiceLevel(ZoneInfo("UTC"))
    states = []
    agents = [user(f"u{i}", name=f"Agent {i}", operator_ref=f"A{i}") for i in range(3)]
    users = UsersSnapshot.build(agents, T0)
    service.observe_users(users)
    calls: list[object] = []
    for poll in range(12):
        at = T0 + timedelta(seconds=2 * poll)
        rows = []
        for n in range(poll // 3 + 1):
            queue = "sales" if n % 2 else "support"
            if poll % 3 == 2:
                rows.append(call(f"c{n}", CallState.BRIDGED, 2 * poll, 0, queue=queue))
            else:
                rows.append(call(f"c{n}-{poll // 3}", CallState.QUEUEING, 0, 0, queue=queue))
        if poll == 7:
            rows.append(call("x", CallState.QUEUEING, 1, 1, queue="new line"))
        service.observe_calls(CallsSnapshot.build(rows, at))
        calls.append(rows)
        if poll == 5:
            service.observe_users(UsersSnapshot.build([user("u1", "unavailable", 10)], at))
        states.append(service.to_dict())
    return states


def test_following_the_days_changes_ends_with_the_figures_of_a_full_restore() -> None:
    states = _states()
    assert states[0]["metrics"] != states[-1]["metrics"]  # the counts did move
    followed = FollowedServiceLevel(ZoneInfo("UTC"))
    for state in states:
        followed.follow(state)
        whole = ServiceLevel.from_dict(state)
        assert followed.metrics.to_dict() == whole.metrics.to_dict()
        for window in ("today", "15m", "60m"):
            assert followed.report(window) == whole.report(window)
    assert followed.to_dict() == ServiceLevel.from_dict(states[-1]).to_dict()


def test_the_agents_time_is_built_only_when_read() -> None:
    states = _states()
    followed = FollowedServiceLevel(ZoneInfo("UTC"))
    followed.follow(states[0])
    followed.agents.clocks["A0"].totals["away"] = -1.0  # marks the agents built so far
    for state in states[1:]:
        followed.follow(state)
    assert followed._agent_state is states[-1]["agents"]  # not built yet: nobody read it
    assert followed.report("today").agents == ServiceLevel.from_dict(states[-1]).report().agents
    assert followed._agent_state is None


def test_when_an_agent_left_a_call_is_read_from_the_state_followed_unbuilt() -> None:
    """A viewer that joins after an agent hung up times them from the hang-up: the hub's
    state says when, and reading it builds no agent's clock (that waits for a reader of
    the agents' time: the test above)."""
    from rtdash.hub.outbox import shown

    service = ServiceLevel(ZoneInfo("UTC"))
    ann = user("u1", "available", 0, name="Ann Lee", operator_ref="a.lee")
    service.observe_users(UsersSnapshot.build([ann], T0))
    talking = call("c1", CallState.BRIDGED, 10, 4, agent_ref="a.lee", agent_name="Ann Lee")
    followed = FollowedServiceLevel(ZoneInfo("UTC"))
    for poll, body in enumerate(([], [talking], [talking], [])):
        service.observe_calls(CallsSnapshot.build(body, T0 + timedelta(seconds=10 * poll)))
        followed.follow(shown(service.to_dict(), service.agents))  # as the hub publishes
    assert followed._agent_state is not None  # the clocks not built
    # off the call seen at 30 s: at the earliest, the poll before (20 s)
    assert service.left_call("a.lee") == (T0 + timedelta(seconds=20)).timestamp()
    assert followed.left_call("a.lee") == service.left_call("a.lee")
    assert followed._agent_state is not None
    assert followed.left_call("nobody") is None
    # a hub of a release that kept no such time: nothing known, nothing refused
    older = {key: kept[:4] for key, kept in followed._held["agents"].items()}
    followed.follow({**followed._held, "agents": older})
    assert followed.left_call("a.lee") is None


def test_a_viewer_records_no_totals_before_the_hubs_state_comes() -> None:
    """``--record`` on a hub viewer: before the hub's state, no totals (a replay would
    show a day of nought abandons); after it, the hub's."""
    from rtdash.core.service_feed import ServiceKeeper, ServiceOptions

    followed = FollowedServiceLevel(ZoneInfo("UTC"))
    keeper = ServiceKeeper(followed, ServiceOptions())
    assert keeper.recorded_totals() is None
    state = _states()[-1]
    followed.follow(state)
    totals = keeper.recorded_totals()
    assert totals is not None
    assert totals["total"] == asdict(ServiceLevel.from_dict(state).report("today").total)


def test_a_broken_state_is_refused_and_the_next_is_taken_whole() -> None:
    states = _states()
    followed = FollowedServiceLevel(ZoneInfo("UTC"))
    followed.follow(states[3])
    with pytest.raises(ValueError):
        followed.follow({**states[4], "metrics": {**states[4]["metrics"], "gaps": [["x", 1]]}})  # type: ignore[dict-item]
    followed.follow(states[5])
    assert followed.metrics.to_dict() == ServiceLevel.from_dict(states[5]).metrics.to_dict()


# --- on a real Redis ------------------------------------------------------------------


def _status(second: float, interval: float = 1.0) -> bytes:
    routes = {route: RouteHealth(last_success=T0) for route in Route}
    status = PollerStatus(phase=Phase.LIVE, interval=interval, routes=routes, made_at=0.0)
    return codec.encode_status(status, T0.timestamp() + second)


@pytest.mark.asyncio
async def test_a_frame_the_viewer_already_has_is_not_decoded_again(
    redis_up: RedisServer, prefix: str
) -> None:
    keys = HubKeys(prefix, 7)
    db = redis_sync.Redis.from_url(redis_up.url)
    calls = _base()
    db.hset(keys.latest, mapping={"calls": codec.encode_full(calls), "status": _status(0)})
    screen = Screen()
    viewer = subscriber(redis_up.url, prefix, 7, screen, interval=5.0)
    try:
        async with running(viewer):
            assert await until(lambda: viewer.connections == 1 and len(screen.calls) == 1, 10)
            assert viewer.decoded == 2
            # the same status again by pub/sub (as the hub publishes what it stores)
            await asyncio.to_thread(db.publish, keys.channel, _status(0))
            assert await until(lambda: viewer.frames == 1, 10)
            assert viewer.decoded == 2, "a frame the viewer has is not decoded again"
            # a reload reads the latest state: only the field that changed is decoded
            db.hset(keys.latest, "status", _status(1))
            viewer.refresh_now()
            assert await until(lambda: viewer.decoded == 3, 10)
            await asyncio.sleep(0.6)  # a second turn of the loop: nothing more decoded
            assert viewer.decoded == 3 and len(screen.calls) == 1
            # a new frame is decoded and shown
            later = calls.again(calls.fetched_at + timedelta(seconds=1))
            await asyncio.to_thread(db.publish, keys.channel, codec.encode_calls(later))
            assert await until(lambda: len(screen.calls) == 2, 10)
            assert viewer.decoded == 4 and screen.calls[-1].fetched_at == later.fetched_at
            # paused, a snapshot is held, not shown; on resuming it is shown at once
            viewer.pause()
            paused = later.again(later.fetched_at + timedelta(seconds=1))
            db.hset(keys.latest, "calls:same", codec.encode_calls(paused))
            await asyncio.to_thread(db.publish, keys.channel, codec.encode_calls(paused))
            assert await until(lambda: viewer.frames == 3, 10)
            assert len(screen.calls) == 2
            viewer.resume()
            assert await until(lambda: len(screen.calls) == 3, 10)
            assert screen.calls[-1].fetched_at == paused.fetched_at
    finally:
        db.close()


@pytest.mark.asyncio
async def test_a_viewer_pings_redis_only_when_no_frame_came(tmp_path: Path) -> None:
    """Its own server: the count of PINGs is the server's, and other tests ping too."""
    require_redis_server()
    server = RedisServer(tmp_path)
    server.start()
    db = redis_sync.Redis.from_url(server.url)

    def pings() -> int:
        return int(db.info("commandstats").get("cmdstat_ping", {}).get("calls", 0))

    keys = HubKeys("p", 7)
    screen = Screen()
    viewer = subscriber(server.url, "p", 7, screen, interval=0.3)
    try:
        async with running(viewer):
            assert await until(lambda: viewer.connections == 1, 10)
            before = pings()
            for second in range(15):  # a frame every 0.1 s for 1.5 s
                await asyncio.to_thread(db.publish, keys.channel, _status(second, 0.3))
                await asyncio.sleep(0.1)
            busy = pings() - before
            quiet_from = pings()
            await asyncio.sleep(2.0)
            quiet = pings() - quiet_from
        assert viewer.frames == 15
        assert busy <= 1, "frames prove the connection alive"
        assert quiet >= 2, "a quiet connection is pinged every interval"
    finally:
        db.close()
        server.stop()


@pytest.mark.asyncio
async def test_a_viewer_on_a_live_hub_shows_the_hubs_snapshots_and_day(
    redis_up: RedisServer, prefix: str
) -> None:
    """End to end with the simulator: every delta decoded on the snapshot before equals
    the hub's own snapshot, and the followed day equals the hub's state restored."""
    config = SimConfig(seed=5, agents=10, load=12, speed=30, start=datetime.now(UTC))
    sim = Simulator(config).start()
    hub = publisher(redis_up.url, prefix, sim, interval=0.5, service=True)
    screen = Screen()
    viewer = subscriber(redis_up.url, prefix, sim.igrp, screen, interval=0.5)
    followed = FollowedServiceLevel(ZoneInfo("UTC"))
    viewer.on_service = followed.follow
    try:
        async with running(hub, viewer):
            assert await until(lambda: len(screen.calls) >= 8 and viewer.service is not None, 30)
            hub.stop()
            await asyncio.sleep(0.5)
        db = redis_sync.Redis.from_url(redis_up.url)
        raw = db.hget(HubKeys(prefix, sim.igrp).latest, "calls")
        assert isinstance(raw, bytes)
        whole = codec.decode(raw).snapshot
        db.close()
        assert isinstance(whole, CallsSnapshot)
        assert screen.calls[-1].groups == whole.groups
        # deltas on the snapshot held: the latest state read on joining (and once more at
        # most, for a delta published while it was read), not after every frame
        assert viewer.reloads <= 1
        assert viewer.decoded < viewer.frames + 8
        for shown in screen.calls:  # each in the core's order
            again = CallsSnapshot.build(list(shown.calls), shown.fetched_at)
            assert again.groups == shown.groups
        state = viewer.service
        assert state is not None
        assert followed.report("today") == ServiceLevel.from_dict(state).report("today")
    finally:
        sim.stop()


def test_a_service_delta_on_the_state_held_comes_back_as_the_whole_state() -> None:
    states = _states()
    held: tuple[float, dict[str, object]] | None = None
    for number, state in enumerate(states):
        at = 1000.0 + number / 3  # a wall time that JSON must carry exactly
        if held is None:
            frame = codec.encode_service(state, at)
        else:
            frame = codec.encode_service_delta(state, at, held[1], held[0])
            assert len(frame) < len(codec.encode_service(state, at))
            with pytest.raises(codec.NeedBase):
                codec.decode(frame)
            with pytest.raises(codec.NeedBase):
                codec.decode(frame, base_service=(held[0] - 1, held[1]))
        back = codec.decode(frame, base_service=held).service
        assert back == state
        assert back is not None
        held = (at, back)
    # a delta no newer than the state held (it came while the latest state was read)
    # is that state again, not a reason to read the latest state once more
    assert held is not None
    late = codec.encode_service_delta(states[-1], held[0], states[-2], held[0] - 1)
    assert codec.decode(late, base_service=held).service is held[1]
    # a key gone from one state to the next goes from the state rebuilt too
    fewer = {key: value for key, value in states[-1].items() if key != "short_abandon"}
    frame = codec.encode_service_delta(fewer, 9999.0, states[-1], 1.5)
    assert codec.decode(frame, base_service=(1.5, states[-1])).service == fewer


def test_the_screens_day_state_changes_with_the_counts_not_with_the_clock() -> None:
    """The agents' time goes as each agent's clock: two states a poll apart, where no
    agent changed activity, differ in the clock and counts alone; and a viewer that
    restores it reads the same agents' time as the hub's own state says."""
    from rtdash.hub.outbox import shown

    service = ServiceLevel(ZoneInfo("UTC"))
    agents = [user(f"u{i}", name=f"Agent {i}", operator_ref=f"A{i}") for i in range(3)]
    service.observe_users(UsersSnapshot.build(agents, T0))
    for poll in range(3):
        quiet = [call("c", CallState.QUEUEING, 0, 0, queue="q")]
        service.observe_calls(CallsSnapshot.build(quiet, T0 + timedelta(seconds=2 * poll)))
    before = shown(service.to_dict(), service.agents)
    service.observe_calls(CallsSnapshot.build(quiet, T0 + timedelta(seconds=8)))
    after = shown(service.to_dict(), service.agents)
    assert after["agents"] == before["agents"]
    assert ServiceLevel.from_dict(after).report() == service.report()
