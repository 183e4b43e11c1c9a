"""The loopback HTTP server: stdlib ``ThreadingHTTPServer`` in a daemon thread.

HTTP/1.1 with keep-alive, like the real service, so a client's connection pool behaves
as it will in production. That means handler threads outlive a single request, so the
server tracks open connections and shuts them down on stop: otherwise "server down"
would still answer on pooled connections. Nagle is disabled on every connection, or each
small response waits ~40 ms for a delayed ACK.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from rtdash.sim import routes, stats, wire
from rtdash.sim.faults import RESPONSE_KINDS, ROUTES, Fault, FaultPlan

_CHUNK_LINES = 512


class SimHTTPServer(ThreadingHTTPServer):
    """Threaded server that can be stopped for real and rebound to the same port."""

    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        port: int,
        context: routes.Context,
        faults: FaultPlan,
        log: Callable[[str], None] | None = None,
        requests: stats.RequestCounter | None = None,
        debug_stats: Callable[[str], dict[str, object]] | None = None,
    ) -> None:
        self.context = context
        self.faults = faults
        self.log = log
        self.requests = requests
        #: answers ``GET /_sim/stats?<query>``; None serves a 404 there
        self.debug_stats = debug_stats
        self._conns: dict[int, socket.socket] = {}
        self._conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), SimRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (a reverse DNS lookup); not needed.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns[id(request)] = request
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.pop(id(request), None)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns.values())
            self._conns.clear()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response is routine here (faults, timeouts, tests);
        # anything else is a bug in the simulator and gets the usual traceback.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class SimRequestHandler(BaseHTTPRequestHandler):
    """Moves bytes: routing and row logic live in :mod:`rtdash.sim.routes`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "rtdash-sim/1"
    timeout = 120  # idle keep-alive connections end eventually
    server: SimHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def finish(self) -> None:
        # after a deliberate reset the socket is gone; flushing it is not an error
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    # --- methods ------------------------------------------------------------------------

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        if split.path.rstrip("/") == stats.STATS_PATH and self.server.debug_stats is not None:
            self._send(routes.Response(200, stats.encode(self.server.debug_stats(split.query))))
            return
        matched = routes.match(split.path)
        if matched is None or matched[2] not in ROUTES:
            self._send(routes.error(404, "not found"))
            return
        version, igrp_raw, route = matched
        if self.server.requests is not None:
            self.server.requests.count(route, igrp_raw)
        fault = self.server.faults.take(route)
        if fault is not None:
            if fault.kind in RESPONSE_KINDS:
                self._deliver_fault(fault, igrp_raw)
                return
            if fault.kind == "latency":
                time.sleep(fault.seconds)
                fault = None
        response = routes.serve(
            self.server.context,
            version,
            igrp_raw,
            route,
            split.query,
            self.headers.get("Authorization"),
            fault,
        )
        self._send(response)

    def _not_allowed(self) -> None:
        self.close_connection = True  # any request body stays unread
        self._send(routes.error(405, "method not allowed", {"Allow": "GET"}))

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed

    # --- output -------------------------------------------------------------------------

    def _head(self, status: int, content_type: str, length: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, response: routes.Response) -> None:
        self._head(response.status, response.content_type, len(response.body), response.headers)
        self.wfile.write(response.body)

    def _deliver_fault(self, fault: Fault, igrp_raw: str) -> None:
        kind = fault.kind
        if kind == "status":
            self._send(routes.error(fault.status, _phrase(fault.status)))
        elif kind == "rate_limit":
            self._send(routes.error(429, "rate limited", {"Retry-After": str(fault.retry_after)}))
        elif kind == "bare_string":
            self._send(routes.Response(200, wire.json_string(fault.message)))
        elif kind == "empty_array":
            self._send(routes.Response(200, wire.EMPTY_JSONARRAY))
        elif kind == "huge_body":
            self._stream_huge(fault.size, igrp_raw)
        elif kind == "reset":
            self._reset_mid_body(igrp_raw)
        elif kind == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def _stream_huge(self, size: int, igrp_raw: str) -> None:
        """At least ``size`` bytes of well-formed rows, written a chunk at a time.

        Every line has the same length (fixed-width counter), so Content-Length is known
        up front without building the body.
        """
        template = _huge_line_template(igrp_raw)
        line_len = len(template % 0)
        n_lines = max(1, -(-size // line_len))
        self._head(200, routes.NDJSON, n_lines * line_len, {})
        i = 0
        while i < n_lines:
            end = min(n_lines, i + _CHUNK_LINES)
            self.wfile.write("".join(template % j for j in range(i, end)).encode())
            i = end

    def _reset_mid_body(self, igrp_raw: str) -> None:
        """Promise a body, send half of it, then abort the connection with a TCP RST."""
        template = _huge_line_template(igrp_raw)
        body = "".join(template % j for j in range(40)).encode()
        self._head(200, routes.NDJSON, len(body), {})
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # the socket only really closes (and so resets) once rfile's reference is gone too
        with contextlib.suppress(OSError):
            self.rfile.close()
        with contextlib.suppress(OSError):
            self.connection.close()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"


def _huge_line_template(igrp_raw: str) -> str:
    """A %-template of one call row whose callRef takes a zero-padded line number."""
    igrp = igrp_raw if igrp_raw.isdigit() else "0"
    row = {
        "igrp": igrp,
        "callRef": "c-bulk-@@@@@@@@",
        "callState": "queueing",
        "callStartDatetime": "2026-05-01 09:00:00",
        "stateStartDatetime": "2026-05-01 09:00:05",
        "srcPhoneNumber": "+447700900000",
        "dialledPhoneNumber": "+441632960100",
        "dgrp": "33244",
        "dgrpName": "Sales line",
        "queueRef": "sales",
        "operatorRef": "",
        "displayName": "",
        "ringTime": "5",
        "queueDuration": "60",
        "bridgeDuration": "0",
        "callDuration": "65",
    }
    line = wire.encode_row(row).replace("%", "%%").replace("@@@@@@@@", "%08d") + "\n"
    return line
