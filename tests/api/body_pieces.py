"""Bodies served in pieces, and what a client makes of them: the tests of a body read
by its lines as it comes (test_streamed_body.py) and of the line table kept from body to
body (test_line_table.py) compare the same things, each against the body read whole.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from rtdash.api import errors
from rtdash.api.client import Credentials, FetchResult, InfinityClient
from rtdash.api.models import ActiveCall, ticked
from tests.api.conftest import FETCHED_AT
from tests.api.test_rows import CALL, with_
from tests.support import a_password

Cut = Callable[[bytes], list[bytes]]


def by(size: int) -> Cut:
    return lambda body: [body[i : i + size] for i in range(0, len(body), size)]


def at_random(seed: int) -> Cut:
    def cut(body: bytes) -> list[bytes]:
        rng = random.Random(seed)
        pieces, start = [], 0
        while start < len(body):
            stop = start + rng.randint(1, 900)
            pieces.append(body[start:stop])
            start = stop
        return pieces

    return cut


CUTS = {"1": by(1), "7": by(7), "4096": by(4096), "random": at_random(3), "whole": by(1 << 30)}


def compact(*rows: dict[str, Any]) -> bytes:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode()


def call(ref: str, seconds: int, **changes: str) -> dict[str, Any]:
    row = with_(CALL, callRef=ref, **changes)
    for key in ("ringTime", "queueDuration", "bridgeDuration", "callDuration"):
        row.pop(key)  # the durations last, as the service writes them
    row.update(ringTime="0", queueDuration=str(52 + seconds), bridgeDuration="0")
    row["callDuration"] = str(62 + seconds)
    return row


def calls_poll(seconds: int, refs: list[str], **changed: dict[str, str]) -> bytes:
    return compact(*(call(ref, seconds, **changed.get(ref, {})) for ref in refs))


@dataclass
class Pieces:
    """A mock upstream serving each body in the pieces ``cut`` makes of it."""

    cut: Cut
    body: bytes = b""
    content_type: str = "application/x-ndjson"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        pieces = self.cut(self.body)

        async def stream() -> AsyncIterator[bytes]:
            for piece in pieces:
                yield piece

        return httpx.Response(200, content=stream(), headers={"Content-Type": self.content_type})


def mock_client(upstream: Pieces, **kwargs: Any) -> InfinityClient:
    return InfinityClient(
        igrp=1234,
        credentials=Credentials(username="sup@example.com", password=a_password()),
        http=httpx.AsyncClient(transport=httpx.MockTransport(upstream)),
        now=lambda: FETCHED_AT,
        **kwargs,
    )


def seen(result: FetchResult[Any], shown: datetime | None = None) -> tuple[Any, ...]:
    """What a poll shows: its rows (a call's durations brought forward to the upstream's
    "now", as the screens show them: a row held from the last body keeps the durations
    it was read with; an unchanged poll's snapshot keeps the "now" ``shown`` before),
    its counts, that "now", whether it was unchanged."""
    now = shown if result.unchanged else result.server_now
    return (
        [ticked(row, now) if isinstance(row, ActiveCall) else row for row in result.rows],
        result.unreadable,
        result.duplicates,
        result.server_now,
        result.unchanged,
    )


async def outcomes(
    bodies: list[bytes], cut: Cut, *, users: bool = False
) -> list[tuple[Any, ...] | str]:
    """What a client makes of each body in turn, served in pieces: its result, or the
    words of the error it raised."""
    upstream = Pieces(cut)
    out: list[tuple[Any, ...] | str] = []
    shown: datetime | None = None
    async with mock_client(upstream) as client:
        for body in bodies:
            upstream.body = body
            try:
                result = await (client.user_status() if users else client.active_calls())
            except errors.ApiError as exc:
                out.append(f"{type(exc).__name__}: {exc}")
                continue
            out.append(seen(result, shown))
            shown = shown if result.unchanged else result.server_now
    return out


async def whole_and_streamed(
    streamed: Callable[[bool], None], bodies: list[bytes], cut: Cut, users: bool = False
) -> tuple[list[Any], list[Any]]:
    streamed(False)
    whole = await outcomes(bodies, CUTS["whole"], users=users)
    streamed(True)
    return whole, await outcomes(bodies, cut, users=users)
