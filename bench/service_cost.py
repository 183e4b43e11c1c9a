"""What following call outcomes costs a poll at 10,000 live calls, against what the poll
already costs (parsing the body and building the snapshot), measured in the same run.

    python -m bench.service_cost
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr

from bench.accuracy import START, ModelClock
from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot
from rtdash.sim import DEFAULT_INSTALLATIONS, SimConfig, Simulator


@dataclass(frozen=True)
class Cost:
    calls: int
    polls: int
    #: medians, seconds a poll
    fetch_and_build: float
    observe: float

    @property
    def ratio(self) -> float:
        return self.observe / self.fetch_and_build

    def line(self) -> str:
        return (
            f"At {self.calls:,} live calls, following outcomes costs "
            f"{self.observe * 1000:.1f} ms a poll (median of {self.polls}), "
            f"{self.ratio:.2f}× the {self.fetch_and_build * 1000:.0f} ms the poll already spends "
            "reading the body and building its snapshot (`python -m bench.service_cost`)."
        )


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


async def _measure(calls: int, polls: int, interval: float) -> Cost:
    sim = frozen_centre(calls)
    clock = ModelClock(sim)
    service = ServiceLevel(ZoneInfo("UTC"))
    # the simulator makes each body before the clock starts: only rtdash's side is timed
    body: list[httpx.Response] = []

    def answer(request: httpx.Request) -> httpx.Response:
        return body[0]

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(username=sim.username, password=SecretStr(sim.password)),
            base_url="http://sim.invalid/reports/v2",
            http=http,
            now=clock.now,
            max_body=256 * 1024 * 1024,
            # answered in-process by a MockTransport: no network is involved
            allow_insecure_http=True,
        )
        build: list[float] = []
        observe: list[float] = []
        live = 0
        auth = f"Basic {_basic(sim.username, sim.password)}"
        for _ in range(polls):
            made = sim.serve_inprocess(
                f"/reports/v2/igrps/{sim.igrp}/pbxActiveCalls", "tz=UTC", auth
            )
            body[:] = [
                httpx.Response(
                    made.status, content=made.body, headers={"Content-Type": made.content_type}
                )
            ]
            began = time.perf_counter()
            result = await client.active_calls()
            snapshot = CallsSnapshot.build(result.rows, result.fetched_at, result.unreadable)
            built = time.perf_counter()
            service.observe_calls(snapshot)
            done = time.perf_counter()
            build.append(built - began)
            observe.append(done - built)
            live = len(result.rows)
            sim.advance(interval)
    # the first poll meets every call for the first time: steady state is what counts
    return Cost(live, polls - 1, statistics.median(build[1:]), statistics.median(observe[1:]))


def _basic(user: str, password: str) -> str:
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


def measure(calls: int = 10_000, polls: int = 15, interval: float = 2.0) -> Cost:
    return asyncio.run(_measure(calls, polls, interval))


if __name__ == "__main__":
    print(measure().line())
