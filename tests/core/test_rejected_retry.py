"""Refused credentials are tried again by themselves, slowly: one refusal (a proxy's, an
auth service's passing fault) stopped a wallboard for good, and nobody presses a key on
a TV. Slowly, and one request at a time, so that wrong credentials left running do not
lock the account.

On the rig's virtual time (:mod:`tests.core.poller_rig`), with the settings' defaults.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import httpx

from rtdash.config_sections import PollingSettings
from rtdash.constants import REJECTED_BACKOFF, REJECTED_MAX_BACKOFF
from rtdash.core.poller_status import Phase, Route

from .poller_rig import Rig, made_rig, now_text, ok, running

#: the jitter every backoff carries, either way
JITTER = 0.2


def refused(_: int) -> httpx.Response:
    return httpx.Response(401, text='"auth required"')


def refused_until(rig: Rig, route: Route, until: float) -> Callable[[int], httpx.Response]:
    """``route`` refusing the credentials until the (virtual) time ``until``."""

    def respond(number: int) -> httpx.Response:
        return ok(route) if rig.time.time() >= until else refused(number)

    return respond


def tries(rig: Rig) -> list[float]:
    """The times of every request, on either route, in order."""
    return sorted(rig.upstream.starts[Route.CALLS] + rig.upstream.starts[Route.USERS])


async def test_401_stops_all_polling_until_the_credentials_are_tried_again() -> None:
    """Not at the pace of an outage's retries; a refresh tries them at once."""
    async with made_rig() as rig:
        rejected = {"yes": True}

        def calls(_: int) -> httpx.Response:
            if rejected["yes"]:
                return httpx.Response(401, text='"auth required"')
            return ok(Route.CALLS)

        rig.upstream.answer[Route.CALLS] = calls
        poller = rig.poller(interval=1.0)
        async with running(poller):
            await rig.rec.until(lambda: rig.rec.phase is Phase.AUTH_FAILED, 1.0, "auth failure")
            await rig.rec.until(lambda: rig.upstream.total == 0, 1.0, "in-flight requests done")
            counts = {route: rig.upstream.count(route) for route in Route}
            await rig.sleep(1.5)  # past the next due poll
            assert {route: rig.upstream.count(route) for route in Route} == counts
            assert rig.rec.phase is Phase.AUTH_FAILED
            assert now_text(poller).startswith("credentials rejected, retrying in 0:")

            rejected["yes"] = False  # e.g. a lock lifted upstream
            poller.refresh_now()
            await rig.rec.until(lambda: rig.rec.phase is Phase.LIVE, 1.0, "live after refresh")
            # the one route that tried them first, then every route at once
            await rig.rec.until(
                lambda: all(rig.upstream.count(r) > counts[r] for r in Route), 0.1, "both polled"
            )


async def test_after_a_passing_refusal_polling_resumes_by_itself() -> None:
    """The reviewer's server: refused for eight seconds, then answering normally."""
    defaults = PollingSettings()
    async with made_rig() as rig:
        back_at = rig.time.time() + 8.0
        for route in Route:
            rig.upstream.answer[route] = refused_until(rig, route, back_at)
        poller = rig.poller(interval=defaults.interval, max_backoff=defaults.max_backoff)
        async with running(poller):
            await rig.rec.until(lambda: rig.rec.phase is Phase.AUTH_FAILED, 1.0, "the refusal")
            live = await rig.rec.until(
                lambda: rig.rec.phase is Phase.LIVE,
                REJECTED_BACKOFF * (1 + JITTER) + 1.0,
                "live again with no key pressed",
            )
            assert now_text(poller) == "live"
            # and back at the pace of a healthy board
            polled = len(rig.rec.calls)
            await rig.sleep(3 * defaults.interval)
            assert len(rig.rec.calls) >= polled + 2, "polling did not go back to its interval"
    assert live - back_at <= REJECTED_BACKOFF * (1 + JITTER)
    # while refused: the first requests of both routes, then one try, not one per route
    assert len([t for t in tries(rig) if t < live]) <= 3, tries(rig)


async def test_the_wait_between_tries_doubles_and_is_capped() -> None:
    async with made_rig() as rig:
        for route in Route:
            rig.upstream.answer[route] = refused
        poller = rig.poller(interval=PollingSettings().interval)
        async with running(poller):
            await rig.rec.until(
                lambda: len(tries(rig)) >= 10, 4000.0, "nine tries after the first refusal"
            )
    starts = tries(rig)
    # the first poll sends both routes at once; from then on, one request a try
    assert starts[0] == starts[1]
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts[1:])]
    for number, gap in enumerate(gaps, start=1):
        base = REJECTED_BACKOFF * 2 ** (number - 1)
        if base * (1 - JITTER) <= REJECTED_MAX_BACKOFF:
            assert gap >= base * (1 - JITTER), (number, gaps)
        assert gap <= min(base * (1 + JITTER), REJECTED_MAX_BACKOFF), (number, gaps)
    assert gaps[-1] >= REJECTED_MAX_BACKOFF * (1 - JITTER), gaps  # it reached the cap


async def test_r_tries_at_once_and_a_refusal_after_it_waits_longer() -> None:
    async with made_rig() as rig:
        for route in Route:
            rig.upstream.answer[route] = refused
        poller = rig.poller(interval=PollingSettings().interval)
        async with running(poller):
            await rig.rec.until(lambda: rig.rec.phase is Phase.AUTH_FAILED, 1.0, "the refusal")
            await rig.rec.until(lambda: rig.upstream.total == 0, 1.0, "both answers")
            sent = len(tries(rig))
            await rig.sleep(5.0)
            pressed = rig.time.time()
            poller.refresh_now()  # r
            await rig.rec.until(lambda: len(tries(rig)) > sent, 0.1, "a try at once")
            assert tries(rig)[-1] == pressed
            assert len(tries(rig)) == sent + 1  # one request: the credentials are shared
            await rig.rec.until(lambda: rig.upstream.total == 0, 1.0, "refused again")
            said = now_text(poller)
            assert re.fullmatch(r"credentials rejected, retrying in [01]:[0-5][0-9]", said), said
            # refused once more: the next try comes by itself, after a longer wait
            await rig.rec.until(
                lambda: len(tries(rig)) > sent + 1,
                2 * REJECTED_BACKOFF * (1 + JITTER) + 1.0,
                "the next try by itself",
            )
    assert tries(rig)[-1] - pressed >= 2 * REJECTED_BACKOFF * (1 - JITTER)


async def test_the_status_counts_down_to_the_next_try_then_says_it_is_under_way() -> None:
    async with made_rig() as rig:
        rig.upstream.answer[Route.CALLS] = refused
        poller = rig.poller(interval=PollingSettings().interval)
        async with running(poller):
            await rig.rec.until(lambda: rig.rec.phase is Phase.AUTH_FAILED, 1.0, "the refusal")
            await rig.rec.until(lambda: rig.upstream.total == 0, 1.0, "both answers")
            due = poller.status().routes[Route.CALLS].next_try
            assert due is not None
            assert now_text(poller) == (
                f"credentials rejected, retrying in 0:{int(due - rig.time.time()) + 1:02d}"
            )
            rig.upstream.delay = 10.0  # the try hangs
            await rig.rec.until(lambda: rig.upstream.total == 1, due - rig.time.time() + 1, "try")
            assert now_text(poller) == "credentials rejected, retrying now"
