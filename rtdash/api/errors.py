"""Typed upstream failures.

Each error carries one human sentence that is safe to show on screen, in a log or on
stderr: it never contains a credential, because the message is built from the status
and the upstream's own words only, never from the request.
"""

from __future__ import annotations

from rtdash.api.sanitise import clean


class ApiError(Exception):
    """Base of every failure talking to the Reports API."""

    #: short words for a status bar ("credentials rejected", "upstream error")
    kind: str = "error"

    def __init__(self, message: str) -> None:
        # the upstream's words are quoted in many messages: made safe here, once
        message = clean(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class AuthFailed(ApiError):
    kind = "credentials rejected"


class PermissionDenied(ApiError):
    kind = "permission denied"


class NotFound(ApiError):
    kind = "not found"


class RateLimited(ApiError):
    kind = "rate limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamError(ApiError):
    kind = "upstream error"

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        #: a 503 for maintenance may say how long it lasts; the poller waits at least that
        self.retry_after = retry_after


class RequestTimeout(ApiError):
    kind = "timed out"


class ConnectionFailed(ApiError):
    kind = "connection failed"


class TlsFailed(ConnectionFailed):
    """The connection was made but TLS failed (a certificate, a proxy intercepting, an
    ``http`` service on the ``https`` port): the message says which, so ``doctor`` and
    the status line need not guess."""

    kind = "TLS failed"


class InsecureTransport(ApiError):
    """Credentials would go over plain http to another machine."""

    kind = "insecure connection refused"


class UnreadableResponse(ApiError):
    kind = "unreadable response"


class ResponseTooLarge(UnreadableResponse):
    kind = "response too large"


class NotData(UnreadableResponse):
    """An answer that is not the Reports API's data (a redirect, a 204, an HTML page)."""

    kind = "not data"
