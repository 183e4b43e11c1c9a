"""The settings: one msgspec Struct per ``[table]`` of the config file, and
:class:`Settings`, which holds them. Reading the file and the environment is
:mod:`rtdash.config`'s job; this module only says what a valid setting is.

How a section checks its keys (made from the file, by its constructor, or set later
as a flag is) is :mod:`rtdash.config_struct`'s; the ranges and checks of each key are
here, once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from msgspec import Meta

from rtdash.api.credentials import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_BODY_MB,
    Credentials,
    Secret,
)
from rtdash.api.mapping import FieldMapping
from rtdash.api.sanitise import clean
from rtdash.config_struct import Section
from rtdash.config_struct import convert as convert
from rtdash.constants import MAX_BACKOFF, MAX_INTERVAL, MIN_INTERVAL


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
    if "@" in url:
        # never echoed, whatever the rest of it: the part before an @ is a password, and
        # one holding "/", "?" or "#" would end the URL's host part before the @ does
        raise ValueError(
            "must not hold credentials (user:pass@): use RTDASH_USERNAME and "
            "RTDASH_PASSWORD, or RTDASH_API_KEY"
        )
    return check_http_url(url)


def check_http_url(url: str) -> str:
    """An http(s) URL with a host and a real port, or ValueError in the words a flag's
    error quotes; shared by every option that takes an address (the base URL, the
    served page's public URL), so each refuses a bad one the same way. Without its
    trailing slash."""
    if any(ch.isspace() for ch in url):
        raise ValueError(f"{url!r} has a space in it")
    try:
        parts = urlsplit(url)
    except ValueError:  # an IPv6 host with no closing bracket
        parts = None
    if parts is None or not url.startswith(("http://", "https://")) or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or out of range
        port_ok = False
    if not port_ok:
        raise ValueError(f"{url!r} has no valid port (1 to 65535)")
    return url.rstrip("/")


def _check_username(name: str) -> str:
    """Basic authentication sends ``user:password``: a colon in the name would move
    where the service reads the password from."""
    if ":" in name:
        raise ValueError("must not hold a colon (:)")
    if not name.isprintable():
        raise ValueError("holds a control character (a line break?)")
    return name


def _check_secret(secret: Secret) -> Secret:
    """A password or key that cannot go in a header (a line break pasted with it) is
    said here, naming where it came from, not as the HTTP library's error at the first
    request. Never echoed."""
    if not secret.get_secret_value().isprintable():
        raise ValueError("holds a control character (a line break?)")
    return secret


class ConnectionSettings(Section):
    base_url: str = DEFAULT_BASE_URL
    igrp: Annotated[int, Meta(gt=0)] | None = None
    username: str | None = None
    password: Secret | None = None
    api_key: Secret | None = None
    timezone: str = "UTC"
    exclude_pii: bool = False
    timeout: Annotated[float, Meta(gt=0, le=120)] = 10.0
    #: region for lookup numbers typed without a country code (ISO 3166 alpha-2)
    default_region: Annotated[str, Meta(min_length=2, max_length=2)] = "GB"
    #: a display name for the installation (the API does not send one)
    name: str | None = None
    #: more installations on the same connection, each opened as a tab
    more_igrps: list[Annotated[int, Meta(gt=0)]] = msgspec.field(default_factory=list)
    #: send credentials over plain http to another machine (a trusted network only)
    allow_insecure_http: bool = False
    #: the largest answer read, in MiB: a 50,000-call body is about 20 MiB; past 1 GiB
    #: is no dashboard's answer (and would exhaust memory before it was refused)
    max_body_mb: Annotated[int, Meta(ge=1, le=1024)] = DEFAULT_MAX_BODY_MB

    def _check(self) -> None:
        self._fix("base_url", _check_base_url)
        self._fix("username", _check_username)
        self._fix("password", _check_secret)
        self._fix("api_key", _check_secret)
        self._fix("timezone", _check_zone)
        self._fix("name", clean)  # shown back on screen
        self._fix("default_region", str.upper)

    @property
    def max_body(self) -> int:
        """:attr:`max_body_mb` in bytes."""
        return self.max_body_mb * 1024 * 1024

    def credentials(self) -> Credentials:
        return Credentials(username=self.username, password=self.password, api_key=self.api_key)


class PollingSettings(Section):
    interval: Annotated[float, Meta(ge=MIN_INTERVAL, le=MAX_INTERVAL)] = 2.0
    #: the most a failing route waits between tries
    max_backoff: Annotated[float, Meta(ge=1, le=3600)] = MAX_BACKOFF
    #: slower polling while the terminal has lost focus (not on a wallboard)
    unfocused_interval: Annotated[float, Meta(ge=MIN_INTERVAL, le=MAX_INTERVAL)] = 10.0


class ThresholdSettings(Section):
    """Seconds for waits, counts for calls; ``warn`` must not exceed ``alert``."""

    wait_warn: Annotated[float, Meta(ge=0)] = 60
    wait_alert: Annotated[float, Meta(ge=0)] = 120
    waiting_warn: Annotated[int, Meta(ge=0)] = 5
    waiting_alert: Annotated[int, Meta(ge=0)] = 10
    #: fewer agents available than this is an alert
    agents_available_min: Annotated[int, Meta(ge=0)] = 2
    bell: bool = True

    def _check(self) -> None:
        if self.wait_alert < self.wait_warn:
            raise ValueError("wait_alert: must be at least wait_warn")


class DisplaySettings(Section):
    theme: str = "textual-dark"
    #: where ``e`` writes exports
    export_dir: Path = Path(".")
    #: flash a tile when its threshold is crossed (``--no-flash`` turns it off)
    flash: bool = True
    #: how long a new breach flashes before the tile holds steady in the alert colour
    flash_seconds: Annotated[float, Meta(ge=0, le=600)] = 10.0
    show_all_users: bool = False
    #: the read-only wallboard (``--wallboard``)
    wallboard: bool = False
    #: the wallboard moves to the next installation after this many seconds (0: never)
    rotate_seconds: Annotated[float, Meta(ge=0, le=3600)] = 30.0
    #: the window the trend sparklines cover, in minutes
    trend_minutes: Annotated[float, Meta(ge=2, le=24 * 60)] = 60.0


#: the tiles the wallboard can give today's service level (``[service] wallboard_tiles``)
SERVICE_TILES: tuple[str, ...] = (
    "sl",
    "answered",
    "abandoned",
    "offered",
    "asa",
    "longest_wait",
    "abandon_percent",
    "talk",
    "sl_15m",
    "sl_60m",
)


def _default_tiles() -> list[str]:
    return ["sl", "answered", "abandoned"]


class ServiceSettings(Section):
    """Today's service level: how it is counted, when it alarms, what the wallboard shows.

    SL % = answered within ``sl_seconds`` / (answered + abandoned - short abandons).
    """

    sl_seconds: Annotated[float, Meta(gt=0, le=3600)] = 20
    #: callers who hang up sooner than this (seconds) are short abandons, counted apart
    short_abandon: Annotated[float, Meta(ge=0, le=600)] = 5
    #: SL % below ``sl_warn`` turns amber, below ``sl_alert`` red
    sl_warn: Annotated[float, Meta(ge=0, le=100)] = 80
    sl_alert: Annotated[float, Meta(ge=0, le=100)] = 60
    #: abandon % above ``abandon_warn`` turns amber, above ``abandon_alert`` red
    abandon_warn: Annotated[float, Meta(ge=0, le=100)] = 5
    abandon_alert: Annotated[float, Meta(ge=0, le=100)] = 10
    #: look up calls that vanished unanswered (``activeCall``, needs PII permission)
    confirm_outcomes: bool = False
    #: keep the day's totals across restarts (in the user state folder)
    persist: bool = True
    wallboard_tiles: list[str] = msgspec.field(default_factory=_default_tiles)

    def _check(self) -> None:
        if self.sl_alert > self.sl_warn:
            raise ValueError("sl_alert: must not be above sl_warn (a lower service level is worse)")
        if self.abandon_alert < self.abandon_warn:
            raise ValueError("abandon_alert: must be at least abandon_warn")
        self._fix("wallboard_tiles", _known_tiles)


def _known_tiles(tiles: list[str]) -> list[str]:
    for tile in tiles:
        if tile not in SERVICE_TILES:
            raise ValueError(f"unknown tile {tile!r} (one of {', '.join(SERVICE_TILES)})")
    return list(dict.fromkeys(tiles))


def _check_hub_url(url: Secret) -> Secret:
    """Checked as Redis's client reads it, never echoed (it may hold a password): a
    URL the client cannot read fails here in one line, not as a traceback of its own
    that quotes the URL's parts, nor as a viewer that waits for ever."""
    said = "is not a redis://, rediss:// or unix:// URL"
    text = url.get_secret_value()
    try:
        parts = urlsplit(text)
        port = parts.port  # not a number, or out of range: ValueError
    except ValueError:
        port, parts = None, None
    if parts is not None and "@" in text and "@" not in parts.netloc:
        # the host part ended before the @: a "/", "?" or "#" in the password
        raise ValueError(f"{said}: a password with / ? or # needs them as %2F %3F %23")
    if parts is None or parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError(said)
    if parts.scheme == "unix" and not parts.path:
        raise ValueError(f"{said}: unix:// needs the socket's path")
    if parts.scheme != "unix" and (not parts.hostname or port == 0):
        raise ValueError(f"{said}: it needs a host (and a port from 1 to 65535, if any)")
    return url


class HubSettings(Section):
    """``rtdash hub`` and ``rtdash --hub``: the Redis that carries the live feed."""

    #: redis://[user:password@]host:port/db, rediss:// for TLS (``RTDASH_HUB_URL`` wins)
    url: Secret | None = None
    #: every key starts with this, so several rtdash set-ups can share one Redis
    prefix: Annotated[str, Meta(min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")] = "rtdash"
    #: everyone who can subscribe sees what the hub publishes: no caller numbers unless
    #: asked for
    pii: bool = False
    #: ``rtdash`` and ``rtdash serve`` show the hub instead of polling (as ``--hub``)
    view: bool = False
    #: hours of history kept (trend, day, recording)
    history_hours: Annotated[float, Meta(gt=0, le=24 * 31)] = 24.0

    def _check(self) -> None:
        self._fix("url", _check_hub_url)


class ProfileSettings(Section):
    """One more installation, ``[profiles.NAME]``: anything not set comes from
    ``[connection]``; credentials may be named by environment variable, so each profile
    can have its own without a secret in the file."""

    igrp: Annotated[int, Meta(gt=0)]
    name: str | None = None
    base_url: str | None = None
    timezone: str | None = None
    exclude_pii: bool | None = None
    username: str | None = None
    password: Secret | None = None
    api_key: Secret | None = None
    username_env: str | None = None
    password_env: str | None = None
    api_key_env: str | None = None
    allow_insecure_http: bool | None = None
    mapping: dict[str, Any] = msgspec.field(default_factory=dict)

    def _check(self) -> None:
        self._fix("name", clean)
        self._fix("base_url", _check_base_url)
        self._fix("timezone", _check_zone)

    def connection(self, base: ConnectionSettings, env: Mapping[str, str]) -> ConnectionSettings:
        changes: dict[str, Any] = {"more_igrps": [], "igrp": self.igrp, "name": self.name}
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
                changes[key] = value
        if self.username_env and env.get(self.username_env):
            changes["username"] = env[self.username_env]
        if self.password_env and env.get(self.password_env):
            changes["password"] = Secret(env[self.password_env])
        if self.api_key_env and env.get(self.api_key_env):
            changes["api_key"] = Secret(env[self.api_key_env])
        return msgspec.structs.replace(base, **changes)


class Installation(msgspec.Struct, kw_only=True):
    """One installation to show: its connection and its field mapping."""

    key: str
    connection: ConnectionSettings
    mapping: FieldMapping

    @property
    def label(self) -> str:
        return self.connection.name or f"installation {self.connection.igrp}"


class ServeSettings(Section):
    """``rtdash serve``: each browser session is an app process with its own poller."""

    #: browser sessions at once; one more is shown a "busy" page
    max_sessions: Annotated[int, Meta(ge=1, le=100)] = 3


class Settings(Section):
    connection: ConnectionSettings = msgspec.field(default_factory=ConnectionSettings)
    polling: PollingSettings = msgspec.field(default_factory=PollingSettings)
    thresholds: ThresholdSettings = msgspec.field(default_factory=ThresholdSettings)
    mapping: dict[str, Any] = msgspec.field(default_factory=dict)
    display: DisplaySettings = msgspec.field(default_factory=DisplaySettings)
    service: ServiceSettings = msgspec.field(default_factory=ServiceSettings)
    hub: HubSettings = msgspec.field(default_factory=HubSettings)
    profiles: dict[str, ProfileSettings] = msgspec.field(default_factory=dict)
    serve: ServeSettings = msgspec.field(default_factory=ServeSettings)
    #: command id -> key(s), e.g. ``lookup = "ctrl+l"`` (checked against the app's commands)
    keymap: dict[str, str] = msgspec.field(default_factory=dict)

    #: where these settings were read from (None: defaults only)
    source: Path | None = None
    #: non-fatal problems to show the user (loose file permissions)
    warnings: list[str] = msgspec.field(default_factory=list)

    #: what a run knows about its settings rather than keys of the file
    NOT_IN_FILE: ClassVar[tuple[str, ...]] = ("source", "warnings")

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
            name = base.name if igrp == base.igrp else None
            connection = msgspec.structs.replace(base, more_igrps=[], igrp=igrp, name=name)
            found.append(Installation(key=str(igrp), connection=connection, mapping=mapping))
        return found
