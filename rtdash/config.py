"""Settings: a TOML file checked by the settings' msgspec Structs, with credentials from
the environment.

Lookup order for the file: ``--config``, then ``RTDASH_CONFIG``, then
``platformdirs.user_config_path("rtdash") / "config.toml"``; a missing default file just
means defaults. Credentials come from ``RTDASH_USERNAME`` + ``RTDASH_PASSWORD`` or
``RTDASH_API_KEY`` (the environment wins over the file) and are held as ``Secret`` so
no repr, log line or traceback shows them. Every problem becomes one
:class:`ConfigError` line that names the key.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

from rtdash.api.credentials import Secret
from rtdash.api.sanitise import clean
from rtdash.config_sections import SERVICE_TILES as SERVICE_TILES
from rtdash.config_sections import ConfigError as ConfigError
from rtdash.config_sections import ConnectionSettings as ConnectionSettings
from rtdash.config_sections import DisplaySettings as DisplaySettings
from rtdash.config_sections import HubSettings as HubSettings
from rtdash.config_sections import Installation as Installation
from rtdash.config_sections import PollingSettings as PollingSettings
from rtdash.config_sections import ProfileSettings as ProfileSettings
from rtdash.config_sections import ServeSettings as ServeSettings
from rtdash.config_sections import ServiceSettings as ServiceSettings
from rtdash.config_sections import Settings as Settings
from rtdash.config_sections import ThresholdSettings as ThresholdSettings
from rtdash.config_sections import convert as convert
from rtdash.config_words import non_finite, plain_problem
from rtdash.core.credentials import ENV_API_KEY as ENV_API_KEY
from rtdash.core.credentials import ENV_PASSWORD as ENV_PASSWORD
from rtdash.core.credentials import ENV_USERNAME as ENV_USERNAME

ENV_CONFIG = "RTDASH_CONFIG"
ENV_HUB_URL = "RTDASH_HUB_URL"


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("rtdash") / "config.toml"


def config_path(
    explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> Path:
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit)
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG])
    return default_config_path()


def load_settings(
    explicit: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read, validate and merge file + environment; raises ConfigError."""
    env = os.environ if env is None else env
    path = config_path(explicit, env)
    required = explicit is not None or bool(env.get(ENV_CONFIG))
    data: dict[str, Any] = {}
    if path.is_file():
        data = _read_toml(path)
    elif required:
        what = "a folder, not a config file" if path.is_dir() else "no such config file"
        raise ConfigError(f"{path}: {what}")
    settings = validate_settings(data, where=str(path))
    if path.is_file():
        settings.source = path
        if _holds_secret(data) and _too_open(path):
            settings.warnings.append(
                f"{path} holds a secret but other users can read it: chmod 600 {path}"
            )
    _apply_env(settings, env)
    return settings


#: tables nested deeper than this are no rtdash config (and tomllib recurses on them)
MAX_CONFIG_DEPTH = 8


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML; every way it can be unreadable is one ConfigError line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ConfigError(f"{path}: starts with a byte-order mark (save it as UTF-8 without BOM)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    import tomllib  # here: a start with no config file reads no TOML

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({clean(str(exc))})") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested more than {MAX_CONFIG_DEPTH} deep") from None
    if _depth(data) > MAX_CONFIG_DEPTH:
        raise ConfigError(f"{path}: nested more than {MAX_CONFIG_DEPTH} deep")
    return data


def _depth(value: Any, limit: int = MAX_CONFIG_DEPTH + 1) -> int:
    """How deep tables and arrays nest in ``value`` (counted up to ``limit``)."""
    if limit <= 0 or not isinstance(value, dict | list):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(item, limit - 1) for item in items), default=0)


def validate_settings(data: Mapping[str, Any], where: str = "config") -> Settings:
    for key in Settings.NOT_IN_FILE:
        if key in data:
            raise ConfigError(f"{where}: {key}: unknown key")
    try:
        settings = convert(data, Settings)
        settings.field_mapping()
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{where}: {describe_validation_error(exc, data)}") from None
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return settings


