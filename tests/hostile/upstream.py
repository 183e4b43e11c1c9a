"""A stand-in upstream on loopback that answers whatever a test tells it to.

Each route answers an :class:`Answer` (status, headers, raw body bytes), so a test can
send what no JSON library would write: ``1e999``, ``NaN``, a key twice, a BOM, a body
nested a thousand deep. :data:`HOSTILE` is text a hostile upstream puts in its fields.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support import a_password

IGRP = 1234
USERNAME = "hostile-user"
PASSWORD = a_password()

#: terminal attacks: set the clipboard (OSC 52), retitle the window (OSC 0), clear the
#: screen, return to column 0, backspace, a fake new line, a C1 CSI, DEL, bidi override
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
TITLE = "\x1b]0;PWNED\x07"
HOSTILE = f"Eve{OSC52}{TITLE}\x1b[2J\r\x08\nFake line\u202emoc.evil\x9b2J\x7f end"
#: what a hostile payload must never put on a terminal: the data's own sequences
RAW_SEQUENCES = ("\x1b]52;", "\x1b]0;PWNED", "\x1b[2JFake", "\x9b2J", "\u202e", "\x08\n")
MARKUP_QUEUE = "[/]Q[/bold]"
BRACKETED = "Support [out of hours]"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def ndjson(*lines: str | dict) -> bytes:
    """Lines as given (raw text) or dumped (dicts), one a line."""
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()


def call(ref: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "igrp": str(IGRP),
        "callRef": ref,
        "callState": "bridged",
        "callStartDatetime": "2026-05-01 10:00:00",
        "stateStartDatetime": "2026-05-01 10:01:00",
        "srcPhoneNumber": "+447700900123",
        "dialledPhoneNumber": "+441632960000",
        "dgrp": "7",
        "dgrpName": BRACKETED,
        "queueRef": MARKUP_QUEUE,
        "operatorRef": "op-1",
        "displayName": HOSTILE,
        "ringTime": "5",
        "queueDuration": "20",
        "bridgeDuration": "60",
        "callDuration": "85",
    }
    row.update(fields)
    return row


def user(uid: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "igrp": str(IGRP),
        "sipUserId": uid,
        "operatorRef": f"op-{uid}",
        "displayName": HOSTILE,
        "extensionNumber": "201",
        "state": "available",
        "stateStartDatetime": "2026-05-01 10:00:00",
        "dashboard": "1",
    }
    row.update(fields)
    return row


def strings(value: Any) -> list[str]:
    """Every string in a row's JSON form, keys included: each is shown somewhere."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


#: one good row, one good row sent twice (the second wins), and a bad row of each kind
HOSTILE_CALLS = ndjson(
    call("c-1", **{f"note{TITLE}": HOSTILE}),
    call("c-2", callState="queueing"),
    call("c-2", callState="ringing"),
    json.dumps(call("c-overflow"))[:-1] + ', "ringTime": 1e999}',
    json.dumps(call("c-inf"))[:-1] + ', "extraNumber": Infinity}',
    json.dumps(call("c-nan"))[:-1] + ', "extraNumber": NaN}',
    json.dumps(call("c-deep"))[:-1] + f', "nested": {_deep(1000)}}}',
    json.dumps(call("c-deep-64"))[:-1] + f', "nested": {_deep(64)}}}',
    call("c-date", callStartDatetime="0001-01-01T00:00:00+14:00"),
    '{"callRef": "c-dup", "callRef": "c-dup2", "callState": "ringing"}',
)
#: readable rows of HOSTILE_CALLS and how many are skipped (7 bad + 1 duplicate)
HOSTILE_CALL_REFS = ["c-1", "c-2"]
HOSTILE_SKIPPED = 8
HOSTILE_USERS = ndjson(user("1"), user("2", state="unavailable"), user("1", displayName="Last"))


class Upstream:
    """The routes' answers; change them at any time."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {
            "pbxActiveCalls": Answer(body=HOSTILE_CALLS),
            "pbxUserStatus": Answer(body=HOSTILE_USERS),
            "activeCall": Answer(body=ndjson({"igrp": str(IGRP), "dgrp": "7", "txr": "[/]"})),
        }
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/reports/v2"

    def cli_env(self) -> dict[str, str]:
        return {"RTDASH_USERNAME": USERNAME, "RTDASH_PASSWORD": PASSWORD}

    def flags(self) -> list[str]:
        return ["--base-url", self.base_url, "--igrp", str(IGRP)]


@contextmanager
def serving(upstream: Upstream | None = None) -> Iterator[Upstream]:
    upstream = upstream or Upstream()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = self.path.split("?", 1)[0].rsplit("/", 1)[-1]
            answer = upstream.answers.get(route, Answer(404, b'"not found"'))
            self.send_response(answer.status)
            headers = {"Content-Type": "application/x-ndjson", **answer.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    upstream.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        server.shutdown()
        server.server_close()
