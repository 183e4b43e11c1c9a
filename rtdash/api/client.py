"""The async client for the three Real Time routes.

It owns the wire concerns only: auth, query encoding, status-to-error translation, a
cap on body size, decoding and row parsing through the field mapping. It never retries
or sleeps: pacing and backoff belong to the poller in ``rtdash.core``, which knows
whether anyone is waiting for the answer.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from rtdash.api import errors
from rtdash.api.body_rows import FetchResult as FetchResult
from rtdash.api.body_rows import Streamed, by_lines, read_whole
from rtdash.api.credentials import DEFAULT_BASE_URL, DEFAULT_MAX_BODY_MB, Credentials
from rtdash.api.http_errors import insecure_reason as insecure_reason
from rtdash.api.http_errors import is_loopback as is_loopback
from rtdash.api.http_errors import parse_retry_after as parse_retry_after
from rtdash.api.line_rows import read_body
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import (
    ActiveCall,
    CallerDetails,
    PbxUser,
    RowReader,
    parse_caller,
)
from rtdash.api.request_url import RequestUrl, request_url
from rtdash.api.sanitise import one_line
from rtdash.api.transport import STREAM_AT, Stream, Transport
from rtdash.api.wire import Decoded, decode_body

if TYPE_CHECKING:
    import httpx

DEFAULT_MAX_BODY = DEFAULT_MAX_BODY_MB * 1024 * 1024
#: a body up to this size is kept to know the next one unchanged by comparing bytes (a
#: quiet centre sends the same ones every poll); a bigger one is read as it comes, never
#: held whole (see rtdash.api.body_rows.Streamed)
KEPT_BODY = STREAM_AT

ACTIVE_CALLS = "pbxActiveCalls"
USER_STATUS = "pbxUserStatus"
CALLER_LOOKUP = "activeCall"

T = TypeVar("T")


@dataclass(slots=True)
class _LastBody:
    """What the last readable body of a route was, to know the next one unchanged."""

    query: tuple[tuple[str, str], ...]
    digest: bytes
    reader: RowReader
    rows: list[Any]
    unreadable: int
    #: read by its lines (the reader then knows the next body unchanged, see
    #: :func:`~rtdash.api.line_rows.read_body`)
    by_lines: bool = False
    #: the body itself when small (:data:`KEPT_BODY`): the same bytes again are known
    #: by one comparison, before any line is looked at
    body: bytes | bytearray | None = None
    encoding: str = ""


class InfinityClient:
    """One installation's Real Time routes.

    ``http`` is injectable so tests can pass an ``httpx.MockTransport`` client and the
    app can share one connection pool; when omitted the client keeps its own connections
    (and closes them), see :mod:`rtdash.api.transport`.
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
        # ``tls``: a context loaded ahead of time (rtdash.warmup); else httpx's default
        self._transport = Transport(
            base_url=self.base_url,
            igrp=igrp,
            timeout=timeout,
            max_body=max_body,
            http=http,
            tls=tls,
        )
        self._now = now or (lambda: datetime.now(UTC))
        self._readers: dict[str, RowReader] = {}
        #: why no request may be made (credentials would cross a network in clear)
        self._refusal = None if allow_insecure_http else insecure_reason(base_url, credentials)
        self._last: dict[str, _LastBody] = {}
        self._urls: dict[tuple[object, ...], RequestUrl] = {}

    def __repr__(self) -> str:
        return f"InfinityClient(base_url={self.base_url!r}, igrp={self.igrp})"

    @property
    def credentials(self) -> Credentials:
        return self._credentials

    async def aclose(self) -> None:
        await self._transport.aclose()

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
        result = await self._fetch_rows(ACTIVE_CALLS, params, "call", keep_raw)
        return self._said(result, "call")  # the call reader reads ActiveCall rows

    async def user_status(
        self, *, descending: bool = False, keep_raw: bool = False
    ) -> FetchResult[PbxUser]:
        order = "desc" if descending else "asc"
        params = [("tz", self.tz), ("sort[]", f"stateStartDatetime-{order}")]
        result = await self._fetch_rows(USER_STATUS, params, "user", keep_raw)
        return self._said(result, "user")  # the user reader reads PbxUser rows

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

    def adopt(self, other: InfinityClient, kind: Literal["call", "user"]) -> bool:
        """Read the next bodies of ``kind`` as ``other`` (a client of the same query, whose
        answer this one handed out as its own, see :mod:`rtdash.head_start`) would: its
        reader, which holds that body's lines, and that body as this route's last. The
        next body is then read by its lines against it (its unchanged rows the very
        objects handed out, and what changed known), not read anew, every row a new
        object beside the ones on screen. False (nothing taken) for another mapping,
        time zone or installation. ``other`` must be done with that route."""
        route = ACTIVE_CALLS if kind == "call" else USER_STATUS
        reader = other._readers.get(kind)
        last = other._last.get(route)
        if (
            reader is None
            or last is None
            or last.reader is not reader
            or other.mapping != self.mapping
            or other.zone != self.zone
            or (other.base_url, other.igrp) != (self.base_url, self.igrp)
        ):
            return False
        reader.mapping = self.mapping  # the same table: this client's own object
        self._readers[kind] = reader
        self._last[route] = last
        return True

    def route_url(self, route: str) -> str:
        return f"{self.base_url}/igrps/{self.igrp}/{route}"

    def _request_url(self, route: str, params: list[tuple[str, str]]) -> RequestUrl:
        """The full URL of a query. A polled route's is built once: the polls repeat
        the same two queries. A lookup is a one-off, and its caller's number is not
        kept."""
        if route == CALLER_LOOKUP:
            return request_url(self.route_url(route), params)
        key = (self.base_url, self.igrp, route, tuple(params))
        url = self._urls.get(key)
        if url is None:
            if len(self._urls) >= 8:  # a changed zone or base URL: never more than a few
                self._urls.clear()
            url = self._urls[key] = request_url(self.route_url(route), params)
        return url

    def _said(self, result: FetchResult[Any], kind: Literal["call", "user"]) -> FetchResult[Any]:
        """No row read: whether the mapping names keys the rows do not carry (on every
        poll: a body known unchanged, or by its lines, is not read again to tell)."""
        if result.unreadable and not result.rows:
            result.gap = self._reader(kind).gap()
        return result

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

        A quiet centre answers every poll with the same bytes; recognising them (a small
        body by comparing it with the last one, a big one by a digest or, read by its
        lines, by the reader finding every line as it was) is far cheaper than reading
        them, and it hands back the same row
        objects, so everything downstream can tell "nothing changed" by identity.
        """
        query = tuple(params)
        reader = self._reader(kind)
        streamed = None if keep_raw else Streamed(reader)
        body, encoding, fetched_at = await self._get_body(
            route, params, streamed.open if streamed is not None else None
        )
        last = self._last.get(route)
        if body is None:  # a big body, read by its lines as it came
            assert streamed is not None and streamed.feed is not None
            result = streamed.result(fetched_at)
            return self._settle(
                route, result, streamed.lined, last, query, reader, b"", None, encoding
            )
        if (
            not keep_raw
            and last is not None
            and last.body == body
            and last.query == query
            and last.reader is reader
            and last.encoding == encoding
        ):
            return FetchResult(
                rows=last.rows, fetched_at=fetched_at, unreadable=last.unreadable, unchanged=True
            )
        utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        # a body read by its lines is known unchanged by the reader (every line's head
        # held, the same tails in the same order), which needs no digest of the body
        lined = (
            utf8 and not keep_raw and reader.lines is not None and reader.lines.tails is not None
        )
        digest = b"" if lined else hashlib.sha1(body, usedforsecurity=False).digest()
        if (
            not keep_raw
            and not lined
            and last is not None
            and last.digest == digest
            and last.query == query
            and last.reader is reader
        ):
            return FetchResult(
                rows=last.rows, fetched_at=fetched_at, unreadable=last.unreadable, unchanged=True
            )
        self._last.pop(route, None)
        kept = body if not keep_raw and len(body) <= KEPT_BODY else None
        if not utf8:
            text = body.decode(encoding, errors="replace")
            del body  # the text is all that is read from here on: one copy, not two
            parsed: FetchResult[Any] = self._parse_rows(text, fetched_at, keep_raw, reader)
        else:
            parsed = self._parse_rows(body, fetched_at, keep_raw, reader)
        return self._settle(route, parsed, lined, last, query, reader, digest, kept, encoding)

    def _settle(
        self,
        route: str,
        result: FetchResult[Any],
        lined: bool,
        last: _LastBody | None,
        query: tuple[tuple[str, str], ...],
        reader: RowReader,
        digest: bytes,
        kept: bytes | bytearray | None,
        encoding: str,
    ) -> FetchResult[Any]:
        """The result of a body that was read, handed back and kept as the route's last:
        the last rows themselves when the reader found every line as it was (so that
        downstream tells "nothing changed" by identity), else ``result`` with what changed."""
        if (
            lined
            and last is not None
            and reader.lines is not None
            and reader.lines.unchanged
            and last.query == query
            and last.reader is reader
            and last.by_lines
        ):
            result = FetchResult(
                rows=last.rows,
                fetched_at=result.fetched_at,
                unreadable=last.unreadable,
                unchanged=True,
            )
        by_lines = reader.lines is not None and reader.lines.tails is not None
        self._changes(result, lined, last, query, reader)
        self._last[route] = _LastBody(
            query, digest, reader, result.rows, result.unreadable, by_lines, kept, encoding
        )
        return result

    @staticmethod
    def _changes(
        result: FetchResult[Any],
        lined: bool,
        last: _LastBody | None,
        query: tuple[tuple[str, str], ...],
        reader: RowReader,
    ) -> None:
        """Say what changed since the last result (see :attr:`FetchResult.changes`)
        when the reader read this body by its lines after that result's body."""
        lines = reader.lines
        if (
            lined
            and not result.unchanged
            and lines is not None
            and lines.changes is not None
            and last is not None
            and last.by_lines
            and last.query == query
            and last.reader is reader
        ):
            result.changes = (last.rows, *lines.changes)

    @staticmethod
    def _parse_rows(
        body: str | bytes | bytearray, fetched_at: datetime, keep_raw: bool, reader: RowReader
    ) -> FetchResult[ActiveCall | PbxUser]:
        """Typed rows of a body: UTF-8 bytes are read by the fast reader when they are
        plain NDJSON (:func:`~rtdash.api.wire.fast_rows`), else decoded and read as text."""
        if isinstance(body, str) or keep_raw:
            if reader.lines is not None:
                reader.lines.take()  # read whole: the next body is not known by its lines
        else:
            if reader.lines is None:
                reader.learn_lines_of(body)
            feed = read_body(reader, body)
            if feed is not None:
                return by_lines(feed, fetched_at)
        return read_whole(body, fetched_at, keep_raw, reader)

    async def _get(self, route: str, params: list[tuple[str, str]]) -> tuple[Decoded, datetime]:
        """The decoded answer (``rtdash doctor`` reads raw ``activeCall`` rows this way)."""
        body, encoding, fetched_at = await self._get_body(route, params)
        assert body is not None  # no stream asked for: the body whole
        return decode_body(body.decode(encoding, errors="replace")), fetched_at

    async def _get_body(
        self, route: str, params: list[tuple[str, str]], stream: Stream | None = None
    ) -> tuple[bytes | bytearray | None, str, datetime]:
        """The body of a successful answer, its text encoding and when it came (the
        body None: a big one went to ``stream`` as it came)."""
        if self._refusal is not None:
            raise errors.InsecureTransport(self._refusal)
        url = self._request_url(route, params)
        headers = self._credentials.headers()
        body, encoding = await self._transport.get(
            url, headers, keep=route != CALLER_LOOKUP, stream=stream
        )
        return body, encoding, self._now()
