"""``python -m bench.accuracy``: today's service level inferred from polls vs the truth.

A simulated 8-hour day (08:00–16:00, the centre opening empty) is polled at 1, 2, 5
and 10 s. Each poll goes through the real client (HTTP request building, body
decoding, row parsing through the field mapping) and the poller's snapshot path, into
:class:`rtdash.core.service.ServiceLevel`; only the socket is skipped (the simulator
answers in-process), so a day runs in a minute instead of eight hours. The simulator's
ground truth (``GET /_sim/stats``, here :meth:`Simulator.stats`) says what really
happened; the table compares the two per metric and writes a section of
``bench/RESULTS.md`` that ``python -m bench`` keeps.

    python -m bench.accuracy              # medium and staffed loads, 1/2/5/10 s
    python -m bench.accuracy --hours 1    # shorter day
    python -m bench.accuracy --no-write   # print only
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.report import KEPT_END
from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.credentials import Secret
from rtdash.core.poller import Poller
from rtdash.core.poller_status import Route
from rtdash.core.service import ServiceLevel
from rtdash.core.service_metrics import ServiceReport
from rtdash.sim import DEFAULT_INSTALLATIONS, SimConfig, Simulator

HERE = Path(__file__).resolve().parent
START = datetime(2026, 5, 1, 8, 0, 0, tzinfo=UTC)
SL_SECONDS = 20
SHORT_ABANDON = 5
INTERVALS = (1.0, 2.0, 5.0, 10.0)
#: the section rewritten by this benchmark; `python -m bench` keeps it (bench.report)
MARKER_BEGIN, MARKER_END = "<!-- kept:accuracy -->", KEPT_END


@dataclass(frozen=True)
class Scenario:
    name: str
    calls: int
    agents: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.calls} calls, {self.agents} users)"


#: "medium" is bench.loads' medium (an overloaded centre: most callers give up);
#: "staffed" is the same traffic with enough agents for a service level near 50 %
SCENARIOS = {
    s.name: s
    for s in (
        Scenario("small", 30, 20),
        Scenario("medium", 200, 100),
        Scenario("staffed", 200, 260),
    )
}


class ModelClock:
    """The poller's clock, reading the simulator's model time."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.sim.model.now, UTC)

    def monotonic(self) -> float:
        return self.sim.model.now


def _transport(sim: Simulator) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        answer = sim.serve_inprocess(
            request.url.path, request.url.query.decode(), request.headers.get("Authorization")
        )
        headers = {"Content-Type": answer.content_type, **answer.headers}
        return httpx.Response(answer.status, content=answer.body, headers=headers)

    return httpx.MockTransport(handle)


@dataclass
class Run:
    scenario: Scenario
    interval: float
    inferred: ServiceReport
    truth: dict[str, Any]
    polls: int
    seconds: float


async def _day(
    scenario: Scenario,
    interval: float,
    hours: float,
    seed: int,
    make_service: Callable[[], ServiceLevel] | None = None,
) -> Run:
    sim = Simulator(
        SimConfig(
            seed=seed,
            agents=scenario.agents,
            load=scenario.calls,
            realtime=False,
            start=START,
            warm_up=0,
            installations=[DEFAULT_INSTALLATIONS[0]],
        )
    )
    clock = ModelClock(sim)
    service = (
        make_service()
        if make_service is not None
        else ServiceLevel(ZoneInfo("UTC"), sl_seconds=SL_SECONDS, short_abandon=SHORT_ABANDON)
    )
    http = httpx.AsyncClient(transport=_transport(sim))
    client = InfinityClient(
        igrp=sim.igrp,
        credentials=Credentials(username=sim.username, password=Secret(sim.password)),
        base_url="http://sim.invalid/reports/v2",
        http=http,
        now=clock.now,
        # the simulator answers in-process (a MockTransport), no network is involved
        allow_insecure_http=True,
    )
    poller = Poller(
        client,
        on_calls=service.observe_calls,
        on_users=service.observe_users,
        on_status=lambda status: None,
        interval=interval,
        clock=clock,
    )
    began = time.perf_counter()
    steps = round(hours * 3600 / interval)
    loop = asyncio.get_running_loop()
    for _ in range(steps + 1):
        # the poller's own per-route poll (request, parse, snapshot, callbacks); its
        # timing loop is skipped because the model clock, not real time, moves here
        await poller._poll(Route.CALLS, loop.time())
        await poller._poll(Route.USERS, loop.time())
        sim.advance(interval)
    await http.aclose()
    elapsed = time.perf_counter() - began
    end = sim.model.now_s - round(interval)
    truth = sim.stats(f"until={end}&sl={SL_SECONDS}&short={SHORT_ABANDON}")
    return Run(
        scenario=scenario,
        interval=interval,
        inferred=service.report("today"),
        # the debug route's JSON is untyped; its shape is tested in tests/sim
        truth=truth["truth"][str(sim.igrp)]["all"],  # type: ignore[index]
        polls=poller.polls,
        seconds=elapsed,
    )


