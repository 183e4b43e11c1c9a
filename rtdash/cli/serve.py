"""``rtdash serve``: the dashboard in a browser, through textual-serve.

textual-serve is a small aiohttp server: the page it serves runs xterm.js, and each
browser tab that opens it gets **its own** ``python -m rtdash …`` process (its own
poller, and with ``--demo`` its own simulator), which draws into that tab over a
websocket. Closing the tab ends the process.

It has no authentication of its own. So it listens on 127.0.0.1 unless told otherwise,
and says so on stderr when it is bound to any other address: put it behind a proxy that
authenticates (and terminates TLS) before a browser on another machine opens it. Every
request passes :mod:`rtdash.cli.serve_guard` first (Host, Origin, a cap on sessions),
and it refuses to start with nothing to show but a welcome screen anyone could act on.

Credentials never go on the served command line (where ``ps`` would show them, and
textual-serve prints it): the app processes read ``RTDASH_USERNAME`` /
``RTDASH_PASSWORD`` / ``RTDASH_API_KEY`` or the config file exactly as a terminal run
does, from the environment they inherit from this server process.

``rtdash serve [--host H] [--port P] [--public-url URL] [dashboard options…]``: the
words after ``serve``, less serve's own options, are the dashboard's
(:func:`dashboard_words`), passed on as typed.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from rtdash.cli.serve_flags import DEFAULT_HOST as DEFAULT_HOST
from rtdash.cli.serve_flags import DEFAULT_PORT as DEFAULT_PORT
from rtdash.cli.serve_flags import add_serve_arguments as add_serve_arguments

PROG = "rtdash serve"

#: the environment variables that hold secrets; none of their values may be on the command
SECRET_VARIABLES = ("RTDASH_PASSWORD", "RTDASH_API_KEY")

#: dashboard options that make no sense once per browser tab, and why
PER_TAB_REFUSED = {
    "--record": "--record cannot be served: every browser tab runs its own dashboard, and "
    "they would all write one file (record with `rtdash --record FILE` in a terminal)",
}

#: concurrent browser sessions when the config does not say (each one is a process)
DEFAULT_MAX_SESSIONS = 3


def exposure_warning(host: str, port: int, public_url: str | None) -> str | None:
    """The stderr warning for a non-loopback bind, or None on loopback."""
    from rtdash.api.client import is_loopback  # httpx: not for `rtdash --help`

    if is_loopback(host):
        return None
    lines = [
        f"{PROG}: warning: listening on {host}:{port}, which other machines may reach.",
        f"{PROG}: warning: textual-serve has no authentication of its own: anyone who can "
        "reach this port gets the live dashboard, caller details included.",
        f"{PROG}: warning: put it behind a reverse proxy that authenticates (and serves "
        f"HTTPS), or bind to {DEFAULT_HOST}.",
    ]
    if public_url is None and _is_wildcard(host):
        lines.append(
            f"{PROG}: warning: browsers are told to connect to {host}:{port}; pass "
            "--public-url with the address they use (e.g. https://wallboard.example)"
        )
    return "\n".join(lines)


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def served_command(argv_for_app: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser tab.

    Raises ValueError if a secret from the environment appears in it: secrets travel in
    the environment, which the app processes inherit.
    """
    command = shlex.join([sys.executable, "-m", "rtdash", *argv_for_app])
    for name in SECRET_VARIABLES:
        secret = os.environ.get(name, "")
        if len(secret) >= 4 and secret in command:
            raise ValueError(
                f"{PROG}: {name}'s value is on the dashboard command line; credentials "
                "come from the environment, never from an argument"
            )
    return command


