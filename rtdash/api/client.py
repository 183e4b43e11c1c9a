"""The async client for the three Real Time routes.

It owns the wire concerns only: auth, query encoding, status-to-error translation, a
cap on body size, decoding and row parsing through the field mapping. It never retries
or sleeps: pacing and backoff belong to the poller in ``rtdash.core``, which knows
whether anyone is waiting for the answer.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import ipaddress
import math
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

import httpx

from rtdash.api import errors
from rtdash.api.credentials import DEFAULT_BASE_URL, DEFAULT_MAX_BODY_MB, Credentials
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import (
    ActiveCall,
    CallerDetails,
    PbxUser,
    RowReader,
    RowUnreadable,
    parse_caller,
)
from rtdash.api.sanitise import clean, one_line
from rtdash.api.wire import Decoded, Message, decode_body, fast_rows, iter_body

DEFAULT_MAX_BODY = DEFAULT_MAX_BODY_MB * 1024 * 1024

ACTIVE_CALLS = "pbxActiveCalls"
USER_STATUS = "pbxUserStatus"
CALLER_LOOKUP = "activeCall"

T = TypeVar("T")


@dataclass(slots=True)
class FetchResult(Generic[T]):
    rows: list[T]
    fetched_at: datetime
    #: rows (or lines) skipped because they could not be read
    unreadable: int = 0
    #: the raw upstream dicts, kept only when asked for (``rtdash doctor``)
    raw: list[dict[str, Any]] = field(default_factory=list)
    #: the body was byte for byte the last one this client read on the route (same
    #: query): ``rows`` is that result's own list of the very same row objects, and
    #: nothing was decoded or parsed
    unchanged: bool = False
    #: rows dropped because a later row had the same call reference or user id (the
    #: last one is kept); also counted in ``unreadable``, as rows not shown
    duplicates: int = 0


@dataclass(slots=True)
class _LastBody:
    """What the last readable body of a route was, to know the next one unchanged."""

    query: tuple[tuple[str, str], ...]
    digest: bytes
    reader: RowReader
    rows: list[Any]
    unreadable: int


class InfinityClient:
    """One installation's Real Time routes.

    ``http`` is injectable so tests can pass an ``httpx.MockTransport`` client and the
    app can share one connection pool; when omitted the client makes (and closes) its own.
    """

    def __init__(
        self,
        *,
        igrp: int,
        credentials: Credentials,
        base_url: str = DEFAULT_BASE_URL,
        tz: str = "UTC",
        mapping: FieldMapping | None = None,
        timeout: float = 10.0,
        max_body: int = DEFAULT_MAX_BODY,
        http: httpx.AsyncClient | None = None,
        tls: ssl.SSLContext | None = None,
        now: Callable[[], datetime] | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self.igrp = igrp
        self.base_url = base_url.rstrip("/")
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.mapping = mapping or FieldMapping()
        self.max_body = max_body
        self._credentials = credentials
        self._owns_http = http is None
        # ``tls``: a context loaded ahead of time (rtdash.warmup); else httpx's default
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=5.0), verify=tls if tls is not None else True
        )
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        #: httpx times each read, so a body that trickles in never times out: the whole
        #: request (connect, headers, body) must also end within ``timeout``
        self._deadline = timeout
        self._now = now or (lambda: datetime.now(UTC))
        self._readers: dict[str, RowReader] = {}
        #: why no request may be made (credentials would cross a network in clear)
        self._refusal = None if allow_insecure_http else insecure_reason(base_url, credentials)
        self._last: dict[str, _LastBody] = {}
        self._urls: dict[tuple[object, ...], httpx.URL] = {}

    def __repr__(self) -> str:
        return f"InfinityClient(base_url={self.base_url!r}, igrp={self.igrp})"

    @property
    def credentials(self) -> Credentials:
        return self._credentials

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> InfinityClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- the three routes -------------------------------------------------------------

    async def active_calls(
        self, *, exclude_pii: bool = False, keep_raw: bool = False
    ) -> FetchResult[ActiveCall]:
        params: list[tuple[str, str]] = [("tz", self.tz)]
        if exclude_pii:
            params.append(("excludePiiData", "1"))
        # why the type: ignore below: the call reader reads ActiveCall rows
        return await self._fetch_rows(ACTIVE_CALLS, params, "call", keep_raw)  # type: ignore[return-value]

    async def user_status(
        self, *, descending: bool = False, keep_raw: bool = False
    ) -> FetchResult[PbxUser]:
        order = "desc" if descending else "asc"
        params = [("tz", self.tz), ("sort[]", f"stateStartDatetime-{order}")]
        # why the type: ignore below: the user reader reads PbxUser rows
        return await self._fetch_rows(USER_STATUS, params, "user", keep_raw)  # type: ignore[return-value]

    async def caller_details(
        self, *, call_ref: str | None = None, src_number: str | None = None
    ) -> CallerDetails | None:
        """Attribution of one caller; None when nothing matches.

        The vendor does not say what "no match" looks like, so an empty body, ``[]``, an
        empty-array quirk and a bare information string all mean None here.
        """
        if (call_ref is None) == (src_number is None):
            raise ValueError("give exactly one of call_ref or src_number")
        params = [("callRef", call_ref)] if call_ref else [("srcPhoneNumber", src_number or "")]
        decoded, _ = await self._get(CALLER_LOOKUP, params)
        if not decoded.rows:
            if decoded.unreadable:
                raise errors.UnreadableResponse("the caller's details could not be read")
            return None
        try:
            return parse_caller(decoded.rows[0], self.mapping)
        except (ValueError, RecursionError, OverflowError) as exc:
            raise errors.UnreadableResponse(
                f"the caller's details could not be read ({one_line(str(exc), 80)})"
            ) from None

    # --- plumbing -------------------------------------------------------------------

    def route_url(self, route: str) -> str:
        return f"{self.base_url}/igrps/{self.igrp}/{route}"

    def _request_url(self, route: str, params: list[tuple[str, str]]) -> httpx.URL:
        """The full URL of a query. A polled route's is parsed once: the polls repeat
        the same two queries, and building a request from a string and params costs
        httpx ~0.15 ms, from a parsed URL ~0.03 ms. A lookup is a one-off, and its
        caller's number is not kept."""
        if route == CALLER_LOOKUP:
            return httpx.URL(self.route_url(route), params=params)
        key = (self.base_url, self.igrp, route, tuple(params))
        url = self._urls.get(key)
        if url is None:
            if len(self._urls) >= 8:  # a changed zone or base URL: never more than a few
                self._urls.clear()
            url = self._urls[key] = httpx.URL(self.route_url(route), params=params)
        return url

    def _reader(self, kind: Literal["call", "user"]) -> RowReader:
        """This client's reader of ``kind``; a new one if the mapping or zone was replaced."""
        reader = self._readers.get(kind)
        if reader is None or reader.mapping is not self.mapping or reader.zone is not self.zone:
            reader = self._readers[kind] = RowReader(kind, self.mapping, self.zone)
        return reader

    async def _fetch_rows(
        self,
        route: str,
        params: list[tuple[str, str]],
        kind: Literal["call", "user"],
        keep_raw: bool,
    ) -> FetchResult[ActiveCall] | FetchResult[PbxUser]:
        """The rows of a polled route, or the last ones again when the body is unchanged.

        A quiet centre answers every poll with the same bytes; recognising them by a
        digest costs ~0.5 ms at 2000 rows, against ~100 ms to decode and parse them,
        and it hands back the same row objects, so everything downstream can tell
        "nothing changed" by identity.
        """
        body, encoding, fetched_at = await self._get_body(route, params)
        digest = hashlib.sha1(body, usedforsecurity=False).digest()
        query = tuple(params)
        reader = self._reader(kind)
        last = self._last.get(route)
        if (
            not keep_raw
            and last is not None
            and last.digest == digest
            and last.query == query
            and last.reader is reader
        ):
            return FetchResult(
                rows=last.rows, fetched_at=fetched_at, unreadable=last.unreadable, unchanged=True
            )
        self._last.pop(route, None)
        if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            text = body.decode(encoding, errors="replace")
            del body  # the text is all that is read from here on: one copy, not two
            result: FetchResult[Any] = self._parse_rows(text, fetched_at, keep_raw, reader)
        else:
            result = self._parse_rows(body, fetched_at, keep_raw, reader)
        self._last[route] = _LastBody(query, digest, reader, result.rows, result.unreadable)
        return result

    @staticmethod
    def _parse_rows(
        body: str | bytes, fetched_at: datetime, keep_raw: bool, reader: RowReader
    ) -> FetchResult[ActiveCall | PbxUser]:
        """Typed rows of a body: UTF-8 bytes are read by the fast reader when they are
        plain NDJSON (:func:`~rtdash.api.wire.fast_rows`), else decoded and read as text."""
        items: Iterable[object] | None = fast_rows(body) if isinstance(body, bytes) else None
        if items is None:
            text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
            items = iter_body(text)
        rows: list[ActiveCall | PbxUser] = []
        raw: list[dict[str, Any]] = []
        unreadable = 0
        read = reader.read
        reader.new_body()
        for item in items:
            if isinstance(item, dict):
                if keep_raw:  # keys shown back by `doctor`: made safe like values
                    raw.append({clean(key): value for key, value in item.items()})
                try:
                    rows.append(read(item))
                except (RowUnreadable, ValueError, RecursionError, OverflowError):
                    unreadable += 1
            elif isinstance(item, Message):
                raise errors.UnreadableResponse(
                    f"the service sent a message instead of data: {_quote(item)}"
                )
            else:
                unreadable += 1
        kept = _last_of_each(rows, reader.kind)
        duplicates = len(rows) - len(kept)
        return FetchResult(
            rows=kept,
            fetched_at=fetched_at,
            unreadable=unreadable + duplicates,
            raw=raw,
            duplicates=duplicates,
        )

    async def _get(self, route: str, params: list[tuple[str, str]]) -> tuple[Decoded, datetime]:
        """The decoded answer (``rtdash doctor`` reads raw ``activeCall`` rows this way)."""
        body, encoding, fetched_at = await self._get_body(route, params)
        return decode_body(body.decode(encoding, errors="replace")), fetched_at

    async def _get_body(
        self, route: str, params: list[tuple[str, str]]
    ) -> tuple[bytes, str, datetime]:
        """The body of a successful answer, its text encoding and when it came."""
        if self._refusal is not None:
            raise errors.InsecureTransport(self._refusal)
        url = self._request_url(route, params)
        try:
            async with (
                asyncio.timeout(self._deadline),
                self._http.stream(
                    "GET",
                    url,
                    headers=self._credentials.headers(),
                    timeout=self._timeout,
                ) as response,
            ):
                if response.status_code >= 400:
                    raise _status_error(response, await self._error_body(response), self.igrp)
                if response.status_code != 200:
                    raise _not_data(response, self.base_url)
                body = await self._read_capped(response, self.max_body)
                encoding = response.encoding or "utf-8"
                if _looks_like_html(response, body):
                    raise _html_error(body, encoding)
        except (httpx.TimeoutException, TimeoutError):
            raise errors.RequestTimeout(f"no answer from {_host(self.base_url)} in time") from None
        except httpx.ConnectError as exc:
            raise _connect_error(self.base_url, exc) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            if _tls_cause(exc) is not None:
                raise _connect_error(self.base_url, exc) from None
            raise errors.ConnectionFailed(
                f"connection to {_host(self.base_url)} dropped mid-response"
            ) from None
        except httpx.HTTPError as exc:
            raise errors.ConnectionFailed(
                f"request to {_host(self.base_url)} failed ({type(exc).__name__})"
            ) from None
        return body, encoding, self._now()

    async def _error_body(self, response: httpx.Response) -> str:
        """The upstream's words on a failure, if short; an oversized error page (a proxy's
        HTML) must not hide the status, or a 429/5xx would never be backed off as one."""
        try:
            body = await self._read_capped(response, 64 * 1024)
        except errors.ResponseTooLarge:
            return ""
        return body.decode(response.encoding or "utf-8", errors="replace")

    async def _read_capped(self, response: httpx.Response, limit: int) -> bytes:
        """Read at most ``limit`` bytes; refuse rather than hold an oversized body."""
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise errors.ResponseTooLarge(_too_large(int(declared), limit))
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise errors.ResponseTooLarge(_too_large(size, limit, at_least=True))
            chunks.append(chunk)
        return b"".join(chunks)


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
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - time.time())


