"""``rtdash config example``, written from the settings models themselves.

Every key of every section in :class:`~rtdash.config.Settings` is printed with its
default, so a key added to a section is in the example (and the README's list is
checked against the same sections) without anyone remembering to copy it. The words
beside the keys are :data:`COMMENTS`, else the field's ``msgspec.Meta(description=...)``;
keys without a default are shown commented out with :data:`SAMPLES`' value.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from enum import Enum
from pathlib import PurePath
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from msgspec.structs import FieldInfo

from rtdash.api.credentials import Secret
from rtdash.config import ProfileSettings, Settings

HEADER = """\
# rtdash configuration. Every key is optional; these are the defaults.
# Keep secrets out of this file where you can: RTDASH_USERNAME + RTDASH_PASSWORD
# (Basic auth, /reports/v2) or RTDASH_API_KEY (/reports/v2.1) in the environment
# win over the file. A file that holds a password or key must be chmod 600.
"""

#: "section.key" -> the comment printed beside it
COMMENTS: dict[str, str] = {
    "connection.igrp": "your installation id",
    "connection.username": "better: RTDASH_USERNAME in the environment",
    "connection.password": "better: RTDASH_PASSWORD (then chmod 600 this file)",
    "connection.api_key": "better: RTDASH_API_KEY (for /reports/v2.1)",
    "connection.timezone": 'IANA name, e.g. "Europe/London"',
    "connection.exclude_pii": "always ask the service to redact caller numbers",
    "connection.timeout": "seconds per request",
    "connection.max_body_mb": "largest answer read, MiB (about 20 per 50,000 calls)",
    "connection.default_region": "for lookup numbers typed without +country code",
    "connection.name": "shown in tabs and the status line (else the service's name)",
    "connection.more_igrps": "more installations on this login, shown as tabs",
    "polling.interval": "seconds between polls (floor 1.0)",
    "polling.max_backoff": "longest wait between retries of a failing route",
    "polling.unfocused_interval": "slower polling while the terminal is not focused",
    "thresholds.wait_warn": "seconds a call may wait before it turns amber",
    "thresholds.wait_alert": "... and red",
    "thresholds.waiting_warn": "calls waiting",
    "thresholds.agents_available_min": "fewer available agents than this is an alert",
    "thresholds.bell": "ring the terminal bell once per breach",
    "display.theme": "any Textual theme: nord, gruvbox, textual-light, ...",
    "display.export_dir": "where `e` writes CSV and JSON",
    "display.flash": "flash a tile when a threshold is crossed",
    "display.flash_seconds": "... for this long, then hold the alert colour",
    "display.show_all_users": "start with non-dashboard users shown too",
    "display.wallboard": "same as --wallboard",
    "display.rotate_seconds": "the wallboard shows the next installation after this",
}

#: values shown (commented out) for keys whose default is "not set"
SAMPLES: dict[str, str] = {
    "connection.igrp": "1234",
    "connection.username": '"supervisor@example.com"',
    "connection.password": '"…"',
    "connection.api_key": '"…"',
    "connection.name": '"Head office"',
}

#: sections that are tables of the user's own keys: an example each, by section name
TABLES: dict[str, str] = {
    "keymap": """\
# [keymap]                       # remap any key by its command id (see `?` in the app)
# lookup = "ctrl+l"
# pause = "space"
""",
    "profiles": """\
# Several installations open as tabs (number keys switch). Each profile takes what it
# does not set from [connection]; credentials may come from variables you name.
# [profiles.north]
# igrp = 1234
# name = "Northern office"
# [profiles.south]
# igrp = 5678
# name = "Southern office"
# username_env = "SOUTH_USERNAME"
# password_env = "SOUTH_PASSWORD"
# A profile's keys: {profile_keys}.
""",
    "mapping": """\
