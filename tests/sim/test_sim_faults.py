"""Fault injection: every kind produces its shape, scheduling rules, restart on a port."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from rtdash.sim import Fault, FaultPlan, SimConfig, Simulator

from .conftest import route_url, rows_of

CALLS, USERS, LOOKUP = "pbxActiveCalls", "pbxUserStatus", "activeCall"


def test_status_fault_hits_its_route_once(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="status", status=503, route=CALLS, times=1))
    assert client.get(route_url(sim, USERS)).status_code == 200  # other route untouched
    r = client.get(route_url(sim, CALLS))
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/json"
    assert r.json() == "service unavailable"
    assert client.get(route_url(sim, CALLS)).status_code == 200  # used up
    assert sim.faults.stats == {"status": 1}


def test_rate_limit_sets_retry_after(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="rate_limit", retry_after=3, route=None, times=2))
    for route in (USERS, CALLS):
        r = client.get(route_url(sim, route))
        assert r.status_code == 429
        assert r.headers["retry-after"] == "3"
        assert r.json() == "rate limited"
    assert client.get(route_url(sim, USERS)).status_code == 200


def test_latency_delays_then_answers(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="latency", seconds=0.3, route=USERS))
    t = time.perf_counter()
    r = client.get(route_url(sim, USERS))
    slow = time.perf_counter() - t
    assert r.status_code == 200 and len(rows_of(r)) == 20
    assert slow >= 0.3, "the latency fault held the answer back"
    assert sim.faults.stats["latency"] == 1, "served once, then normal answers"


def test_malformed_line_among_good_ones(sim: Simulator, client: httpx.Client) -> None:
    good = client.get(route_url(sim, CALLS)).text.splitlines()
    sim.faults.add(Fault(kind="malformed_line"))
    lines = client.get(route_url(sim, CALLS)).text.splitlines()
    assert len(lines) == len(good) + 1
    broken = []
    for line in lines:
        try:
            json.loads(line)
        except json.JSONDecodeError:
            broken.append(line)
    assert len(broken) == 1
    assert [ln for ln in lines if ln not in broken] == good


def test_bare_string_and_empty_array(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="bare_string", message="service busy"))
    sim.faults.add(Fault(kind="empty_array"))
    r = client.get(route_url(sim, CALLS))
    assert r.status_code == 200 and r.text == '"service busy"'
    r = client.get(route_url(sim, CALLS))
    assert r.status_code == 200 and r.content == b"\n]\n"


def test_huge_body_is_streamed_valid_ndjson(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="huge_body", size=10_000_000))
    with client.stream("GET", route_url(sim, CALLS)) as r:
        assert r.status_code == 200
        declared = int(r.headers["content-length"])
        received, lines, first = 0, 0, None
        for line in r.iter_lines():
            received += len(line) + 1
            lines += 1
            if first is None:
                first = json.loads(line)
    assert declared == received and 10_000_000 <= received < 10_001_000
    assert first is not None and first["igrp"] == "1234" and lines > 20_000
    assert client.get(route_url(sim, CALLS)).status_code == 200


@pytest.mark.parametrize("kind", ["reset", "drop"])
def test_broken_connections_then_recovery(sim: Simulator, client: httpx.Client, kind: str) -> None:
    sim.faults.add(Fault(kind=kind, route=USERS))
    with pytest.raises(httpx.TransportError) as info:
        client.get(route_url(sim, USERS)).read()
    if kind == "drop":
        assert isinstance(info.value, httpx.RemoteProtocolError)
    assert client.get(route_url(sim, USERS)).status_code == 200


def test_reset_sends_part_of_the_body_then_rst(sim: Simulator) -> None:
    """Read the raw socket: headers and some body arrive, then ECONNRESET."""
    sim.faults.add(Fault(kind="reset"))
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as s:
        s.sendall(b"GET /reports/v2/igrps/1234/pbxActiveCalls HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        with pytest.raises(ConnectionResetError):
            while chunk := s.recv(65536):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    length = int(
        next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[
            1
        ]
    )
    assert 0 < len(body) < length


def test_missing_and_extra_fields(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="missing_fields", route=CALLS))
    sim.faults.add(Fault(kind="missing_fields", route=USERS))
    calls = rows_of(client.get(route_url(sim, CALLS)))
    users = rows_of(client.get(route_url(sim, USERS)))
    assert any("callRef" not in r for r in calls) and any("callState" not in r for r in calls)
    assert any("callRef" in r and "callState" in r for r in calls)
    assert any("sipUserId" not in r for r in users) and any("state" not in r for r in users)
    sim.faults.add(Fault(kind="extra_fields"))
    rows = rows_of(client.get(route_url(sim, USERS)))
    assert all(r["tags"] == ["vip", "returning"] and r["score"] == 7 for r in rows)
    assert all(r["state"] in ("available", "unavailable") for r in rows)  # rest intact


def test_until_cleared_and_fifo_by_route(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(Fault(kind="status", status=500, route=CALLS, times=None))
    sim.faults.add(Fault(kind="bare_string", message="any route", route=None, times=1))
    # USERS skips the CALLS-only fault and takes the next matching one
    assert client.get(route_url(sim, USERS)).json() == "any route"
    for _ in range(3):
        assert client.get(route_url(sim, CALLS)).status_code == 500
    assert len(sim.faults.pending) == 1
    sim.faults.clear()
    assert client.get(route_url(sim, CALLS)).status_code == 200
    assert sim.faults.stats == {"status": 3, "bare_string": 1}


def test_faults_come_before_auth(sim: Simulator, anon: httpx.Client) -> None:
    """A throttling front end answers before it looks at credentials."""
    sim.faults.add(Fault(kind="rate_limit"))
    assert anon.get(route_url(sim, CALLS)).status_code == 429
    assert anon.get(route_url(sim, CALLS)).status_code == 401


def kinds_served(plan: FaultPlan, n: int) -> list[str | None]:
    out = []
    for _ in range(n):
        fault = plan.take(CALLS)
        out.append(fault.kind if fault else None)
    return out


def test_random_chaos_is_seeded() -> None:
    a, b, c = FaultPlan(), FaultPlan(), FaultPlan()
    a.random(rate=0.3, kinds=["status", "latency", "drop"], seed=5)
    b.random(rate=0.3, kinds=["status", "latency", "drop"], seed=5)
    c.random(rate=0.3, kinds=["status", "latency", "drop"], seed=6)
    seq_a, seq_b, seq_c = kinds_served(a, 300), kinds_served(b, 300), kinds_served(c, 300)
    assert seq_a == seq_b != seq_c
    hits = [k for k in seq_a if k]
    assert 0.2 * 300 < len(hits) < 0.4 * 300
    assert set(hits) == {"status", "latency", "drop"}
    assert a.stats == {k: hits.count(k) for k in set(hits)}
    a.clear()
    assert kinds_served(a, 50) == [None] * 50


def test_random_chaos_over_http(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.random(rate=1.0, kinds=["bare_string", "empty_array"], seed=1)
    bodies = {client.get(route_url(sim, CALLS)).content for _ in range(10)}
    assert bodies == {b'"service busy"', b"\n]\n"}


def test_fault_validation() -> None:
    with pytest.raises(ValueError):
        Fault(kind="meteor")
    with pytest.raises(ValueError):
        Fault(kind="status", route="pbxNothing")
    with pytest.raises(ValueError):
        Fault(kind="status", times=0)
    with pytest.raises(ValueError):
        FaultPlan().random(rate=0.5, kinds=["meteor"])


def test_stop_and_start_on_the_same_port(client: httpx.Client) -> None:
    with Simulator(SimConfig(realtime=False)) as sim:
        port = sim.port
        before = client.get(route_url(sim, CALLS)).content
        sim.stop()
        with pytest.raises(httpx.ConnectError):
            httpx.get(route_url(sim, CALLS), auth=("demo", sim.password), verify=False)
        # a pooled keep-alive connection must not keep answering either
        with pytest.raises(httpx.TransportError):
            client.get(route_url(sim, CALLS))
        sim.start(port=port)
        assert sim.port == port
        after = client.get(route_url(sim, CALLS))
        assert after.status_code == 200 and after.content == before  # same model state
        sim.advance(30)
        assert client.get(route_url(sim, CALLS)).content != before
        sim.stop()
        sim.stop()  # idempotent


def test_start_is_idempotent_and_ports_differ() -> None:
    config = SimConfig(realtime=False, load=3, agents=3)
    with Simulator(config) as a, Simulator(config) as b:
        assert a.port != b.port
        assert a.start() is a and a.url == f"http://127.0.0.1:{a.port}/reports/v2"
