"""Chaos run: the real app, headless, against a simulator that misbehaves at random.

``python -m bench.chaos --seconds 60 --rate 0.2 --speed 20`` runs the dashboard (the
same ``RtdashApp`` as ``rtdash``, polling at the 1 s floor) for a bounded time against a
simulated centre whose clock runs ``--speed`` times faster, while about ``--rate`` of all
requests get a random fault (5xx, 429 + Retry-After, latency, a malformed line, a bare
string, the empty-array quirk, a reset, a dropped connection, rows missing fields,
unknown fields). The simulator runs in its own process (bench/chaos_sim.py), so the
memory measured is the app's alone. It reports, as a Markdown table:

* polls made and polls failed, per route;
* faults served, by kind;
* recoveries: a route going from failing back to healthy, and the app's phase going
  from "retrying" back to "live";
* crashes, which must be 0: the app exited early or with an error, a worker ended in
  error, a poller stopped, or the poller caught an internal error (a bug) and logged it;
* memory: RSS and tracemalloc's current size at start, middle and end, and the trend
  over the thirds of the samples (once a second, after a short warm-up): "flat" when
  the last third is within 10 % + 2 MiB of the first, "settling" when the growth at
  least halves from one third to the next (bounded caches filling), else "GROWING".

Exit status: 0 when there was no crash, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.chaos_sim import SimulatorProcess
from rtdash.api.credentials import Secret
from rtdash.sim.faults import DEFAULT_RANDOM_KINDS

#: memory samples taken this early are start-up, not the trend
STARTUP = 3.0
#: how often the run looks at the pollers (a failure lasts >= 0.8 s: none is missed)
LOOK_EVERY = 0.05
#: the last third of the memory samples may exceed the first third by this much
TREND_SLACK_RATIO = 0.10
TREND_SLACK_BYTES = 2 * 1024 * 1024
#: growth that at least halves from one third to the next is settling, not a leak
SETTLING = 0.5
MIB = 1024 * 1024


@dataclass
class MemorySample:
    at: float
    rss: int
    traced: int | None


@dataclass(frozen=True)
class Trend:
    """Means of the first, middle and last third of the memory samples.

    A leak grows by the same amount each third. Bounded caches filling up (Textual keeps
    up to 10,000 rendered cells per table) grow less each third, then stop.
    """

    first: float
    middle: float
    last: float

    @property
    def verdict(self) -> str:
        if self.last <= self.first * (1 + TREND_SLACK_RATIO) + TREND_SLACK_BYTES:
            return "flat"
        if self.last - self.middle <= SETTLING * (self.middle - self.first):
            return "settling"
        return "GROWING"

    def describe(self) -> str:
        thirds = " → ".join(_mib(value) for value in (self.first, self.middle, self.last))
        return f"{self.verdict} (thirds {thirds}; {(self.last - self.first) / MIB:+.1f} MiB)"


@dataclass
class Report:
    seconds: float
    rate: float
    speed: float
    seed: int
    warm_up: float = 0.0
    polls: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    faults: dict[str, int] = field(default_factory=dict)
    #: a route's error cleared by a later good poll
    route_recoveries: Counter[str] = field(default_factory=Counter)
    #: the app's phase went from retrying back to live
    phase_recoveries: int = 0
    crashes: list[str] = field(default_factory=list)
    memory: list[MemorySample] = field(default_factory=list)

    @property
    def recoveries(self) -> int:
        return sum(self.route_recoveries.values())

    def trend(self, pick: str) -> Trend | None:
        """The thirds of the samples after the warm-up, and what they say."""
        values = [
            getattr(sample, pick)
            for sample in self.memory
            if sample.at >= self.trend_from and getattr(sample, pick) is not None
        ]
        third = len(values) // 3
        if third < 1:
            return None
        return Trend(
            statistics.fmean(values[:third]),
            statistics.fmean(values[third : len(values) - third]),
            statistics.fmean(values[-third:]),
        )

    def markdown(self) -> str:
        def per_route(counts: Counter[str]) -> str:
            return f"{sum(counts.values())} (calls {counts['calls']}, users {counts['users']})"

        served = ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults.items()))
        rows = [
            (
                "run",
                f"{self._duration()}, fault rate {self.rate:g}, sim speed "
                f"{self.speed:g}x, seed {self.seed}",
            ),
            ("polls", per_route(self.polls)),
            ("failed polls", per_route(self.failed)),
            (
                "faults served",
                f"{sum(self.faults.values())} in {len(self.faults)} kinds: {served or 'none'}",
            ),
            (
                "recoveries",
                f"{per_route(self.route_recoveries)}; retrying → live {self.phase_recoveries}",
            ),
            (
                "crashes",
                f"{len(self.crashes)}" + (": " + "; ".join(self.crashes) if self.crashes else ""),
            ),
        ]
        for pick, label in (("rss", "RSS"), ("traced", "tracemalloc current")):
            points = self._start_middle_end(pick)
            if points is None:
                continue
            rows.append((f"{label} start / middle / end", " / ".join(_mib(v) for v in points)))
            trend = self.trend(pick)
            if trend is not None:
                rows.append((f"{label} trend", trend.describe()))
        lines = ["| measure | value |", "| --- | --- |"]
        lines += [f"| {name} | {value} |" for name, value in rows]
        return "\n".join(lines)

    @property
    def trend_from(self) -> float:
        return max(STARTUP, self.warm_up)

    def _duration(self) -> str:
        if self.warm_up:
            return f"{self.warm_up:g} s warm-up + {self.seconds:g} s measured"
        return f"{self.seconds:g} s"

    def _start_middle_end(self, pick: str) -> tuple[int, int, int] | None:
        values = [(s.at, getattr(s, pick)) for s in self.memory if getattr(s, pick) is not None]
        after = [v for v in values if v[0] >= self.trend_from] or values
        if not after:
            return None
        return after[0][1], after[len(after) // 2][1], after[-1][1]


def _mib(value: float) -> str:
    return f"{value / MIB:.1f} MiB"


def rss_bytes() -> int:
    """The resident set size now (Linux), else the peak so far (``ru_maxrss``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class _ErrorCounter(logging.Handler):
    """Counts ERROR records from rtdash: the poller logs a caught bug at that level."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


async def run(
    seconds: float,
    rate: float = 0.2,
    speed: float = 20.0,
    seed: int = 1,
    kinds: Sequence[str] = DEFAULT_RANDOM_KINDS,
    trace_memory: bool = True,
    warm_up: float = 0.0,
) -> Report:
    """Run the app against a chaotic simulator for ``warm_up`` + ``seconds`` (memory is
    judged on the samples after the warm-up only); return what happened."""
    from textual.pilot import Pilot
    from textual.worker import WorkerState

    from rtdash.config import Settings
    from rtdash.core.poller_status import Phase
    from rtdash.ui.app import RtdashApp
    from rtdash.ui.widgets.live_view import LiveView

    report = Report(seconds=seconds, rate=rate, speed=speed, seed=seed, warm_up=warm_up)
    sim = SimulatorProcess(seed, speed)
    settings = Settings()
    connection = settings.connection
    connection.base_url = sim.url
    connection.igrp = sim.igrp
    connection.username = sim.username
    connection.password = Secret(sim.password)
    connection.timeout = 2.0
    settings.polling.interval = 1.0
    settings.polling.max_backoff = 10.0
    app = RtdashApp(settings)

    errors = _ErrorCounter()
    rtdash_log = logging.getLogger("rtdash")
    rtdash_log.addHandler(errors)
    if trace_memory:
        tracemalloc.start()

    def views() -> list[LiveView]:
        return [view for screen in app.screen_stack for view in screen.query(LiveView)]

    async def drive(pilot: Pilot) -> None:
        started = time.monotonic()
        while not views() or not all(v.calls and v.users for v in views()):
            if time.monotonic() - started > 10:
                report.crashes.append("no data within 10 s of start")
                return
            await asyncio.sleep(LOOK_EVERY)
        before, _ = sim.stats()
        sim.ask("random", rate, list(kinds), seed)
        chaos_started = time.monotonic()
        failures: dict[tuple[int, str], int] = {}
        phases: dict[int, Phase] = {}
        next_sample = 0.0
        while (elapsed := time.monotonic() - chaos_started) < warm_up + seconds:
            if not app.is_running:
                report.crashes.append(f"the app stopped after {elapsed:.1f} s")
                return
            for index, view in enumerate(views()):
                status = view.poller.status()
                for route, health in status.routes.items():
                    # a failure lasts until the next try (>= 0.8 s): no look misses one
                    was = failures.get((index, route), 0)
                    if health.failures > was:
                        report.failed[str(route)] += health.failures - was
                    elif was and not health.failures:
                        report.route_recoveries[str(route)] += 1
                    failures[(index, route)] = health.failures
                if phases.get(index) is Phase.RETRYING and status.phase is Phase.LIVE:
                    report.phase_recoveries += 1
                phases[index] = status.phase
            if elapsed >= next_sample:
                traced = tracemalloc.get_traced_memory()[0] if trace_memory else None
                report.memory.append(MemorySample(elapsed, rss_bytes(), traced))
                next_sample += 1.0
            await asyncio.sleep(LOOK_EVERY)
        sim.ask("clear")
        requests, report.faults = sim.stats()
        report.polls = requests - before
        for worker in app.workers:
            if worker.state is WorkerState.ERROR:
                report.crashes.append(f"worker {worker.name!r} ended in error: {worker.error!r}")
        pollers = [worker for worker in app.workers if worker.name == "poller"]
        if not pollers or any(worker.state is not WorkerState.RUNNING for worker in pollers):
            report.crashes.append("a poller is not running")

    async def drive_then_exit(pilot: Pilot) -> None:
        try:
            await drive(pilot)
        finally:
            app.exit()

    try:
        await app.run_async(headless=True, size=(160, 48), auto_pilot=drive_then_exit)
    except Exception as exc:  # an unhandled exception in the app: the worst crash
        report.crashes.append(f"the app raised {type(exc).__name__}: {exc}")
    finally:
        rtdash_log.removeHandler(errors)
        if trace_memory:
            tracemalloc.stop()
        sim.stop()
    if app.return_code not in (0, None):
        report.crashes.append(f"the app exited with code {app.return_code}")
    report.crashes.extend(f"internal error logged: {message}" for message in errors.messages)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chaos", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default 60)")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=0.0,
        help="seconds of chaos first, left out of the memory trend (caches fill up)",
    )
    parser.add_argument("--rate", type=float, default=0.2, help="share of requests faulted")
    parser.add_argument("--speed", type=float, default=20.0, help="simulated time per second")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--kinds",
        default=",".join(DEFAULT_RANDOM_KINDS),
        help="comma-separated fault kinds (default: all but huge_body)",
    )
    parser.add_argument("--no-tracemalloc", action="store_true", help="RSS only (faster)")
    args = parser.parse_args(argv)
    kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    report = asyncio.run(
        run(
            args.seconds,
            args.rate,
            args.speed,
            args.seed,
            kinds,
            not args.no_tracemalloc,
            args.warm_up,
        )
    )
    print(report.markdown())
    return 1 if report.crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
