"""Every key of every section is checked by the sections themselves (msgspec Structs):
each bound refused with a message that names the key, nan and inf refused, unknown keys
refused, no secret's value in any message, and a flag refused exactly as the same key
in the file is. The tables below are built from the Structs, so a new key is covered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
import pytest

from rtdash.api.credentials import Credentials, Secret
from rtdash.cli.common import UsageError
from rtdash.cli.flags import apply_flags
from rtdash.config import (
    ConfigError,
    ConnectionSettings,
    PollingSettings,
    ProfileSettings,
    Settings,
    ThresholdSettings,
    load_settings,
    validate_settings,
)
from rtdash.config_words import plain_problem
from tests.support import a_password

#: where each section lives in the file: Settings' own sections, and a profile
SECTIONS: dict[str, type[msgspec.Struct]] = {
    **{
        info.name: info.type
        for info in msgspec.structs.fields(Settings)
        if isinstance(info.type, type) and issubclass(info.type, msgspec.Struct)
    },
    "profiles.north": ProfileSettings,
}
#: what a section needs to be valid at all (a profile's igrp)
REQUIRED: dict[str, dict[str, Any]] = {"profiles.north": {"igrp": 1}}

_WORDS = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}


def _meta(kind: Any) -> tuple[Any, list[msgspec.Meta], bool]:
    """``(base type, its Meta, in a list?)`` of a key's type."""
    in_list = False
    while True:
        if get_origin(kind) in (Union, type(int | None)):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        elif get_origin(kind) is list:
            kind, in_list = get_args(kind)[0], True
        elif get_origin(kind) is Annotated:
            base, *metas = get_args(kind)
            return base, [m for m in metas if isinstance(m, msgspec.Meta)], in_list
        else:
            return kind, [], in_list


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _bound_cases() -> list[Any]:
    """One bad value per bound of every constrained key, and the words it must get."""
    cases = []
    for where, section in SECTIONS.items():
        for info in msgspec.structs.fields(section):
            base, metas, in_list = _meta(info.type)
            for meta in metas:
                for bound in ("gt", "ge", "lt", "le"):
                    limit = getattr(meta, bound)
                    if limit is None:
                        continue
                    step = 1 if base is int else 0.5
                    bad = limit - (step if bound == "ge" else 0) + (step if bound == "le" else 0)
                    words = f"must be {_WORDS[bound]} {_number(limit)}"
                    if base is int and bound == "gt":  # an int above 0 is at least 1
                        words = f"must be at least {_number(limit + 1)}"
                    cases.append((where, info.name, [bad] if in_list else bad, words, in_list))
                for bound, pad in (("min_length", -1), ("max_length", 1)):
                    length = getattr(meta, bound)
                    if length is not None and length + pad >= 0:
                        most = "at least" if bound == "min_length" else "at most"
                        words = f"must have {most} {length} character"
                        cases.append((where, info.name, "A" * (length + pad), words, in_list))
    return cases


BOUNDS = _bound_cases()


def _settings_with(where: str, key: str, value: Any) -> dict[str, Any]:
    section: dict[str, Any] = {**REQUIRED.get(where, {}), key: value}
    if where.startswith("profiles."):
        return {"profiles": {where.split(".", 1)[1]: section}}
    return {where: section}


def _problem(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        validate_settings(data, where="f.toml")
    message = str(caught.value)
    assert message.startswith("f.toml: ")
    assert "\n" not in message and "`" not in message and "Expected" not in message
    return message.removeprefix("f.toml: ")


def test_the_table_covers_every_constrained_key() -> None:
    covered = {(where, key) for where, key, *_ in BOUNDS}
    # a few that must be there: a gt on a float, a ge on an int, a length, a list's items
    assert {
        ("connection", "timeout"),
        ("connection", "max_body_mb"),
        ("connection", "default_region"),
        ("connection", "more_igrps"),
        ("polling", "interval"),
        ("service", "sl_seconds"),
        ("hub", "history_hours"),
        ("serve", "max_sessions"),
        ("profiles.north", "igrp"),
    } <= covered
    assert len(BOUNDS) >= 40


@pytest.mark.parametrize(("where", "key", "bad", "words", "in_list"), BOUNDS)
def test_every_bound_is_refused_naming_the_key(
    where: str, key: str, bad: Any, words: str, in_list: bool
) -> None:
    problem = _problem(_settings_with(where, key, bad))
    assert problem.startswith(f"{where}.{key}{'.0' if in_list else ''}: {words}")


FLOATS = [
    (where, info.name)
    for where, section in SECTIONS.items()
    for info in msgspec.structs.fields(section)
    if _meta(info.type)[0] is float
]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), "nan", "inf"])
@pytest.mark.parametrize(("where", "key"), FLOATS)
def test_nan_and_inf_are_refused_everywhere(where: str, key: str, bad: Any) -> None:
    problem = _problem(_settings_with(where, key, bad))
    assert problem == f"{where}.{key}: must be a finite number"


