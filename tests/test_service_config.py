"""The ``[service]`` settings: defaults, checks, and the example file."""

from __future__ import annotations

import tomllib

import pytest

from rtdash.config import EXAMPLE_CONFIG, ConfigError, validate_settings


def test_defaults_and_example_agree() -> None:
    service = validate_settings({}).service
    assert (service.sl_seconds, service.short_abandon) == (20, 5)
    assert service.confirm_outcomes is False and service.persist is True
    assert service.wallboard_tiles == ["sl", "answered", "abandoned"]
    example = validate_settings(tomllib.loads(EXAMPLE_CONFIG)).service
    assert example == service


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"sl_seconds": 0}, "service.sl_seconds: must be greater than 0"),
        ({"sl_warn": 70, "sl_alert": 80}, "service.sl_alert: must not be above sl_warn"),
        ({"abandon_warn": 10, "abandon_alert": 5}, "service.abandon_alert: must be at least"),
        ({"wallboard_tiles": ["sl", "nps"]}, "service.wallboard_tiles: unknown tile 'nps'"),
        ({"confirm": True}, "service.confirm: unknown key"),
    ],
)
def test_bad_service_settings_get_one_line(section: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate_settings({"service": section}, where="x.toml")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
