"""What counting a poll's outcome events together saves, against counting them one by
one as they were before: the events of real SCALE polls, counted both ways.

    python -m bench.outcome_events [--calls 50000] [--rounds 12] [--repeats 6]

SCALE's rounds (``measure_scale``, the simulator in a process of its own) are run and
the events each poll's outcome tracker emits are kept as they are handed to the
service level. Then every poll's events are counted again into a fresh service level,
poll after poll, each way: one by one (each event a call of the way the service level
took it before: counted as ``ServiceMetrics.handle`` counted one, and the unanswered
listeners asked, per event) and
together (:meth:`~rtdash.core.service.ServiceLevel._on_events`, one call a poll). The
two ways take turns over ``--repeats`` replays in ABBA order, each replay a fresh
service level; a listener stands in for the outcome confirmation. The medians of a
poll's CPU go into bench/RESULTS.md as the kept section ``outcome-events``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.loads import RTDASH
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import measure_scale, scale_load
from rtdash.core.outcome_events import Abandoned, Event, Unknown
from rtdash.core.service import ServiceLevel
from rtdash.core.service_tally import Period, counter

#: the ways, as the report names them
ONE_BY_ONE = "one by one (before)"
TOGETHER = "together (today's)"


def polls_events(calls: int, rounds: int) -> list[list[Event]]:
    """The events of each of ``rounds`` counted SCALE polls at ``calls`` live calls, as
    the service level was handed them."""
    kept: list[list[Event]] = []
    counting = [False]
    took = ServiceLevel._on_events

    def keeping(service: ServiceLevel, events: list[Event]) -> None:
        if counting[0]:
            kept.append(list(events))
        took(service, events)

    class Counted:
        def enable(self) -> None:
            counting[0] = True

        def disable(self) -> None:
            counting[0] = False

    # kept for the run only: the class's own method is put back below
    ServiceLevel._on_events = keeping  # type: ignore[method-assign]  # noted, then counted
    try:
        with remote_sim(scale_load(calls)) as sim:
            asyncio.run(
                measure_scale(RTDASH, sim, polls=rounds, warmup=3, slow=None, profiler=Counted())
            )
    finally:
        ServiceLevel._on_events = took  # type: ignore[method-assign]  # the class's own again
    return kept


def _one_by_one(service: ServiceLevel) -> Callable[[list[Event]], None]:
    """The way the service level took each event before: a call per event, counted as
    ``ServiceMetrics.handle`` counted one before :meth:`~ServiceMetrics.handle_all`."""
    metrics = service.metrics

    def handle(event: Event) -> None:
        if metrics.day_start is None:
            metrics.advance(event.at)
        assert metrics.day_start is not None
        at = event.at
        count = counter(type(event))
        if at >= metrics.day_start:
            metrics.day.add(event, metrics.short_abandon, count)
        minute = int(at // 60)
        if metrics.now is None or minute >= int(metrics.now // 60) - 61:
            period = metrics.minutes.get(minute)
            if period is None:
                period = metrics.minutes[minute] = Period()
            period.add(event, metrics.short_abandon, count)
            if metrics.changes is not None:
                metrics.changes.add(minute)

    def on_event(event: Event) -> None:
        handle(event)
        listeners = service.unanswered_listeners
        if listeners and isinstance(event, Abandoned | Unknown):
            for listener in listeners:
                listener(event)

    def take(events: list[Event]) -> None:
        for event in events:
            on_event(event)

    return take


def _together(service: ServiceLevel) -> Callable[[list[Event]], None]:
    return service._on_events


WAYS: dict[str, Callable[[ServiceLevel], Callable[[list[Event]], None]]] = {
    ONE_BY_ONE: _one_by_one,
    TOGETHER: _together,
}


def replay(polls: list[list[Event]], way: str) -> tuple[list[float], ServiceLevel]:
    """CPU seconds of each poll's events counted ``way`` into a fresh service level, and
    that service level."""
    service = ServiceLevel(ZoneInfo("UTC"))
    pending: deque[Any] = deque(maxlen=1000)  # as the outcome confirmation queues them
    service.unanswered_listeners.append(pending.append)
    take = WAYS[way](service)
    spent = []
    for events in polls:
        began = time.process_time()
        take(events)
        spent.append(time.process_time() - began)
    return spent, service


def measure(polls: list[list[Event]], repeats: int) -> dict[str, list[float]]:
    """Each way's CPU seconds per poll over ``repeats`` replays, the ways in ABBA turns."""
    names = list(WAYS)
    spent: dict[str, list[float]] = {name: [] for name in names}
    for index in range(repeats):
        order = names if (index + index // 2) % 2 == 0 else names[::-1]
        for name in order:
            spent[name] += replay(polls, name)[0]
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outcome_events", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    before = os.getloadavg()[0]
    polls = polls_events(args.calls, args.rounds)
    if not any(polls):
        parser.error("the polls brought no events to count")
    spent = measure(polls, args.repeats)
    medians = {name: statistics.median(times) for name, times in spent.items()}
    per_poll = statistics.median(len(events) for events in polls)
    ratio = medians[TOGETHER] / medians[ONE_BY_ONE]
    body = [
        "| way | CPU a poll (ms) | per event (µs) |",
        "| --- | ---: | ---: |",
        *(
            f"| {name} | {medians[name] * 1e3:.3f} | {medians[name] / per_poll * 1e6:.2f} |"
            for name in WAYS
        ),
        "",
        f"Together: **{ratio:.2f}×** the CPU of one by one, "
        f"{(medians[ONE_BY_ONE] - medians[TOGETHER]) * 1e3:.2f} ms a poll less "
        f"({per_poll:.0f} events a poll, median of {len(polls)} polls).",
    ]
    method = (
        f"{stamp(before)} The events of {len(polls)} SCALE polls at {args.calls:,} live "
        f"calls, counted again poll after poll into a fresh service level each way, "
        f"{args.repeats} replays in ABBA turns; medians of a poll's CPU."
    )
    command = rerun_command(parser, args, ["calls", "rounds", "repeats"])
    heading = f"## A poll's outcome events counted together (`{command}`)"
    publish("outcome-events", heading, method, body, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
