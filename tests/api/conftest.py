"""A scripted upstream for client tests: ``httpx.MockTransport`` with request capture.

Every test states the exact body and status it is served, so a wire variant from the
contract is pinned down byte for byte, with no network and no timing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from rtdash.api import transport
from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.models import RowReader
from tests.support import a_password

PASSWORD = a_password()
API_KEY = a_password("key")
FETCHED_AT = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


@dataclass
class Upstream:
    """Serves one canned answer (or runs a handler) and keeps every request it saw."""

    status: int = 200
    body: str | bytes = ""
    headers: dict[str, str] = field(default_factory=dict)
    handler: Callable[[httpx.Request], httpx.Response] | None = None
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.handler is not None:
            return self.handler(request)
        content = self.body.encode() if isinstance(self.body, str) else self.body
        return httpx.Response(self.status, content=content, headers=self.headers)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


MakeClient = Callable[..., InfinityClient]


def _make_client(
    upstream: Callable[[httpx.Request], httpx.Response],
    *,
    credentials: Credentials | None = None,
    **kwargs: object,
) -> InfinityClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    return InfinityClient(
        igrp=1234,
        credentials=credentials or Credentials(username="sup@example.com", password=PASSWORD),
        http=http,
        now=lambda: FETCHED_AT,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def upstream() -> Upstream:
    return Upstream()


@pytest.fixture
def make_client() -> MakeClient:
    """``make_client(upstream, tz=..., credentials=...)``: a client on the mock transport,
    igrp 1234, Basic credentials holding :data:`PASSWORD`, fetched_at :data:`FETCHED_AT`."""
    return _make_client


@pytest.fixture
def secrets() -> tuple[str, str]:
    """The password and API key the fixtures use, for "never shown" assertions."""
    return PASSWORD, API_KEY


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The call reference (or user id) of every row a RowReader reads: in Python
    (``read``) or, a new line of a learnt shape, in C (``read_lines``)."""
    seen: list[str] = []
    original, original_lines = RowReader.read, RowReader.read_lines

    def counting(self: RowReader, row, *more):  # type: ignore[no-untyped-def]
        seen.append(row.get("callRef") or row.get("sipUserId"))
        return original(self, row, *more)

    def counting_lines(self: RowReader, lines):  # type: ignore[no-untyped-def]
        made = original_lines(self, lines)
        seen.extend(self.ident(row) for row in made or () if row is not None)
        return made

    monkeypatch.setattr(RowReader, "read", counting)
    monkeypatch.setattr(RowReader, "read_lines", counting_lines)
    return seen


@pytest.fixture(params=["in C", "in Python"])
def each_cut(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The line reader's tests run with its C parts where they were built (the scanner
    that cuts lines, rtdash.api.line_cut; the head table, rtdash.api.line_table; the
    reader of plain new lines, rtdash.api.line_plan) and with the Python every machine
    has (the compiled pattern, a dict, the reader's own reading)."""
    from rtdash.api import line_cut, line_plan, line_table

    if request.param == "in Python":
        monkeypatch.setattr(line_cut, "scanner", None)
        monkeypatch.setattr(line_table, "built", None)
        monkeypatch.setattr(line_plan, "built", None)
    elif line_cut.scanner is None or line_table.built is None or line_plan.built is None:
        pytest.skip("rtdash's C parts are not built")
    return str(request.param)


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    """``streamed(True)``: every body is offered to the client's stream from its first
    bytes on (as a big one is); ``streamed(False)``: no body is (each read whole)."""

    def switch(on: bool) -> None:
        monkeypatch.setattr(transport, "STREAM_AT", 1 if on else 1 << 40)

    yield switch