def run_day(
    scenario: Scenario,
    interval: float,
    hours: float = 8.0,
    seed: int = 7,
    make_service: Callable[[], ServiceLevel] | None = None,
) -> Run:
    """One simulated day; ``make_service`` swaps in another inference (a test's
    deliberately broken one)."""
    return asyncio.run(_day(scenario, interval, hours, seed, make_service))


# --- comparing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    name: str
    inferred: Callable[[ServiceReport], float | None]
    truth: Callable[[dict[str, Any]], float | None]
    #: "pct": relative error in %; "points": absolute, in points; "s": absolute seconds
    kind: str
    target: float | None = None


def _excl_short(d: dict[str, Any]) -> float:
    return float(d["abandoned"] - d["short_abandoned"])


METRICS: tuple[Metric, ...] = (
    Metric("offered", lambda r: r.total.offered, lambda t: t["offered"], "pct", 1.0),
    Metric("answered", lambda r: r.total.answered, lambda t: t["answered"], "pct", 1.0),
    Metric(
        "abandoned (excl. short)",
        lambda r: r.total.abandoned - r.total.short_abandoned,
        _excl_short,
        "pct",
        1.0,
    ),
    Metric(
        "short abandons",
        lambda r: r.total.short_abandoned,
        lambda t: t["short_abandoned"],
        "pct",
    ),
    Metric(
        f"SL % ({SL_SECONDS} s)",
        lambda r: r.total.sl_percent,
        lambda t: t["sl_percent"][str(SL_SECONDS)],
        "points",
        1.0,
    ),
    Metric(
        "abandon %",
        lambda r: r.total.abandon_percent,
        lambda t: t["abandon_percent"],
        "points",
    ),
    Metric("ASA (s)", lambda r: r.total.asa, lambda t: t["asa"], "s", 1.0),
    Metric(
        "longest answer (s)", lambda r: r.total.longest_answer, lambda t: t["longest_answer"], "s"
    ),
    Metric("avg talk (s)", lambda r: r.total.avg_talk, lambda t: t["avg_talk"], "s", 1.0),
    Metric(
        "longest talk (s)", lambda r: r.total.longest_talk, lambda t: t["longest_talk"], "s", 1.0
    ),
)


def error_of(metric: Metric, run: Run) -> float | None:
    got, want = metric.inferred(run.inferred), metric.truth(run.truth)
    if got is None or want is None:
        return None
    if metric.kind == "pct":
        return 100.0 * (got - want) / want if want else (0.0 if got == want else float("inf"))
    return float(got) - float(want)


def _fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "pct" and float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.1f}" if kind != "points" else f"{value:.2f}"


