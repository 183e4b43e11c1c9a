"""A cancel that comes just as a wait ends is never lost.

On Python 3.11 ``asyncio.wait_for`` returns the inner result when it arrives in the
same turn as the outer task's cancel, and the cancel is gone: a hub told to stop (or
killed, in the fault tests) went on leading, and a poller went on polling. These waits
use ``asyncio.timeout`` instead; each test makes the wait end and cancels it at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from rtdash.core.poller import Poller
from rtdash.hub.publisher import InstallationPublisher, _next


async def _cancelled_as_it_ends(wait: Awaitable[Any], end: Callable[[], None]) -> None:
    """``wait`` in a task, ended by ``end`` and cancelled in the same turn: the task
    must end cancelled."""
    task = asyncio.ensure_future(wait)
    await asyncio.sleep(0)  # the task is waiting now
    end()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_hub_cancelled_as_a_frame_is_queued_stops_and_the_frame_stays() -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    await _cancelled_as_it_ends(_next(queue, 10.0), lambda: queue.put_nowait("frame"))  # type: ignore[arg-type]
    assert queue.get_nowait() == "frame", "the frame is not lost either"


@pytest.mark.parametrize(
    "nap",
    [
        lambda owner: InstallationPublisher._sleep(owner, 10.0),
        lambda owner: Poller._nap(owner, 10.0),
    ],
    ids=["standby hub's wait", "poller's wait"],
)
async def test_a_wait_woken_and_cancelled_in_one_turn_ends_cancelled(
    nap: Callable[[Any], Awaitable[None]],
) -> None:
    owner = SimpleNamespace(_wake=asyncio.Event(), _sleep=None)
    await _cancelled_as_it_ends(nap(owner), owner._wake.set)
