"""Each upstream failure becomes one typed error with a safe, human message."""

from __future__ import annotations

import email.utils
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from rtdash.api import errors
from rtdash.api.client import Credentials, parse_retry_after

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream


def _assert_secret_free(exc: BaseException, secrets: tuple[str, str]) -> None:
    for shown in (str(exc), repr(exc), getattr(exc, "message", ""), repr(exc.args)):
        for secret in secrets:
            assert secret not in shown


@pytest.mark.parametrize(
    ("status", "body", "kind", "message"),
    [
        (
            401,
            '"auth required"',
            errors.AuthFailed,
            'credentials rejected (HTTP 401): "auth required"',
        ),
        (
            403,
            '"access denied"',
            errors.PermissionDenied,
            'permission denied (HTTP 403): "access denied"',
        ),
        (
            404,
            '"unknown installation"',
            errors.NotFound,
            'installation 1234 not found (HTTP 404): "unknown installation"',
        ),
        (
            500,
            '"internal error"',
            errors.UpstreamError,
            'upstream error (HTTP 500): "internal error"',
        ),
        (503, "", errors.UpstreamError, "upstream error (HTTP 503)"),
        (400, '"bad tz"', errors.UpstreamError, 'request refused (HTTP 400): "bad tz"'),
    ],
)
async def test_status_codes_become_typed_errors_with_upstream_words(
    make_client: MakeClient,
    upstream: Upstream,
    secrets: tuple[str, str],
    status: int,
    body: str,
    kind: type[errors.ApiError],
    message: str,
) -> None:
    upstream.status, upstream.body = status, body
    with pytest.raises(kind) as caught:
        await make_client(upstream).active_calls()
    assert str(caught.value) == message
    _assert_secret_free(caught.value, secrets)


