"""The settings models: one pydantic section per ``[table]`` of the config file, and
:class:`Settings`, which holds them. Reading the file and the environment is
:mod:`rtdash.config`'s job; this module only says what a valid setting is.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
)

from rtdash.api.credentials import DEFAULT_BASE_URL, DEFAULT_MAX_BODY_MB, Credentials
from rtdash.api.mapping import FieldMapping
from rtdash.api.sanitise import clean
from rtdash.constants import MAX_INTERVAL, MIN_INTERVAL


class ConfigError(ValueError):
    """One line for the user: where, which key, what is wrong (made safe to print: a
    key or value quoted from the file may hold anything)."""

    def __init__(self, message: str) -> None:
        super().__init__(clean(message))


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = "use an IANA name such as Europe/London"
        raise ValueError(f"unknown time zone {name!r} ({hint})") from None
    return name


def _check_base_url(url: str) -> str:
    if "@" in url.split("?", 1)[0].split("#", 1)[0].partition("://")[2].split("/", 1)[0]:
        # never echoed: the part before the @ is a password
        raise ValueError(
            "must not hold credentials (user:pass@): use RTDASH_USERNAME and "
            "RTDASH_PASSWORD, or RTDASH_API_KEY"
        )
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is not a number, or out of range
        port_ok = False
    if (
        parts.scheme not in ("http", "https")
        or not url.startswith(("http://", "https://"))
        or not parts.hostname
        or not port_ok
        or any(ch.isspace() for ch in url)
    ):
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url.rstrip("/")


TimeZoneName = Annotated[str, AfterValidator(_check_zone)]
BaseUrl = Annotated[str, AfterValidator(_check_base_url)]
#: text from the file that is shown back on screen (an installation's name)
ShownText = Annotated[str, AfterValidator(clean)]


class _Section(BaseModel):
    # no inf or nan: "interval = nan" would otherwise read as a range error, or pass
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class ConnectionSettings(_Section):
    base_url: BaseUrl = DEFAULT_BASE_URL
    igrp: int | None = Field(default=None, gt=0)
    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None
    timezone: TimeZoneName = "UTC"
    exclude_pii: bool = False
    timeout: float = Field(default=10.0, gt=0, le=120)
    #: region for lookup numbers typed without a country code (ISO 3166 alpha-2)
    default_region: str = Field(default="GB", min_length=2, max_length=2)
    #: a display name for the installation (the API does not send one)
    name: ShownText | None = None
    #: more installations on the same connection, each opened as a tab
    more_igrps: list[Annotated[int, Field(gt=0)]] = Field(default_factory=list)
    #: send credentials over plain http to another machine (a trusted network only)
    allow_insecure_http: bool = False
    #: the largest answer read, in MiB: a 50,000-call body is about 20 MiB; past 1 GiB
    #: is no dashboard's answer (and would exhaust memory before it was refused)
    max_body_mb: int = Field(default=DEFAULT_MAX_BODY_MB, ge=1, le=1024)

    @property
    def max_body(self) -> int:
        """:attr:`max_body_mb` in bytes."""
        return self.max_body_mb * 1024 * 1024

    @field_validator("default_region")
    @classmethod
    def _upper(cls, region: str) -> str:
        return region.upper()

    def credentials(self) -> Credentials:
        return Credentials(username=self.username, password=self.password, api_key=self.api_key)


class PollingSettings(_Section):
    interval: float = Field(default=2.0, ge=MIN_INTERVAL, le=MAX_INTERVAL)
    #: the most a failing route waits between tries
    max_backoff: float = Field(default=60.0, ge=1, le=3600)
    #: slower polling while the terminal has lost focus (not on a wallboard)
    unfocused_interval: float = Field(default=10.0, ge=MIN_INTERVAL, le=MAX_INTERVAL)


class ThresholdSettings(_Section):
    """Seconds for waits, counts for calls; ``warn`` must not exceed ``alert``."""

    wait_warn: float = Field(default=60, ge=0)
    wait_alert: float = Field(default=120, ge=0)
    waiting_warn: int = Field(default=5, ge=0)
    waiting_alert: int = Field(default=10, ge=0)
    #: fewer agents available than this is an alert
    agents_available_min: int = Field(default=2, ge=0)
    bell: bool = True

    @field_validator("wait_alert")
    @classmethod
    def _alert_after_warn(cls, alert: float, info: Any) -> float:
        warn = info.data.get("wait_warn")
        if warn is not None and alert < warn:
            raise ValueError("must be at least wait_warn")
        return alert


class DisplaySettings(_Section):
    theme: str = "textual-dark"
    #: where ``e`` writes exports
    export_dir: Path = Path(".")
    #: flash a tile when its threshold is crossed (``--no-flash`` turns it off)
    flash: bool = True
    #: how long a new breach flashes before the tile holds steady in the alert colour
    flash_seconds: float = Field(default=10.0, ge=0, le=600)
    show_all_users: bool = False
    #: the read-only wallboard (``--wallboard``)
    wallboard: bool = False
    #: the wallboard moves to the next installation after this many seconds (0: never)
    rotate_seconds: float = Field(default=30.0, ge=0, le=3600)
    #: the window the trend sparklines cover, in minutes
    trend_minutes: float = Field(default=60.0, ge=2, le=24 * 60)


#: the tiles the wallboard can give today's service level (``[service] wallboard_tiles``)
SERVICE_TILES: tuple[str, ...] = (
    "sl",
    "answered",
    "abandoned",
    "offered",
    "asa",
    "longest_wait",
    "abandon_percent",
)


class ServiceSettings(_Section):
    """Today's service level: how it is counted, when it alarms, what the wallboard shows.

    SL % = answered within ``sl_seconds`` / (answered + abandoned - short abandons).
    """

    sl_seconds: float = Field(default=20, gt=0, le=3600)
    #: callers who hang up sooner than this (seconds) are short abandons, counted apart
    short_abandon: float = Field(default=5, ge=0, le=600)
    #: SL % below ``sl_warn`` turns amber, below ``sl_alert`` red
    sl_warn: float = Field(default=80, ge=0, le=100)
    sl_alert: float = Field(default=60, ge=0, le=100)
    #: abandon % above ``abandon_warn`` turns amber, above ``abandon_alert`` red
    abandon_warn: float = Field(default=5, ge=0, le=100)
    abandon_alert: float = Field(default=10, ge=0, le=100)
    #: look up calls that vanished unanswered (``activeCall``, needs PII permission)
    confirm_outcomes: bool = False
    #: keep the day's totals across restarts (in the user state folder)
    persist: bool = True
    wallboard_tiles: list[str] = Field(default_factory=lambda: ["sl", "answered", "abandoned"])

    @field_validator("sl_alert")
    @classmethod
    def _alert_below_warn(cls, alert: float, info: Any) -> float:
        warn = info.data.get("sl_warn")
        if warn is not None and alert > warn:
            raise ValueError("must not be above sl_warn (a lower service level is worse)")
        return alert

    @field_validator("abandon_alert")
    @classmethod
    def _abandon_alert_after_warn(cls, alert: float, info: Any) -> float:
        warn = info.data.get("abandon_warn")
        if warn is not None and alert < warn:
            raise ValueError("must be at least abandon_warn")
        return alert

    @field_validator("wallboard_tiles")
    @classmethod
    def _known_tiles(cls, tiles: list[str]) -> list[str]:
        for tile in tiles:
            if tile not in SERVICE_TILES:
                raise ValueError(f"unknown tile {tile!r} (one of {', '.join(SERVICE_TILES)})")
        return list(dict.fromkeys(tiles))


def _check_hub_url(url: SecretStr) -> SecretStr:
    try:
        parts = urlsplit(url.get_secret_value())
    except ValueError:
        raise ValueError("is not a redis://, rediss:// or unix:// URL") from None
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError("is not a redis://, rediss:// or unix:// URL")
    return url


class HubSettings(_Section):
    """``rtdash hub`` and ``rtdash --hub``: the Redis that carries the live feed."""

    #: redis://[user:password@]host:port/db, rediss:// for TLS (``RTDASH_HUB_URL`` wins)
    url: Annotated[SecretStr, AfterValidator(_check_hub_url)] | None = None
    #: every key starts with this, so several rtdash set-ups can share one Redis
    prefix: str = Field(default="rtdash", min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")
    #: everyone who can subscribe sees what the hub publishes: no caller numbers unless
    #: asked for
    pii: bool = False
    #: ``rtdash`` and ``rtdash serve`` show the hub instead of polling (as ``--hub``)
    view: bool = False
    #: hours of history kept (trend, day, recording)
    history_hours: float = Field(default=24.0, gt=0, le=24 * 31)


class ProfileSettings(_Section):
    """One more installation, ``[profiles.NAME]``: anything not set comes from
    ``[connection]``; credentials may be named by environment variable, so each profile
    can have its own without a secret in the file."""

    igrp: int = Field(gt=0)
    name: ShownText | None = None
    base_url: BaseUrl | None = None
    timezone: TimeZoneName | None = None
    exclude_pii: bool | None = None
    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None
    username_env: str | None = None
    password_env: str | None = None
    api_key_env: str | None = None
    allow_insecure_http: bool | None = None
    mapping: dict[str, Any] = Field(default_factory=dict)

    def connection(self, base: ConnectionSettings, env: Mapping[str, str]) -> ConnectionSettings:
        merged = base.model_copy(deep=True)
        merged.more_igrps = []
        merged.igrp = self.igrp
        merged.name = self.name
        for key in (
            "base_url",
            "timezone",
            "exclude_pii",
            "username",
            "password",
            "api_key",
            "allow_insecure_http",
        ):
            value = getattr(self, key)
            if value is not None:
                setattr(merged, key, value)
        if self.username_env and env.get(self.username_env):
            merged.username = env[self.username_env]
        if self.password_env and env.get(self.password_env):
            merged.password = SecretStr(env[self.password_env])
        if self.api_key_env and env.get(self.api_key_env):
            merged.api_key = SecretStr(env[self.api_key_env])
        return merged


class Installation(BaseModel):
    """One installation to show: its connection and its field mapping."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str
    connection: ConnectionSettings
    mapping: FieldMapping

    @property
    def label(self) -> str:
        return self.connection.name or f"installation {self.connection.igrp}"


