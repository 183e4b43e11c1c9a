"""The wire contract's authentication and errors over real loopback HTTP: bad
credentials, API keys, unknown installations and routes, and what an unauthenticated
caller can learn (nothing)."""

from __future__ import annotations

import httpx
import pytest

from rtdash.sim import Simulator

from .conftest import route_url, rows_of

# --- auth and errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, ("demo", "not-" + Simulator.password), ("nobody", Simulator.password)],
)
def test_bad_credentials_are_401_json_string(
    shared_sim: Simulator, anon: httpx.Client, auth: tuple[str, str] | None
) -> None:
    r = anon.get(route_url(shared_sim, "pbxActiveCalls"), auth=auth)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/json"
    assert r.text == '"auth required"' and r.json() == "auth required"


def test_api_key_auth(shared_sim: Simulator, anon: httpx.Client) -> None:
    key = {"Authorization": f"ApiKey {shared_sim.api_key}"}
    for base in (shared_sim.url, shared_sim.url_v21):
        r = anon.get(f"{base}/igrps/1234/pbxUserStatus", headers=key)
        assert r.status_code == 200 and len(rows_of(r)) == 20
    assert shared_sim.url_v21.endswith("/reports/v2.1")
    wrong = anon.get(
        f"{shared_sim.url_v21}/igrps/1234/pbxUserStatus", headers={"Authorization": "ApiKey nope"}
    )
    assert wrong.status_code == 401
    bearer = anon.get(
        f"{shared_sim.url_v21}/igrps/1234/pbxUserStatus",
        headers={"Authorization": f"Bearer {shared_sim.api_key}"},
    )
    assert bearer.status_code == 401
    # v2.1 differs from v2 by auth only: Basic is not accepted there
    basic = anon.get(
        f"{shared_sim.url_v21}/igrps/1234/pbxUserStatus", auth=("demo", shared_sim.password)
    )
    assert basic.status_code == 401 and basic.json() == "auth required"


def test_unknown_installation_and_route(shared_sim: Simulator, client: httpx.Client) -> None:
    for igrp in ("9999", "abc"):
        r = client.get(f"{shared_sim.url}/igrps/{igrp}/pbxActiveCalls")
        assert r.status_code == 404 and r.json() == "installation not found"
    for path in ("/igrps/1234/pbxSomethingElse", "/nope", "/igrps/1234"):
        r = client.get(shared_sim.url + path)
        assert r.status_code == 404 and isinstance(r.json(), str)
    r = client.post(route_url(shared_sim, "pbxActiveCalls"))
    assert r.status_code == 405


def test_unauthenticated_caller_cannot_probe_installations(
    shared_sim: Simulator, anon: httpx.Client
) -> None:
    r = anon.get(f"{shared_sim.url}/igrps/9999/pbxActiveCalls")
    assert r.status_code == 401
