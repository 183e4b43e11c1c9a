"""What following call outcomes and saving the day cost rtdash at a big centre, measured
in the same run.

    python -m bench.service_cost [--calls 10000,50000] [--polls 12] [--saves 5]

- **observe**: the service level taking one poll of both routes (calls, then users), the
  snapshots built as the poller builds them (on the last ones, rows reused), against
  what the poll already spends reading the bodies and building the snapshots;
- **save**: the day-state save, the way it is made now (the parts that changed encoded
  on the event loop, then joined and written by a thread) against the whole state the
  old save took (``ServiceLevel.to_dict()`` on the loop, encoded and written by the
  thread), both taken at the same moments of the same day. The day first runs an hour
  in three-minute steps (so the per-minute counters are an hour's), then in one-second
  polls with a save every five.

CPU time (``time.process_time``) of this process; the bodies are made by the simulator
in-process before the clock starts; medians. The garbage collector is emptied before
each timed step, so each is charged the collections its own allocations cause.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bench.accuracy import START, ModelClock
from rtdash.api.client import InfinityClient
from rtdash.api.credentials import Credentials, Secret
from rtdash.core.daystate import DayStore, write_state
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.sim import DEFAULT_INSTALLATIONS, SimConfig, Simulator

ROUTES: tuple[tuple[str, str, Literal["call", "user"]], ...] = (
    ("pbxActiveCalls", "tz=UTC", "call"),
    ("pbxUserStatus", "tz=UTC&sort[]=stateStartDatetime-asc", "user"),
)


@dataclass(frozen=True)
class Cost:
    calls: int
    polls: int
    saves: int
    #: medians, seconds
    fetch_and_build: float
    observe: float
    whole_loop: float
    whole_thread: float
    parts_loop: float
    parts_thread: float
    megabytes: float
    #: the first save after a start: every call and clock read on the loop, then encoded
    #: on a thread (seconds, once)
    first_loop: float
    first_thread: float

    def line(self) -> str:
        """The observe figure alone (as bench.accuracy quotes it)."""
        return self.lines()[0] + " (`python -m bench.service_cost`)"

    def lines(self) -> list[str]:
        if math.isnan(self.parts_loop):
            return self.lines_all()[:1]
        return self.lines_all()

    def lines_all(self) -> list[str]:
        ms = 1000
        return [
            f"At {self.calls:,} live calls, following outcomes and agents costs "
            f"{self.observe * ms:.1f} ms a poll of both routes (median of {self.polls}), "
            f"{self.observe / self.fetch_and_build:.2f}× the {self.fetch_and_build * ms:.0f} ms "
            "the poll already spends reading the bodies and building the snapshots.",
            f"The day-state save ({self.megabytes:.1f} MB, median of {self.saves}): "
            f"{self.parts_loop * ms:.1f} ms on the event loop and "
            f"{self.parts_thread * ms:.1f} ms writing, against the whole state's "
            f"{self.whole_loop * ms:.1f} ms and {self.whole_thread * ms:.1f} ms at the "
            f"same moments ({self.whole_loop / max(self.parts_loop, 1e-9):.0f}× less on "
            "the loop).",
            f"The first save after a start reads the day on the loop in "
            f"{self.first_loop * ms:.1f} ms and encodes it on a thread in "
            f"{self.first_thread * ms:.1f} ms (once).",
        ]


def frozen_centre(calls: int) -> Simulator:
    """One installation at ``calls`` live calls, its clock frozen at the accuracy bench's
    start, warmed up for half an hour: the centre the poll-cost benches read."""
    return Simulator(
        SimConfig(
            seed=7,
            agents=max(100, calls // 3),
            load=calls,
            realtime=False,
            start=START,
            warm_up=1800,
            installations=[DEFAULT_INSTALLATIONS[0]],
        )
    )


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    began = time.process_time()
    out = step()
    return time.process_time() - began, out


async def _measure(calls: int, polls: int, saves: int, folder: Path) -> Cost:
    sim = frozen_centre(calls)
    clock = ModelClock(sim)
    body: list[bytes] = []
    # a login drawn for the run: this client never reaches a server
    login = "bench"
    secret = secrets.token_urlsafe(12)

    client = InfinityClient(
        igrp=sim.igrp,
        credentials=Credentials(login, Secret(secret)),
        base_url="http://127.0.0.1:1/r",
        max_body=256 * 1024 * 1024,
    )

    async def get_body(
        route: str, params: object, stream: object = None
    ) -> tuple[bytes, str, datetime]:
        return body[0], "utf-8", clock.now()  # whole, as a small body is read

    client._get_body = get_body  # type: ignore[method-assign]  # no socket: bytes ready
    auth = "Basic " + _basic(sim.username, sim.password)
    service = ServiceLevel(ZoneInfo("UTC"))
    store = DayStore(folder / "parts.json", every=0.0)
    last: dict[str, Any] = {}
    build: list[float] = []
    observe: list[float] = []
    whole: list[tuple[float, float]] = []
    parts: list[tuple[float, float]] = []
    size = 0

    async def poll() -> tuple[float, float]:
        spent = seen = 0.0
        for route, query, kind in ROUTES:
            made = sim.serve_inprocess(f"/reports/v2/igrps/{sim.igrp}/{route}", query, auth)
            body[:] = [made.body]
            began = time.process_time()
            result: Any = await client._fetch_rows(route, [("tz", "UTC")], kind, False)
            snapshot: CallsSnapshot | UsersSnapshot
            if kind == "call":
                snapshot = CallsSnapshot.build(
                    result.rows,
                    result.fetched_at,
                    result.unreadable,
                    result.server_now,
                    previous=last.get(kind),
                    keyed=False,
                )
            else:
                snapshot = UsersSnapshot.build(
                    result.rows,
                    result.fetched_at,
                    result.unreadable,
                    previous=last.get(kind),
                    keyed=False,
                )
            last[kind] = snapshot
            built = time.process_time()
            if isinstance(snapshot, CallsSnapshot):
                service.observe_calls(snapshot)
            else:
                service.observe_users(snapshot)
            spent += built - began
            seen += time.process_time() - built
        return spent, seen

    for _ in range(20):  # an hour in three-minute steps: the per-minute counters fill
        await poll()
        sim.advance(180.0)
    index = 0
    while len(observe) < polls or len(parts) < saves:
        sim.advance(1.0)
        spent, seen = await poll()
        build.append(spent)
        observe.append(seen)
        index += 1
        if index % 5 or not saves:
            continue
        # the save both ways at this moment, in turns (the parts' first is the whole
        # day read and encoded, as the saver's first: reported apart)
        steps: list[tuple[str, Callable[[], tuple[float, float]]]] = [
            ("whole", lambda: _whole_save(service, folder / "whole.json")),
            ("parts", lambda: _parts_save(service, store)),
        ]
        if index % 10:
            steps.reverse()
        for name, step in steps:
            spent_loop, spent_thread = step()
            (whole if name == "whole" else parts).append((spent_loop, spent_thread))
        size = os.path.getsize(store.path)
    await client.aclose()
    if not saves:  # observing alone (the way to run it against an older tree too)
        parts = whole = [(math.nan, math.nan)] * 2
        size = 0
    return Cost(
        calls=sum(len(group) for group in last["call"].groups.values()),
        polls=len(observe),
        saves=len(parts) - 1,
        fetch_and_build=statistics.median(build),
        observe=statistics.median(observe),
        whole_loop=statistics.median(loop for loop, _ in whole[1:]),
        whole_thread=statistics.median(thread for _, thread in whole[1:]),
        parts_loop=statistics.median(loop for loop, _ in parts[1:]),
        parts_thread=statistics.median(thread for _, thread in parts[1:]),
        megabytes=size / 1e6,
        first_loop=parts[0][0],
        first_thread=parts[0][1],
    )


def _whole_save(service: ServiceLevel, path: Path) -> tuple[float, float]:
    """The old save: the whole state taken on the loop, encoded and written."""
    loop, state = _timed(service.to_dict)
    thread, _ = _timed(lambda: write_state(path, state))
    return loop, thread


def _first_save(service: ServiceLevel, store: DayStore) -> tuple[float, float]:
    """As the saver's first: the day read on the loop, encoded on a thread."""
    loop, encode = _timed(lambda: store.parts.begin(service))
    thread, built = _timed(encode)
    assert store.parts.install(service, built)
    assert store.write(store.due(service, force=True) or {})  # then saved as any other
    return loop, thread


def _parts_save(service: ServiceLevel, store: DayStore) -> tuple[float, float]:
    if store.parts.stale(service):
        return _first_save(service, store)
    loop, state = _timed(lambda: store.due(service, force=True))
    thread, wrote = _timed(lambda: store.write(state))
    assert wrote, store.error
    return loop, thread


def _basic(user: str, password: str) -> str:
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


def measure(calls: int = 10_000, polls: int = 12, saves: int = 5) -> Cost:
    with tempfile.TemporaryDirectory() as folder:
        return asyncio.run(_measure(calls, polls, saves + 1, Path(folder)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.service_cost", description=__doc__)
    parser.add_argument("--calls", default="10000,50000")
    parser.add_argument("--polls", type=int, default=12)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument(
        "--observe-only", action="store_true", help="no saves (runs against older trees)"
    )
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f}")
    for calls in (int(size) for size in args.calls.split(",")):
        saves = -1 if args.observe_only else args.saves
        for line in measure(calls, args.polls, saves).lines():
            print(line)
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