[mapping]
# The vendor does not publish the row fields of pbxActiveCalls and pbxUserStatus.
# If your installation names a field differently, name it here (a string or a list of
# aliases, tried in order); `rtdash doctor` shows which fields your service sends.
# call_state = "callStage"
# user_dashboard = ["dashboard", "onWallboard"]
# call_state_values = { talking = "bridged" }
""",
}

#: where the value's comment starts, so the comments line up
COMMENT_COLUMN = 33


def example_config() -> str:
    """The example file: each section's keys, then the tables of the user's own."""
    blocks = [HEADER]
    tables = []
    for name, info in _file_keys(Settings).items():
        model = _model_of(info)
        if model is not None:
            blocks.append("\n".join([f"[{name}]", *_keys(name, model)]) + "\n")
        else:
            tables.append(name)
    # the tables in TABLES' order: [mapping] last, as nothing commented may follow it
    tables.sort(key=lambda name: list(TABLES).index(name) if name in TABLES else -1)
    for name in tables:
        info = _file_keys(Settings)[name]
        text = TABLES.get(name) or f"# [{name}]{_comment(name, info, 9 + len(name))}\n"
        blocks.append(text.replace("{profile_keys}", _profile_keys()))
    return "\n".join(blocks)


def _profile_keys() -> str:
    words = ", ".join(_file_keys(ProfileSettings))
    return "\n# ".join(textwrap.wrap(words, 70))


def section_keys() -> dict[str, list[str]]:
    """Every documented key by section, for the checks of the README and the example."""
    found: dict[str, list[str]] = {}
    for name, info in _file_keys(Settings).items():
        model = _model_of(info)
        found[name] = list(_file_keys(model)) if model is not None else []
    return found


def _file_keys(section: type[msgspec.Struct]) -> dict[str, FieldInfo]:
    """A section's keys as the file names them (not what a run keeps beside them)."""
    left_out = getattr(section, "NOT_IN_FILE", ())
    fields = msgspec.structs.fields(section)
    return {info.name: info for info in fields if info.name not in left_out}


def _model_of(info: FieldInfo) -> type[msgspec.Struct] | None:
    """The section's Struct, also when it is optional (``HubSettings | None``)."""
    annotation = info.type
    optional = get_origin(annotation) in (Union, UnionType)
    for kind in (annotation, *(get_args(annotation) if optional else ())):
        if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
            return kind
    return None


def _default(info: FieldInfo) -> Any:
    if info.default_factory is not msgspec.NODEFAULT:
        return info.default_factory()
    return None if info.default is msgspec.NODEFAULT else info.default


def _description(info: FieldInfo) -> str | None:
    """``Meta(description=...)`` on the key's type (also when optional), if it has one."""
    kinds = [info.type]
    if get_origin(info.type) in (Union, UnionType):
        kinds += get_args(info.type)
    for kind in kinds:
        if get_origin(kind) is Annotated:
            for meta in get_args(kind)[1:]:
                if isinstance(meta, msgspec.Meta) and meta.description:
                    return meta.description
    return None


def _keys(section: str, model: type[msgspec.Struct]) -> Iterator[str]:
    for key, info in _file_keys(model).items():
        where = f"{section}.{key}"
        value = _default(info)
        if value is None or isinstance(value, Secret):
            line = f"# {key} = {SAMPLES.get(where, '…')}"
        else:
            line = f"{key} = {_toml(value)}"
        yield line + _comment(where, info, len(line))


def _comment(where: str, info: FieldInfo, width: int) -> str:
    text = COMMENTS.get(where) or _description(info)
    if not text:
        return ""
    return " " * max(COMMENT_COLUMN - width, 1) + f"# {text}"


def _toml(value: Any) -> str:
    """A default as TOML (the subset the settings use)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, PurePath):
        value = str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple | set):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    if isinstance(value, msgspec.Struct):
        return _toml(msgspec.to_builtins(value, enc_hook=str))
    return json.dumps(str(value))
