"""A loopback stand-in for the Real Time service: it answers the two routes (and the
caller lookup) with whatever NDJSON rows a test sets, in the documented wire format."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support import a_password

from .vocabularies import IGRP

#: what the command line sends it (it checks nothing): a password drawn for the run
USERNAME = "someone"
PASSWORD = a_password()


class StandIn:
    """A loopback service answering the two Real Time routes with fixed NDJSON rows."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []
        self.users: list[dict[str, str]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path.endswith(f"/igrps/{IGRP}/pbxActiveCalls"):
                    rows = stand_in.calls
                elif path.endswith(f"/igrps/{IGRP}/pbxUserStatus"):
                    rows = stand_in.users
                elif path.endswith(f"/igrps/{IGRP}/activeCall"):
                    rows = [{"igrp": str(IGRP), "dgrp": "1", "txr": "9"}]
                else:
                    self.send_response(404)
                    self.end_headers()
                    self.wfile.write(b'"not found"')
                    return
                body = "".join(json.dumps(row) + "\n" for row in rows).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/reports/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