def describe_validation_error(exc: msgspec.ValidationError, data: Any = None) -> str:
    """The problem as ``section.key: message`` (never echoing a secret's value).

    msgspec stops at the first problem, so there is one. Its path shows a table's own
    keys (``[profiles.NAME]``, ``[keymap]``) as ``[...]``: ``data``, what was checked,
    puts the name back."""
    raw, _, at = str(exc).rpartition(" - at `")
    if not raw:
        raw, at = str(exc), ""
    problem, key = plain_problem(raw)
    parts = _named_path(at.rstrip("`"), data)
    if key is not None:
        parts.append(key)
    if non_finite(_value_at(data, parts)):
        problem = "must be a finite number"
    return f"{'.'.join(parts) or 'config'}: {problem}"


#: one step of msgspec's path: ``.key``, ``[3]`` or ``[...]`` (a table's own key)
_PATH_STEP = re.compile(r"\.(\w+)|\[(\d+|\.\.\.)\]")


def _named_path(at: str, data: Any) -> list[str]:
    """``$.profiles[...].igrp`` as ``["profiles", "north", "igrp"]``."""
    parts: list[str] = []
    kind: Any = Settings
    for name, index in _PATH_STEP.findall(at):
        kind = _unwrap(kind)
        if index == "...":
            key, value_kind = _failing_key(data, kind)
            parts.append(key)
            data, kind = _value_at(data, [key]), value_kind
        elif index:
            parts.append(index)
            data = _value_at(data, [index])
            kind = get_args(kind)[0] if get_origin(kind) is list else Any
        else:
            parts.append(name)
            data = _value_at(data, [name])
            is_struct = isinstance(kind, type) and issubclass(kind, msgspec.Struct)
            fields = msgspec.structs.fields(kind) if is_struct else ()
            kind = next((field.type for field in fields if field.name == name), Any)
    return parts


def _failing_key(data: Any, kind: Any) -> tuple[str, Any]:
    """The first key of a table whose value fails (msgspec checks them in order)."""
    value_kind = get_args(kind)[1] if get_origin(kind) is dict else Any
    if isinstance(data, dict):
        for key, value in data.items():
            try:
                convert(value, value_kind)
            except (msgspec.ValidationError, ValueError):
                return str(key), value_kind
    return "…", value_kind


def _unwrap(kind: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` as ``X``."""
    while True:
        if get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        elif get_origin(kind) in (Union, UnionType):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        else:
            return kind


def _value_at(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _apply_env(settings: Settings, env: Mapping[str, str]) -> None:
    connection = settings.connection
    for name, key, kind in (
        (ENV_API_KEY, "api_key", Secret),
        (ENV_USERNAME, "username", str),
        (ENV_PASSWORD, "password", Secret),
    ):
        if env.get(name):
            try:
                setattr(connection, key, kind(env[name]))
            except ValueError as exc:  # said by the variable's name (never its value)
                raise ConfigError(f"{name}: {str(exc).removeprefix(key + ': ')}") from None
    if env.get(ENV_HUB_URL):
        try:
            settings.hub.url = Secret(env[ENV_HUB_URL])
        except ValueError as exc:
            raise ConfigError(f"{ENV_HUB_URL}: {str(exc).removeprefix('url: ')}") from None


def _holds_secret(data: Mapping[str, Any]) -> bool:
    """A password or key in ``[connection]`` or in any ``[profiles.NAME]``, or a hub URL
    with a password in it."""
    profiles = data.get("profiles")
    sections = [data.get("connection")]
    if isinstance(profiles, Mapping):
        sections += list(profiles.values())
    hub = data.get("hub")
    hub_secret = isinstance(hub, Mapping) and "@" in str(hub.get("url", ""))
    return hub_secret or any(
        isinstance(section, Mapping) and bool(section.get("password") or section.get("api_key"))
        for section in sections
    )


def _too_open(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


def __getattr__(name: str) -> Any:
    """``EXAMPLE_CONFIG``: written from the models on first use (rtdash.config_example)."""
    if name == "EXAMPLE_CONFIG":
        from rtdash.config_example import example_config

        return example_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
