"""One installation's contact centre: a heap of timed events that moves calls and agents.

Each call and agent schedules its own next change, and advancing the clock pops only the
events that fall due (see :mod:`rtdash.sim.model` for the life of a call and the load
rule). The people and calls are in :mod:`rtdash.sim.entities`, the figures in
:mod:`rtdash.sim.params`, the staff and first lifetime guess in :mod:`rtdash.sim.staffing`,
and the true outcomes it records in :mod:`rtdash.sim.stats`.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect
from collections import deque
from itertools import accumulate

from rtdash.sim import data
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
from rtdash.sim.params import (
    ANONYMOUS_P,
    BACKOFFICE_TOGGLE_MEAN,
    BREAK_EVERY_MEAN,
    BREAK_MAX,
    BREAK_MIN,
    GREETING_MAX,
    GREETING_MIN,
    PATIENCE_MEAN,
    PATIENCE_MIN,
    RETURNING_P,
    RING_ABANDON_P,
    RING_MAX,
    RING_MIN,
    TALK_MAX,
    TALK_MEDIAN,
    TALK_MIN,
    TALK_SIGMA,
    WRAP_MAX,
    WRAP_MIN,
)
from rtdash.sim.staffing import initial_lifetime, make_users
from rtdash.sim.stats import GroundTruth

# event kinds (ints keep heap tuples cheap to compare)
_ARRIVE, _RING_END, _RING_ABANDON, _ELIGIBLE, _QUEUE_ABANDON, _HANGUP, _READY, _TOGGLE = range(8)


class Centre:
    """The contact centre of one installation: its users, queues, live calls and history."""

    def __init__(
        self,
        installation: Installation,
        index: int,
        seed: int,
        agents: int,
        load: int,
        first_uid: int,
        t0: int,
    ) -> None:
        self.installation = installation
        self.igrp = installation.igrp
        self.igrp_s = str(installation.igrp)
        self.business = data.business_for(index, installation.igrp)
        self.seed = seed
        self.rng = random.Random(seed * 1_000_003 + installation.igrp)
        self.load = load
        self.now = t0
        self._heap: list[tuple[int, int, int, object]] = []
        self._eseq = 0
        self._call_seq = 0

        self.queues: dict[str, Queue] = {}
        for spec in self.business.lines:
            self.queues.setdefault(spec.queue, Queue(spec.queue))
        self.lines = [Line(spec, self.queues[spec.queue]) for spec in self.business.lines]
        self._line_cum = list(accumulate(spec.weight for spec in self.business.lines))

        #: live calls by callRef, in arrival order
        self.calls: dict[str, Call] = {}
        #: ended calls still findable, by callRef
        self.history: dict[str, Call] = {}
        self._ended: deque[Call] = deque()
        #: caller number -> callRef of that number's most recent call
        self._by_number: dict[str, str] = {}
        self._recent_callers: deque[str] = deque(maxlen=500)
        self.calls_started = 0
        self.calls_ended = 0
        #: every call's true outcome, for ``GET /_sim/stats``
        self.truth = GroundTruth()

        self.users: list[User] = make_users(
            self.rng, self.business.lines, list(self.queues.values()), agents, first_uid
        )
        self._init_users(t0)
        self._lifetime = initial_lifetime(load, self.users)
        if load > 0:
            self._schedule_arrival(float(t0))

    # --- set-up -------------------------------------------------------------------------

    def _init_users(self, t0: int) -> None:
        """Give the day a history: some agents are on a break or in a meeting at t0."""
        rng = self.rng
        free: list[User] = []
        for u in self.users:
            u.break_due = t0 + rng.randint(0, int(BREAK_EVERY_MEAN))
            if not u.dashboard:
                u.activity = "backoffice"
                u.state = AVAILABLE if rng.random() < 0.6 else UNAVAILABLE
                u.state_start = t0 - rng.randint(0, 7200)
                self._push(t0 + rng.randint(60, 2400), _TOGGLE, u)
                continue
            r = rng.random()
            if r < 0.06:
                u.activity, u.state = "away", UNAVAILABLE
                u.state_start = t0 - rng.randint(0, 1800)
                self._push(t0 + rng.randint(600, 5400), _READY, u)
            elif r < 0.18:
                u.activity, u.state = "break", UNAVAILABLE
                u.state_start = t0 - rng.randint(0, 600)
                self._push(t0 + rng.randint(60, BREAK_MAX), _READY, u)
            else:
                u.activity, u.state = "free", AVAILABLE
                u.state_start = t0 - rng.randint(0, 3600)
                free.append(u)
        for u in sorted(free, key=lambda u: (u.state_start, u.uid)):
            for q in u.queues:
                q.free[u.uid] = u

    # --- the event loop -----------------------------------------------------------------

    def _push(self, t: int, kind: int, obj: object) -> None:
        self._eseq += 1
        heapq.heappush(self._heap, (t, self._eseq, kind, obj))

    def advance_to(self, t: int) -> None:
        """Run every event due at or before ``t`` (whole epoch seconds)."""
        heap = self._heap
        while heap and heap[0][0] <= t:
            when, _, kind, obj = heapq.heappop(heap)
            self.now = when
            self._dispatch(kind, obj)
        if t > self.now:
            self.now = t
        self._prune()

    def _dispatch(self, kind: int, obj: object) -> None:
        if kind == _ARRIVE:
            self._arrive(obj)  # type: ignore[arg-type]  # obj's type follows from kind
        elif kind == _RING_END:
            self._ring_end(obj)  # type: ignore[arg-type]  # obj's type follows from kind
        elif kind == _RING_ABANDON:
            call: Call = obj  # type: ignore[assignment]  # obj's type follows from kind
            if call.phase == RINGING:
                self._end(call, "abandoned")
        elif kind == _ELIGIBLE:
            self._eligible(obj)  # type: ignore[arg-type]  # obj's type follows from kind
        elif kind == _QUEUE_ABANDON:
            call = obj  # type: ignore[assignment]  # obj's type follows from kind
            if call.phase == QUEUEING:
                self._end(call, "abandoned")
                # drop dead heads now: a queue nobody serves would otherwise keep them all
                waiting = call.queue.waiting
                while waiting and waiting[0].phase != QUEUEING:
                    waiting.popleft()
        elif kind == _HANGUP:
            self._hangup(obj)  # type: ignore[arg-type]  # obj's type follows from kind
        elif kind == _READY:
            self._ready(obj)  # type: ignore[arg-type]  # obj's type follows from kind
        elif kind == _TOGGLE:
            self._toggle(obj)  # type: ignore[arg-type]  # obj's type follows from kind

    # --- calls --------------------------------------------------------------------------

    def _schedule_arrival(self, after: float) -> None:
        rate = self.load / self._lifetime
        t = after + self.rng.expovariate(rate)
        self._push(int(t), _ARRIVE, t)

    def _caller(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < ANONYMOUS_P:
            return data.ANONYMOUS
        if r < ANONYMOUS_P + RETURNING_P and self._recent_callers:
            return rng.choice(self._recent_callers)
        x = rng.random()
        chosen = data.CALLER_PREFIXES[-1][0]
        for prefix, weight in data.CALLER_PREFIXES:
            if x < weight:
                chosen = prefix
                break
            x -= weight
        return f"{chosen}{rng.randrange(1000):03d}"

    def _new_call(self, start: int) -> Call:
        rng = self.rng
        line = self.lines[bisect(self._line_cum, rng.random() * self._line_cum[-1])]
        src = self._caller()
        self._call_seq += 1
        seq = self._call_seq
        ref = f"c-{self.igrp}-{seq:06d}"
        call = Call(ref, seq, rng.getrandbits(48), line, src, start)
        self.calls[ref] = call
        self.calls_started += 1
        self.truth.offered(start, line.queue.name)
        if src != data.ANONYMOUS:
            self._by_number[src] = ref
            self._recent_callers.append(src)
        return call

    def _arrive(self, t_exact: float) -> None:
        self._schedule_arrival(t_exact)
        call = self._new_call(self.now)
        rng = self.rng
        ring = rng.randint(RING_MIN, RING_MAX)
        if rng.random() < RING_ABANDON_P:
            self._push(self.now + rng.randint(1, ring), _RING_ABANDON, call)
        else:
            self._push(self.now + ring, _RING_END, call)

    def _ring_end(self, call: Call) -> None:
        if call.phase != RINGING:
            return
        rng = self.rng
        call.phase = QUEUEING
        call.queue_start = self.now
        greeting = rng.randint(GREETING_MIN, GREETING_MAX)
        patience = greeting + max(PATIENCE_MIN, int(rng.expovariate(1 / PATIENCE_MEAN)))
        self._push(self.now + patience, _QUEUE_ABANDON, call)
        if greeting:
            self._push(self.now + greeting, _ELIGIBLE, call)
        else:
            self._eligible(call)

    def _eligible(self, call: Call) -> None:
        if call.phase != QUEUEING:
            return
        call.eligible_at = self.now
        q = call.queue
        if q.free:
            self._bridge(call, next(iter(q.free.values())))
        else:
            q.waiting.append(call)

    def _bridge(self, call: Call, agent: User) -> None:
        call.phase = BRIDGED
        call.bridge_start = self.now
        call.agent = agent
        self.truth.answered(self.now, call.queue.name, self.now - call.start, agent.operator_ref)
        agent.activity = "call"
        agent.state = UNAVAILABLE
        agent.state_start = self.now
        agent.call = call
        for q in agent.queues:
            q.free.pop(agent.uid, None)
        talk = self.rng.lognormvariate(math.log(TALK_MEDIAN), TALK_SIGMA)
        self._push(self.now + int(min(max(talk, TALK_MIN), TALK_MAX)), _HANGUP, call)

    def _hangup(self, call: Call) -> None:
        if call.phase != BRIDGED:
            return
        agent = call.agent
        if call.bridge_start is not None:
            self.truth.talked(self.now, call.queue.name, self.now - call.bridge_start)
        self._end(call, "answered")
        if agent is not None:
            agent.activity = "wrap"
            agent.call = None
            self._push(self.now + self.rng.randint(WRAP_MIN, WRAP_MAX), _READY, agent)

    def _end(self, call: Call, outcome: str) -> None:
        call.phase = ENDED
        call.outcome = outcome
        call.end = self.now
        if outcome == "abandoned":
            self.truth.abandoned(self.now, call.queue.name, self.now - call.start)
        del self.calls[call.ref]
        self.history[call.ref] = call
        self._ended.append(call)
        self.calls_ended += 1
        # Little's law: track W as a moving average over roughly the last `load` calls
        alpha = 1.0 / max(50, self.load)
        self._lifetime += alpha * ((call.end - call.start) - self._lifetime)
        self._lifetime = min(max(self._lifetime, 5.0), 3600.0)

    def _prune(self) -> None:
        horizon = self.now - HISTORY_SECONDS
        self.truth.prune(horizon)
        ended = self._ended
        while ended and ended[0].end is not None and ended[0].end < horizon:
            call = ended.popleft()
            self.history.pop(call.ref, None)
            if self._by_number.get(call.src) == call.ref:
                del self._by_number[call.src]

    # --- agents -------------------------------------------------------------------------

    def _ready(self, agent: User) -> None:
        if agent.activity not in ("wrap", "break", "away"):
            return
        rng = self.rng
        if agent.activity == "wrap" and self.now >= agent.break_due:
            duration = rng.randint(BREAK_MIN, BREAK_MAX)
            agent.activity = "break"
            agent.break_due = self.now + duration + int(rng.expovariate(1 / BREAK_EVERY_MEAN))
            self._push(self.now + duration, _READY, agent)
            return
        agent.activity = "free"
        agent.state = AVAILABLE
        agent.state_start = self.now
        best: Call | None = None
        best_q: Queue | None = None
        for q in agent.queues:
            waiting = q.waiting
            while waiting and waiting[0].phase != QUEUEING:
                waiting.popleft()
            if waiting:
                head = waiting[0]
                if best is None or (head.eligible_at, head.seq) < (best.eligible_at, best.seq):
                    best, best_q = head, q
        if best is not None and best_q is not None:
            best_q.waiting.popleft()
            self._bridge(best, agent)
        else:
            for q in agent.queues:
                q.free[agent.uid] = agent

    def _toggle(self, user: User) -> None:
        user.state = UNAVAILABLE if user.state == AVAILABLE else AVAILABLE
        user.state_start = self.now
        delay = max(60, int(self.rng.expovariate(1 / BACKOFFICE_TOGGLE_MEAN)))
        self._push(self.now + delay, _TOGGLE, user)

    # --- guarantees and queries ---------------------------------------------------------

    def ensure_states(self) -> None:
        """Make sure a busy centre shows ringing and queueing calls at t=0.

        With a modest load a ringing call is a rare sight (a few seconds of a call's few
        minutes), and a demo or a test that opens on an empty column is misleading. When a
        state is missing this adds one ordinary call that is in that state now; it then
        lives out its life like any other.
        """
        if self.load < 3:
            return
        phases = {c.phase for c in self.calls.values()}
        now = self.now
        if RINGING not in phases:
            call = self._new_call(now - self.rng.randint(1, 3))
            self._push(now + self.rng.randint(2, 8), _RING_END, call)
        if QUEUEING not in phases:
            call = self._new_call(now - self.rng.randint(8, 20))
            call.phase = QUEUEING
            call.queue_start = now - self.rng.randint(1, 5)
            self._push(now + self.rng.randint(90, 240), _QUEUE_ABANDON, call)
            self._push(now + self.rng.randint(2, 5), _ELIGIBLE, call)

    def find(self, call_ref: str | None = None, number: str | None = None) -> Call | None:
        """A live or recently ended call by callRef, or the latest call from a number."""
        ref = call_ref
        if ref is None and number is not None:
            ref = self._by_number.get(number)
        if ref is None:
            return None
        return self.calls.get(ref) or self.history.get(ref)
