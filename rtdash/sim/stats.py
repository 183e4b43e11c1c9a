"""The simulator's debug route ``GET /_sim/stats``: what really happened upstream.

It lives outside the Reports API's paths (``/reports/...``), so no client of the real
service can ever depend on it. Tests and benchmarks read it to check rtdash against the
truth: how many requests each Real Time route has received (a fan-out hub must keep
that at one per route per interval, however many viewers) and, from the model, the true
outcome of every call (offered, answered within N s, abandoned, talked, per queue and
agent).

Query parameters: ``since`` and ``until`` (epoch seconds) bound the outcome events
counted; ``sl=10,45`` adds answered-within thresholds to the fixed list; ``short``
(default 5) is the short-abandon limit in seconds.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from urllib.parse import parse_qs

from rtdash.sim.faults import ROUTES

STATS_PATH = "/_sim/stats"


class RequestCounter:
    """Requests received per Real Time route, in total and per installation; thread-safe.

    Every request that names a route is counted when it arrives, whatever the answer
    (a fault, a 401, a 404 for an unknown igrp): the count measures the load a client
    puts on the upstream, not the load that succeeded. Per-installation counts are kept
    only for the igrps the simulator serves, so a client sending junk cannot grow them.
    """

    def __init__(self, igrps: list[int]) -> None:
        self._lock = threading.Lock()
        self._total: Counter[str] = Counter()
        self._known = {str(i) for i in igrps}
        self._by_igrp: dict[str, Counter[str]] = {str(i): Counter() for i in igrps}

    def count(self, route: str, igrp_raw: str) -> None:
        if route not in ROUTES:
            return
        with self._lock:
            self._total[route] += 1
            if igrp_raw in self._known:
                self._by_igrp[igrp_raw][route] += 1

    def reset(self) -> None:
        with self._lock:
            self._total.clear()
            for counter in self._by_igrp.values():
                counter.clear()

    def snapshot(self) -> dict[str, object]:
        """``{"requests": {route: n}, "requests_by_igrp": {igrp: {route: n}}}``.

        Every route is present, with 0 when it has not been asked.
        """
        with self._lock:
            return {
                "requests": {r: self._total[r] for r in ROUTES},
                "requests_by_igrp": {
                    igrp: {r: counter[r] for r in ROUTES} for igrp, counter in self._by_igrp.items()
                },
            }


def encode(stats: dict[str, object]) -> bytes:
    return (json.dumps(stats, separators=(",", ":"), sort_keys=True) + "\n").encode()


# --- ground truth -------------------------------------------------------------------------

#: answered-within thresholds always reported (seconds); a query may ask for more
SL_THRESHOLDS: tuple[int, ...] = (10, 15, 20, 30, 60)
DEFAULT_SHORT_ABANDON = 5

OFFERED, ANSWERED, ABANDONED, TALKED = 0, 1, 2, 3


class GroundTruth:
    """Every call outcome of one centre, as it really happened, with its model time.

    The model appends an event when a call arrives (offered), when it is bridged to an
    agent (answered, with its wait: bridge time minus call start), when it ends
    without ever being bridged (abandoned, with how long the caller held on) and when
    an answered call hangs up (talked, with its talk: hang-up minus bridge time). Events
    are kept for a day, so any window and any answered-within threshold can be asked
    after the fact; they are plain tuples, a few tens of bytes each.
    """

    __slots__ = ("events",)

    def __init__(self) -> None:
        #: (time, kind, queue, seconds, agent) in time order
        self.events: deque[tuple[int, int, str, int, str]] = deque()

    def offered(self, t: int, queue: str) -> None:
        self.events.append((t, OFFERED, queue, 0, ""))

    def answered(self, t: int, queue: str, wait: int, agent: str) -> None:
        self.events.append((t, ANSWERED, queue, wait, agent))

    def abandoned(self, t: int, queue: str, held: int) -> None:
        self.events.append((t, ABANDONED, queue, held, ""))

    def talked(self, t: int, queue: str, talk: int) -> None:
        self.events.append((t, TALKED, queue, talk, ""))

    def prune(self, before: int) -> None:
        events = self.events
        while events and events[0][0] < before:
            events.popleft()

    def summary(
        self,
        since: int | None = None,
        until: int | None = None,
        thresholds: tuple[int, ...] = SL_THRESHOLDS,
        short: int = DEFAULT_SHORT_ABANDON,
    ) -> dict[str, object]:
        """The counters of events in ``[since, until]``: for the centre, per queue and
        per agent (answered calls)."""
        total = _Tally(thresholds, short)
        queues: dict[str, _Tally] = {}
        agents: Counter[str] = Counter()
        for t, kind, queue, seconds, agent in self.events:
            if (since is not None and t < since) or (until is not None and t > until):
                continue
            tally = queues.get(queue)
            if tally is None:
                tally = queues[queue] = _Tally(thresholds, short)
            total.add(kind, seconds)
            tally.add(kind, seconds)
            if kind == ANSWERED and agent:
                agents[agent] += 1
        return {
            "all": total.as_dict(),
            "queues": {name: queues[name].as_dict() for name in sorted(queues)},
            "agents": dict(sorted(agents.items())),
        }


class _Tally:
    __slots__ = (
        "abandoned",
        "answered",
        "longest_answer",
        "longest_talk",
        "longest_wait",
        "offered",
        "short",
        "short_abandoned",
        "talk_sum",
        "talked",
        "thresholds",
        "wait_sum",
        "within",
    )

    def __init__(self, thresholds: tuple[int, ...], short: int) -> None:
        self.thresholds = thresholds
        self.short = short
        self.offered = self.answered = self.abandoned = self.short_abandoned = 0
        self.wait_sum = self.longest_answer = self.longest_wait = 0
        self.talked = self.talk_sum = self.longest_talk = 0
        self.within = dict.fromkeys(thresholds, 0)

    def add(self, kind: int, seconds: int) -> None:
        if kind == OFFERED:
            self.offered += 1
        elif kind == ANSWERED:
            self.answered += 1
            self.wait_sum += seconds
            self.longest_answer = max(self.longest_answer, seconds)
            self.longest_wait = max(self.longest_wait, seconds)
            for n in self.thresholds:
                if seconds <= n:
                    self.within[n] += 1
        elif kind == TALKED:
            self.talked += 1
            self.talk_sum += seconds
            self.longest_talk = max(self.longest_talk, seconds)
        else:
            self.abandoned += 1
            self.longest_wait = max(self.longest_wait, seconds)
            if seconds < self.short:
                self.short_abandoned += 1

    def as_dict(self) -> dict[str, object]:
        counted = self.answered + self.abandoned - self.short_abandoned
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "short_abandoned": self.short_abandoned,
            "answered_within": {str(n): self.within[n] for n in self.thresholds},
            "sl_percent": {
                str(n): (round(100.0 * self.within[n] / counted, 3) if counted else None)
                for n in self.thresholds
            },
            "abandon_percent": (
                round(100.0 * (self.abandoned - self.short_abandoned) / counted, 3)
                if counted
                else None
            ),
            "asa": round(self.wait_sum / self.answered, 3) if self.answered else None,
            "longest_answer": self.longest_answer,
            "longest_wait": self.longest_wait,
            "talked": self.talked,
            "avg_talk": round(self.talk_sum / self.talked, 3) if self.talked else None,
            "longest_talk": self.longest_talk if self.talked else None,
        }


def parse_query(query: str) -> tuple[int | None, int | None, tuple[int, ...], int]:
    """``since``/``until`` (epoch seconds), ``sl`` (comma list of seconds, added to the
    fixed list) and ``short`` from a ``/_sim/stats`` query; junk values are ignored."""
    params = parse_qs(query)

    def _int(name: str) -> int | None:
        values = params.get(name)
        if not values:
            return None
        try:
            return int(values[0])
        except ValueError:
            return None

    extra: set[int] = set()
    for value in params.get("sl", []):
        for item in value.split(","):
            if item.strip().isdigit():
                extra.add(min(int(item), 86_400))
    short = _int("short")
    return (
        _int("since"),
        _int("until"),
        tuple(sorted(set(SL_THRESHOLDS) | extra)),
        DEFAULT_SHORT_ABANDON if short is None or short < 0 else short,
    )
