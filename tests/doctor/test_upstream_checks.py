"""``rtdash doctor`` when the service cannot be reached or answers with an error:
nothing listening fails the base URL and skips the routes; a 500 on one route and an
unknown installation are each one failed line."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from rtdash.sim import Fault, Simulator
from tests.support import a_password, point_cli_at

from .doctor_rig import ROUTES


def test_nothing_listening_fails_the_base_url_and_skips_the_routes(
    doctor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RTDASH_API_KEY", a_password("key"))
    url = f"http://127.0.0.1:{port}/reports/v2"
    run = doctor("--base-url", url, "--igrp", "1")
    assert run.code == 1
    assert run.checks["base URL"] == (
        "✖",
        f"{url}: cannot connect to 127.0.0.1:{port} (connection refused)",
    )
    for route in ROUTES:
        assert run.checks[route] == ("–", "the base URL is unreachable")


def test_upstream_500_on_one_route(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = point_cli_at(sim, monkeypatch)
    sim.faults.add(Fault(kind="status", status=500, route="pbxUserStatus"))
    run = doctor(*flags)
    assert run.code == 1
    assert run.checks["pbxUserStatus"] == (
        "✖",
        'upstream error (HTTP 500): "internal server error"',
    )
    assert run.checks["user fields"] == ("–", "no pbxUserStatus answer to compare")
    assert run.checks["pbxActiveCalls"][0] == run.checks["activeCall"][0] == "✔"


def test_unknown_installation(doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(sim, monkeypatch)
    run = doctor("--base-url", sim.url, "--igrp", "999")
    assert run.code == 1
    assert run.checks["pbxActiveCalls"] == (
        "✖",
        "installation 999 not found (HTTP 404); check installation 999 and the base URL",
    )
