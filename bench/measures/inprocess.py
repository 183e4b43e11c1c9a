"""P1 (CPU per refresh tick) and P6 (change-to-screen delay), in-process with Pilot.

Both apps run headless under ``App.run_test`` with a driver that, unlike Textual's
headless one, turns every frame into the terminal escape codes a real terminal would
get (and counts the bytes), so the CPU measured includes that last step of rendering.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from textual.drivers import headless_driver
from textual.drivers.headless_driver import HeadlessDriver
from textual.message_pump import MessagePump

from bench.loads import INTERVAL, AppKind, Load, make_sim
from bench.measures.remote_sim import SimAddress, remote_sim
from rtdash.api.client import InfinityClient
from rtdash.api.credentials import Credentials, Secret
from rtdash.config import Settings
from rtdash.core.clock import FrozenClock
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot
from rtdash.sim import Simulator
from rtdash.ui.messages import CallsUpdated, UsersUpdated

SIZE = (160, 48)


class RenderingDriver(HeadlessDriver):
    """Headless input, but frames are rendered to escape codes and counted."""

    bytes_written = 0
    frames = 0
    #: checked as each frame is written; the first frame for which it holds is noted
    watch: Callable[[], bool] | None = None
    seen_at: float | None = None

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        self.bytes_written += len(data.encode("utf-8"))
        self.frames += 1
        if self.watch is not None and self.seen_at is None and self.watch():
            self.seen_at = time.perf_counter()

    def flush(self) -> None:
        pass


@contextlib.contextmanager
def rendering_driver() -> Iterator[None]:
    """``run_test`` builds its driver from this module attribute; swap it meanwhile."""
    original = headless_driver.HeadlessDriver
    # why the type: ignore below: swapping the class is the point
    headless_driver.HeadlessDriver = RenderingDriver  # type: ignore[misc]
    try:
        yield
    finally:
        # why the type: ignore below: swapping the class is the point
        headless_driver.HeadlessDriver = original  # type: ignore[misc]


_STATE_ROOT: str | None = None


def _fresh_state_folder() -> None:
    """An in-process app saves today's service state as every rtdash does; in the
    machine's own state folder it would restore the day of an earlier run (after a big
    centre, tens of thousands of calls) and measure that. Each app gets an empty one,
    removed when the bench ends (apps in a pty get a fresh HOME, bench.measures.terminal)."""
    global _STATE_ROOT
    if _STATE_ROOT is None:
        _STATE_ROOT = tempfile.mkdtemp(prefix="rtdash-bench-state-")
        atexit.register(shutil.rmtree, _STATE_ROOT, True)
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(dir=_STATE_ROOT)


def settings_for(sim: Simulator | SimAddress) -> Settings:
    _fresh_state_folder()
    settings = Settings()
    settings.connection.base_url = sim.url
    settings.connection.igrp = sim.igrp
    settings.connection.username = sim.username
    settings.connection.password = Secret(sim.password)
    settings.polling.interval = INTERVAL
    return settings


class SteadyClock(FrozenClock):
    """Starts at a given time and then follows real elapsed time (for P6, where the
    app runs on its own timers and its times in state must really tick)."""

    def __init__(self, at: datetime) -> None:
        super().__init__(at)
        self._base = time.monotonic()
        self._start = at

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._base)

    def monotonic(self) -> float:
        return time.monotonic()


def dashboard_of(app: Any) -> Any:
    return app.screen.dashboard


async def wait_for(condition: Callable[[], bool], timeout: float, step: float = 0.02) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(step)


#: messages being handled now, across every message pump (see settle)
_handling = [0]


def _count_handling() -> None:
    """Count the messages being handled (Textual's queue keeps no such count): a
    message taken off its queue is work left until its handler returns. Installed
    once, for every app measured alike; a counter more per message."""
    if getattr(MessagePump._dispatch_message, "counted", False):
        return
    dispatch = MessagePump._dispatch_message

    async def counted(self: MessagePump, message: Any) -> None:
        _handling[0] += 1
        try:
            await dispatch(self, message)
        finally:
            _handling[0] -= 1

    counted.counted = True  # type: ignore[attr-defined]  # a mark on the function
    # Textual's own method, wrapped for every app measured alike
    MessagePump._dispatch_message = counted  # type: ignore[method-assign]


async def settle(app: Any) -> None:
    """Until the app and every widget of its screen have handled every message they
    were sent (and every message those sent), then the frame written, as
    ``Pilot.pause`` ends. ``Pilot.pause`` waits by posting a callback to each widget of
    the screen and waiting for them all: dozens of messages the app would never handle,
    about as much CPU as a small poll's drawing, which a measure of the app's own work
    must not count. Here the loop is only let run until no message is queued or being
    handled."""
    _count_handling()
    pumps = [app, *app.screen.walk_children(with_self=True)]
    while True:
        await asyncio.sleep(0)
        if not _handling[0] and not any(
            pump._message_queue.values or pump._next_callbacks for pump in pumps
        ):
            break
    app.screen._on_timer_update()


def has_data(app: Any) -> bool:
    try:
        board = dashboard_of(app)
    except AttributeError:
        return False
    return board.calls is not None and board.users is not None


def stop_background(board: Any) -> None:
    """No polls and no one-second tick of its own: the measure drives both."""
    board.poller.stop()
    for timer in list(board._timers):
        if timer.name == "tick":
            timer.pause()


# --- P4's share of polling ---------------------------------------------------------------


async def poll_cpu(load: Load, polls: int, *, warmup: int = 5) -> list[float]:
    """CPU seconds of one poll of both routes as rtdash makes it (its client, httpx, the
    digest that finds the body unchanged) on a centre where nothing changes: the part
    of P4 "live, nothing changes" that is not drawing. Thread time of this thread
    only, so the simulator's server thread, building the answers, is not counted."""
    samples: list[float] = []
    with make_sim(load, now=True) as sim:
        async with InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, Secret(sim.password)),
            base_url=sim.url,
        ) as client:
            for index in range(warmup + polls):
                start = time.thread_time()
                calls = await client.active_calls()  # as P4's app asks (PII not excluded)
                users = await client.user_status()
                used = time.thread_time() - start
                if index >= warmup:
                    if not (calls.unchanged and users.unchanged):
                        raise RuntimeError("the frozen centre answered with new rows")
                    samples.append(used)
    return samples