def serve(
    argv_for_app: list[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    stderr: TextIO | None = None,
) -> int:
    """Serve ``python -m rtdash <argv_for_app>`` to browsers until SIGINT or SIGTERM.

    ``argv_for_app`` are dashboard options only (``--demo``, ``--base-url URL``,
    ``--igrp ID``, ``--interval S``, ``--config PATH`` …), never a subcommand.
    ``public_url`` is the address browsers use when it differs from ``http://host:port``
    (a proxy in front, or a wildcard bind: then it is required, since requests naming
    any other host are refused). Returns 0 when stopped, 1 when the port cannot be
    opened, 2 for a bad argument (one line on stderr each).
    """
    err = stderr if stderr is not None else sys.stderr
    if not 1 <= port <= 65535:
        print(f"{PROG}: --port must be 1-65535 (the page needs the real port)", file=err)
        return 2
    if argv_for_app and not argv_for_app[0].startswith("-"):
        print(f"{PROG}: serves the dashboard only, not `rtdash {argv_for_app[0]}`", file=err)
        return 2
    for word in argv_for_app:
        if word in PER_TAB_REFUSED or word.split("=", 1)[0] in PER_TAB_REFUSED:
            print(f"{PROG}: {PER_TAB_REFUSED[word.split('=', 1)[0]]}", file=err)
            return 2
    if public_url is None and _is_wildcard(host):
        print(
            f"{PROG}: --host {host} needs --public-url, the address browsers use "
            "(requests for any other address are refused)",
            file=err,
        )
        return 2
    try:
        command = served_command(argv_for_app)
    except ValueError as exc:
        print(str(exc), file=err)
        return 2
    problem = _cannot_listen(host, port)
    if problem:
        print(f"{PROG}: cannot listen on {host}:{port} ({problem})", file=err)
        return 1
    warning = exposure_warning(host, port, public_url)
    if warning:
        print(warning, file=err, flush=True)

    from textual_serve.server import Server  # aiohttp + jinja: only when serving

    from rtdash.cli.serve_guard import Guard

    class _Server(Server):
        #: the tasks handling the open sessions' websockets
        sessions: set[asyncio.Task[Any]] = set()

        async def _make_app(self) -> Any:
            app = await super()._make_app()
            guard = Guard.for_server(host, port, self.public_url, max_sessions)
            app.middlewares.append(guard.middleware)
            return app

        async def handle_websocket(self, request: Any) -> Any:
            task = asyncio.current_task()
            assert task is not None
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def on_shutdown(self, app: Any) -> None:
            """SIGTERM or Ctrl+C: each session is ended now (its app told to quit, its
            websocket closed), not waited for: aiohttp would give an open tab tens of
            seconds, while a TV's page shows data that no longer moves."""
            for task in list(self.sessions):
                task.cancel()
            if self.sessions:
                await asyncio.wait(list(self.sessions), timeout=5)

        async def on_startup(self, app: Any) -> None:
            # one line whatever the width (a log file or journald is no terminal, and
            # Rich would wrap it at 80 columns there)
            self.console.print(
                f"rtdash: serving the dashboard on {self.public_url} "
                f"(one app process per browser tab, at most {max_sessions}); Ctrl+C stops",
                soft_wrap=True,
            )

    # rtdash's own page: a title, and a session that ends because the server went away
    # reconnects by itself (textual-serve's asks for a click, which a TV never gets)
    page = Path(__file__).with_name("serve_page")
    server = _Server(
        command=command,
        host=host,
        port=port,
        title="rtdash",
        public_url=public_url,
        templates_path=page,
    )
    try:
        server.serve()
    except OSError as exc:
        print(f"{PROG}: cannot listen on {host}:{port} ({exc.strerror or exc})", file=err)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _cannot_listen(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None: checked before the server
    starts, so a busy port is one line rather than a banner and a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
            probe.bind(address)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


# --- for the command line -------------------------------------------------------------


def dashboard_words(words: Sequence[str]) -> list[str]:
    """The dashboard's words of an ``rtdash … serve …`` command line, as typed.

    ``words`` is the command line after ``rtdash``; the ``serve`` word and serve's own
    options (``--host``, ``--port``, ``--public-url``, as ``--opt V`` or ``--opt=V``)
    are left out and every other word is passed on in order, so a flag the dashboard
    gains later reaches the browser's app without this function knowing it.
    """
    words = list(words)
    if "serve" in words:
        words.remove("serve")  # the first one: the subcommand (options come before it)
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    add_serve_arguments(parser)
    _, rest = parser.parse_known_args(words)
    return rest
