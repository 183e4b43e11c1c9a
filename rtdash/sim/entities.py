"""The people and things of the call-centre model: installations, lines, queues, users, calls.

Plain slotted records: the centre (:mod:`rtdash.sim.centre`) changes them as its events
fall due, and the wire (:mod:`rtdash.sim.wire`) reads them into rows. A call's phase and a
user's state are the strings the wire reports, so no mapping sits between the two.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from rtdash.sim import data

RINGING = "ringing"
QUEUEING = "queueing"
BRIDGED = "bridged"
ENDED = "ended"

AVAILABLE = "available"
UNAVAILABLE = "unavailable"

#: how long an ended call stays findable by ``activeCall``
HISTORY_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Installation:
    """One PBX installation the simulator serves (an ``igrp``)."""

    igrp: int
    name: str
    mode: Literal["advanced", "basic"] = "advanced"

    def __post_init__(self) -> None:
        if self.mode not in ("advanced", "basic"):
            raise ValueError(f"installation mode must be 'advanced' or 'basic', not {self.mode!r}")


class Line:
    """An inbound number group (``dgrp``) feeding one queue."""

    __slots__ = ("dgrp", "dgrp_s", "name", "number", "queue")

    def __init__(self, spec: data.LineSpec, queue: Queue) -> None:
        self.dgrp = spec.dgrp
        self.dgrp_s = str(spec.dgrp)
        self.name = spec.name
        self.number = spec.number
        self.queue = queue


class Queue:
    """A FIFO of waiting calls plus the agents of this queue who are free right now.

    ``free`` is a dict used as an ordered set (insertion order = longest idle first), so
    handing a call to "the agent idle longest" is O(1) and iteration is deterministic.
    ``waiting`` may hold calls that already abandoned; they are skipped when they reach
    the head, which avoids an O(n) removal from the middle of a deque.
    """

    __slots__ = ("free", "name", "waiting")

    def __init__(self, name: str) -> None:
        self.name = name
        self.waiting: deque[Call] = deque()
        self.free: dict[int, User] = {}


class User:
    """A PBX user. ``activity`` is the model's reason behind the wire-level ``state``."""

    __slots__ = (
        "activity",
        "break_due",
        "call",
        "dashboard",
        "display_name",
        "extension",
        "operator_ref",
        "queues",
        "state",
        "state_start",
        "uid",
    )

    def __init__(
        self, uid: int, display_name: str, operator_ref: str, extension: int, dashboard: bool
    ) -> None:
        self.uid = uid
        self.display_name = display_name
        self.operator_ref = operator_ref
        self.extension = extension
        self.dashboard = dashboard
        self.state = AVAILABLE
        self.state_start = 0
        # free | call | wrap | break | away | backoffice
        self.activity = "free"
        self.queues: tuple[Queue, ...] = ()
        self.call: Call | None = None
        self.break_due = 0


class Call:
    """One inbound call; times are whole epoch seconds, ``None`` until reached."""

    __slots__ = (
        "agent",
        "bridge_start",
        "eligible_at",
        "end",
        "line",
        "outcome",
        "phase",
        "queue_start",
        "ref",
        "seed",
        "seq",
        "src",
        "start",
    )

    def __init__(self, ref: str, seq: int, seed: int, line: Line, src: str, start: int) -> None:
        self.ref = ref
        self.seq = seq
        self.seed = seed
        self.line = line
        self.src = src
        self.start = start
        self.queue_start: int | None = None
        self.eligible_at: int | None = None
        self.bridge_start: int | None = None
        self.end: int | None = None
        self.phase = RINGING
        self.agent: User | None = None
        self.outcome = ""  # answered | abandoned, once ended

    @property
    def queue(self) -> Queue:
        return self.line.queue

    def __repr__(self) -> str:
        return f"Call({self.ref} {self.phase} start={self.start})"