@pytest.mark.parametrize("where", list(SECTIONS))
def test_an_unknown_key_in_any_section(where: str) -> None:
    assert _problem(_settings_with(where, "colour", "red")) == f"{where}.colour: unknown key"


def test_unknown_sections_and_run_attributes_are_not_keys() -> None:
    assert _problem({"colours": {}}) == "colours: unknown key"
    assert _problem({"source": "/etc/passwd"}) == "source: unknown key"
    assert _problem({"warnings": ["x"]}) == "warnings: unknown key"


def test_a_profile_without_igrp_names_the_profile() -> None:
    data = {"profiles": {"south": {"igrp": 2}, "north": {"name": "N"}}}
    assert _problem(data) == "profiles.north.igrp: must be set"


def test_a_bad_keymap_entry_names_its_key() -> None:
    data = {"keymap": {"pause": "space", "lookup": 5}}
    assert _problem(data) == "keymap.lookup: expected text, got a whole number"


SECRET = a_password()


@pytest.mark.parametrize(
    ("data", "names"),
    [
        ({"connection": {"password": [SECRET]}}, "connection.password: expected text"),
        ({"connection": {"api_key": {"key": SECRET}}}, "connection.api_key: expected text"),
        ({"profiles": {"n": {"igrp": 1, "password": [SECRET]}}}, "profiles.n.password:"),
        ({"profiles": {"n": {"igrp": 1, "api_key": [SECRET]}}}, "profiles.n.api_key:"),
        ({"hub": {"url": f"http://viewer:{SECRET}@redis.example"}}, "hub.url: is not a redis"),
        ({"hub": {"url": f"redis://viewer:{SECRET}@[::1"}}, "hub.url: is not a redis"),
        ({"hub": {"url": [SECRET]}}, "hub.url: expected text"),
        # a password holding "?", "#" or "/" ends the URL's host part before the @
        ({"hub": {"url": f"redis://u:{SECRET}?x@127.0.0.1:6399/0"}}, "hub.url: is not a redis"),
        ({"hub": {"url": f"redis://u:{SECRET}/x@127.0.0.1:6399/0"}}, "hub.url: is not a redis"),
        ({"hub": {"url": f"redis://u:{SECRET}@127.0.0.1:99999/0"}}, "hub.url: is not a redis"),
        (
            {"connection": {"base_url": f"https://u:{SECRET}?x@api.example/v2"}},
            "connection.base_url: must not hold credentials",
        ),
        (
            {"connection": {"base_url": f"https://u:{SECRET}#x@api.example/v2"}},
            "connection.base_url: must not hold credentials",
        ),
        (
            {"connection": {"base_url": f"https://u:{SECRET}/x@api.example/v2"}},
            "connection.base_url: must not hold credentials",
        ),
        (
            {"connection": {"base_url": f"https://u:{SECRET}@api.example"}},
            "connection.base_url: must not hold credentials",
        ),
        (
            {"profiles": {"n": {"igrp": 1, "base_url": f"https://u:{SECRET}@x"}}},
            "profiles.n.base_url: must not hold credentials",
        ),
    ],
)
def test_a_secret_value_is_never_in_the_message(data: dict[str, Any], names: str) -> None:
    problem = _problem(data)
    assert problem.startswith(names)
    assert SECRET not in problem and SECRET.split("-", 1)[1] not in problem


@pytest.mark.parametrize(
    ("flag", "dest", "value", "section", "key"),
    [
        ("--interval", "interval", "0.5", "polling", "interval"),
        ("--interval", "interval", "99999", "polling", "interval"),
        ("--interval", "interval", "nan", "polling", "interval"),
        ("--igrp", "igrp", ["0"], "connection", "igrp"),
        ("--igrp", "igrp", ["-3"], "connection", "igrp"),
        ("--tz", "tz", "Mars/Base", "connection", "timezone"),
        ("--base-url", "base_url", "ftp://x.example", "connection", "base_url"),
        pytest.param(
            "--base-url",
            "base_url",
            f"https://u:{SECRET}@x.example",
            "connection",
            "base_url",
            id="--base-url-with-a-password",  # the drawn password kept out of the id
        ),
    ],
)
def test_a_flag_and_the_same_config_key_give_the_same_problem(
    flag: str, dest: str, value: Any, section: str, key: str
) -> None:
    in_file = value[0] if isinstance(value, list) else value
    from_file = _problem({section: {key: in_file}}).removeprefix(f"{section}.{key}: ")
    with pytest.raises(UsageError) as caught:
        apply_flags(validate_settings({}), {"command": "calls", dest: value})
    line = str(caught.value)
    assert line.startswith(f"rtdash: {flag}")
    assert line.endswith(f": {from_file} (see `rtdash calls --help`)")
    assert SECRET not in line


