"""Settings: a TOML file validated by pydantic, with credentials from the environment.

Lookup order for the file: ``--config``, then ``RTDASH_CONFIG``, then
``platformdirs.user_config_path("rtdash") / "config.toml"``; a missing default file just
means defaults. Credentials come from ``RTDASH_USERNAME`` + ``RTDASH_PASSWORD`` or
``RTDASH_API_KEY`` (the environment wins over the file) and are held as ``SecretStr`` so
no repr, log line or traceback shows them. Every problem becomes one
:class:`ConfigError` line that names the key.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError

from rtdash.api.sanitise import clean
from rtdash.config_sections import SERVICE_TILES as SERVICE_TILES
from rtdash.config_sections import BaseUrl as BaseUrl
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
from rtdash.config_sections import ShownText as ShownText
from rtdash.config_sections import ThresholdSettings as ThresholdSettings
from rtdash.config_sections import TimeZoneName as TimeZoneName
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
        raise ConfigError(f"{path}: no such config file")
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
    try:
        settings = Settings.model_validate(data)
        settings.field_mapping()
    except ValidationError as exc:
        raise ConfigError(f"{where}: {describe_validation_error(exc)}") from None
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return settings


def describe_validation_error(exc: ValidationError) -> str:
    """The first problem as ``section.key: message`` (never echoing a secret's value)."""
    first = exc.errors(include_url=False, include_input=False)[0]
    location = ".".join(str(part) for part in first["loc"]) or "config"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    message = message.removeprefix("Value error, ")
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{location}: {message}{suffix}"


def _apply_env(settings: Settings, env: Mapping[str, str]) -> None:
    connection = settings.connection
    if env.get(ENV_API_KEY):
        connection.api_key = SecretStr(env[ENV_API_KEY])
    if env.get(ENV_USERNAME):
        connection.username = env[ENV_USERNAME]
    if env.get(ENV_PASSWORD):
        connection.password = SecretStr(env[ENV_PASSWORD])
    if env.get(ENV_HUB_URL):
        settings.hub.url = SecretStr(env[ENV_HUB_URL])


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
