"""Missing or refused credentials: the message names what to set or fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from rtdash.core.credentials import missing_credentials, rejected_hint, rejected_hint_for
from tests.support import a_password


@pytest.mark.parametrize(
    ("have", "said"),
    [
        ((True, False, False), "RTDASH_PASSWORD is not set (RTDASH_USERNAME is)"),
        ((False, True, False), "RTDASH_USERNAME is not set (RTDASH_PASSWORD is)"),
        ((False, False, False), "no credentials: set RTDASH_USERNAME and RTDASH_PASSWORD"),
    ],
)
def test_the_missing_half_is_named(have: tuple[bool, bool, bool], said: str) -> None:
    username, password, api_key = have
    line = missing_credentials(username=username, password=password, api_key=api_key)
    assert line is not None and line.startswith(said)


def test_usable_credentials_are_not_missing() -> None:
    assert missing_credentials(username=True, password=True, api_key=False) is None
    assert missing_credentials(username=False, password=False, api_key=True) is None


def test_a_refusal_says_what_to_fix_and_to_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    config = tmp_path / ".config" / "rtdash" / "config.toml"
    key = {"RTDASH_API_KEY": a_password("key")}
    basic = {"RTDASH_USERNAME": "u", "RTDASH_PASSWORD": a_password()}
    assert rejected_hint(key, config) == "fix RTDASH_API_KEY and restart rtdash"
    assert rejected_hint(basic, config) == "fix RTDASH_USERNAME/RTDASH_PASSWORD and restart rtdash"
    assert rejected_hint({}, config) == (
        "fix the credentials in ~/.config/rtdash/config.toml and restart rtdash"
    )
    assert rejected_hint({}, None) == "fix the credentials and restart rtdash"
    assert rejected_hint(basic, None, profiles=True).startswith("fix the profile's credentials")
    assert rejected_hint_for(None, env={}) == "fix the credentials and restart rtdash"
