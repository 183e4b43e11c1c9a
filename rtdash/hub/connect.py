"""The Redis connection of the hub and its viewers, from settings.

The URL (and any password in it) comes from ``RTDASH_HUB_URL`` or ``[hub] url``, never
from a flag. Timeouts are short and redis-py's own retries are off: the hub and the
subscriber have their own backoff, and must say "hub unreachable" within a second or
two, not after the client's retries. A URL that does not fit its Redis (no password, a
wrong one, a database it lacks, TLS it does not serve) is no outage, and is said as
what to fix (:func:`setup_mistake`).
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

from rtdash.api.http_errors import cause_words
from rtdash.config import Settings

#: seconds to connect and per command: loopback or a LAN answers in well under this
TIMEOUT = 2.0


class HubNotConfigured(ValueError):
    """No Redis URL anywhere."""


def hub_url(settings: Settings) -> str:
    """The hub's URL, read as Redis's client will read it: one it cannot read is said
    here, before anything starts (a viewer's connection would fail out of sight, and
    the client's own words may quote the URL's parts, a password among them)."""
    if settings.hub.url is None:
        raise HubNotConfigured(
            "no hub: set RTDASH_HUB_URL (e.g. redis://127.0.0.1:6379/0) or url under [hub] "
            "in the config file"
        )
    url = settings.hub.url.get_secret_value()
    from redis.connection import parse_url

    try:
        parse_url(url)  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
    except ValueError:
        raise HubNotConfigured(
            "the hub's URL (RTDASH_HUB_URL or url under [hub]) cannot be read: check its "
            "port, database number and options"
        ) from None
    return url


def safe_url(url: str) -> str:
    """The URL without user or password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def connector(url: str) -> Any:
    """A function that makes a fresh client each call (one per connection attempt)."""
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry  # the asyncio client's own (the sync one warns)
    from redis.backoff import NoBackoff

    def connect() -> Redis:
        return Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT,
            socket_timeout=None,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )

    return connect


#: causes that say a connection was made and then went (Redis stopped mid-session): said
#: as lost, whoever held it, never as a connection that could not be made
DROPPED = frozenset({"connection closed by the server", "connection reset by peer"})


def dropped(exc: BaseException) -> bool:
    """Whether ``exc`` is a connection that had been made going away."""
    return cause_words(exc) in DROPPED


def _pool(redis: Any) -> tuple[Any, dict[str, Any], str]:
    """The client's pool, the settings it connects with, and ``host:port`` ("the hub"
    where the client does not say)."""
    pool = getattr(redis, "connection_pool", None)
    kwargs = getattr(pool, "connection_kwargs", {})
    host, port = kwargs.get("host"), kwargs.get("port")
    return pool, kwargs, f"{host}:{port}" if host and port else "the hub"


#: where the hub's URL is set, for the words that say to fix it there
URL_SETTING = "RTDASH_HUB_URL or [hub] url"


def setup_mistake(redis: Any, exc: BaseException) -> str | None:
    """What to fix, in one sentence, when ``exc`` says the hub's URL does not fit its
    Redis; None for an outage. Waiting never mends these, and in Redis's own words
    ("HELLO must be called with the client already authenticated, …") they were cut at
    80 columns before saying anything a supervisor could act on. Only the host and port
    are named, never the URL (it may hold a password)."""
    from redis.exceptions import AuthenticationError, ResponseError
    from redis.exceptions import TimeoutError as RedisTimeout

    pool, kwargs, where = _pool(redis)
    if isinstance(exc, AuthenticationError):
        if kwargs.get("password") is None:
            return f"Redis wants a password: put it in {URL_SETTING}"
        return f"Redis refused the user or password: check {URL_SETTING}"
    if isinstance(exc, ResponseError) and "DB index is out of range" in str(exc):
        return f"no database {kwargs.get('db')} on {where}: pick another in the hub's URL"
    tls = getattr(getattr(pool, "connection_class", None), "__name__", "") == "SSLConnection"
    if tls and (isinstance(exc, RedisTimeout | TimeoutError) or _tls_refused(exc)):
        # a Redis without TLS reads the handshake as the start of a command and waits
        # for its end (a timeout), or answers it with an error that is no TLS record
        return f"no TLS answer from {where}: use redis:// if it does not serve TLS"
    return None


def _tls_refused(exc: BaseException) -> bool:
    """A TLS handshake that failed on what came back (not on a certificate, which is
    TLS answering)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError) and not isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def unreachable(redis: Any, exc: BaseException, *, lost: bool, subject: str = "the hub") -> str:
    """``cannot connect to host:port (connection refused)``, as an upstream that cannot
    be reached is said, not Redis's own words ("Error 111 connecting to …"); ``lost``,
    or a connection that was closed (:func:`dropped`): ``lost the hub at host:port
    (…)``, the session had begun (``subject`` names what was lost). Only the host and
    port are named: the hub's URL may hold a password."""
    _, _, where = _pool(redis)
    cause = cause_words(exc)
    said = (
        f"lost {subject} at {where}" if lost or cause in DROPPED else f"cannot connect to {where}"
    )
    return f"{said} ({cause})"
