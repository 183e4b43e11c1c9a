"""The poller's real loop on asyncio against an ``InfinityClient`` whose HTTP goes to an
``httpx.MockTransport`` (the rig: :mod:`tests.core.poller_rig`; the backoff arithmetic:
``test_backoff.py``).

The loop runs on virtual time (:mod:`tests.core.virtual_time`): its sleeps, the
upstream's delays and the tests' own waits take no real time, and every time measured
is exact, so the timing assertions are tight and cannot flake on a loaded machine.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from rtdash.api import errors
from rtdash.api.models import CallState
from rtdash.core.poller import Poller
from rtdash.core.poller_status import Phase, PollerStatus, Route
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.source import Source

from .poller_rig import CALL_ROW, Rig, made_rig, now_text, ok, running, status_503

CALLS, USERS = Route.CALLS, Route.USERS


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    async with made_rig() as made:
        yield made


# --- the live loop ------------------------------------------------------------------


async def test_both_routes_are_fetched_concurrently(rig: Rig) -> None:
    rig.upstream.delay = 0.3
    poller = rig.poller(exclude_pii=True)
    async with running(poller):
        await rig.both_polled()
    assert rig.upstream.max_total == 2  # both requests were in flight at once
    assert rig.upstream.starts[CALLS][0] == rig.upstream.starts[USERS][0]
    calls_req = next(r for r in rig.upstream.requests if r.url.path.endswith("pbxActiveCalls"))
    assert calls_req.url.path == "/reports/v2/igrps/1234/pbxActiveCalls"
    assert calls_req.url.params.get("excludePiiData") == "1"
    # the callbacks got real, built snapshots
    assert [c.call_ref for c in rig.rec.calls[0].groups[CallState.QUEUEING]] == ["c-0001"]
    assert [u.user_id for u in rig.rec.users[0].dashboard_users] == ["3"]
    assert rig.rec.phase is Phase.LIVE


async def test_one_request_in_flight_per_route_when_the_upstream_is_slower(rig: Rig) -> None:
    rig.upstream.delay = 1.2  # slower than the 1 s interval
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(
            lambda: len(rig.rec.calls) >= 2 and rig.upstream.count(CALLS) >= 3,
            5.0,
            "a third request on the calls route",
        )
        completed = len(rig.upstream.ends[CALLS])  # before stop() cancels the one in flight
    assert rig.upstream.max_in_flight == {CALLS: 1, USERS: 1}
    for route in Route:
        starts, ends = rig.upstream.starts[route], rig.upstream.ends[route]
        for nxt, previous_end in zip(starts[1:], ends, strict=False):
            # the next request waits for the previous answer, then goes at once
            assert nxt == pytest.approx(previous_end, abs=0.06)
    # no slow request was cancelled by the next tick: each one delivered a snapshot
    assert len(rig.rec.calls) == completed


async def test_polls_stopped_before_they_began_are_not_left_in_flight(rig: Rig) -> None:
    """stop() just as the loop has made both polls, before either ran: a task cancelled
    before its first step never runs its own clean-up, and the stopped poller said both
    routes were in flight for ever, and its status said so to every screen."""
    poller = rig.poller(interval=1.0)
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0)  # run() makes both polls; this resumes before they start
    assert all(health.next_try is None for health in poller.status().routes.values())
    assert rig.upstream.count(CALLS) == rig.upstream.count(USERS) == 0
    poller.stop()
    await asyncio.wait_for(task, 2.0)
    await rig.sleep(0.5)
    assert rig.upstream.count(CALLS) == rig.upstream.count(USERS) == 0
    assert all(health.next_try is not None for health in poller.status().routes.values())


async def test_pause_stops_new_requests_and_resume_polls(rig: Rig) -> None:
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.both_polled()
        poller.pause()
        assert poller.paused
        assert rig.rec.phase is Phase.PAUSED
        counts = {route: rig.upstream.count(route) for route in Route}
        await rig.sleep(1.6)  # past the next due poll
        assert {route: rig.upstream.count(route) for route in Route} == counts
        assert rig.rec.phase is Phase.PAUSED
        assert now_text(poller) == "paused"

        poller.resume()
        await rig.rec.until(
            lambda: all(rig.upstream.count(r) > counts[r] for r in Route), 0.5, "polls on resume"
        )
        await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 1.0, "live again")


async def test_refresh_while_paused_polls_once_and_stays_paused(rig: Rig) -> None:
    """A supervisor who paused on a picture and presses refresh wants a fresh picture,
    still paused: one request a route, then none."""
    poller = rig.poller(interval=0.5)
    async with running(poller):
        await rig.both_polled()
        poller.pause()
        counts = {route: rig.upstream.count(route) for route in Route}
        snapshots = len(rig.rec.calls)
        poller.refresh_now()
        await rig.rec.until(
            lambda: all(rig.upstream.count(r) == counts[r] + 1 for r in Route), 0.5, "one poll"
        )
        await rig.rec.until(lambda: len(rig.rec.calls) == snapshots + 1, 0.5, "a new snapshot")
        await rig.sleep(1.2)  # past two intervals
        assert {route: rig.upstream.count(route) for route in Route} == {
            route: counts[route] + 1 for route in Route
        }
        assert poller.paused and rig.rec.phase is Phase.PAUSED


async def test_refresh_now_and_resume_poll_at_once_even_with_a_long_interval(rig: Rig) -> None:
    rig.upstream.delay = 0.2
    poller = rig.poller(interval=30.0)
    async with running(poller):
        await rig.rec.until(lambda: rig.upstream.total == 2, 1.0, "first requests in flight")
        poller.refresh_now()  # a route already in flight is not doubled
        await rig.both_polled(1)
        assert rig.upstream.max_in_flight == {CALLS: 1, USERS: 1}

        counts = {route: rig.upstream.count(route) for route in Route}
        poller.refresh_now()
        await rig.both_polled(2, timeout=0.6)
        assert all(rig.upstream.count(r) == counts[r] + 1 for r in Route)

        poller.pause()
        poller.resume()
        await rig.both_polled(3, timeout=0.6)


async def test_set_interval_floors_at_one_second(rig: Rig) -> None:
    poller = rig.poller(interval=0.05)
    assert poller.interval == 1.0
    assert poller.set_interval(0.2) == 1.0
    assert poller.interval == 1.0
    assert poller.set_interval(0) == 1.0
    assert poller.set_interval(7.5) == 7.5
    assert poller.interval == 7.5
    assert rig.rec.statuses[-1].interval == 7.5  # the change is published


async def test_a_failing_route_backs_off_and_never_stops_the_other(rig: Rig) -> None:
    rig.upstream.answer[USERS] = status_503
    poller = rig.poller(interval=5.0)
    assert poller.set_interval(0.2) == 1.0  # the floor, in real behaviour below
    async with running(poller):
        await rig.rec.until(lambda: rig.upstream.count(CALLS) >= 6, 8.0, "six calls requests")
        text = now_text(poller)
        status = poller.status()

    calls = rig.upstream.starts[CALLS][:6]
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    # 1 s apart: floored (0.2 s asked)
    assert gaps == [pytest.approx(1.0)] * 5, gaps
    # users failed at ~0 s, ~1 s (0.8-1.2), ~3 s (+1.6-2.4); the 4th is due at >= 5.6 s.
    # Without backoff it would have been asked 6 times in those 5.5 s, like calls.
    users = rig.upstream.starts[USERS]
    assert calls[5] - users[0] >= 4.8  # the window below was watched (nearly) whole
    assert len([t for t in users if t - users[0] < 5.5]) == 3, users
    assert users[2] - users[1] > users[1] - users[0]  # the wait doubles

    assert len(rig.rec.calls) >= 5  # calls snapshots kept flowing
    assert rig.rec.users == []
    assert status.phase is Phase.RETRYING
    assert status.routes[USERS].failures == 3
    assert isinstance(status.routes[USERS].error, errors.UpstreamError)
    assert status.routes[CALLS].error is None
    assert text.startswith('users: upstream error (HTTP 503): "service unavailable", retrying in')
    assert "calls" not in text


async def test_retry_after_is_honoured(rig: Rig) -> None:
    def users(number: int) -> httpx.Response:
        if number == 0:
            return httpx.Response(429, headers={"Retry-After": "3"}, text='"slow down"')
        return ok(USERS)

    rig.upstream.answer[USERS] = users
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(lambda: poller.status().routes[USERS].error is not None, 1.0, "the 429")
        assert (
            now_text(poller) == "users: rate limited (HTTP 429), retry after 3 s, retrying in 3 s"
        )
        await rig.rec.until(lambda: rig.upstream.count(USERS) >= 2, 5.0, "the retry")
        await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 1.0, "live after the retry")

    first, retry = rig.upstream.starts[USERS][:2]
    assert retry - first == pytest.approx(3.0)
    assert rig.upstream.count(CALLS) >= 3  # calls carried on at the interval meanwhile


async def test_recovery_when_the_upstream_comes_back(rig: Rig) -> None:
    rig.upstream.answer[USERS] = lambda n: status_503(n) if n == 0 else ok(USERS)
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(lambda: rig.rec.phase is Phase.RETRYING, 1.0, "the failure")
        await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 2.5, "recovery")
        health = poller.status().routes[USERS]
        assert health.error is None
        assert health.failures == 0
        assert health.last_success is not None
        assert now_text(poller) == "live"
    assert len(rig.rec.users) == 1


async def test_an_exception_in_a_snapshot_callback_does_not_kill_the_loop(rig: Rig) -> None:
    delivered: list[CallsSnapshot] = []

    def on_calls(snapshot: CallsSnapshot) -> None:
        delivered.append(snapshot)
        rig.rec.changed.set()
        if len(delivered) == 1:
            raise RuntimeError("a widget bug")

    poller = rig.poller(interval=1.0, on_calls=on_calls)
    async with running(poller):
        await rig.rec.until(lambda: len(delivered) >= 2, 3.0, "calls after the exception")
        await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 1.0, "live")
    assert len(rig.rec.users) >= 1


async def test_an_exception_in_the_status_callback_does_not_kill_the_loop(rig: Rig) -> None:
    def on_status(_: PollerStatus) -> None:
        rig.rec.changed.set()
        raise RuntimeError("a status bar bug")

    poller = rig.poller(interval=1.0, on_status=on_status)
    async with running(poller):
        await rig.both_polled(2)
        poller.pause()  # the controls call it too, from the UI's handlers
        poller.resume()
        poller.refresh_now()
        assert poller.set_interval(2) == 2


async def test_a_garbage_body_is_an_error_not_an_empty_board(rig: Rig) -> None:
    def calls(number: int) -> httpx.Response:
        if number == 0:  # e.g. a proxy's error page with a 200
            return httpx.Response(200, text="<html><body>Gateway says hello</body></html>")
        return ok(CALLS)

    rig.upstream.answer[CALLS] = calls
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(lambda: rig.rec.phase is Phase.RETRYING, 1.0, "the garbage")
        health = poller.status().routes[CALLS]
        assert isinstance(health.error, errors.UnreadableResponse)
        assert now_text(poller).startswith("calls: ")
        await rig.rec.until(lambda: len(rig.rec.calls) >= 1, 2.0, "a good calls snapshot")
        await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 1.0, "live")
    # "no calls" was never shown for a body that could not be read
    assert all(snapshot.calls for snapshot in rig.rec.calls)


async def test_partly_unreadable_rows_still_make_a_snapshot(rig: Rig) -> None:
    body = json.dumps(CALL_ROW) + "\nnot json\n" + json.dumps({"callRef": "x"}) + "\n"
    rig.upstream.answer[CALLS] = lambda n: httpx.Response(200, text=body)
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.both_polled()
        await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 1.0, "live")
    assert rig.rec.calls[0].unreadable == 2
    assert len(rig.rec.calls[0].calls) == 1
    assert rig.rec.statuses[-1].unreadable == 2


async def test_sped_up_the_status_carries_the_pace_the_data_was_polled_at(rig: Rig) -> None:
    """Until both routes have been polled at the new, shorter interval, the status says
    the longer one the data was polled under, so the data is not called stale."""
    poller = rig.poller(interval=60.0)
    async with running(poller):
        await rig.both_polled()
        assert poller.status().data_interval == 0.0
        poller.set_interval(3)
        assert (poller.status().interval, poller.status().data_interval) == (3, 60)
        await rig.both_polled(2, timeout=10)
        await rig.rec.until(
            lambda: poller.status().data_interval == 0.0, 1.0, "the new pace's polls"
        )
        poller.set_interval(30)  # slowed down: the longer interval is the current one
        assert poller.status().data_interval == 0.0


async def test_a_failing_routes_backoff_is_never_shorter_than_the_interval(rig: Rig) -> None:
    rig.upstream.answer[USERS] = status_503
    poller = rig.poller(interval=1.0, max_backoff=5.0)
    poller.set_interval(30)
    async with running(poller):
        await rig.rec.until(
            lambda: poller.status().routes[USERS].error is not None, 1.0, "the failure"
        )
        status = poller.status()
    wait = status.routes[USERS].next_try - status.made_at
    assert wait >= 0.8 * 30 - 0.1, wait


async def test_an_unchanged_body_passes_on_the_last_rows_again_and_a_changed_one_new(
    rig: Rig,
) -> None:
    bodies = {0: CALL_ROW, 1: CALL_ROW, 2: {**CALL_ROW, "callState": "bridged"}}
    rig.upstream.answer[CALLS] = lambda n: httpx.Response(
        200, text=json.dumps(bodies.get(n, bodies[2])) + "\n"
    )
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(lambda: len(rig.rec.calls) >= 3, 5.0, "three calls snapshots")
    first, same, changed = rig.rec.calls[:3]
    assert not first.unchanged
    assert same.unchanged and same.groups is first.groups  # nothing parsed or sorted
    assert same.fetched_at >= first.fetched_at
    assert same.same_rows(first)
    assert not changed.unchanged and not changed.same_rows(same)
    assert [c.state for c in changed.calls] == [CallState.BRIDGED]
    # users came unchanged too, after the first poll
    assert [u.unchanged for u in rig.rec.users[:2]] == [False, True]


async def test_a_body_the_poller_never_saw_is_built_even_if_the_client_calls_it_unchanged(
    rig: Rig,
) -> None:
    first_row = CALL_ROW
    later_row = {**CALL_ROW, "callRef": "c-0002"}
    rig.upstream.answer[CALLS] = lambda n: httpx.Response(
        200, text=json.dumps(first_row if n == 0 else later_row) + "\n"
    )
    poller = rig.poller(interval=1.0)
    async with running(poller):
        await rig.rec.until(lambda: len(rig.rec.calls) >= 1, 3.0, "a calls snapshot")
        # someone else asks the same client: it reads (and remembers) the new body
        assert not (await rig.client.active_calls()).unchanged
        await rig.rec.until(lambda: len(rig.rec.calls) >= 2, 3.0, "a second snapshot")
    second = rig.rec.calls[1]
    assert [c.call_ref for c in second.calls] == ["c-0002"]
    assert not second.unchanged


def test_a_poller_needs_a_sink_or_every_callback(rig: Rig) -> None:
    with pytest.raises(TypeError):
        Poller(rig.client, on_calls=rig.rec.on_calls)
    poller = Poller(rig.client, rig.rec)
    assert isinstance(poller, Source)


async def test_the_virtual_loop_clock_is_what_the_status_reports(rig: Rig) -> None:
    poller = rig.poller(interval=5.0)
    async with running(poller):
        await rig.both_polled()
        started = rig.upstream.starts[CALLS][0]
        await rig.rec.until(lambda: rig.upstream.count(CALLS) >= 2, 6.0, "the second poll")
    assert rig.upstream.starts[CALLS][1] - started == pytest.approx(5.0)
    assert poller.status().made_at == rig.time.time()
