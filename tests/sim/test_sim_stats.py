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


def test_ground_truth_adds_up(sim: Simulator, anon: httpx.Client) -> None:
    sim.advance(3600)
    body = _stats(anon, sim, "sl=25,45&short=4")
    truth = body["truth"]["1234"]
    total = truth["all"]
    centre = sim.model.centres[1234]
    live_unanswered = sum(1 for c in centre.calls.values() if c.bridge_start is None)
    # every call offered is answered, abandoned or still waiting
    assert total["offered"] == total["answered"] + total["abandoned"] + live_unanswered
    assert total["answered"] > 0 and total["abandoned"] > 0
    assert body["short_abandon"] == 4
    assert set(total["answered_within"]) == {"10", "15", "20", "25", "30", "45", "60"}
    within = [total["answered_within"][k] for k in ("10", "20", "30", "60")]
    assert within == sorted(within) and within[-1] <= total["answered"]
    counted = total["answered"] + total["abandoned"] - total["short_abandoned"]
    assert total["sl_percent"]["20"] == round(100 * total["answered_within"]["20"] / counted, 3)
    # the queues and the agents add up to the centre
    queues = truth["queues"].values()
    assert sum(q["offered"] for q in queues) == total["offered"]
    assert sum(q["abandoned"] for q in queues) == total["abandoned"]
    assert sum(truth["agents"].values()) == total["answered"]
    # the model's own calls agree: waits of answered calls, whole seconds from call start
    answered = [c for c in centre.history.values() if c.outcome == "answered"]
    answered += [c for c in centre.calls.values() if c.bridge_start is not None]
    assert len(answered) == total["answered"]
    waits = [c.bridge_start - c.start for c in answered if c.bridge_start is not None]
    mean_wait = sum(waits) / len(waits)
    assert abs(mean_wait - total["asa"]) < 0.001
    # a window: only events in it count
    now = body["now"]
    recent = _stats(anon, sim, f"since={now - 600}")["truth"]["1234"]["all"]
    assert 0 < recent["offered"] < total["offered"]
    assert _stats(anon, sim, f"since={now + 1}")["truth"]["1234"]["all"]["offered"] == 0


def test_ground_truth_talk_is_each_ended_calls_hang_up_minus_its_answer(
    sim: Simulator, anon: httpx.Client
) -> None:
    sim.advance(3600)
    truth = _stats(anon, sim)["truth"]["1234"]
    total = truth["all"]
    centre = sim.model.centres[1234]
    # talk is known of answered calls that hung up, not of those still on
    ended = [c for c in centre.history.values() if c.outcome == "answered"]
    talks = [
        c.end - c.bridge_start for c in ended if c.end is not None and c.bridge_start is not None
    ]
    assert len(talks) == total["talked"] == len(ended) > 0
    assert total["talked"] < total["answered"], "some answered calls are still talking"
    assert total["avg_talk"] == round(sum(talks) / len(talks), 3)
    assert total["longest_talk"] == max(talks)
    assert sum(q["talked"] for q in truth["queues"].values()) == total["talked"]
    # a window before any call was answered: no talk, not a talk of 0
    before = _stats(anon, sim, f"until={centre.history[next(iter(centre.history))].start - 1}")
    assert before["truth"]["1234"]["all"]["avg_talk"] is None
