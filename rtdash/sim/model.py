"""The call-centre model: callers, queues and agents driven by a heap of timed events.

Why event-driven: the simulator must hold thousands of live calls and answer a request in
milliseconds, and advancing the clock by an hour must not loop over every call once a
second. Each call and agent schedules its own next change; advancing the clock pops only
the events that fall due. All event times are whole model seconds (epoch seconds), so the
durations the wire reports add up exactly (ring + queue + bridge = call).

A call's life: it rings (3–20 s; a few callers hang up here), hears a short queue
greeting, then waits FIFO in its line's queue until an available agent who serves that
queue is free, talks (log-normal, 30 s – 10 min) and hangs up. Callers who wait beyond
their patience abandon the queue. Agents wrap up after each call and take breaks now and
then; some are in meetings at the start of the day.

Agent state while on a call: **unavailable**. The dashboard counts "available" users as
free to take calls, so an agent stays "unavailable" from the moment a call is bridged
through the wrap-up that follows; the state (and its start time) changes again when the
agent is ready for the next call. Back-office users (``dashboard`` flag "0") take no
queue calls; they flip between available and unavailable on their own slow schedule.

Load: the arrival rate follows Little's law, ``λ = load / W``, where ``W`` is the mean
lifetime of a call. ``W`` starts from an analytic estimate and is then tracked as a
moving average of the lifetimes of finished calls, so the number of live calls settles
near ``load`` whatever the ratio of callers to agents (an understaffed centre has longer
waits and more abandons, a longer ``W`` and so a lower arrival rate).

Determinism: every random draw comes from a per-installation ``random.Random`` seeded
from the simulator seed and the igrp, and ties between events at the same second are
broken by a sequence number, so the same seed and the same clock moves give the same
centre. Attribution data for a call comes from its own seed, so generating it lazily
(only when someone looks the call up) cannot disturb the main stream.
"""

from __future__ import annotations

import math

from rtdash.sim.centre import Centre
from rtdash.sim.entities import (
    AVAILABLE,
    BRIDGED,
    ENDED,
    HISTORY_SECONDS,
    QUEUEING,
    RINGING,
    UNAVAILABLE,
    Call,
    Installation,
    Line,
    Queue,
    User,
)
from rtdash.sim.params import TALK_MEAN

__all__ = [
    "AVAILABLE",
    "BRIDGED",
    "ENDED",
    "HISTORY_SECONDS",
    "QUEUEING",
    "RINGING",
    "TALK_MEAN",
    "UNAVAILABLE",
    "Call",
    "CallCentreModel",
    "Centre",
    "Installation",
    "Line",
    "Queue",
    "User",
]


class CallCentreModel:
    """All installations' centres behind one clock.

    ``now`` is a float (a realtime clock moves in fractions of a second); the centres
    themselves only ever see whole seconds.
    """

    def __init__(
        self,
        installations: list[Installation],
        seed: int,
        agents: int,
        load: int,
        start: int,
        warm_up: float,
    ) -> None:
        t0 = int(start - warm_up)
        self.centres: dict[int, Centre] = {}
        uid = 1
        for i, inst in enumerate(installations):
            self.centres[inst.igrp] = Centre(inst, i, seed, agents, load, uid, t0)
            uid += agents
        self.now: float = float(t0)
        self.advance_to(float(start))
        for centre in self.centres.values():
            centre.ensure_states()

    def advance_to(self, t: float) -> None:
        if t <= self.now:
            return
        self.now = t
        whole = math.floor(t)
        for centre in self.centres.values():
            centre.advance_to(whole)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the model clock cannot go backwards")
        self.advance_to(self.now + seconds)

    def centre(self, igrp: int) -> Centre | None:
        return self.centres.get(igrp)

    @property
    def now_s(self) -> int:
        """The current model time in whole epoch seconds, as the wire reports it."""
        return math.floor(self.now)
