"""``rtdash doctor`` on credentials and permissions: a missing PII permission, a
rejected password and an API key, each said in one line and no secret shown; Basic
credentials on /reports/v2.1; lookups skipped when personal data is excluded."""

from __future__ import annotations

from typing import Any

import pytest

from rtdash.sim import Simulator
from tests.support import a_password, point_cli_at


def test_no_pii_permission_is_reported_on_the_lookup(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = doctor(*point_cli_at(sim, monkeypatch, user=sim.nopii_username, pw=sim.nopii_password))
    assert run.code == 0  # the dashboard works; lookups will not
    assert run.checks["activeCall"] == (
        "⚠",
        "no PII permission: lookups will be refused "
        '(permission denied (HTTP 403): "access denied")',
    )
    assert run.checks["pbxActiveCalls"][0] == "✔"
    assert run.checks["caller fields"] == ("–", "no activeCall answer to compare")


def test_rejected_password_is_one_clear_line(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = a_password("wrong")
    run = doctor(*point_cli_at(sim, monkeypatch, pw=wrong))
    assert run.code == 1
    checks = run.checks
    assert checks["credentials"] == ("✔", "Basic for user demo (password from RTDASH_PASSWORD)")
    assert checks["pbxActiveCalls"] == (
        "✖",
        'credentials rejected (HTTP 401): "auth required"; the password for user demo was '
        "refused: check RTDASH_USERNAME and RTDASH_PASSWORD (or [connection] in the config)",
    )
    assert checks["pbxUserStatus"] == checks["activeCall"] == ("–", "the credentials were rejected")
    assert wrong not in run.out + run.err


def test_api_key_is_named_never_shown(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = point_cli_at(sim, monkeypatch)
    monkeypatch.delenv("RTDASH_USERNAME")
    monkeypatch.delenv("RTDASH_PASSWORD")
    monkeypatch.setenv("RTDASH_API_KEY", sim.api_key)
    run = doctor(*flags)
    assert run.code == 0
    assert run.checks["credentials"] == ("✔", "API key (from RTDASH_API_KEY)")
    assert sim.api_key not in run.out


def test_basic_credentials_on_v2_1_warn(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_cli_at(sim, monkeypatch)
    run = doctor("--base-url", sim.url_v21, "--igrp", str(sim.igrp))
    mark, detail = run.checks["credentials"]
    assert mark == "⚠" and "/reports/v2.1 takes an API key only" in detail
    assert run.code == 1  # and the service does refuse it
    assert run.checks["pbxActiveCalls"][1].startswith("credentials rejected (HTTP 401)")


def test_excluded_pii_skips_the_lookup(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = doctor(*point_cli_at(sim, monkeypatch), "--exclude-pii")
    assert run.code == 0
    assert run.checks["activeCall"] == (
        "–",
        "personal data is excluded (exclude_pii), so lookups are off",
    )
