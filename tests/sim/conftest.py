"""Fixtures for the simulator tests: real simulators on loopback, frozen clocks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from rtdash.sim import SimConfig, Simulator
from tests.support import loopback_sim


def utc_naive(t: int) -> datetime:
    """Epoch seconds as the wire's naive UTC datetime."""
    return datetime.fromtimestamp(t, UTC).replace(tzinfo=None)


def rows_of(response: httpx.Response) -> list[dict[str, Any]]:
    """Parse an NDJSON body strictly: every non-empty line must be a JSON object."""
    rows = [json.loads(line) for line in response.text.split("\n") if line]
    assert all(isinstance(r, dict) for r in rows)
    return rows


def route_url(sim: Simulator, route: str, igrp: int | None = None) -> str:
    return f"{sim.url}/igrps/{sim.igrp if igrp is None else igrp}/{route}"


@pytest.fixture(scope="module")
def shared_sim() -> Iterator[Simulator]:
    """One frozen-clock simulator for read-only tests (never advance it or add faults)."""
    with loopback_sim(SimConfig(seed=7, realtime=False)) as sim:
        yield sim


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh frozen-clock simulator a test may advance and break (the simulator's
    own defaults for load, unlike the shared small centre)."""
    with loopback_sim(SimConfig(seed=7, realtime=False)) as sim:
        yield sim


@pytest.fixture(scope="session")
def client() -> Iterator[httpx.Client]:
    """A client with the demo (PII-permitted) Basic credentials.

    Session-wide because building an httpx client (its SSL context) costs ~0.1 s.
    """
    with httpx.Client(auth=("demo", Simulator.password), timeout=5.0) as c:
        yield c


@pytest.fixture(scope="session")
def anon() -> Iterator[httpx.Client]:
    """A client with no credentials; tests pass ``auth=`` or headers per request."""
    with httpx.Client(timeout=5.0) as c:
        yield c
