"""The simulator's debug route ``GET /_sim/stats``: what really happened upstream.

It lives outside the Reports API's paths (``/reports/...``), so no client of the real
service can ever depend on it. Tests and benchmarks read it to check rtdash against the
truth: how many requests each Real Time route has received (a fan-out hub must keep
that at one per route per interval, however many viewers) and, from the model, the true
outcome of every call.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

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
