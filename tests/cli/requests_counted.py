"""Requests the simulator counted, per route: how the command line's tests show what
a command cost the upstream."""

from __future__ import annotations

from rtdash.sim import Simulator


def requests_by_route(sim: Simulator) -> dict[str, int]:
    counted = sim.requests.snapshot()["requests"]
    assert isinstance(counted, dict)
    return dict(counted)


def asked_since(sim: Simulator, before: dict[str, int]) -> dict[str, int]:
    """Requests per route since ``before`` (a module's simulator is shared)."""
    return {route: n - before[route] for route, n in requests_by_route(sim).items()}
