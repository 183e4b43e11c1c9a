"""Thresholds built from config, and the level type the UI styles by."""

from __future__ import annotations

import dataclasses

import pytest

from rtdash.config import Settings, ThresholdSettings, validate_settings
from rtdash.core.thresholds import Level, Thresholds


def test_defaults_match_the_config_defaults() -> None:
    assert Thresholds.from_settings(ThresholdSettings()) == Thresholds()
    assert Thresholds.from_settings(Settings().thresholds) == Thresholds(
        wait_warn=60, wait_alert=120, waiting_warn=5, waiting_alert=10, agents_available_min=2
    )


def test_every_threshold_is_read_from_the_settings() -> None:
    settings = ThresholdSettings(
        wait_warn=30,
        wait_alert=45.5,
        waiting_warn=3,
        waiting_alert=7,
        agents_available_min=4,
        bell=False,
    )
    t = Thresholds.from_settings(settings)
    assert t == Thresholds(
        wait_warn=30, wait_alert=45.5, waiting_warn=3, waiting_alert=7, agents_available_min=4
    )
    # ...and they are the ones the levels use
    assert t.wait(30) is Level.WARN
    assert t.wait(45.5) is Level.ALERT
    assert t.waiting(7) is Level.ALERT
    assert t.agents_available(3) is Level.ALERT


def test_from_a_toml_shaped_config() -> None:
    settings = validate_settings({"thresholds": {"wait_warn": 15, "agents_available_min": 0}})
    t = Thresholds.from_settings(settings.thresholds)
    assert (t.wait_warn, t.wait_alert, t.agents_available_min) == (15, 120, 0)


def test_thresholds_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().wait_warn = 1  # type: ignore[misc]


def test_level_order_and_css_class() -> None:
    assert Level.OK < Level.WARN < Level.ALERT
    assert max(Level.OK, Level.ALERT) is Level.ALERT
    assert [lv.css_class for lv in Level] == ["level-ok", "level-warn", "level-alert"]
