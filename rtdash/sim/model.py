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

import heapq
import math
import random
from bisect import bisect
from collections import deque
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from rtdash.sim import data
from rtdash.sim.stats import GroundTruth

RINGING = "ringing"
QUEUEING = "queueing"
BRIDGED = "bridged"
ENDED = "ended"

AVAILABLE = "available"
UNAVAILABLE = "unavailable"

#: how long an ended call stays findable by ``activeCall``
HISTORY_SECONDS = 24 * 3600

# --- timing constants (model seconds) ---------------------------------------------------
RING_MIN, RING_MAX = 3, 20
RING_ABANDON_P = 0.04
GREETING_MIN, GREETING_MAX = 0, 6
PATIENCE_MEAN, PATIENCE_MIN = 150.0, 10
TALK_MEDIAN, TALK_SIGMA, TALK_MIN, TALK_MAX = 150.0, 0.6, 30, 600
WRAP_MIN, WRAP_MAX = 5, 30
BREAK_EVERY_MEAN = 3600.0
BREAK_MIN, BREAK_MAX = 180, 720
BACKOFFICE_TOGGLE_MEAN = 1200.0
ANONYMOUS_P = 0.07
RETURNING_P = 0.15
BACKOFFICE_SHARE = 0.12

# event kinds (ints keep heap tuples cheap to compare)
_ARRIVE, _RING_END, _RING_ABANDON, _ELIGIBLE, _QUEUE_ABANDON, _HANGUP, _READY, _TOGGLE = range(8)


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


def _talk_mean() -> float:
    """Mean of the clipped log-normal talk time, by numeric integration (done once)."""
    mu, s = math.log(TALK_MEDIAN), TALK_SIGMA
    total, steps = 0.0, 2000
    lo, hi = -6.0, 6.0
    for i in range(steps):
        z = lo + (hi - lo) * (i + 0.5) / steps
        x = min(max(math.exp(mu + s * z), TALK_MIN), TALK_MAX)
        total += x * math.exp(-z * z / 2)
    return total * (hi - lo) / steps / math.sqrt(2 * math.pi)


TALK_MEAN = _talk_mean()


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

        self.users: list[User] = self._make_users(agents, first_uid)
        self._init_users(t0)
        self._lifetime = self._initial_lifetime()
        if load > 0:
            self._schedule_arrival(float(t0))

    # --- set-up -------------------------------------------------------------------------

    def _make_users(self, n: int, first_uid: int) -> list[User]:
        rng = self.rng
        combos = [(f, s) for f in data.FIRST_NAMES for s in data.SURNAMES]
        rng.shuffle(combos)
        refs: dict[str, int] = {}
        n_back = round(n * BACKOFFICE_SHARE)
        if n >= 4:
            n_back = max(1, n_back)
        back = set(rng.sample(range(n), n_back)) if n_back else set()
        users: list[User] = []
        for i in range(n):
            first, last = combos[i % len(combos)]
            name = f"{first} {last}"
            if i >= len(combos):
                name += f" {i // len(combos) + 1}"
            ref = f"{first[0]}.{last}".lower().replace("'", "")
            refs[ref] = refs.get(ref, 0) + 1
            if refs[ref] > 1:
                ref = f"{ref}{refs[ref]}"
            users.append(User(first_uid + i, name, ref, 201 + i, dashboard=i not in back))
        # skills: a primary queue apportioned by traffic share, sometimes a second one
        queues = list(self.queues.values())
        weight = {q.name: 0.0 for q in queues}
        for spec in self.business.lines:
            weight[spec.queue] += spec.weight
        counts = {q.name: 0 for q in queues}
        j = 0
        for u in users:
            if not u.dashboard:
                continue
            j += 1
            primary = max(queues, key=lambda q: weight[q.name] * j - counts[q.name])
            counts[primary.name] += 1
            skills = [primary]
            if len(queues) > 1 and rng.random() < 0.4:
                skills.append(rng.choice([q for q in queues if q is not primary]))
            u.queues = tuple(skills)
        return users

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

    def _initial_lifetime(self) -> float:
        """An analytic first guess at the mean call lifetime W (refined as calls end).

        Underloaded: ring + greeting + talk. Overloaded (more calls than agents can take):
        the bridged count is capped by staffing and the queue settles where abandons
        (rate Q / patience) balance the surplus; solving L = load for λ gives W = load/λ.
        """
        a = RING_ABANDON_P
        ring = (RING_MIN + RING_MAX) / 2
        greet = (GREETING_MIN + GREETING_MAX) / 2
        wrap = (WRAP_MIN + WRAP_MAX) / 2
        talk = TALK_MEAN
        w_under = ring * (1 - a / 2) + (1 - a) * (greet + talk)
        if self.load <= 0:
            return w_under
        lam = self.load / w_under
        capacity = 0.85 * sum(1 for u in self.users if u.dashboard)
        if lam * (1 - a) * (talk + wrap) <= 0.85 * capacity:
            return w_under
        bridged = capacity * talk / (talk + wrap)
        patience = PATIENCE_MEAN
        lam = (capacity / (talk + wrap) + max(self.load - bridged, 0) / patience) / (
            (1 - a) + ring / patience
        )
        return max(self.load / max(lam, 1e-9), 1.0)

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
