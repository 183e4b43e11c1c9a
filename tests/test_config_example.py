"""``rtdash config example`` is written from the settings models: every key of every
section is in it with its default, a key added to a model shows up without editing the
example, and the file parses back to the defaults."""

from __future__ import annotations

import re
import tomllib

import pytest
from pydantic import BaseModel, Field

from rtdash import config_example
from rtdash.config import ProfileSettings, Settings
from rtdash.config_example import example_config, section_keys


def _blocks(text: str) -> dict[str, str]:
    """Each ``[section]`` (commented or not) and the lines under it."""
    found: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        header = re.match(r"^(?:# )?\[([a-z_]+)[\].]", line)
        if header:
            current = header.group(1)
        found[current] = found.get(current, "") + line + "\n"
    return found


def test_every_key_of_every_section_is_in_the_example() -> None:
    blocks = _blocks(example_config())
    for section, keys in section_keys().items():
        assert section in blocks, f"[{section}] is missing"
        for key in keys:
            pattern = rf"^(?:# )?{key} = "
            assert re.search(pattern, blocks[section], re.M), f"{section}.{key} is missing"


def test_the_keys_the_example_once_missed_are_there() -> None:
    blocks = _blocks(example_config())
    assert re.search(r"^# name = ", blocks["connection"], re.M)
    assert re.search(r"^more_igrps = \[\]", blocks["connection"], re.M)
    assert re.search(r"^# api_key = ", blocks["connection"], re.M)
    assert "[keymap]" in blocks["keymap"] and "[profiles.north]" in blocks["profiles"]


def test_every_profile_key_is_named() -> None:
    text = " ".join(example_config().replace("#", " ").split())
    for key in ProfileSettings.model_fields:
        assert re.search(rf"\b{key}\b", text), key


def test_the_example_parses_to_the_defaults() -> None:
    parsed = tomllib.loads(example_config())
    assert Settings.model_validate(parsed).model_dump() == Settings().model_dump()
    defaults = Settings()
    for section, keys in section_keys().items():
        for key in keys:
            if key in parsed.get(section, {}):
                assert parsed[section][key] == _plain(getattr(getattr(defaults, section), key))


def _plain(value: object) -> object:
    return str(value) if value.__class__.__name__.endswith("Path") else value


def test_a_key_added_to_a_model_is_in_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """What another part of rtdash adds to the settings needs no edit here."""

    class HubSettings(BaseModel):
        url: str = "redis://127.0.0.1:6379"
        channel: str | None = Field(default=None, description="the hub's channel")

    class Wider(Settings):
        hub: HubSettings | None = Field(default_factory=HubSettings)
        extra_table: dict[str, str] = Field(default_factory=dict, description="anything")

    monkeypatch.setattr(config_example, "Settings", Wider)
    text = example_config()
    assert '[hub]\nurl = "redis://127.0.0.1:6379"\n# channel = …' in text
    assert "# the hub's channel" in text
    assert "# [extra_table]" in text
    assert section_keys()["hub"] == ["url", "channel"]
