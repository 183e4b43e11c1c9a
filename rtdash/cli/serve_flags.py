"""``rtdash serve``'s own options, apart from :mod:`rtdash.cli.serve`: the parser needs
them on every start, the serve command's module (sockets, addresses, the browser
sessions) only when serving."""

from __future__ import annotations

import argparse

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
