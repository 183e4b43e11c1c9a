"""What ``rtdash serve`` checks before textual-serve sees a request.

textual-serve (1.1.3) accepts a websocket from any page: its ``/ws`` handler starts an
app process for every connection and never looks at ``Origin`` or ``Host``. A web page
the supervisor has open elsewhere could then connect to ``127.0.0.1:8000`` (browsers
let pages open websockets to any address), read live caller numbers and send keys; a
DNS-rebinding page could do the same through its own name. So every request passes
:class:`Guard` first (an aiohttp middleware):

- ``Host`` must name this server: the ``--public-url`` host, or the loopback address it
  is bound to (a rebinding page's requests carry its own name);
- a websocket's ``Origin`` must be the page's own origin (the same list);
- at most ``max_sessions`` websockets at once (each one is a process); when full, the
  page says so instead of opening another.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web

from rtdash.api.client import is_loopback

_DEFAULT_PORT = {"http": 80, "https": 443}
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _authority(host: str, port: int | None, scheme: str) -> set[str]:
    """``host`` with its port, and without it when the port is the scheme's default
    (browsers leave a default port out of ``Host`` and ``Origin``)."""
    host = host.lower()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = port or _DEFAULT_PORT.get(scheme)
    names = {f"{host}:{port}"}
    if port == _DEFAULT_PORT.get(scheme):
        names.add(host)
    return names


@dataclass
class Guard:
    """The hosts and origins this server answers to, and the open sessions."""

    hosts: frozenset[str]
    origins: frozenset[str]
    max_sessions: int
    sessions: int = field(default=0, init=False)

    @classmethod
    def for_server(cls, host: str, port: int, public_url: str, max_sessions: int) -> Guard:
        public = urlsplit(public_url)
        scheme = public.scheme or "http"
        hosts = _authority(public.hostname or host, public.port, scheme)
        origins = {f"{scheme}://{name}" for name in hosts}
        if is_loopback(host):
            # a browser on this machine, or a proxy in front that keeps the upstream's Host
            for name in {*_LOOPBACK_NAMES, host}:
                local = _authority(name.strip("[]"), port, "http")
                hosts |= local
                origins |= {f"http://{authority}" for authority in local}
        return cls(frozenset(hosts), frozenset(origins), max_sessions)

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    def host_ok(self, host: str | None) -> bool:
        return host is not None and host.strip().lower() in self.hosts

    def origin_ok(self, origin: str | None) -> bool:
        """Only the page's own origin; a missing one (not a browser) is refused too."""
        return origin is not None and origin.strip().lower().rstrip("/") in self.origins

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.host_ok(request.headers.get("Host")):
            return _page(421, "Wrong address", "This server does not answer to that name.")
        if request.path == "/ws":
            if not self.origin_ok(request.headers.get("Origin")):
                return _page(403, "Refused", "Only the dashboard's own page may connect.")
            if self.full:
                return _full_page(self.max_sessions)
            self.sessions += 1
            try:
                return await handler(request)
            finally:
                self.sessions -= 1
        if request.path == "/" and self.full:
            return _full_page(self.max_sessions)
        return await handler(request)


def _full_page(limit: int) -> web.Response:
    tabs = "tab" if limit == 1 else "tabs"
    return _page(
        503,
        "Dashboard busy",
        f"This dashboard is already open in {limit} browser {tabs}, the most it serves "
        "at once. Close one of them and reload this page.",
    )


def _page(status: int, title: str, text: str) -> web.Response:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>rtdash — {html.escape(title)}</title></head>"
        "<body style='font-family: sans-serif; margin: 3em'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return web.Response(status=status, text=body, content_type="text/html")
