"""Virtual loop time for the poller's tests: sleeps end at once, in order, and time
moves only by what was slept, so a test of "a retry 3 s later" takes no real time and
cannot flake on a loaded machine.

Time advances only when everything else on the loop has settled (every other task is
blocked on a virtual sleep or an event): a test's HTTP goes through an in-process
``httpx.MockTransport``, so "settled" is a bounded number of loop iterations.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools

#: loop iterations without a new sleeper before time may move on
SETTLE = 30


class VirtualTime:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._task: asyncio.Task[None] | None = None

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._order), future))
        await future

    async def _advance(self) -> None:
        while True:
            for _ in range(SETTLE):
                await asyncio.sleep(0)
            while self._sleepers and self._sleepers[0][2].done():  # cancelled sleeps
                heapq.heappop(self._sleepers)
            if not self._sleepers:
                continue
            deadline, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, deadline)
            future.set_result(None)

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._advance())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
