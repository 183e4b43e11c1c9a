"""Request URLs without httpx: what ``httpx.URL`` makes of a base URL and a query,
worked out here for the plain shapes an installation's address takes.

The HTTP/1.1 lane (:mod:`rtdash.api.http11`) needs only a URL's request target, its
``Host`` and where to connect, and every poll of a plain-http or https installation
goes through it, the dashboard's first requests included. Asking httpx for these meant
importing httpx (and with it ``urllib.request``, ``http.client`` and ``email``) on the
path to the first data, for nothing the lane uses. So a base URL of the shapes below is
read here, to the very bytes httpx would have made (``tests/api/test_request_url.py``
compares them); anything else (user info, an IPv6 or international host, escapes, dot
segments, a query or fragment of its own) is still read by httpx, which also words the
errors of a URL it cannot read.
"""

from __future__ import annotations

from ipaddress import AddressValueError, IPv4Address
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode

if TYPE_CHECKING:
    import httpx

#: what a host name's labels are made of here (lowercase after ``str.lower``)
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
#: what a path's segments are made of here: unreserved, so httpx leaves them as they are
_SEGMENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")
DEFAULT_PORTS = {"http": 80, "https": 443}


class Origin(NamedTuple):
    """Where a URL connects, as httpx reads it: the port None when it is the scheme's
    default (said or not). (Tuples here, not dataclasses: a dataclass's methods are
    compiled when its module is imported, which this one is on every start.)"""

    scheme: str
    host: str
    port: int | None

    @property
    def netloc(self) -> str:
        return self.host if self.port is None else f"{self.host}:{self.port}"


def _plain(url: str) -> tuple[Origin, str] | None:
    """``url`` read here (its origin and path as written), or None when httpx must
    read it: a scheme, a host name or IPv4 address, a port and a path of unreserved
    characters, nothing else. Read by hand: a regular expression for it took longer
    to compile than all the URLs of a run take to read."""
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in DEFAULT_PORTS:
        return None
    authority, slash, path = rest.partition("/")
    host, colon, port_text = authority.lower().partition(":")
    if not all(_is_label(label) for label in host.split(".")):
        return None
    if host.replace(".", "").isdigit() and host.count(".") == 3:  # as httpx tells IPv4
        try:
            IPv4Address(host)
        except AddressValueError:
            return None  # httpx says why
    port: int | None = None
    if colon:
        if not (port_text.isascii() and port_text.isdigit() and len(port_text) <= 5):
            return None
        port = int(port_text)
        if port > 65535:
            return None
        if port == DEFAULT_PORTS[scheme]:
            port = None
    segments = path.split("/") if slash else []
    if any(not _is_segment(segment) for segment in segments[:-1]):
        return None
    if segments and segments[-1] and not _is_segment(segments[-1]):
        return None
    return Origin(scheme, host, port), slash + path


def _is_label(label: str) -> bool:
    return (
        label.isascii()
        and label[:1].isalnum()
        and label[-1:].isalnum()
        and _LABEL_CHARS.issuperset(label)
    )


def _is_segment(segment: str) -> bool:
    """A path segment httpx keeps as it is: unreserved characters, not a dot first
    (``.`` and ``..`` are resolved)."""
    return segment[:1] not in ("", ".") and _SEGMENT_CHARS.issuperset(segment)


def origin(url: str) -> Origin:
    """Scheme, host and port of ``url``, as ``httpx.URL(url)`` has them (raising its
    ``InvalidURL`` for a URL it cannot read)."""
    plain = _plain(url)
    if plain is not None:
        return plain[0]
    import httpx

    parsed = httpx.URL(url)
    return Origin(parsed.scheme, parsed.host, parsed.port)


class RequestUrl(NamedTuple):
    """One GET's URL: its request target and ``Host`` for the lane, and the same URL
    as httpx's (:meth:`for_httpx`) for httpx's lane."""

    url: str
    params: tuple[tuple[str, str], ...]
    #: the request target: path and query, as ``httpx.URL.raw_path``
    raw_path: bytes
    #: host and port (the default port left out), as ``httpx.URL.netloc``
    netloc: bytes
    #: the whole URL as ``str(httpx.URL)`` says it
    text: str

    def for_httpx(self) -> httpx.URL:
        import httpx

        return httpx.URL(self.url, params=list(self.params))

    def __str__(self) -> str:
        return self.text


def request_url(url: str, params: list[tuple[str, str]]) -> RequestUrl:
    """``url`` with the query ``params``, encoded as ``httpx.URL(url, params=params)``
    encodes it."""
    plain = _plain(url)
    if plain is None:
        import httpx

        parsed = httpx.URL(url, params=params)
        return RequestUrl(url, tuple(params), parsed.raw_path, parsed.netloc, str(parsed))
    # httpx: the standard library's urlencode, whose output its own quoting keeps as is
    where, path = plain
    query = f"?{urlencode(_grouped(params))}" if params else ""
    target = (path or "/") + query
    text = f"{where.scheme}://{where.netloc}{path}{query}"
    return RequestUrl(
        url, tuple(params), target.encode("ascii"), where.netloc.encode("ascii"), text
    )


def _grouped(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs in the order httpx's ``QueryParams`` gives them: a key said twice
    has its values together, where it was first said."""
    keys: dict[str, list[str]] = {}
    for key, value in params:
        keys.setdefault(key, []).append(value)
    return [(key, value) for key, values in keys.items() for value in values]