async def test_5xx_keeps_its_status(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.status = 503
    with pytest.raises(errors.UpstreamError) as caught:
        await make_client(upstream).user_status()
    assert caught.value.status == 503


async def test_html_error_page_is_not_quoted_as_upstream_words(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.status, upstream.body = 502, "<html><body>Bad gateway</body></html>"
    with pytest.raises(errors.UpstreamError) as caught:
        await make_client(upstream).active_calls()
    assert str(caught.value) == "upstream error (HTTP 502)"


async def test_429_with_retry_after_seconds(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.status, upstream.headers = 429, {"Retry-After": "17"}
    with pytest.raises(errors.RateLimited) as caught:
        await make_client(upstream).active_calls()
    assert caught.value.retry_after == 17.0
    assert str(caught.value) == "rate limited (HTTP 429), retry after 17 s"


@pytest.mark.parametrize("asked", ["99999999999", "inf"])
async def test_a_retry_after_past_the_cap_is_said_as_the_wait_kept(
    make_client: MakeClient, upstream: Upstream, asked: str
) -> None:
    """It said "retry after 99999999999 s" while the poller waited 900 (and "inf" could
    not be said at all)."""
    upstream.status, upstream.headers = 429, {"Retry-After": asked}
    with pytest.raises(errors.RateLimited) as caught:
        await make_client(upstream).active_calls()
    assert str(caught.value) == "rate limited (HTTP 429), retry after 900 s"


async def test_429_with_retry_after_http_date(make_client: MakeClient, upstream: Upstream) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    upstream.status, upstream.headers = 429, {"Retry-After": when}
    with pytest.raises(errors.RateLimited) as caught:
        await make_client(upstream).active_calls()
    assert caught.value.retry_after is not None
    assert 25 <= caught.value.retry_after <= 31


async def test_429_without_retry_after(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.status = 429
    with pytest.raises(errors.RateLimited) as caught:
        await make_client(upstream).active_calls()
    assert caught.value.retry_after is None
    assert str(caught.value) == "rate limited (HTTP 429)"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("0", 0.0),
        ("2.5", 2.5),
        ("-4", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        # the wait kept, not the wait asked: the screen says what the poller does
        ("99999999999", 900.0),
        ("inf", 900.0),
        ("nan", None),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 900.0),
    ],
)
def test_parse_retry_after_values(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_past_date_is_zero() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def _raising(exc: Exception):
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("exc", "kind", "message"),
    [
        (
            httpx.ReadTimeout("slow"),
            errors.RequestTimeout,
            "no answer from api.infinitycloud.com:443 in time",
        ),
        (
            httpx.ConnectTimeout("slow"),
            errors.RequestTimeout,
            "no answer from api.infinitycloud.com:443 in time",
        ),
        (
            httpx.ConnectError("refused"),
            errors.ConnectionFailed,
            "cannot connect to api.infinitycloud.com:443 (refused)",
        ),
        (
            httpx.RemoteProtocolError("peer closed"),
            errors.ConnectionFailed,
            "connection to api.infinitycloud.com:443 dropped mid-response",
        ),
        (
            httpx.ReadError("reset"),
            errors.ConnectionFailed,
            "connection to api.infinitycloud.com:443 dropped mid-response",
        ),
    ],
)
async def test_transport_failures(
    make_client: MakeClient,
    upstream: Upstream,
    secrets: tuple[str, str],
    exc: Exception,
    kind: type[errors.ApiError],
    message: str,
) -> None:
    upstream.handler = _raising(exc)
    with pytest.raises(kind) as caught:
        await make_client(upstream).active_calls()
    assert str(caught.value) == message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    _assert_secret_free(caught.value, secrets)


async def test_connection_refused_on_a_real_socket(secrets: tuple[str, str]) -> None:
    """No mock: a closed loopback port, as when the service or simulator is down."""
    import socket

    from rtdash.api.client import InfinityClient

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = InfinityClient(
        igrp=1234,
        credentials=Credentials(username="u", password=secrets[0]),
        base_url=f"http://127.0.0.1:{port}/reports/v2",
        timeout=2.0,
    )
    async with client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert str(caught.value) == f"cannot connect to 127.0.0.1:{port} (connection refused)"


async def test_unreadable_message_is_an_api_error(
    make_client: MakeClient, upstream: Upstream
) -> None:
    upstream.body = '"no data for you"'
    with pytest.raises(errors.ApiError) as caught:
        await make_client(upstream).user_status()
    assert isinstance(caught.value, errors.UnreadableResponse)
    assert caught.value.kind == "unreadable response"


async def test_too_large_by_content_length(make_client: MakeClient, upstream: Upstream) -> None:
    upstream.body = "x" * 5000
    with pytest.raises(errors.ResponseTooLarge) as caught:
        await make_client(upstream, max_body=2048).active_calls()
    assert str(caught.value) == "response too large (4 KiB; the limit is 2 KiB)"
    assert isinstance(caught.value, errors.UnreadableResponse)


async def test_too_large_while_streaming_without_content_length(
    make_client: MakeClient, upstream: Upstream
) -> None:
    """A chunked body has no content-length: the cap must hold while reading."""
    chunks_sent: list[int] = []

    async def stream():
        for _ in range(100):
            chunks_sent.append(1)
            yield b'{"callRef": "c-0001"}\n' * 50  # ~1.1 KiB a chunk

    upstream.handler = lambda request: httpx.Response(200, content=stream())
    with pytest.raises(errors.ResponseTooLarge) as caught:
        await make_client(upstream, max_body=4096).active_calls()
    assert "more than" in str(caught.value)
    assert len(chunks_sent) < 10  # stopped early, did not read all 100 chunks


async def test_oversized_error_page_still_reports_the_status(
    make_client: MakeClient, upstream: Upstream
) -> None:
    """A proxy's huge HTML 503 page must read as a 503 (backed off), not as a bad body."""
    upstream.status, upstream.body = 503, "x" * (65 * 1024)
    upstream.headers = {"Retry-After": "5"}
    with pytest.raises(errors.UpstreamError) as caught:
        await make_client(upstream).active_calls()
    assert str(caught.value) == "upstream error (HTTP 503)"


async def test_api_key_never_in_errors(
    make_client: MakeClient, upstream: Upstream, secrets: tuple[str, str]
) -> None:
    upstream.status, upstream.body = 401, '"auth required"'
    client = make_client(upstream, credentials=Credentials(api_key=secrets[1]))
    with pytest.raises(errors.AuthFailed) as caught:
        await client.active_calls()
    _assert_secret_free(caught.value, secrets)
    assert secrets[1] not in repr(client)


def test_credentials_repr_hides_secrets(secrets: tuple[str, str]) -> None:
    password, key = secrets
    for creds in (Credentials(username="u", password=password), Credentials(api_key=key)):
        assert password not in repr(creds) and key not in repr(creds)
        assert password not in str(creds) and key not in str(creds)
