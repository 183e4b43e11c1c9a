"""Optional confirmation of unanswered calls through ``activeCall`` (``confirm_outcomes``).

A call that vanished without being seen bridged is counted as abandoned, and one that
vanished while nobody watched as unknown. Both can be wrong: a call answered and
finished between two polls (a long interval, an outage) was never seen bridged. The
``activeCall`` route answers for any call of the last 24 hours and, in advanced mode,
carries its hang-up ``callState``, ``callDuration`` and ``bridgeDuration``: enough to
put the call right.

It is off by default: ``activeCall`` needs the PII permission, and it costs one
request per unanswered call. Requests go at most one a second, one at a time. A basic
mode installation (no outcome in the row) or a 403 turns it off, with one notice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from rtdash.api import errors
from rtdash.api.models import CallerDetails
from rtdash.core.outcomes import Abandoned, Answered, Talked, Unknown
from rtdash.core.service import ServiceLevel

log = logging.getLogger(__name__)

#: calls waiting to be looked up; beyond this the oldest are left as counted
MAX_PENDING = 5000
_ANSWERED_WORDS = ("answer", "bridge", "connect", "complete")

Lookup = Callable[[str], Awaitable[CallerDetails | None]]


def outcome_of(details: CallerDetails) -> tuple[str, float | None, float | None] | None:
    """``(outcome, call seconds, bridge seconds)`` from an ``activeCall`` row, or None
    when the row says nothing about how the call ended (basic mode)."""
    if details.mode == "basic":
        return None
    bridge = details.bridge_duration
    state = (details.call_state or "").strip().lower()
    if (bridge is not None and bridge > 0) or any(word in state for word in _ANSWERED_WORDS):
        return "answered", details.call_duration, bridge
    if state or bridge == 0:
        return "abandoned", details.call_duration, bridge
    return None


class OutcomeConfirmer:
    """Queues each unanswered call of a :class:`ServiceLevel` and looks it up."""

    def __init__(
        self,
        service: ServiceLevel,
        lookup: Lookup,
        *,
        notice: Callable[[str], None] = lambda line: None,
        min_gap: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.service = service
        self.lookup = lookup
        self.notice = notice
        self.min_gap = min_gap
        self._sleep = sleep
        self.pending: deque[Abandoned | Unknown] = deque(maxlen=MAX_PENDING)
        self.enabled = True
        self.looked_up = 0
        self.corrected = 0
        self._wake = asyncio.Event()
        self._stopped = False
        service.unanswered_listeners.append(self.enqueue)

    def enqueue(self, event: Abandoned | Unknown) -> None:
        if self.enabled:
            self.pending.append(event)
            self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def disable(self, why: str) -> None:
        if not self.enabled:
            return
        self.enabled = False
        self.pending.clear()
        if self.enqueue in self.service.unanswered_listeners:
            self.service.unanswered_listeners.remove(self.enqueue)
        self.notice(f"outcome confirmation is off: {why}")

    async def run(self) -> None:
        """Look calls up until stopped or disabled; never raises for upstream faults."""
        while not self._stopped and self.enabled:
            if not self.pending:
                self._wake.clear()
                await self._wake.wait()
                continue
            await self.confirm_one()
            if self.enabled and not self._stopped:
                await self._sleep(self.min_gap)

    async def confirm_one(self) -> None:
        """Look up the oldest pending call and correct its outcome if it was wrong."""
        event = self.pending.popleft()
        self.looked_up += 1
        try:
            details = await self.lookup(event.ref)
        except errors.PermissionDenied:
            self.disable("this account may not look calls up (activeCall needs PII access)")
            return
        except errors.AuthFailed:
            self.disable("the credentials were refused")
            return
        except errors.RateLimited as exc:
            self.pending.appendleft(event)
            await self._sleep(max(self.min_gap, exc.retry_after or 0.0))
            return
        except errors.ApiError as exc:
            log.info("could not confirm %s: %s", event.ref, exc.message)
            return
        if details is None:
            return
        found = outcome_of(details)
        if found is None:
            self.disable("the service answers activeCall in basic mode (no call outcome)")
            return
        outcome, call_seconds, bridge_seconds = found
        self._apply(event, outcome, call_seconds, bridge_seconds)

    def _apply(
        self,
        event: Abandoned | Unknown,
        outcome: str,
        call_seconds: float | None,
        bridge_seconds: float | None,
    ) -> None:
        wait_start = event.at - event.held
        if outcome == "answered":
            wait: float | None = None
            if call_seconds is not None and bridge_seconds is not None:
                wait = max(0.0, call_seconds - bridge_seconds)
            at = wait_start + wait if wait is not None else event.at
            self.service.correct(event, Answered(event.ref, event.queue, at, wait, ""))
            if bridge_seconds is not None:
                # its talk too: these are the calls answered and ended between two polls
                # (or in a gap), the shortest of the day, which left out would raise
                # the day's average talk
                end = wait_start + call_seconds if call_seconds is not None else event.at
                self.service.count(Talked(event.ref, event.queue, end, float(bridge_seconds)))
            self.corrected += 1
        elif isinstance(event, Unknown):
            held = float(call_seconds) if call_seconds is not None else event.held
            right = Abandoned(event.ref, event.queue, wait_start + held, held)
            self.service.correct(event, right)
            self.corrected += 1
