"""Settings: defaults, the example file, environment credentials, one-line errors."""

from __future__ import annotations

import secrets
import tomllib
from pathlib import Path

import msgspec
import pytest

from rtdash.api.client import DEFAULT_BASE_URL
from rtdash.config import (
    EXAMPLE_CONFIG,
    ConfigError,
    Settings,
    config_path,
    load_settings,
    validate_settings,
)
from tests.support import a_password, config_lines

NO_ENV: dict[str, str] = {}


def write(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_defaults() -> None:
    settings = validate_settings({})
    assert settings.connection.base_url == DEFAULT_BASE_URL
    assert settings.connection.igrp is None
    assert settings.connection.timezone == "UTC"
    assert settings.connection.exclude_pii is False
    assert settings.connection.default_region == "GB"
    assert settings.polling.interval == 2.0
    assert settings.thresholds.wait_warn <= settings.thresholds.wait_alert
    assert settings.mapping == {}
    assert not settings.connection.credentials().usable


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "none.toml")
    settings = load_settings(env=NO_ENV)
    assert settings.source is None
    assert settings == Settings()


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.toml", env=NO_ENV)
    with pytest.raises(ConfigError, match=r": a folder, not a config file$"):
        load_settings(tmp_path, env=NO_ENV)


def test_rtdash_config_env_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[connection]\nigrp = 77\n")
    settings = load_settings(env={"RTDASH_CONFIG": str(path)})
    assert settings.connection.igrp == 77
    assert settings.source == path


def test_config_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTDASH_CONFIG", str(tmp_path / "env.toml"))
    assert config_path(tmp_path / "flag.toml") == tmp_path / "flag.toml"
    assert config_path() == tmp_path / "env.toml"
    monkeypatch.delenv("RTDASH_CONFIG")
    assert config_path().name == "config.toml"
    assert "rtdash" in str(config_path())


def test_example_config_parses_to_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE_CONFIG)
    settings = load_settings(path, env=NO_ENV)
    assert msgspec.structs.replace(settings, source=None) == Settings()
    assert settings.source == path
    assert settings.warnings == []
    assert tomllib.loads(EXAMPLE_CONFIG)["polling"]["interval"] == 2.0


def test_file_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[connection]
base_url = "http://127.0.0.1:8765/reports/v2/"
igrp = 1234
timezone = "Europe/London"
default_region = "ie"

[polling]
interval = 5

