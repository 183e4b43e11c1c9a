"""The wire contract over real loopback HTTP: shapes, auth, tz, sort, PII, lookup."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import httpx
import pytest

from rtdash.sim import Installation, SimConfig, Simulator

from .conftest import route_url, rows_of, utc_naive

CALL_KEYS = [
    "igrp",
    "callRef",
    "callState",
    "callStartDatetime",
    "stateStartDatetime",
    "srcPhoneNumber",
    "dialledPhoneNumber",
    "dgrp",
    "dgrpName",
    "queueRef",
    "operatorRef",
    "displayName",
    "ringTime",
    "queueDuration",
    "bridgeDuration",
    "callDuration",
]
USER_KEYS = [
    "igrp",
    "sipUserId",
    "operatorRef",
    "displayName",
    "extensionNumber",
    "state",
    "stateStartDatetime",
    "dashboard",
]
DT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
MASK = re.compile(r"^\+\d{4}\*{8}$")


def parse_dt(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


# --- pbxActiveCalls ---------------------------------------------------------------------


def test_active_calls_shape(shared_sim: Simulator, client: httpx.Client) -> None:
    r = client.get(route_url(shared_sim, "pbxActiveCalls"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/x-ndjson"
    rows = rows_of(r)
    assert len(rows) >= 15
    now = shared_sim.now.replace(tzinfo=None)
    for row in rows:
        assert list(row) == CALL_KEYS
        assert all(isinstance(v, str) for v in row.values())
        assert row["igrp"] == "1234"
        assert row["callState"] in ("ringing", "queueing", "bridged")
        assert DT.match(row["callStartDatetime"]) and DT.match(row["stateStartDatetime"])
        ring, queued, bridged, total = (
            int(row[k]) for k in ("ringTime", "queueDuration", "bridgeDuration", "callDuration")
        )
        assert ring + queued + bridged == total
        assert total == (now - parse_dt(row["callStartDatetime"])).total_seconds()
        assert row["queueRef"] in ("sales", "support", "billing", "bookings")
        if row["callState"] == "bridged":
            assert row["operatorRef"] and row["displayName"]
            assert bridged == (now - parse_dt(row["stateStartDatetime"])).total_seconds()
        else:
            assert row["operatorRef"] == "" and row["displayName"] == ""
            assert bridged == 0
        if row["callState"] == "ringing":
            assert queued == 0 and row["stateStartDatetime"] == row["callStartDatetime"]
    assert {r["callState"] for r in rows} == {"ringing", "queueing", "bridged"}
    refs = [r["callRef"] for r in rows]
    assert len(set(refs)) == len(refs)
    # raw numbers for a PII-permitted user, matching the model
    model_src = {c.ref: c.src for c in shared_sim.model.centres[1234].calls.values()}
    assert {r["callRef"]: r["srcPhoneNumber"] for r in rows} == model_src


def test_each_installation_serves_its_own_calls(
    shared_sim: Simulator, client: httpx.Client
) -> None:
    rows = rows_of(client.get(route_url(shared_sim, "pbxActiveCalls", 5678)))
    assert rows and {r["igrp"] for r in rows} == {"5678"}
    assert {r["dgrpName"] for r in rows} <= {
        "Lettings line",
        "Maintenance line",
        "Viewings line",
        "Accounts line",
    }


# --- pbxUserStatus ----------------------------------------------------------------------


def test_user_status_shape(shared_sim: Simulator, client: httpx.Client) -> None:
    rows = rows_of(client.get(route_url(shared_sim, "pbxUserStatus")))
    assert len(rows) == 20
    for row in rows:
        assert list(row) == USER_KEYS
        assert all(isinstance(v, str) for v in row.values())
        assert row["state"] in ("available", "unavailable")
        assert row["dashboard"] in ("0", "1")
        assert DT.match(row["stateStartDatetime"])
        assert re.match(r"^[a-z]\.[a-z]+\d*$", row["operatorRef"])
    assert {r["dashboard"] for r in rows} == {"0", "1"}
    for key in ("sipUserId", "extensionNumber", "operatorRef", "displayName"):
        assert len({r[key] for r in rows}) == len(rows), key
    ids = {int(r["sipUserId"]) for r in rows}
    other = rows_of(client.get(route_url(shared_sim, "pbxUserStatus", 5678)))
    assert not ids & {int(r["sipUserId"]) for r in other}, "user ids unique across igrps"


def test_agents_on_calls_are_unavailable(shared_sim: Simulator, client: httpx.Client) -> None:
    calls = rows_of(client.get(route_url(shared_sim, "pbxActiveCalls")))
    users = {
        u["operatorRef"]: u for u in rows_of(client.get(route_url(shared_sim, "pbxUserStatus")))
    }
    bridged = [c for c in calls if c["callState"] == "bridged"]
    assert bridged
    for call in bridged:
        user = users[call["operatorRef"]]
        assert user["state"] == "unavailable" and user["dashboard"] == "1"
        assert user["displayName"] == call["displayName"]
        assert user["stateStartDatetime"] == call["stateStartDatetime"]


@pytest.mark.parametrize("raw_key", ["sort[]", "sort%5B%5D"])
def test_sort_by_state_start_both_directions(
    shared_sim: Simulator, client: httpx.Client, raw_key: str
) -> None:
    base = route_url(shared_sim, "pbxUserStatus")
    asc = rows_of(client.get(f"{base}?{raw_key}=stateStartDatetime-asc"))
    desc = rows_of(client.get(f"{base}?{raw_key}=stateStartDatetime-desc"))
    starts = [r["stateStartDatetime"] for r in asc]
    assert starts == sorted(starts) and starts != sorted(starts, reverse=True)
    assert [r["stateStartDatetime"] for r in desc] == sorted(starts, reverse=True)


def test_sort_keys_apply_in_order(shared_sim: Simulator, client: httpx.Client) -> None:
    url = f"{route_url(shared_sim, 'pbxUserStatus')}?sort[]=dashboard-desc&sort[]=displayName-asc"
    rows = rows_of(client.get(url))
    keys = [(r["dashboard"], r["displayName"].casefold()) for r in rows]
    expected = sorted(keys, key=lambda k: k[1])
    expected.sort(key=lambda k: k[0], reverse=True)
    assert keys == expected
    assert rows[0]["dashboard"] == "1" and rows[-1]["dashboard"] == "0"
    ext = rows_of(
        client.get(
            route_url(shared_sim, "pbxUserStatus"), params={"sort[]": "extensionNumber-desc"}
        )
    )
    assert [int(r["extensionNumber"]) for r in ext] == list(range(220, 200, -1))


def test_calls_sort_too(shared_sim: Simulator, client: httpx.Client) -> None:
    rows = rows_of(
        client.get(
            route_url(shared_sim, "pbxActiveCalls"), params={"sort[]": "callStartDatetime-desc"}
        )
    )
    starts = [r["callStartDatetime"] for r in rows]
    assert starts == sorted(starts, reverse=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [("bogus-asc", "invalid sort field: bogus"), ("displayName-sideways", None)],
)
def test_bad_sort_is_a_400_json_string(
    shared_sim: Simulator, client: httpx.Client, value: str, message: str | None
) -> None:
    r = client.get(route_url(shared_sim, "pbxUserStatus"), params={"sort[]": value})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert isinstance(body, str)
    if message:
        assert body == message


# --- tz ---------------------------------------------------------------------------------


def test_tz_converts_every_datetime(shared_sim: Simulator, client: httpx.Client) -> None:
    url = route_url(shared_sim, "pbxActiveCalls")
    utc = {r["callRef"]: r for r in rows_of(client.get(url, params={"tz": "UTC"}))}
    london = {r["callRef"]: r for r in rows_of(client.get(url, params={"tz": "Europe/London"}))}
    ny = {r["callRef"]: r for r in rows_of(client.get(url, params={"tz": "America/New_York"}))}
    default = {r["callRef"]: r for r in rows_of(client.get(url))}
    assert utc == default and utc.keys() == london.keys() == ny.keys()
    for ref, row in utc.items():
        for key in ("stateStartDatetime", "callStartDatetime"):
            base = parse_dt(row[key])
            assert parse_dt(london[ref][key]) - base == timedelta(hours=1)  # BST in May
            assert parse_dt(ny[ref][key]) - base == timedelta(hours=-4)  # EDT
        assert london[ref]["callDuration"] == row["callDuration"]


def test_tz_across_a_dst_change(anon: httpx.Client) -> None:
    """Datetimes either side of a transition get their own offsets (not one per body)."""
    start = datetime.fromisoformat("2026-03-29T01:05:00+00:00")  # BST began 01:00 UTC
    with Simulator(SimConfig(realtime=False, start=start, warm_up=1800)) as sim:
        rows = rows_of(
            anon.get(
                route_url(sim, "pbxUserStatus"),
                auth=("demo", sim.password),
                params={"tz": "Europe/London"},
            )
        )
        users = {str(u.uid): u for u in sim.model.centres[1234].users}
        offsets = set()
        for row in rows:
            t = users[row["sipUserId"]].state_start
            utc = utc_naive(t)
            offsets.add(parse_dt(row["stateStartDatetime"]) - utc)
    assert offsets == {timedelta(0), timedelta(hours=1)}


def test_unknown_tz_is_400(shared_sim: Simulator, client: httpx.Client) -> None:
    for tz in ("Mars/Olympus_Mons", "../../etc/passwd"):
        r = client.get(route_url(shared_sim, "pbxActiveCalls"), params={"tz": tz})
        assert r.status_code == 400 and r.json() == "invalid tz"


# --- PII --------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["1", "true"])
def test_exclude_pii_masks_caller_numbers(
    shared_sim: Simulator, client: httpx.Client, flag: str
) -> None:
    url = route_url(shared_sim, "pbxActiveCalls")
    raw = {r["callRef"]: r for r in rows_of(client.get(url))}
    masked = rows_of(client.get(url, params={"excludePiiData": flag}))
    assert masked
    for row in masked:
        original = raw[row["callRef"]]
        if original["srcPhoneNumber"] == "anonymous":
            assert row["srcPhoneNumber"] == "anonymous"
        else:
            assert MASK.match(row["srcPhoneNumber"]), row["srcPhoneNumber"]
            assert row["srcPhoneNumber"][:5] == original["srcPhoneNumber"][:5]
        assert row["dialledPhoneNumber"] == original["dialledPhoneNumber"]
    assert any(MASK.match(r["srcPhoneNumber"]) for r in masked)


def test_user_without_pii_permission(shared_sim: Simulator) -> None:
    with httpx.Client(auth=("nopii", shared_sim.nopii_password), verify=False) as nopii:
        rows = rows_of(nopii.get(route_url(shared_sim, "pbxActiveCalls")))
        assert rows
        assert all(
            MASK.match(r["srcPhoneNumber"]) or r["srcPhoneNumber"] == "anonymous" for r in rows
        )
        ref = rows[0]["callRef"]
        r = nopii.get(route_url(shared_sim, "activeCall"), params={"callRef": ref})
        assert r.status_code == 403
        assert r.headers["content-type"] == "application/json"
        assert r.text == '"access denied"'
        # user status carries no PII: served as normal
        assert len(rows_of(nopii.get(route_url(shared_sim, "pbxUserStatus")))) == 20


# --- formats ----------------------------------------------------------------------------


def test_jsonarray_matches_ndjson(shared_sim: Simulator, client: httpx.Client) -> None:
    url = route_url(shared_sim, "pbxActiveCalls")
    nd = rows_of(client.get(url))
    r = client.get(url, params={"format": "jsonarray"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert json.loads(r.text) == nd
    assert client.get(url, params={"format": "xml"}).status_code == 400


def test_empty_results_and_the_jsonarray_quirk(client: httpx.Client) -> None:
    with Simulator(SimConfig(realtime=False, load=0)) as sim:
        r = client.get(route_url(sim, "pbxActiveCalls"))
        assert r.status_code == 200 and r.content == b""
        r = client.get(route_url(sim, "pbxActiveCalls"), params={"format": "jsonarray"})
        assert r.status_code == 200 and r.content == b"\n]\n"


def test_field_renames_reach_the_wire(client: httpx.Client) -> None:
    config = SimConfig(
        realtime=False,
        installations=[Installation(42, "Renamed Ltd")],
        field_renames={"callState": "callPhase", "dashboard": "onWallboard"},
    )
    with Simulator(config) as sim:
        calls = rows_of(client.get(route_url(sim, "pbxActiveCalls")))
        assert calls and all("callState" not in r for r in calls)
        assert {r["callPhase"] for r in calls} == {"ringing", "queueing", "bridged"}
        assert list(calls[0])[2] == "callPhase"  # renamed in place
        users = rows_of(
            client.get(route_url(sim, "pbxUserStatus"), params={"sort[]": "onWallboard-desc"})
        )
        assert all("dashboard" not in u for u in users)
        assert users[0]["onWallboard"] == "1" and users[-1]["onWallboard"] == "0"
        # attribution rows keep their own (documented) callState
        row = rows_of(
            client.get(route_url(sim, "activeCall"), params={"callRef": calls[0]["callRef"]})
        )[0]
        assert row["callState"] == "in progress"


def test_same_seed_same_bodies_other_seed_differs(client: httpx.Client) -> None:
    def bodies(seed: int) -> list[bytes]:
        with Simulator(SimConfig(seed=seed, realtime=False)) as sim:
            out = []
            for step in (0, 45, 600):
                sim.advance(step)
                ref = next(iter(sim.model.centres[1234].calls))
                for route, params in (
                    ("pbxActiveCalls", {"tz": "Europe/London"}),
                    ("pbxUserStatus", {"sort[]": "stateStartDatetime-asc"}),
                    ("activeCall", {"callRef": ref}),
                ):
                    out.append(client.get(route_url(sim, route), params=params).content)
            return out

    first, again, other = bodies(3), bodies(3), bodies(4)
    assert first == again
    assert all(first)
    assert first[0] != other[0] and first[1] != other[1]


def test_keep_alive_connection_is_reused(shared_sim: Simulator, client: httpx.Client) -> None:
    ports = set()
    for _ in range(3):
        r = client.get(route_url(shared_sim, "pbxUserStatus"), extensions={})
        stream = r.extensions["network_stream"]
        ports.add(stream.get_extra_info("client_addr")[1])
    assert len(ports) == 1
