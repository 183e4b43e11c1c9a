"""A board watching an outage comes back soon after the service does, however long the
outage was: the retries of a failing route back off, but never past a wait a watched
screen can afford (the wallboard's whole job is to be current again quickly).

On the rig's virtual time (:mod:`tests.core.poller_rig`), with the settings' defaults:
what a dashboard or a wallboard gets unless its config says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from rtdash.config_sections import PollingSettings
from rtdash.core.poller_status import Route

from .poller_rig import Rig, made_rig, ok, running, status_503

#: the longest a watched screen stays stale once the service answers again
BACK_WITHIN = 15.0


@pytest.mark.parametrize("outage", [60.0, 600.0])
async def test_a_board_is_back_within_seconds_of_the_service_however_long_the_outage(
    outage: float,
) -> None:
    defaults = PollingSettings()
    async with made_rig() as rig:
        back_at = _an_outage_after_the_first_poll(rig, outage)
        poller = rig.poller(interval=defaults.interval, max_backoff=defaults.max_backoff)
        async with running(poller):
            await rig.both_polled()
            await rig.rec.until(lambda: rig.time.time() >= back_at, outage + 1, "the outage")
            polled = len(rig.rec.calls), len(rig.rec.users)
            fresh = await rig.rec.until(
                lambda: len(rig.rec.calls) > polled[0] and len(rig.rec.users) > polled[1],
                10 * outage,
                "both routes polled after the outage",
            )
    assert fresh - back_at <= BACK_WITHIN, (
        f"back {fresh - back_at:.0f} s after the service (max_backoff {defaults.max_backoff:g} s)"
    )


def _an_outage_after_the_first_poll(rig: Rig, outage: float) -> float:
    """Both routes answer their first request, then fail for ``outage`` seconds; the
    (virtual) time the service answers again."""
    back_at = rig.time.time() + outage

    def answer(route: Route) -> Callable[[int], httpx.Response]:
        def respond(number: int) -> httpx.Response:
            if number == 0 or rig.time.time() >= back_at:
                return ok(route)
            return status_503(number)

        return respond

    for route in Route:
        rig.upstream.answer[route] = answer(route)
    return back_at
