"""The poller: one request in flight per route, a floor on the interval, exponential
backoff with jitter, ``Retry-After`` honoured, pause and refresh.

Refused credentials are tried again too, on a backoff of their own that is far slower
and with one request at a time: a refusal may be a proxy's or the service's passing
fault, and a wallboard nobody touches must come back by itself; but wrong credentials
retried at the pace of an outage would lock the account.

It knows nothing of Textual: it is a :class:`~rtdash.core.source.Source` and delivers to
a :class:`~rtdash.core.source.SnapshotSink` (calls snapshot, users snapshot, status; in
practice the installation's live feed), each snapshot once per successful poll. When a route's body
was byte for byte the last one, the snapshot passed on is the last one's rows again
(``snapshot.unchanged``, the same row objects): nothing was parsed, and a consumer
can skip all work for it. Scheduling runs on monotonic loop time while snapshots are
stamped with the injectable clock, so a frozen clock in tests freezes what the screen
says, not whether polls happen. Loop time and sleep are injectable too: tests run the
loop on a virtual clock instead of waiting in real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from rtdash import logs
from rtdash.api import errors
from rtdash.api.client import FetchResult, InfinityClient
from rtdash.api.http_errors import MAX_RETRY_AFTER as MAX_RETRY_AFTER
from rtdash.constants import MAX_BACKOFF, REJECTED_BACKOFF, REJECTED_MAX_BACKOFF
from rtdash.constants import MAX_INTERVAL as MAX_INTERVAL
from rtdash.constants import MIN_INTERVAL as MIN_INTERVAL
from rtdash.core.backoff import backoff_delay as backoff_delay
from rtdash.core.backoff import clamp_interval as clamp_interval
from rtdash.core.clock import Clock, SystemClock
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import SnapshotSink

log = logging.getLogger(__name__)
T = TypeVar("T")
S = TypeVar("S", CallsSnapshot, UsersSnapshot)


class Poller:
    """The upstream as a :class:`~rtdash.core.source.Source`.

    Deliveries go to ``sink``; ``on_calls`` / ``on_users`` / ``on_status`` override one
    of its methods each (or stand in for a sink altogether). ``loop_time`` (monotonic
    seconds) and ``sleep`` default to the running asyncio loop's.
    """

    def __init__(
        self,
        client: InfinityClient,
        sink: SnapshotSink | None = None,
        *,
        on_calls: Callable[[CallsSnapshot], None] | None = None,
        on_users: Callable[[UsersSnapshot], None] | None = None,
        on_status: Callable[[PollerStatus], object] | None = None,
        interval: float = 2.0,
        max_backoff: float = MAX_BACKOFF,
        exclude_pii: bool = False,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        loop_time: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        self.client = client
        if sink is None:
            if on_calls is None or on_users is None or on_status is None:
                raise TypeError("a Poller needs a sink, or all three callbacks")
            self._on_calls, self._on_users = on_calls, on_users
            self._on_status: Callable[[PollerStatus], object] = on_status
        else:
            self._on_calls = on_calls or sink.on_calls
            self._on_users = on_users or sink.on_users
            self._on_status = on_status or sink.on_status
        self._loop_time = loop_time or _asyncio_time
        self._sleep = sleep
        self._interval = clamp_interval(interval)
        self._slow_interval: float | None = None
        self.max_backoff = max(max_backoff, self._interval)
        self.exclude_pii = exclude_pii
        self.clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._health = {route: RouteHealth() for route in Route}
        #: per route, the interval its last success was polled under: sped up, the
        #: data is judged by the old pace until a poll at the new one lands
        self._polled_under = dict.fromkeys(Route, 0.0)
        #: per route, the rows list of the last snapshot passed on, and that snapshot
        self._last: dict[Route, tuple[list[Any], CallsSnapshot | UsersSnapshot]] = {}
        self._due = dict.fromkeys(Route, 0.0)
        self._tasks: dict[Route, asyncio.Task[None]] = {}
        self._paused = False
        #: routes to poll once although paused: a refresh asked for while paused
        self._once: set[Route] = set()
        #: refusals of the credentials in a row, and the route that tries them again
        #: (the only one polled until they are accepted: the routes share them)
        self._rejections = 0
        self._probe: Route | None = None
        self._wake = asyncio.Event()
        self._stopped = False
        self.polls = 0
        self.failures = 0

    # --- controls (called from the UI's loop) -----------------------------------------

    @property
    def interval(self) -> float:
        return self._slow_interval or self._interval

    @property
    def paused(self) -> bool:
        return self._paused

    def set_interval(self, seconds: float) -> float:
        self._interval = clamp_interval(seconds)
        self._reschedule()
        return self._interval

    def set_slow(self, seconds: float | None) -> None:
        """Poll at ``seconds`` (e.g. while the terminal is not focused); None to stop."""
        self._slow_interval = clamp_interval(seconds) if seconds else None
        self._reschedule()

    def pause(self) -> None:
        self._paused = True
        self._publish()

    def resume(self) -> None:
        self._paused = False
        self._once.clear()
        self.refresh_now()

    def toggle_pause(self) -> bool:
        if self._paused:
            self.resume()
        else:
            self.pause()
        return self._paused

    def refresh_now(self) -> None:
        """Poll every route at once (a route already in flight is not doubled); paused,
        once, and stay paused: a fresh still picture. Refused credentials are tried
        again now, by one request."""
        now = self._loop_time()
        for route in Route:
            self._due[route] = now
        if self._paused:
            self._once = set(Route)
        self._wake.set()
        self._publish()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()
        for task in self._tasks.values():
            task.cancel()
        # nothing is in flight now: a poll cancelled before its first step (stopped
        # just as the loop made it) never runs its own clean-up, and would stay here
        self._tasks.clear()

    # --- the loop ----------------------------------------------------------------------

    async def run(self) -> None:
        logs.bind_installation(self.client.igrp)  # this task's log lines name it
        self._publish()
        while not self._stopped:
            now = self._loop_time()
            for route in self._routes_to_poll(now):
                self._once.discard(route)
                self._tasks[route] = asyncio.create_task(self._poll(route, now))
            self._wake.clear()
            await self._nap(self._sleep_for(now))
        for task in list(self._tasks.values()):
            task.cancel()

    async def _nap(self, timeout: float) -> None:
        """Until woken (a control, a poll ending) or ``timeout`` seconds pass."""
        if self._sleep is None:
            with contextlib.suppress(TimeoutError):
                # asyncio.timeout: on Python 3.11 wait_for loses a cancel that comes
                # as the wait ends, and the poller would not stop
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
            return
        woken = asyncio.ensure_future(self._wake.wait())
        slept = asyncio.ensure_future(self._sleep(timeout))
        try:
            await asyncio.wait({woken, slept}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            slept.cancel()

    def _routes_to_poll(self, now: float) -> list[Route]:
        idle = [route for route in Route if route not in self._tasks]
        if self._paused:
            return [route for route in idle if route in self._once and self._polls(route)]
        return [route for route in idle if now >= self._due[route] and self._polls(route)]

    def _polls(self, route: Route) -> bool:
        """Whether ``route`` is polled at all now: while the credentials are refused,
        only the route that tries them again is."""
        return not self._rejections or route is self._probe

    async def _poll(self, route: Route, started: float) -> None:
        self.polls += 1
        try:
            if route is Route.CALLS:
                calls = _readable(await self.client.active_calls(exclude_pii=self.exclude_pii))
                build = partial(CallsSnapshot.build, server_now=calls.server_now)
                self._on_calls(self._snapshot(route, calls, build))
                unreadable = calls.unreadable
            else:
                users = _readable(await self.client.user_status())
                self._on_users(self._snapshot(route, users, UsersSnapshot.build))
                unreadable = users.unreadable
        except asyncio.CancelledError:
            raise
        except errors.AuthFailed as exc:
            self._fail(route, exc)
            self._rejected(route)
        except errors.ApiError as exc:
            self._fail(route, exc)
        except Exception as exc:  # a bug must not end polling: say so and back off
            log.exception("unexpected failure polling %s", route)
            self._fail(route, errors.ApiError(f"internal error ({type(exc).__name__})"))
        else:
            if self._rejections:
                self._accepted()
            self._health[route] = RouteHealth(last_success=self.clock.now(), unreadable=unreadable)
            self._polled_under[route] = self.interval
            self._due[route] = max(started + self.interval, self._loop_time() + 0.05)
        finally:
            self._tasks.pop(route, None)
            self._publish()
            self._wake.set()

    def _snapshot(self, route: Route, result: FetchResult[Any], build: Callable[..., S]) -> S:
        """A new snapshot of changed rows, or the last one again for an unchanged body.

        The last one is reused only if it was made from the very list the client hands
        back as unchanged, so a body this poller never saw (someone else asked the same
        client in between) is always built afresh.
        """
        last = self._last.get(route)
        if result.unchanged and last is not None and last[0] is result.rows:
            snapshot = last[1].again(self.clock.now())
        else:
            previous = last[1] if last is not None else None  # only new rows sorted in
            # what changed since the last snapshot, when the client knows it from the rows
            # that snapshot was made of: no pass over every row then
            changes = result.changes
            known = (
                changes[1:]
                if changes is not None and last is not None and changes[0] is last[0]
                else None
            )
            snapshot = build(
                result.rows,
                self.clock.now(),
                result.unreadable,
                previous=previous,
                keyed=False,
                changes=known,
            )
        self._last[route] = (result.rows, snapshot)
        return snapshot  # type: ignore[return-value]  # S is the type build makes

    def _fail(self, route: Route, exc: errors.ApiError) -> None:
        self.failures += 1
        health = self._health[route]
        failures = health.failures + 1
        # Retry-After is honoured on a 429 and on a 5xx (a 503 for maintenance)
        retry_after = None
        if isinstance(exc, errors.RateLimited | errors.UpstreamError):
            retry_after = exc.retry_after
        # a failing route never retries sooner than a healthy one polls, even after
        # set_interval/set_slow raised the interval above max_backoff
        cap = max(self.max_backoff, self.interval)
        delay = backoff_delay(failures, self.interval, cap, retry_after, self._rng)
        self._due[route] = self._loop_time() + delay
        log.warning("%s poll failed (%d in a row): %s", route, failures, exc.message)
        self._health[route] = replace(health, failures=failures, error=exc)

    def _rejected(self, route: Route) -> None:
        """Try the credentials again later, by ``route`` alone, each time later still."""
        if self._rejections and route is not self._probe:
            # sent before the first refusal came back: not another try to space out
            return
        self._rejections += 1
        self._probe = route
        cap = max(REJECTED_MAX_BACKOFF, self.interval)
        delay = backoff_delay(self._rejections, REJECTED_BACKOFF, cap, rng=self._rng)
        self._due[route] = self._loop_time() + delay

    def _accepted(self) -> None:
        """The credentials work again: every route polls at once, at its own pace after."""
        self._rejections = 0
        self._probe = None
        now = self._loop_time()
        for route in Route:
            self._due[route] = min(self._due[route], now)

    # --- helpers ----------------------------------------------------------------------

    def status(self) -> PollerStatus:
        now = self._loop_time()
        routes = {
            route: replace(health, next_try=self._next_try(route))
            for route, health in self._health.items()
        }
        interval = self.interval
        polled_under = max(self._polled_under.values())
        return PollerStatus(
            phase=self._phase(),
            interval=interval,
            routes=routes,
            made_at=now,
            slow=self._slow_interval is not None,
            data_interval=polled_under if polled_under > interval else 0.0,
        )

    def _next_try(self, route: Route) -> float | None:
        """Loop time ``route`` is next polled at, None while it is in flight."""
        if route in self._tasks:
            return None
        if self._rejections and self._probe is not None and route is not self._probe:
            # not before the credentials are accepted again
            return max(self._due[route], self._due[self._probe])
        return self._due[route]

    def _phase(self) -> Phase:
        if self._rejections:
            return Phase.AUTH_FAILED
        if self._paused:
            return Phase.PAUSED
        if any(health.error for health in self._health.values()):
            return Phase.RETRYING
        if all(health.last_success for health in self._health.values()):
            return Phase.LIVE
        return Phase.CONNECTING

    def _publish(self) -> None:
        # run() and every control publish: a bug in the status bar must not stop polling
        try:
            self._on_status(self.status())
        except Exception:
            log.exception("status callback failed")

    def _reschedule(self) -> None:
        """A new interval applies from now, not after the old one has run out."""
        now = self._loop_time()
        for route, health in self._health.items():
            if not health.error:
                self._due[route] = min(self._due[route], now + self.interval)
        self._wake.set()
        self._publish()

    def _sleep_for(self, now: float) -> float:
        pending = [
            due
            for route, due in self._due.items()
            if route not in self._tasks and self._polls(route)
        ]
        if not pending or self._paused:
            return 1.0
        return min(1.0, max(0.01, min(pending) - now))


def _asyncio_time() -> float:
    return asyncio.get_running_loop().time()


def _readable(result: FetchResult[T]) -> FetchResult[T]:
    """Rows that were all unreadable (an HTML error page sent with a 200, a mapping that
    fits nothing) are not "no calls": fail the poll so the screen keeps the last good
    data and says why, instead of drawing an empty, all-clear board."""
    if result.unreadable and not result.rows:
        rows = "row" if result.unreadable == 1 else "rows"
        said = f"nothing readable in the response ({result.unreadable} unreadable {rows})"
        if result.gap:
            # a mapping naming keys the rows do not carry: which, and what they carry,
            # first: a status line cut at its edge keeps what to fix, not the count
            said = f"{result.gap}: {said}"
        raise errors.UnreadableResponse(said)
    return result