# --- P1 ---------------------------------------------------------------------------------


@dataclass
class TickRun:
    #: CPU seconds per refresh tick: one poll applied + one time tick, both rendered
    total: list[float] = field(default_factory=list)
    poll: list[float] = field(default_factory=list)
    tick: list[float] = field(default_factory=list)
    #: escape-code bytes per refresh tick
    bytes: list[float] = field(default_factory=list)


async def _fetch(client: InfinityClient, clock: FrozenClock) -> tuple[CallsSnapshot, UsersSnapshot]:
    calls = await client.active_calls()
    users = await client.user_status()
    return (
        CallsSnapshot.build(calls.rows, clock.now(), calls.unreadable),
        UsersSnapshot.build(users.rows, clock.now(), users.unreadable),
    )


async def measure_ticks(
    kind: AppKind,
    load: Load,
    ticks: int,
    *,
    warmup: int = 2,
    size: tuple[int, int] = SIZE,
    profiler: Any = None,
) -> TickRun:
    """``ticks`` refresh ticks one second apart: the sim advances a second, a new
    snapshot is applied (half a second in) and the times tick (on the second), each
    rendered before its CPU time is read. Fetching is outside the timed part (it is the
    same code for both apps)."""
    run = TickRun()
    with make_sim(load) as sim:
        clock = FrozenClock(sim.now)
        app = kind.app_class()(settings_for(sim), clock=clock)
        with rendering_driver():
            async with app.run_test(size=size) as pilot:
                await wait_for(lambda: has_data(app), timeout=60)
                board = dashboard_of(app)
                stop_background(board)
                driver = app._driver
                client = InfinityClient(
                    igrp=sim.igrp,
                    credentials=Credentials(sim.username, Secret(sim.password)),
                    base_url=sim.url,
                    now=clock.now,
                )
                try:
                    await pilot.pause()
                    for index in range(warmup + ticks):
                        sim.advance(1)
                        clock.advance(0.5)
                        calls, users = await _fetch(client, clock)
                        await pilot.pause()
                        sent = driver.bytes_written
                        if profiler is not None and index >= warmup:
                            profiler.start()
                        start = time.process_time()
                        board.post_message(CallsUpdated(calls))
                        board.post_message(UsersUpdated(users))
                        await pilot.pause()
                        polled = time.process_time()
                        clock.advance(0.5)
                        board.tick()
                        await pilot.pause()
                        ticked = time.process_time()
                        if profiler is not None and index >= warmup:
                            profiler.stop()
                        if index >= warmup:
                            run.poll.append(polled - start)
                            run.tick.append(ticked - polled)
                            run.total.append(ticked - start)
                            run.bytes.append(driver.bytes_written - sent)
                finally:
                    await client.aclose()
    return run


# --- P6 ---------------------------------------------------------------------------------


def _keys_shown(board: Any) -> Callable[[], set[str]]:
    tables = [board.grid.table(state) for state in CALL_STATES]
    return lambda: {key for table in tables for key in table.keys}


async def measure_delays(
    kind: AppKind,
    load: Load,
    changes: int,
    *,
    seed: int = 7,
    settle: float = 2.0,
    timeout: float = 10.0,
) -> list[float]:
    """Seconds from a new call appearing in the simulator to the frame that shows it.

    The app polls on its own (interval ``INTERVAL``) and ticks on its own; each change
    comes at a random moment between polls (seeded), so the expected delay is spread
    over one interval plus the time to fetch, apply and draw.
    """
    rng = random.Random(seed)
    delays: list[float] = []
    with remote_sim(load) as sim:
        clock = SteadyClock(sim.address.now)
        app = kind.app_class()(settings_for(sim.address), clock=clock)
        with rendering_driver():
            async with app.run_test(size=SIZE) as pilot:
                await wait_for(lambda: has_data(app), timeout=60)
                board = dashboard_of(app)
                driver = app._driver
                shown = _keys_shown(board)
                await asyncio.sleep(settle)
                for _ in range(changes):
                    await asyncio.sleep(rng.uniform(0, INTERVAL))
                    # the centre moves only when told: a call not shown before is the new one
                    before = shown()
                    driver.seen_at = None
                    driver.watch = lambda before=before: not shown() <= before
                    _new, changed = await asyncio.to_thread(sim.new_call)
                    try:
                        await wait_for(lambda: driver.seen_at is not None, timeout, step=0.01)
                        delays.append(driver.seen_at - changed)
                    except TimeoutError:  # never drawn in time: counted as the timeout
                        delays.append(timeout)
                    driver.watch = None
                await pilot.pause()
    return delays
