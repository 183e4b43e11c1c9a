"""rtdash.sim: a simulated contact centre behind a loopback Reports API v2 Real Time server.

It speaks the upstream wire contract (``shared/api/realtime-api.md``): NDJSON or
``jsonarray`` bodies of string-typed rows, bare JSON string errors, Basic and ApiKey
auth, ``tz``, ``sort[]``, the PII rules and the three Real Time routes. Beside them, at
``GET /_sim/stats`` (outside the API's paths), it tells the truth: requests received per
route and the true outcome of every call (:mod:`rtdash.sim.stats`). ``rtdash --demo``,
the tests, the benchmarks and the chaos script all run against it, so it never imports
Textual.

>>> sim = Simulator(SimConfig(seed=7, realtime=False)).start()   # doctest: +SKIP
>>> sim.url                                                      # doctest: +SKIP
'http://127.0.0.1:41234/reports/v2'
>>> sim.faults.add(Fault(kind="rate_limit", retry_after=3))      # doctest: +SKIP
>>> sim.advance(60); sim.stop()                                  # doctest: +SKIP
"""

from rtdash.sim.entities import Installation
from rtdash.sim.faults import Fault, FaultPlan
from rtdash.sim.simulator import (
    DEFAULT_INSTALLATIONS,
    DEFAULT_START,
    DEMO_AGENTS,
    DEMO_LOAD,
    SimConfig,
    Simulator,
    demo_simulator,
    run_standalone,
)

__all__ = [
    "DEFAULT_INSTALLATIONS",
    "DEFAULT_START",
    "DEMO_AGENTS",
    "DEMO_LOAD",
    "Fault",
    "FaultPlan",
    "Installation",
    "SimConfig",
    "Simulator",
    "demo_simulator",
    "run_standalone",
]
