"""The leader's side of publishing between the poller and Redis: each snapshot and
status encoded once (the full frame for the latest state, the delta for the wire and
the history) and queued for the publishing loop, with the day's service state after the
calls poll that changed it. No I/O here: the poller's sink must not wait on Redis."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rtdash.core.agent_time import AgentTime
from rtdash.core.poller_status import PollerStatus
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.hub import codec, trend

log = logging.getLogger(__name__)

#: the history keeps every this-many-th snapshot frame whole, the others as deltas
KEYFRAME_EVERY = 30
#: the day's service state is published when it changed, and at least this often (in
#: intervals) when it did not, so the viewers' recent windows move on
SERVICE_EVERY = 5


@dataclass(frozen=True, slots=True)
class Item:
    field: str
    frame: bytes
    kind: str
    trend: str = ""
    keep: bool = True
    drop_field: str = ""
    publish: bool = True
    #: published instead of ``frame`` (a delta), and kept in the history instead
    wire: bytes = b""
    kept: bytes = b""


class QueueSink:
    """The poller's sink: encode once, queue for the publishing loop (no I/O here).
    With a service level, it is fed every snapshot here too, and its state queued after
    each calls frame that changed it (or every few intervals regardless): the whole of it
    stored for a next leader, the part screens show published."""

    def __init__(
        self,
        queue: asyncio.Queue[Item],
        on_status: Callable[[PollerStatus], None],
        service: ServiceLevel | None = None,
        service_every: float = 10.0,
        name: Callable[[], str | None] | None = None,
    ):
        self.queue = queue
        #: the installation's name as the publisher knows it now, sent with each status
        self._name = name
        self._on_status = on_status
        self.service = service
        self.service_every = service_every
        self._service_at = -math.inf
        #: the snapshot last queued per kind: the base of the next delta
        self._base: dict[str, CallsSnapshot | UsersSnapshot] = {}
        #: the latest snapshot of each route, whatever was lost: the trend's counts
        #: need both (agents on a bridged call are not available)
        self._calls: CallsSnapshot | None = None
        self._users: UsersSnapshot | None = None
        self._kept = 0
        self._health: object = None
        #: the day state's ``now`` as last queued for the screens
        self.shown_now: float | None = None
        #: the screens' day state last queued, and its time: the base of the next delta
        self._shown: tuple[float, dict[str, Any]] | None = None

    def _put(self, item: Item) -> None:
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            # a frame lost: the next delta's base may be the lost one, so no deltas
            # until a full frame has gone
            self._base.clear()
            self._shown = None
        self.queue.put_nowait(item)

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self._snapshot("calls", snapshot, codec.encode_calls(snapshot))
        if self.service is not None:
            # after the publishing loop has sent the frame: the screens wait for no count
            asyncio.get_running_loop().call_soon(self._count, snapshot)

    def on_users(self, snapshot: UsersSnapshot) -> None:
        self._snapshot("users", snapshot, codec.encode_users(snapshot))
        if self.service is not None:
            # agents' time today moves on here, and is published with the next calls
            asyncio.get_running_loop().call_soon(self._count, snapshot)

    def _count(self, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        service = self.service
        assert service is not None
        try:
            if isinstance(snapshot, CallsSnapshot):
                service.observe_calls(snapshot)
                self._service_due()
            else:
                service.observe_users(snapshot)
        except Exception:  # the live frames go on without today's totals
            log.exception("today's service level failed on a snapshot")

    def _service_due(self, *, force: bool = False) -> None:
        service = self.service
        assert service is not None
        now = time.monotonic()
        if not force and not service.dirty and now - self._service_at < self.service_every:
            return
        self._service_at = now
        service.dirty = False
        state, wall = service.to_dict(), time.time()
        self.shown_now = service.metrics.now
        # the whole state, for the next leader only; the part screens show, for everyone:
        # whole in the latest state, as changes to the one before on the wire
        screen = shown(state, service.agents)
        whole = codec.encode_service(state, wall)
        base, self._shown = self._shown, (wall, screen)
        wire = b"" if base is None else codec.encode_service_delta(screen, wall, base[1], base[0])
        self._put(Item("day", whole, "service", keep=False, publish=False))
        self._put(
            Item("service", codec.encode_service(screen, wall), "service", keep=False, wire=wire)
        )

    def _snapshot(self, kind: str, snapshot: CallsSnapshot | UsersSnapshot, frame: bytes) -> None:
        if isinstance(snapshot, CallsSnapshot):
            self._calls = snapshot
        else:
            self._users = snapshot
        entry = trend.entry(self._calls, self._users, snapshot.fetched_at)
        base = self._base.get(kind)
        self._base[kind] = snapshot
        if snapshot.unchanged:
            # the latest state keeps the full frame; the new time rides beside it
            self._put(Item(f"{kind}:same", frame, kind, entry))
            return
        # the latest state keeps the full frame (a late viewer starts from it); viewers
        # that hold the base get the delta, and the history keeps deltas between keyframes
        wire = codec.encode_delta(snapshot, base) if base is not None else b""
        self._kept += 1
        kept = b"" if self._kept % KEYFRAME_EVERY == 1 or not wire else wire
        item = Item(kind, frame, kind, entry, drop_field=f"{kind}:same", wire=wire, kept=kept)
        self._put(item)

    def on_status(self, status: PollerStatus) -> None:
        self._on_status(status)
        # every status goes to the viewers; the history keeps only those that say
        # something new about health (a poll's success time is in its snapshot already)
        health = (
            status.phase,
            status.slow,
            tuple(
                (route.value, h.failures, h.unreadable, type(h.error).__name__ if h.error else "")
                for route, h in sorted(status.routes.items())
            ),
        )
        keep, self._health = health != self._health, health
        self._put(status_item(status, keep=keep, name=self._name() if self._name else None))


def shown(state: dict[str, Any], agents: AgentTime | None = None) -> dict[str, Any]:
    """What a screen shows of a day's state: today's counts, the last hour's minutes
    (the recent windows' SL %, which a supervisor reads beside the day's), agents and
    gaps, without the calls in flight (a next leader's, to go on counting).

    With ``agents``, each agent's time goes as its clock (activity, since when, the
    time before that, and when they last went on or off a call), which
    :meth:`AgentTime.restore` takes as it takes the totals up to now, and which changes
    only when the agent's activity does: so the changes from one state to the next are
    a few counters and agents, not every agent."""
    out = {**state, "tracker": {}}
    if agents is not None:
        out["agents"] = {
            key: [clock.name, clock.activity, clock.since, dict(clock.totals), clock.left_call]
            for key, clock in agents.clocks.items()
        }
    return out


def status_item(status: PollerStatus, *, keep: bool, name: str | None = None) -> Item:
    frame = codec.encode_status(status, _wall(status), name)
    return Item("status", frame, "status", keep=keep)


def _wall(status: PollerStatus) -> float:
    """The wall clock at the status's loop time."""
    loop_now = asyncio.get_running_loop().time()
    return time.time() - (loop_now - status.made_at)