[mapping]
call_state = "callPhase"
""",
    )
    settings = load_settings(path, env=NO_ENV)
    assert settings.connection.base_url == "http://127.0.0.1:8765/reports/v2"
    assert settings.connection.igrp == 1234
    assert settings.connection.timezone == "Europe/London"
    assert settings.connection.default_region == "IE"
    assert settings.polling.interval == 5.0
    assert settings.field_mapping().call["state"] == ["callPhase"]


def test_env_credentials_win_over_the_file(tmp_path: Path) -> None:
    in_file, key_in_file = a_password(), a_password("key")  # no secret written in the tests
    path = write(
        tmp_path,
        "[connection]\n"
        + config_lines(username="file-user", password=in_file, api_key=key_in_file),
    )
    in_env, key_in_env = a_password(), a_password("key")
    env = {"RTDASH_USERNAME": "env-user", "RTDASH_PASSWORD": in_env, "RTDASH_API_KEY": key_in_env}
    connection = load_settings(path, env=env).connection
    assert connection.username == "env-user"
    assert connection.password is not None
    assert connection.password.get_secret_value() == in_env
    assert connection.api_key is not None
    assert connection.api_key.get_secret_value() == key_in_env


@pytest.mark.parametrize(
    ("env", "scheme"),
    [
        ({"RTDASH_USERNAME": "u", "RTDASH_PASSWORD": a_password()}, "Basic "),
        ({"RTDASH_API_KEY": a_password("key")}, "ApiKey "),
    ],
)
def test_env_credentials_alone_are_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], scheme: str
) -> None:
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "none.toml")
    settings = load_settings(env=env)
    assert settings.connection.credentials().usable
    assert settings.connection.credentials().headers()["Authorization"].startswith(scheme)


def test_secrets_do_not_show_in_repr(tmp_path: Path) -> None:
    word = a_password()  # made per run: no password is written in the tests
    path = write(tmp_path, "[connection]\n" + config_lines(username="u", password=word))
    key = a_password("key")
    settings = load_settings(path, env={"RTDASH_API_KEY": key})
    for text in (repr(settings), str(settings), repr(settings.connection.credentials())):
        assert word not in text
        assert key not in text


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[connection]\nigrp = "abc"\n', "connection.igrp:"),
        ("[connection]\nigrp = 0\n", "connection.igrp:"),
        ('[connection]\ntimezone = "Mars/Olympus"\n', "connection.timezone:"),
        ('[connection]\nbase_url = "ftp://example.com"\n', "connection.base_url:"),
        ('[connection]\nbase_url = "api.infinitycloud.com"\n', "connection.base_url:"),
        ('[connection]\nusrname = "typo"\n', "connection.usrname: unknown key"),
        ("[conection]\nigrp = 1\n", "conection: unknown key"),
        ("[polling]\ninterval = 0\n", "polling.interval:"),
        ("[polling]\ninterval = -3\n", "polling.interval:"),
        ('[polling]\ninterval = "fast"\n', "polling.interval:"),
        ('[connection]\nexclude_pii = "maybe"\n', "connection.exclude_pii:"),
        ("[thresholds]\nwait_warn = 100\nwait_alert = 50\n", "thresholds.wait_alert:"),
        ('[mapping]\ncall_colour = "x"\n', "mapping.call_colour: unknown field"),
        ("[connection\n", "not valid TOML"),
    ],
)
def test_problems_are_one_line_naming_the_key(tmp_path: Path, toml: str, names: str) -> None:
    path = write(tmp_path, toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env=NO_ENV)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert names in message
    assert "\n" not in message
    assert "pydantic" not in message and "msgspec" not in message and "`" not in message


def test_bad_timezone_message_says_what_to_use(tmp_path: Path) -> None:
    path = write(tmp_path, '[connection]\ntimezone = "London"\n')
    with pytest.raises(ConfigError, match="IANA name such as Europe/London"):
        load_settings(path, env=NO_ENV)


def test_a_bad_password_type_is_not_echoed(tmp_path: Path) -> None:
    number = 10**8 + secrets.randbelow(9 * 10**8)  # a number, not a text; made per run
    path = write(tmp_path, f"[connection]\npassword = {number}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env=NO_ENV)
    assert str(number) not in str(caught.value)
    assert "connection.password" in str(caught.value)


def test_world_readable_file_with_a_password_warns(tmp_path: Path) -> None:
    word = a_password()
    path = write(tmp_path, "[connection]\n" + config_lines(username="u", password=word), mode=0o644)
    settings = load_settings(path, env=NO_ENV)
    assert len(settings.warnings) == 1
    assert f"chmod 600 {path}" in settings.warnings[0]
    assert word not in settings.warnings[0]


def test_world_readable_file_with_an_api_key_warns(tmp_path: Path) -> None:
    path = write(tmp_path, "[connection]\n" + config_lines(api_key=a_password("key")), mode=0o640)
    assert load_settings(path, env=NO_ENV).warnings


def test_private_file_with_a_password_does_not_warn(tmp_path: Path) -> None:
    word = a_password()
    path = write(tmp_path, "[connection]\n" + config_lines(username="u", password=word), mode=0o600)
    assert load_settings(path, env=NO_ENV).warnings == []


def test_world_readable_file_without_secrets_does_not_warn(tmp_path: Path) -> None:
    path = write(tmp_path, "[connection]\nigrp = 5\n", mode=0o644)
    assert load_settings(path, env=NO_ENV).warnings == []


def test_validate_assignment_checks_later_changes() -> None:
    """The CLI sets flags onto loaded settings; they must be checked like the file."""
    settings = validate_settings({})
    settings.connection.igrp = "42"  # type: ignore[assignment]
    assert settings.connection.igrp == 42
    with pytest.raises(ValueError, match=r"^interval: must be at least 1$"):
        settings.polling.interval = 0.5
    assert settings.polling.interval == 2.0  # a refused value is not kept
    with pytest.raises(ValueError, match=r"^timezone: unknown time zone 'Nowhere/Special'"):
        settings.connection.timezone = "Nowhere/Special"
