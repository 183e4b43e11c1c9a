"""The ways an exchange on the HTTP/1.1 lane (:mod:`rtdash.api.http11`) fails, as the
lane's own errors: :mod:`rtdash.api.transport` turns each into the client's words."""

from __future__ import annotations


class LaneError(Exception):
    """The exchange failed; ``__cause__`` (if any) is the underlying error."""


class ConnectFailed(LaneError):
    """No connection (refused, no such host, TLS handshake): nothing was sent."""


class Dropped(LaneError):
    """The connection broke, or the peer's bytes were not HTTP/1.1, mid-exchange."""


class BadRequest(LaneError):
    """A header this side would send is not a valid header (a newline in a value)."""


class BadEncoding(LaneError):
    """The body's content encoding could not be undone."""


class TooLarge(LaneError):
    """The body would pass the limit: at least ``size`` bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"at least {size} bytes")
        self.size = size
