"""SCALE: what one poll and one tick cost as the centre grows, rtdash against both peers.

The app runs in-process under ``App.run_test(size=(160, 48))`` with the rendering driver
of P1, against the simulator in a process of its own over loopback HTTP (its answers are
built there, as a real service builds them on another machine). The measure drives the
app's own poller: the centre moves on one second (medium churn: calls arrive, end and
change state, and every live call's durations tick), then ``time.process_time()`` runs
around

* one poll of both routes through the app's poller, from the request to the frame
  written: fetch, decode, map, snapshot, metrics, then the view's messages and the draw;
* and half a (frozen) second later one tick of the view, drawn.

Each draw is waited for by :func:`~bench.measures.inprocess.settle` (the loop runs
until no message is queued or being handled, then the frame is written), not by
``Pilot.pause``, whose own messages to every widget would be counted as the app's work;
what one ``Pilot.pause`` costs is measured beside the rounds (``harness``).

RSS: the app as a child in a pty (as P5), the simulator in the harness's process.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass, field
from typing import Any

from bench.loads import AppKind, Load, make_sim
from bench.measures.inprocess import (
    SIZE,
    dashboard_of,
    has_data,
    rendering_driver,
    settings_for,
    settle,
    stop_background,
    wait_for,
)
from bench.measures.proc_status import status_mb
from bench.measures.remote_sim import RemoteSim
from rtdash.core.clock import FrozenClock
from rtdash.core.poller import Poller
from rtdash.core.poller_status import Route

#: users per call in the scaled centres, as in the harness's loads (200/100, 2000/1000)
USERS_PER_CALL = 0.5


def scale_load(calls: int) -> Load:
    return Load(f"{calls:,} calls", calls, max(1, int(calls * USERS_PER_CALL)))


@dataclass
class ScaleRun:
    #: CPU seconds: one poll of both routes drawn, plus one tick drawn
    total: list[float] = field(default_factory=list)
    poll: list[float] = field(default_factory=list)
    tick: list[float] = field(default_factory=list)
    #: CPU seconds the counted run's warm-up polls took (to tell a slow app early)
    warmup: list[float] = field(default_factory=list)
    #: CPU seconds of one ``Pilot.pause`` on the settled app before each counted round:
    #: the harness's own cost that ``settle`` keeps out of the rounds
    harness: list[float] = field(default_factory=list)


async def measure_scale(
    kind: AppKind,
    sim: RemoteSim,
    *,
    polls: int,
    warmup: int,
    slow: float | None,
    timeout: float = 900.0,
    profiler: Any = None,
    moved: float = 1.0,
) -> ScaleRun:
    """``warmup`` uncounted then up to ``polls`` counted poll + tick rounds of ``kind``
    against ``sim``; once a round costs more than ``slow`` CPU seconds (None: never),
    one counted round is enough (the app is that slow; more would take minutes).
    ``moved``: the seconds the centre moves on before each round (SCALE's one: a
    second of medium churn); 0 leaves it standing, so each poll brings the last body
    again, byte for byte, and only the times tick. ``profiler``'s ``enable`` and
    ``disable`` are called around each counted round."""
    run = ScaleRun()
    # the app measured before this one (the apps take turns in one process) leaves no
    # garbage for this one's collections to walk
    gc.collect()
    settings = settings_for(sim.address)
    # the alert flash at start-up draws alike in every app; without it there is no
    # need to wait it out before counting
    settings.display.flash = False
    clock = FrozenClock(sim.address.now)
    app = kind.app_class()(settings, clock=clock)
    with rendering_driver():
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(lambda: has_data(app), timeout=timeout, step=0.05)
            board = dashboard_of(app)
            stop_background(board)
            poller = board.poller
            if not isinstance(poller, Poller):
                raise TypeError("the scaling measure drives rtdash's poller")
            loop = asyncio.get_running_loop()
            await pilot.pause()
            index = 0
            counted = 0
            while counted < polls:
                if moved:
                    await asyncio.to_thread(sim.advance, moved)
                clock.advance(0.5)
                await pilot.pause()
                counting = index >= warmup
                if counting:
                    before = time.process_time()
                    await pilot.pause()
                    run.harness.append(time.process_time() - before)
                if profiler is not None and counting:
                    profiler.enable()
                start = time.process_time()
                began = loop.time()
                await poller._poll(Route.CALLS, began)
                await poller._poll(Route.USERS, began)
                await settle(app)
                polled = time.process_time()
                clock.advance(0.5)
                board.tick()
                await settle(app)
                ticked = time.process_time()
                if profiler is not None and counting:
                    profiler.disable()
                if index < warmup:
                    run.warmup.append(ticked - start)
                    if slow is not None and ticked - start > slow:
                        warmup = index + 1  # a slow app: its first poll warmed it enough
                else:
                    run.poll.append(polled - start)
                    run.tick.append(ticked - polled)
                    run.total.append(ticked - start)
                    counted += 1
                    if slow is not None and ticked - start > slow:
                        break
                index += 1
    return run


def peak_rss(kind: AppKind, load: Load, *, window: float) -> tuple[float, float]:
    """The app's peak resident set (VmHWM, MB, as P5) and its resident set then
    (VmRSS) after its first data and ``window`` seconds of the live centre, the
    simulator outside its process."""
    from bench.measures.terminal import terminal

    with make_sim(load, realtime=True) as sim, terminal(kind, sim, SIZE) as term:
        term.wait_for(timeout=600)
        time.sleep(window)
        return term.peak_rss_mb(), status_mb(term.pid)
