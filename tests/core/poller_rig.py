"""The poller's test rig: a scripted upstream behind an ``httpx.MockTransport``, a
recorder of what the poller hands on, and the loop run on virtual time
(:mod:`tests.core.virtual_time`), shared by the poller's loop tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx
import pytest

from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.clock import SystemClock
from rtdash.core.poller import (
    Poller,
)
from rtdash.core.poller_status import Phase, PollerStatus, Route
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.status import describe
from tests.support import a_password

from .virtual_time import VirtualTime

CALLS, USERS = Route.CALLS, Route.USERS
UTC_ZONE = ZoneInfo("UTC")

# --- a scripted upstream and a recorder -----------------------------------------------

BASE = "https://rt.example.test/reports/v2"

CALL_ROW = {
    "igrp": "1234",
    "callRef": "c-0001",
    "callState": "queueing",
    "callStartDatetime": "2026-05-01 09:14:10",
    "stateStartDatetime": "2026-05-01 09:14:20",
    "srcPhoneNumber": "+447700900123",
    "queueDuration": "52",
}
USER_ROW = {
    "igrp": "1234",
    "sipUserId": "3",
    "displayName": "A User",
    "state": "available",
    "stateStartDatetime": "2026-05-01 08:59:41",
    "dashboard": "1",
}


def ok(route: Route) -> httpx.Response:
    row = CALL_ROW if route is CALLS else USER_ROW
    return httpx.Response(200, text=json.dumps(row) + "\n")


def status_503(_: int) -> httpx.Response:
    return httpx.Response(503, text='"service unavailable"')


Answer = Callable[[int], httpx.Response]


class Upstream:
    """Both routes, answered by a per-route script of ``request number -> response``.

    It counts requests in flight per route and in total. Every change is made with no
    ``await`` between read and write, so on one event loop the counters are exact.
    """

    def __init__(self, changed: asyncio.Event, time: VirtualTime) -> None:
        self.changed = changed
        self.time = time
        self.delay = 0.0
        self.answer: dict[Route, Answer] = {CALLS: lambda n: ok(CALLS), USERS: lambda n: ok(USERS)}
        self.starts: dict[Route, list[float]] = {CALLS: [], USERS: []}
        self.ends: dict[Route, list[float]] = {CALLS: [], USERS: []}
        self.in_flight = dict.fromkeys(Route, 0)
        self.max_in_flight = dict.fromkeys(Route, 0)
        self.total = 0
        self.max_total = 0
        self.requests: list[httpx.Request] = []

    def count(self, route: Route) -> int:
        return len(self.starts[route])

    async def handler(self, request: httpx.Request) -> httpx.Response:
        route = CALLS if request.url.path.endswith("/pbxActiveCalls") else USERS
        number = self.count(route)
        self.requests.append(request)
        self.starts[route].append(self.time.time())
        self.in_flight[route] += 1
        self.total += 1
        self.max_in_flight[route] = max(self.max_in_flight[route], self.in_flight[route])
        self.max_total = max(self.max_total, self.total)
        self.changed.set()
        try:
            if self.delay:
                await self.time.sleep(self.delay)
            return self.answer[route](number)
        finally:
            self.in_flight[route] -= 1
            self.total -= 1
            self.ends[route].append(self.time.time())
            self.changed.set()


class Recorder:
    """The poller's three callbacks; each sets ``changed`` so tests can wait on it."""

    def __init__(self, time: VirtualTime) -> None:
        self.time = time
        self.calls: list[CallsSnapshot] = []
        self.users: list[UsersSnapshot] = []
        self.statuses: list[PollerStatus] = []
        self.changed = asyncio.Event()

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self.calls.append(snapshot)
        self.changed.set()

    def on_users(self, snapshot: UsersSnapshot) -> None:
        self.users.append(snapshot)
        self.changed.set()

    def on_status(self, status: PollerStatus) -> None:
        self.statuses.append(status)
        self.changed.set()

    @property
    def phase(self) -> Phase | None:
        return self.statuses[-1].phase if self.statuses else None

    async def until(self, predicate: Callable[[], bool], timeout: float, what: str) -> float:
        """Wait until ``predicate()`` holds; return the (virtual) time it did."""
        deadline = self.time.time() + timeout
        while not predicate():
            remaining = deadline - self.time.time()
            if remaining <= 0:
                pytest.fail(f"timed out after {timeout} s waiting for {what}")
            self.changed.clear()
            changed = asyncio.ensure_future(self.changed.wait())
            slept = asyncio.ensure_future(self.time.sleep(remaining))
            await asyncio.wait({changed, slept}, return_when=asyncio.FIRST_COMPLETED)
            changed.cancel()
            slept.cancel()
        return self.time.time()


@dataclass
class Rig:
    rec: Recorder
    upstream: Upstream
    client: InfinityClient
    time: VirtualTime

    def poller(self, **options: object) -> Poller:
        options.setdefault("rng", random.Random(7))
        options.setdefault("interval", 1.0)
        return Poller(
            self.client,
            self.rec,
            on_calls=options.pop("on_calls", None),
            on_users=options.pop("on_users", None),
            on_status=options.pop("on_status", None),
            clock=SystemClock(),
            loop_time=self.time.time,
            sleep=self.time.sleep,
            **options,
        )

    async def sleep(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass (to prove that nothing happens)."""
        await self.time.sleep(seconds)

    async def both_polled(self, times: int = 1, timeout: float = 3.0) -> float:
        return await self.rec.until(
            lambda: len(self.rec.calls) >= times and len(self.rec.users) >= times,
            timeout,
            f"{times} snapshot(s) of each route",
        )


@contextlib.asynccontextmanager
async def made_rig() -> AsyncIterator[Rig]:
    """A rig on virtual time, its HTTP client closed after."""
    time = VirtualTime()
    time.start()
    rec = Recorder(time)
    upstream = Upstream(rec.changed, time)
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler))
    client = InfinityClient(
        igrp=1234,
        credentials=Credentials(username="u", password=a_password()),
        base_url=BASE,
        http=http,
    )
    yield Rig(rec, upstream, client, time)
    await time.stop()
    await http.aclose()


@contextlib.asynccontextmanager
async def running(poller: Poller) -> AsyncIterator[asyncio.Task[None]]:
    """Run the poller's loop; on exit it must still be running (nothing killed it)."""
    task = asyncio.create_task(poller.run())
    try:
        yield task
    finally:
        died = task.done()
        poller.stop()
        await asyncio.wait_for(task, 2.0)  # re-raises whatever ended run() early
    assert not died, "Poller.run() ended while the test was running"


def now_text(poller: Poller) -> str:
    status = poller.status()
    return describe(status, SystemClock().now(), status.made_at, UTC_ZONE).connection
