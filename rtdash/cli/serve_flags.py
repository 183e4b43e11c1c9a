"""``rtdash serve``'s own options, apart from :mod:`rtdash.cli.serve`: the parser needs
them on every start, the serve command's module (sockets, addresses, the browser
sessions) only when serving."""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from rtdash.cli.common import PROG, UsageError
from rtdash.cli.flags import help_hint

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """``--host``, ``--port`` and ``--public-url`` on ``parser`` (the ``serve`` subparser)."""
    group = parser.add_argument_group("serve")
    group.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; anything else warns: "
        "there is no authentication)",
    )
    group.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})"
    )
    group.add_argument(
        "--public-url",
        metavar="URL",
        default=None,
        help="the address browsers use, if not http://HOST:PORT (e.g. behind a proxy)",
    )


def public_url_flag(given: str | None) -> str | None:
    """``--public-url`` as the page will use it: one line and exit 2 for an address the
    page could not load from, before the config is read or a port opened."""
    if given is None:
        return None
    try:
        return checked_public_url(given)
    except ValueError as exc:
        raise UsageError(f"{PROG} serve: --public-url: {exc}{help_hint('serve')}") from None


def checked_public_url(url: str) -> str:
    """The URL without its trailing slash, or ValueError saying why it cannot be used.

    textual-serve writes it in front of every address on the page (its script, its
    websocket): anything but ``http(s)://HOST[:PORT]`` serves a page that loads
    nothing, so it is refused as a bad ``--base-url`` is, in the same words."""
    if "@" in url:  # never echoed: the part before an @ is a password
        raise ValueError("must not hold credentials (user:pass@): give the address only")
    from rtdash.config_sections import check_http_url  # serving only: not on every start

    checked = check_http_url(url)
    parts = urlsplit(checked)
    if parts.path or parts.query or parts.fragment:
        bare = f"{parts.scheme}://{parts.netloc}"
        raise ValueError(f"{url!r} is more than an address: give {bare} only")
    return checked
