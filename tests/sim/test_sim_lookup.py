"""The wire contract's ``activeCall`` over real loopback HTTP: a caller looked up by
call reference or number, live or hours after the call, basic and advanced
installations, and the requests it refuses."""

from __future__ import annotations

import re

import httpx

from rtdash.sim import Installation, SimConfig, Simulator

from .conftest import route_url, rows_of, utc_naive

ADVANCED_KEYS = {
    "igrp",
    "igrpName",
    "vid",
    "dgrp",
    "dgrpName",
    "ch",
    "chName",
    "chType",
    "pub",
    "campaign",
    "adGroup",
    "matchRef",
    "srcPhoneNumber",
    "dialledPhoneNumber",
    "destPhoneNumber",
    "triggerDatetime",
    "landingPageTitle",
    "pageTitle",
    "landingHref",
    "conversionHref",
    "vref",
    "callState",
    "callDuration",
    "bridgeDuration",
    "txr",
}


# --- activeCall -------------------------------------------------------------------------


def test_lookup_live_call_by_ref_and_by_number(shared_sim: Simulator, client: httpx.Client) -> None:
    centre = shared_sim.model.centres[1234]
    call = next(
        c
        for c in reversed(list(centre.calls.values()))
        if c.src != "anonymous" and centre.find(number=c.src) is c
    )
    by_ref = rows_of(client.get(route_url(shared_sim, "activeCall"), params={"callRef": call.ref}))
    assert len(by_ref) == 1
    row = by_ref[0]
    assert row.keys() >= ADVANCED_KEYS
    assert {k for k in row if k.startswith("pt_")} and {k for k in row if k.startswith("c_")}
    assert all(isinstance(v, str) for v in row.values())
    assert row["srcPhoneNumber"] == call.src
    assert row["callState"] == "in progress"
    assert row["igrpName"] == "Northwind Contact Centre"
    assert row["chType"] in ("ppc", "seo", "direct", "referral", "social")
    assert row["triggerDatetime"] == utc_naive(call.start).strftime("%Y-%m-%d %H:%M:%S")
    # the '+' travels as %2B; the same call comes back
    raw = f"{route_url(shared_sim, 'activeCall')}?srcPhoneNumber={call.src.replace('+', '%2B')}"
    assert rows_of(client.get(raw)) == by_ref
    # triggerDatetime stays UTC whatever tz says
    london = rows_of(client.get(raw + "&tz=Europe/London"))[0]
    assert london["triggerDatetime"] == row["triggerDatetime"]


def test_lookup_is_stable_between_requests(shared_sim: Simulator, client: httpx.Client) -> None:
    ref = next(iter(shared_sim.model.centres[1234].calls))
    url = route_url(shared_sim, "activeCall")
    assert (
        client.get(url, params={"callRef": ref}).text
        == client.get(url, params={"callRef": ref}).text
    )


def test_lookup_of_a_call_that_ended_hours_ago(client: httpx.Client) -> None:
    # a small centre: a day of model time then takes a fraction of a second to run
    config = SimConfig(realtime=False, load=6, agents=6, installations=[Installation(1234, "N")])
    with Simulator(config) as sim:
        _check_lookup_after_hours(sim, client)


def _check_lookup_after_hours(sim: Simulator, client: httpx.Client) -> None:
    centre = sim.model.centres[1234]
    call = next(c for c in centre.calls.values() if c.phase == "bridged")
    url = route_url(sim, "activeCall")
    live = rows_of(client.get(url, params={"callRef": call.ref}))[0]
    sim.advance(5 * 3600)
    ended = rows_of(client.get(url, params={"callRef": call.ref}))[0]
    assert ended["callState"] == "answered"
    assert int(ended["callDuration"]) == call.end - call.start
    assert call.bridge_start is not None and call.end is not None
    assert int(ended["bridgeDuration"]) == call.end - call.bridge_start
    assert int(ended["bridgeDuration"]) > 0
    assert int(ended["callDuration"]) < 3600  # final, not still counting
    for key in ("txr", "vid", "campaign", "landingHref", "c_customer_id"):
        assert ended[key] == live[key]
    sim.advance(20 * 3600)  # now more than 24 h after it ended
    gone = client.get(url, params={"callRef": call.ref})
    assert gone.status_code == 200 and gone.content == b""


def test_lookup_no_match_and_bad_requests(shared_sim: Simulator, client: httpx.Client) -> None:
    url = route_url(shared_sim, "activeCall")
    for params in ({"callRef": "c-0000-nope"}, {"srcPhoneNumber": "+449999999999"}):
        r = client.get(url, params=params)
        assert r.status_code == 200 and r.content == b""
        r = client.get(url, params={**params, "format": "jsonarray"})
        assert r.status_code == 200 and r.content == b"\n]\n"
    r = client.get(url)
    assert r.status_code == 400 and isinstance(r.json(), str)


def test_basic_installation_lookup_has_three_keys(
    shared_sim: Simulator, client: httpx.Client
) -> None:
    call = next(iter(shared_sim.model.centres[5678].calls.values()))
    rows = rows_of(
        client.get(route_url(shared_sim, "activeCall", 5678), params={"callRef": call.ref})
    )
    assert len(rows) == 1
    assert list(rows[0]) == ["igrp", "dgrp", "txr"]
    assert rows[0]["igrp"] == "5678" and rows[0]["dgrp"] == call.line.dgrp_s
    assert re.match(r"^\d{9}$", rows[0]["txr"])
