"""A big polled body written as the service and the simulator write it, served over
loopback HTTP, with a watch on the C line reader (``rtdash/api/_line_read.c``).

The hostile upstream's other bodies are written with spaces after the separators, so
they are read whole and never reach :meth:`RowReader.read_lines`. A big centre's body
is compact NDJSON, UTF-8 unescaped, read by its lines as it streams in: past the first
piece (read in Python, it tells the upstream's "now"), its new lines go to the C
reader, which makes the rows of the plain ones and leaves the others (None) to the
Python that reads every line. A test of hostile text in such a body must show that the
C reader was handed the hostile lines, and that the rows are those the Python path
makes of the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

import pytest

from rtdash.api import line_plan
from rtdash.api.body_rows import FetchResult
from rtdash.api.client import InfinityClient
from rtdash.api.credentials import Credentials, Secret
from rtdash.api.line_rows import BATCH
from rtdash.api.models import RowReader
from tests.hostile.upstream import IGRP, PASSWORD, USERNAME, Answer, Upstream

#: rows of a big body: more than a socket read's worth, as at a big centre
BIG_BODY_ROWS = 2_800
#: plain rows that open a big body: its first batch of new lines is read in Python (a
#: call body's tell the upstream's "now", and the states read there are the only ones
#: the C reader knows), so rows that must reach the C reader come after them
LEAD_ROWS = BATCH + 64

ROUTES = {"call": "pbxActiveCalls", "user": "pbxUserStatus"}


def client_for(upstream: Upstream) -> InfinityClient:
    return InfinityClient(
        igrp=IGRP, credentials=Credentials(USERNAME, Secret(PASSWORD)), base_url=upstream.base_url
    )


def compact(row: dict[str, Any]) -> bytes:
    """A row as the service writes it: no spaces, UTF-8 unescaped."""
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False).encode()


class LineReaderWatch:
    """Serves a big body and polls it, noting each line the C reader was handed and
    its answer (its row, or None for a line it leaves to Python)."""

    def __init__(self, upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
        self.upstream = upstream
        self._monkeypatch = monkeypatch
        #: each line the C reader read, with its answer
        self.handed: list[tuple[bytes, Any]] = []
        original = RowReader.read_lines
        handed = self.handed

        def counting(reader: RowReader, lines: list[bytes]) -> Any:
            made = original(reader, lines)
            if made is not None:  # (None: the reader reads them all, see read_lines)
                handed.extend(zip(lines, made, strict=True))
            return made

        monkeypatch.setattr(RowReader, "read_lines", counting)

    def serve(self, kind: Literal["call", "user"], lines: Iterable[bytes]) -> None:
        """The route answers ``lines``, each ended by a line feed (as the simulator's)."""
        self.upstream.answers[ROUTES[kind]] = Answer(body=b"".join(line + b"\n" for line in lines))

    async def poll(self, kind: Literal["call", "user"]) -> FetchResult[Any]:
        """One poll by a new client, so nothing is held from an earlier body."""
        async with client_for(self.upstream) as client:
            if kind == "call":
                return await client.active_calls()
            return await client.user_status()

    async def poll_in_python(self, kind: Literal["call", "user"]) -> FetchResult[Any]:
        """The same poll with the C reader not built: what every line reads as in
        Python. (The C reader stays off for the rest of the test.)"""
        self._monkeypatch.setattr(line_plan, "built", None)
        self.handed.clear()
        result = await self.poll(kind)
        assert not self.handed, "the C reader was not to be reached"
        return result