def test_a_flag_that_is_not_a_number_says_what_is_wanted() -> None:
    with pytest.raises(UsageError) as caught:
        apply_flags(validate_settings({}), {"command": "users", "igrp": ["12x"]})
    assert (
        str(caught.value)
        == "rtdash: --igrp '12x': expected a whole number (see `rtdash users --help`)"
    )


def test_a_section_is_checked_when_made_and_when_set() -> None:
    with pytest.raises(ValueError, match=r"^timeout: must be greater than 0$"):
        ConnectionSettings(timeout=0)
    with pytest.raises(ValueError, match=r"^wait_alert: must be at least wait_warn$"):
        ThresholdSettings(wait_warn=10, wait_alert=5)
    polling = PollingSettings()
    with pytest.raises(ValueError, match=r"^interval: must be a finite number$"):
        polling.interval = float("nan")
    polling.interval = "3"  # type: ignore[assignment]  # text is read as on the command line
    assert polling.interval == 3.0
    with pytest.raises(AttributeError):
        polling.intervall = 3  # type: ignore[attr-defined]
    word = a_password()
    connection = ConnectionSettings(password=word, default_region="us")  # type: ignore[arg-type]
    assert connection.password == Secret(word) and connection.default_region == "US"


def test_a_bad_hub_url_in_the_environment_is_one_line_without_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "none.toml")
    env = {"RTDASH_HUB_URL": f"http://viewer:{SECRET}@redis.example:6379/0"}
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env)
    assert str(caught.value) == "RTDASH_HUB_URL: is not a redis://, rediss:// or unix:// URL"


def test_the_secret_type_hides_its_value() -> None:
    word = a_password()  # made per run: no password is written in the tests
    secret = Secret(word)
    assert repr(secret) == "Secret('**********')" and str(secret) == "**********"
    assert f"{secret}" == "**********" and word not in repr([secret])
    assert secret.get_secret_value() == word
    assert secret == Secret(word) and secret != Secret(a_password()) and secret != word
    assert hash(secret) == hash(Secret(word)) and len(secret) == len(word)
    assert not Secret("") and str(Secret("")) == ""
    credentials = Credentials(username="u", password=word)  # type: ignore[arg-type]
    assert credentials.password == secret and word not in repr(credentials)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Expected `float`, got `str`", ("expected a number, got text", None)),
        (
            "Expected `int | null`, got `float`",
            ("expected a whole number, got a decimal number", None),
        ),
        ("Expected `bool`, got `str`", ("expected true or false, got text", None)),
        ("Expected `object`, got `int`", ("expected a table, got a whole number", None)),
        ("Expected `array`, got `str`", ("expected a list, got text", None)),
        ("Expected `float` > 0.0", ("must be greater than 0", None)),
        ("Expected `float` >= 1.0", ("must be at least 1", None)),
        ("Expected `float` < 2.5", ("must be less than 2.5", None)),
        ("Expected `float` <= 120.0", ("must be at most 120", None)),
        ("Expected `int` >= 1", ("must be at least 1", None)),
        ("Expected `str` of length >= 2", ("must have at least 2 characters", None)),
        ("Expected `str` of length <= 1", ("must have at most 1 character", None)),
        ("Expected `array` of length >= 3", ("must have at least 3 items", None)),
        ("Expected `str` matching regex '^[a-z]+$'", ("must match ^[a-z]+$", None)),
        ("Object contains unknown field `colour`", ("unknown key", "colour")),
        ("Object missing required field `igrp`", ("must be set", "igrp")),
        ("wait_alert: must be at least wait_warn", ("must be at least wait_warn", "wait_alert")),
        ("timeout: Expected `float` > 0.0", ("must be greater than 0", "timeout")),
        ("Something new from msgspec", ("Something new from msgspec", None)),
    ],
)
def test_msgspec_messages_in_plain_words(raw: str, words: tuple[str, str | None]) -> None:
    assert plain_problem(raw) == words


def test_loading_the_settings_does_not_import_pydantic(tmp_path: Path) -> None:
    """The dashboard's start builds its settings without pydantic's model machinery."""
    script = (
        "import json, sys\n"
        "import rtdash.cli, msgspec\n"
        "import rtdash.config\n"
        "settings = rtdash.config.load_settings(env={})\n"
        "settings.installations({})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RTDASH_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout))
    assert "rtdash.config_sections" in modules and "msgspec" in modules
    assert not {name for name in modules if name.startswith(("pydantic", "pydantic_core"))}