class ServeSettings(_Section):
    """``rtdash serve``: each browser session is an app process with its own poller."""

    #: browser sessions at once; one more is shown a "busy" page
    max_sessions: int = Field(default=3, ge=1, le=100)


class Settings(_Section):
    connection: ConnectionSettings = Field(default_factory=ConnectionSettings)
    polling: PollingSettings = Field(default_factory=PollingSettings)
    thresholds: ThresholdSettings = Field(default_factory=ThresholdSettings)
    mapping: dict[str, Any] = Field(default_factory=dict)
    display: DisplaySettings = Field(default_factory=DisplaySettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    hub: HubSettings = Field(default_factory=HubSettings)
    profiles: dict[str, ProfileSettings] = Field(default_factory=dict)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    #: command id -> key(s), e.g. ``lookup = "ctrl+l"`` (checked against the app's commands)
    keymap: dict[str, str] = Field(default_factory=dict)

    #: where these settings were read from (None: defaults only)
    source: Path | None = Field(default=None, exclude=True)
    #: non-fatal problems to show the user (loose file permissions)
    warnings: list[str] = Field(default_factory=list, exclude=True)

    def field_mapping(self) -> FieldMapping:
        return FieldMapping.from_overrides(self.mapping)

    def installations(self, env: Mapping[str, str] | None = None) -> list[Installation]:
        """What to open: each profile, or ``igrp`` plus ``more_igrps``; ConfigError if a
        profile's mapping is bad."""
        env = os.environ if env is None else env
        if self.profiles:
            found = []
            for key, profile in self.profiles.items():
                try:
                    mapping = FieldMapping.from_overrides({**self.mapping, **profile.mapping})
                except ValueError as exc:
                    raise ConfigError(f"profiles.{key}.{exc}") from None
                found.append(
                    Installation(
                        key=key,
                        connection=profile.connection(self.connection, env),
                        mapping=mapping,
                    )
                )
            return found
        base = self.connection
        mapping = self.field_mapping()
        igrps = [base.igrp, *[igrp for igrp in base.more_igrps if igrp != base.igrp]]
        found = []
        for igrp in igrps:
            connection = base.model_copy(deep=True)
            connection.more_igrps = []
            connection.igrp = igrp
            if igrp != base.igrp:
                connection.name = None
            found.append(Installation(key=str(igrp), connection=connection, mapping=mapping))
        return found
