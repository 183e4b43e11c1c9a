"""``rtdash config example`` is written from the settings models: every key of every
section is in it with its default, a key added to a model shows up without editing the
example, and the file parses back to the defaults."""

from __future__ import annotations

import re
import tomllib
from typing import Annotated

import msgspec
import pytest

from rtdash import config_example
from rtdash.config import ProfileSettings, Settings, convert
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
    for key in ProfileSettings.__struct_fields__:
        assert re.search(rf"\b{key}\b", text), key


def test_the_example_parses_to_the_defaults() -> None:
    parsed = tomllib.loads(example_config())
    assert convert(parsed, Settings) == Settings()
    defaults = Settings()
    for section, keys in section_keys().items():
        for key in keys:
            if key in parsed.get(section, {}):
                assert parsed[section][key] == _plain(getattr(getattr(defaults, section), key))


def _plain(value: object) -> object:
    return str(value) if value.__class__.__name__.endswith("Path") else value


class HubSettings(msgspec.Struct, kw_only=True):
    url: str = "redis://127.0.0.1:6379"
    channel: Annotated[str, msgspec.Meta(description="the hub's channel")] | None = None


class Wider(Settings):
    """Settings as another part of rtdash might grow them (module level: the sections'
    annotations are resolved by name)."""

    hub: HubSettings | None = msgspec.field(default_factory=HubSettings)  # type: ignore[assignment]
    extra_table: Annotated[dict[str, str], msgspec.Meta(description="anything")] = msgspec.field(
        default_factory=dict
    )


def test_a_key_added_to_a_model_is_in_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """What another part of rtdash adds to the settings needs no edit here."""

    monkeypatch.setattr(config_example, "Settings", Wider)
    text = example_config()
    assert '[hub]\nurl = "redis://127.0.0.1:6379"\n# channel = …' in text
    assert "# the hub's channel" in text
    assert "# [extra_table]" in text
    assert section_keys()["hub"] == ["url", "channel"]