def _quote(message: str, limit: int = 160) -> str:
    return f'"{one_line(message, limit)}"'


def _host(base_url: str) -> str:
    """``host:port`` of a base URL (the port said even when it is the scheme's default:
    "cannot connect" is often the wrong port)."""
    url = httpx.URL(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host or base_url}:{port}"


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
    url = httpx.URL(base_url)
    if url.scheme != "http" or not credentials.usable or is_loopback(url.host):
        return None
    return (
        f"refusing to send credentials over plain http to {_host(base_url)} (use https, "
        "or set allow_insecure_http = true in [connection] if the network is trusted)"
    )


def _last_of_each(rows: list[ActiveCall | PbxUser], kind: str) -> list[ActiveCall | PbxUser]:
    """One row per call reference / user id, the last one sent, in first-seen order."""
    key = "call_ref" if kind == "call" else "user_id"
    ids: list[str] = [getattr(row, key) for row in rows]
    if len(set(ids)) == len(ids):
        return rows
    last = {ident: row for ident, row in zip(ids, rows, strict=True)}
    return list(last.values())


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
    try:
        target = httpx.URL(base_url).join(location)
    except (httpx.InvalidURL, ValueError):
        return "an unreadable address"
    path = target.path or "/"
    if target.host == httpx.URL(base_url).host:
        return clean(path)[:120]
    return clean(f"{target.host}{path}")[:120]


def _looks_like_html(response: httpx.Response, body: bytes) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    if "html" in content_type:
        return True
    start = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _html_error(body: bytes, encoding: str) -> errors.ApiError:
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
    return errors.ConnectionFailed(f"cannot connect to {where} ({_cause(exc)})")


def _cause(exc: BaseException) -> str:
    """The reason under an httpx error in a few words."""
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
        seen = seen.__cause__ or seen.__context__
    words = str(exc).lower()
    if "connection refused" in words:
        return "connection refused"
    if "name or service not known" in words or "nodename nor servname" in words:
        return "host name not found"
    return one_line(str(exc), 60) or type(exc).__name__


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"response too large ({more}{size // 1024} KiB; the limit is {limit // 1024} KiB)"