def _err(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    unit = {"pct": " %", "points": " pt", "s": " s"}[kind]
    return f"{value:+.2f}{unit}"


def table(runs: list[Run]) -> list[str]:
    lines: list[str] = []
    for scenario in dict.fromkeys(r.scenario for r in runs):
        mine = [r for r in runs if r.scenario == scenario]
        head = "| metric | truth | " + " | ".join(f"{r.interval:g} s" for r in mine) + " | target |"
        lines += [f"**{scenario.label}**", "", head, "|" + " --- |" * (len(mine) + 3)]
        for metric in METRICS:
            truth = metric.truth(mine[0].truth)
            cells = []
            for run in mine:
                got = metric.inferred(run.inferred)
                cells.append(
                    f"{_fmt(got, metric.kind)} ({_err(error_of(metric, run), metric.kind)})"
                )
            target = "–"
            if metric.target is not None:
                unit = {"pct": " %", "points": " pt", "s": " s"}[metric.kind]
                target = f"±{metric.target:g}{unit} at 2 s"
            lines.append(
                f"| {metric.name} | {_fmt(truth, metric.kind)} | "
                + " | ".join(cells)
                + f" | {target} |"
            )
        lines.append("")
    return lines


def misses(
    runs: list[Run], interval: float = 2.0, scenario: str = "medium", scale: float = 1.0
) -> list[str]:
    """The targets (each widened ``scale`` times) a run missed; empty when all are met."""
    out = []
    for run in runs:
        if run.interval != interval or run.scenario.name != scenario:
            continue
        for metric in METRICS:
            if metric.target is None:
                continue
            err = error_of(metric, run)
            if err is None or abs(err) > metric.target * scale:
                out.append(f"{run.scenario.name} at {interval:g} s: {metric.name} off by {err}")
    return out


def section(
    runs: list[Run], hours: float, command: str, elapsed: float, cost: str | None = None
) -> str:
    lines = [
        MARKER_BEGIN,
        "## Service level accuracy",
        "",
        f"Produced by `{command}` in {elapsed / 60:.1f} min: a simulated {hours:g}-hour day "
        "(08:00 on, the centre opening empty), polled at each interval through the real "
        "client, parser and poller snapshot path (the simulator answers in-process instead "
        "of over a socket), inferred by `rtdash.core.service.ServiceLevel`, against the "
        "simulator's ground truth. Each cell is the inferred value and its error against "
        "the truth (relative for counts, points for percentages, seconds for times). "
        f"SL threshold {SL_SECONDS} s, short abandon < {SHORT_ABANDON} s.",
        "",
        *table(runs),
    ]
    missed = misses(runs)
    lines.append(
        "Targets at 2 s on the medium load: " + ("all met." if not missed else "; ".join(missed))
    )
    if cost:
        lines += ["", cost]
    lines += ["", MARKER_END]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace this section in RESULTS.md (or append it), leaving the rest as it is."""
    old = path.read_text() if path.exists() else ""
    if MARKER_BEGIN in old and MARKER_END in old:
        head, _, rest = old.partition(MARKER_BEGIN)
        _, _, tail = rest.partition(MARKER_END)
        new = head + text.rstrip("\n") + tail
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    path.write_text(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--interval", action="append", type=float)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--no-cost", action="store_true", help="skip the cost at 10,000 live calls")
    args = parser.parse_args(argv)
    scenarios = [SCENARIOS[name] for name in (args.scenario or ["medium", "staffed"])]
    intervals = tuple(args.interval or INTERVALS)
    began = time.perf_counter()
    runs = []
    for scenario in scenarios:
        for interval in intervals:
            run = run_day(scenario, interval, args.hours, args.seed)
            print(f"{scenario.label} at {interval:g} s: {run.polls} polls, {run.seconds:.0f} s")
            runs.append(run)
    command = "python -m bench.accuracy" + ("".join(f" {a}" for a in argv) if argv else "")
    cost = None
    if not args.no_cost:
        from bench.service_cost import measure

        cost = measure().line()
    text = section(runs, args.hours, command, time.perf_counter() - began, cost)
    print(text)
    if not args.no_write:
        write_section(args.output, text)
    return 1 if misses(runs) and any(s.name == "medium" for s in scenarios) else 0


if __name__ == "__main__":
    raise SystemExit(main())
