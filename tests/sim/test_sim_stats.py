"""``GET /_sim/stats``: the simulator's debug route of request counts and ground truth."""

from __future__ import annotations

import httpx

from rtdash.sim import Fault, Simulator

from .conftest import route_url


def _stats(anon: httpx.Client, sim: Simulator, query: str = "") -> dict:
    url = f"http://127.0.0.1:{sim.port}/_sim/stats" + (f"?{query}" if query else "")
    response = anon.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body, dict)
    return body


def test_request_counts_per_route(sim: Simulator, client: httpx.Client, anon: httpx.Client) -> None:
    assert _stats(anon, sim)["requests"] == {
        "pbxActiveCalls": 0,
        "pbxUserStatus": 0,
        "activeCall": 0,
    }
    for _ in range(3):
        assert client.get(route_url(sim, "pbxActiveCalls")).status_code == 200
    for _ in range(2):
        assert client.get(route_url(sim, "pbxUserStatus")).status_code == 200
    assert client.get(route_url(sim, "activeCall"), params={"callRef": "nope"}).status_code == 200
    # the other installation, an unknown one and an unauthenticated request all count
    assert client.get(route_url(sim, "pbxActiveCalls", igrp=5678)).status_code == 200
    assert client.get(route_url(sim, "pbxActiveCalls", igrp=99)).status_code == 404
    assert anon.get(route_url(sim, "pbxUserStatus")).status_code == 401
    # a fault-served request is load on the upstream too
    sim.faults.add(Fault(kind="status", status=503, route="pbxUserStatus"))
    assert client.get(route_url(sim, "pbxUserStatus")).status_code == 503
    # paths that are not Real Time routes do not
    assert client.get(f"{sim.url}/igrps/1234/somethingElse").status_code == 404

    body = _stats(anon, sim)
    assert body["requests"] == {"pbxActiveCalls": 5, "pbxUserStatus": 4, "activeCall": 1}
    assert body["requests_by_igrp"] == {
        "1234": {"pbxActiveCalls": 3, "pbxUserStatus": 4, "activeCall": 1},
        "5678": {"pbxActiveCalls": 1, "pbxUserStatus": 0, "activeCall": 0},
    }
    # reading the stats is not a request to the API, and the Python view agrees
    assert sim.stats()["requests"] == body["requests"]
    sim.requests.reset()
    assert _stats(anon, sim)["requests"]["pbxActiveCalls"] == 0


def test_stats_route_is_outside_the_api(sim: Simulator, client: httpx.Client) -> None:
    # under the API's base path it is just an unknown path
    assert client.get(f"{sim.url}/_sim/stats").status_code == 404
