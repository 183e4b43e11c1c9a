"""Fault injection: make the simulator misbehave the ways a real upstream can.

A client is only as robust as the failures it has seen. A :class:`FaultPlan` holds a FIFO
of scripted faults (each for a route or for any route, a number of times or until
cleared) and an optional chaos mode that gives every request a seeded chance of a random
fault. The HTTP handler asks the plan once per request (:meth:`FaultPlan.take`) and
delivers what it gets; scripted faults win over chaos.

Fault kinds and the shape each produces:

- ``status``: that HTTP status with a bare JSON string body (the reason phrase).
- ``rate_limit``: 429, ``Retry-After: <retry_after>`` and the JSON string "rate limited".
- ``latency``: sleep ``seconds`` first, then answer normally.
- ``malformed_line``: the normal answer with one truncated JSON line among good ones.
- ``bare_string``: 200 with a bare JSON string body (``message``).
- ``empty_array``: 200 with the vendor's empty-array body ``"\\n]\\n"``.
- ``huge_body``: 200 with at least ``size`` bytes (default past the client's default limit)
  of valid-looking NDJSON, streamed.
- ``reset``: headers and part of the body, then a TCP reset (SO_LINGER 0 + close).
- ``drop``: the connection closes without any response.
- ``missing_fields``: the normal answer, but rows lack their id or state key.
- ``extra_fields``: the normal answer, with unknown keys (of several JSON types) added.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

ROUTES: tuple[str, ...] = ("pbxActiveCalls", "pbxUserStatus", "activeCall")

KINDS: tuple[str, ...] = (
    "status",
    "rate_limit",
    "latency",
    "malformed_line",
    "bare_string",
    "empty_array",
    "huge_body",
    "reset",
    "drop",
    "missing_fields",
    "extra_fields",
)

#: kinds that replace the whole response (the request is never authenticated or routed)
RESPONSE_KINDS: frozenset[str] = frozenset(
    {"status", "rate_limit", "bare_string", "empty_array", "huge_body", "reset", "drop"}
)
#: kinds that alter an otherwise normal answer
ROW_KINDS: frozenset[str] = frozenset({"malformed_line", "missing_fields", "extra_fields"})

#: chaos mode's default mix: everything but the 10 MB body, which would dominate a run
DEFAULT_RANDOM_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "huge_body")


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour. Only the parameters of its ``kind`` matter.

    ``route`` None matches every route; ``times`` None repeats until the plan is cleared.
    """

    kind: str
    route: str | None = None
    times: int | None = 1
    status: int = 500
    retry_after: int = 1
    seconds: float = 1.0
    message: str = "service busy"
    size: int = 100_000_000

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")
        if self.route is not None and self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r}; expected one of {ROUTES}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for 'until cleared')")
        if self.kind == "status" and not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")


class FaultPlan:
    """The simulator's fault schedule; every method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[list] = []  # [fault, remaining or None]
        self._rate = 0.0
        self._kinds: tuple[str, ...] = ()
        self._rng = random.Random(0)
        self._stats: Counter[str] = Counter()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._pending.append([fault, fault.times])
        return fault

    def clear(self) -> None:
        """Drop every scripted fault and switch chaos mode off (stats are kept)."""
        with self._lock:
            self._pending.clear()
            self._rate = 0.0

    def random(self, rate: float = 0.2, kinds: Iterable[str] | None = None, seed: int = 0) -> None:
        """Chaos mode: each request gets a fault of a random kind with probability ``rate``.

        Random faults use gentle parameters (a 5xx status, a short latency, Retry-After 1,
        a 2 MB huge body) so a chaos run exercises recovery without crawling.
        """
        chosen = tuple(kinds) if kinds is not None else DEFAULT_RANDOM_KINDS
        for kind in chosen:
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        with self._lock:
            self._rate = rate if chosen else 0.0
            self._kinds = chosen
            self._rng = random.Random(seed)

    def take(self, route: str) -> Fault | None:
        """The fault this request gets, if any, consuming one use of it."""
        with self._lock:
            for i, entry in enumerate(self._pending):
                fault, remaining = entry
                if fault.route is not None and fault.route != route:
                    continue
                if remaining is not None:
                    if remaining <= 1:
                        del self._pending[i]
                    else:
                        entry[1] = remaining - 1
                self._stats[fault.kind] += 1
                return fault
            if self._rate > 0.0 and self._rng.random() < self._rate:
                fault = self._random_fault(self._rng.choice(self._kinds), route)
                self._stats[fault.kind] += 1
                return fault
        return None

    def _random_fault(self, kind: str, route: str) -> Fault:
        rng = self._rng
        fault = Fault(kind=kind, route=route)
        if kind == "status":
            return replace(fault, status=rng.choice((500, 502, 503, 504)))
        if kind == "latency":
            return replace(fault, seconds=round(rng.uniform(0.05, 0.5), 3))
        if kind == "huge_body":
            return replace(fault, size=2_000_000)
        return fault

    @property
    def stats(self) -> dict[str, int]:
        """How many faults of each kind have been served so far."""
        with self._lock:
            return dict(self._stats)

    @property
    def pending(self) -> list[tuple[Fault, int | None]]:
        """Scripted faults not yet used up, with their remaining uses."""
        with self._lock:
            return [(f, n) for f, n in self._pending]
