"""What a failed request says: HTTP statuses, redirects, web pages and connection
faults turned into the typed errors of :mod:`rtdash.api.errors`.

Kept apart from the client so the wording of every failure lives in one place; each
message names the host and port and never a query string or a credential.
"""

from __future__ import annotations

import ipaddress
import math
import ssl
import time
from datetime import UTC
from typing import TYPE_CHECKING

from rtdash.api import errors
from rtdash.api.credentials import Credentials
from rtdash.api.request_url import origin
from rtdash.api.sanitise import clean, one_line
from rtdash.api.wire import decode_body

if TYPE_CHECKING:
    import httpx


#: a Retry-After longer than this is treated as this: a wallboard must not go dark for a day
MAX_RETRY_AFTER = 900.0


def _status_error(response: httpx.Response, body: str, igrp: int) -> errors.ApiError:
    status = response.status_code
    said = decode_body(body).message
    words = f": {_quote(said)}" if said else ""
    if status == 404:
        # every route is under /igrps/{igrp}/: the id is what is most likely wrong
        words = "" if (said or "").lower() in ("", "not found", "installation not found") else words
        return errors.NotFound(f"installation {igrp} not found (HTTP 404){words}")
    if status == 401:
        return errors.AuthFailed(f"credentials rejected (HTTP 401){words}")
    if status == 403:
        return errors.PermissionDenied(f"permission denied (HTTP 403){words}")
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f", retry after {math.ceil(retry_after)} s" if retry_after is not None else ""
        return errors.RateLimited(f"rate limited (HTTP 429){wait}", retry_after)
    if status >= 500:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return errors.UpstreamError(f"upstream error (HTTP {status}){words}", status, retry_after)
    return errors.UpstreamError(f"request refused (HTTP {status}){words}", status)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), at
    most :data:`MAX_RETRY_AFTER`: the wait said on screen is the one kept."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return None if seconds != seconds else min(max(0.0, seconds), MAX_RETRY_AFTER)
    import email.utils  # an HTTP date: rare, and not worth importing on every start

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)


def _quote(message: str, limit: int = 160) -> str:
    return f'"{one_line(message, limit)}"'


def _host(base_url: str) -> str:
    """``host:port`` of a base URL (the port said even when it is the scheme's default:
    "cannot connect" is often the wrong port)."""
    url = origin(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host or base_url}:{port}"


def _not_data(response: httpx.Response, base_url: str) -> errors.ApiError:
    """A 2xx other than 200 or a 3xx: never data, whatever the body holds."""
    status = response.status_code
    if 300 <= status < 400:
        where = _redirect_target(response.headers.get("location"), base_url)
        return errors.NotData(
            f"redirected to {where} (HTTP {status}) — a proxy or session problem?"
        )
    if status == 204:
        return errors.NotData("the service answered 204 No Content instead of data")
    return errors.NotData(f"the service answered HTTP {status} instead of data")


def _redirect_target(location: str | None, base_url: str) -> str:
    """Where a redirect points: its path when on the same host, else host and path;
    never its query (a login page's query may hold a token)."""
    if not location:
        return "nowhere (no Location header)"
    import httpx  # a redirect's words only

    try:
        target = httpx.URL(base_url).join(location)
    except (httpx.InvalidURL, ValueError):
        return "an unreadable address"
    path = target.path or "/"
    if target.host == httpx.URL(base_url).host:
        return clean(path)[:120]
    return clean(f"{target.host}{path}")[:120]


def _looks_like_html(response: httpx.Response, body: bytes | bytearray) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    if "html" in content_type:
        return True
    start = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _html_error(body: bytes | bytearray, encoding: str) -> errors.ApiError:
    """A web page where data was expected (a login page, a captive portal, a proxy's
    error page): its title says which."""
    text = body[:16384].decode(encoding, errors="replace")
    start = text.lower().find("<title>")
    end = text.lower().find("</title>", start)
    title = text[start + 7 : end].strip() if 0 <= start < end else ""
    said = f" ({_quote(title, 60)})" if title else ""
    return errors.NotData(
        f"the service sent a web page{said} instead of data — a proxy or login page?"
    )


def _tls_cause(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _connect_error(base_url: str, exc: BaseException) -> errors.ApiError:
    """``cannot connect to host:port (cause)``; a TLS failure says it is one."""
    where = _host(base_url)
    tls = _tls_cause(exc)
    if tls is not None:
        if isinstance(tls, ssl.SSLCertVerificationError):
            why = tls.verify_message or "certificate not trusted"
            return errors.TlsFailed(
                f"TLS to {where} failed: the certificate is not trusted ({why})"
            )
        reason = tls.reason or type(tls).__name__
        hint = ""
        if "WRONG_VERSION_NUMBER" in str(reason) or "record layer" in str(tls):
            hint = " — is it plain http on that port?"
        return errors.TlsFailed(f"TLS to {where} failed ({reason.lower().replace('_', ' ')}){hint}")
    if base_url.lower().startswith("https:") and _closed_on_us(exc):
        # a server that speaks no TLS may just hang up on the handshake: no TLS error
        # is raised then, only a bare reset, whose name said nothing to a user
        return errors.TlsFailed(
            f"TLS to {where} failed (the server hung up) — is it plain http on that port?"
        )
    return errors.ConnectionFailed(f"cannot connect to {where} ({cause_words(exc)})")


#: a peer that hung up, in the user's words, for errors that carry none of their own
_HUNG_UP: tuple[tuple[type[OSError], str], ...] = (
    (ConnectionResetError, "connection reset by the server"),
    (ConnectionAbortedError, "connection aborted"),
    (BrokenPipeError, "connection closed by the server"),
)


def _closed_on_us(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionError | EOFError) and not isinstance(
            seen, ConnectionRefusedError
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def cause_words(exc: BaseException) -> str:
    """The reason under a connection's error in a few words (httpx's, or Redis's)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, OSError) and "Name or service not known" in str(seen):
            return "host name not found"
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        for kind, words in _HUNG_UP:
            if isinstance(seen, kind):
                return words
        seen = seen.__cause__ or seen.__context__
    words = str(exc).lower()
    if "connection refused" in words:
        return "connection refused"
    if "name or service not known" in words or "nodename nor servname" in words:
        return "host name not found"
    if "connection closed by server" in words:  # Redis's, when it goes mid-session
        return "connection closed by the server"
    return one_line(str(exc), 60) or type(exc).__name__


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"response too large ({more}{size // 1024} KiB; the limit is {limit // 1024} KiB)"


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def insecure_reason(base_url: str, credentials: Credentials) -> str | None:
    """Why sending ``credentials`` to ``base_url`` is refused, or None.

    Basic credentials (and API keys) over plain ``http`` to another machine cross the
    network readable by anyone on the path; loopback (the simulator, a local tunnel) is
    fine. ``allow_insecure_http = true`` in ``[connection]`` opts in.
    """
    url = origin(base_url)
    if url.scheme != "http" or not credentials.usable or is_loopback(url.host):
        return None
    return (
        f"refusing to send credentials over plain http to {_host(base_url)} (use https, "
        "or set allow_insecure_http = true in [connection] if the network is trusted)"
    )
