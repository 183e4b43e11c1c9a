"""An installation's latest state as Redis holds it, read in one go: what a viewer
shows the moment it joins (:class:`~rtdash.hub.subscriber.HubSubscriber`) and what
``rtdash stats --hub`` prints today's totals from, so the two read the hub alike.

The whole hash is read with ``HGETALL``, not the few fields a caller needs: a viewer's
read-only Redis user is granted ``HGETALL`` (and ``TIME``), and nothing narrower.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError

from rtdash.hub import codec
from rtdash.hub.connect import connector, setup_mistake, unreachable
from rtdash.hub.keys import HubKeys


@dataclass(frozen=True, slots=True)
class Latest:
    """The latest-state hash of one installation, and how long ago a hub wrote it."""

    #: whole frames by field (``calls``, ``users``, ``status``, ``service``, ``day``…)
    fields: dict[bytes, bytes]
    #: seconds since a hub last published for the installation, on Redis's clock (the
    #: hub's and the reader's clocks may disagree); None: no hub ever has
    quiet: float | None

    def service(self) -> codec.Frame | None:
        """The day state the screens show, and the hub's wall clock when it was
        published (``at``); None when the hub has counted no calls poll yet."""
        raw = self.fields.get(b"service")
        return None if raw is None else codec.decode(raw)

    def day(self) -> codec.Frame | None:
        """The whole day state, kept for a next leader, with its wall clock: the
        recent windows are read from it, as its minutes of the last hour are there
        whichever version of the hub wrote it. The screens' state when it is not."""
        raw = self.fields.get(b"day")
        return self.service() if raw is None else codec.decode(raw)

    def interval(self) -> float | None:
        """The hub's poll interval, as its last status said it."""
        raw = self.fields.get(b"status")
        if raw is None:
            return None
        status = codec.decode(raw).status
        return None if status is None else status.interval


async def read_latest(redis: Any, keys: HubKeys) -> Latest:
    latest: dict[bytes, bytes] = await redis.hgetall(keys.latest)
    seconds, micros = await redis.time()
    redis_now_ms = int(seconds) * 1000 + int(micros) // 1000
    beat = latest.get(b"beat")
    quiet = None if beat is None else max(0.0, (redis_now_ms - int(beat)) / 1000)
    return Latest(latest, quiet)


class HubUnreachable(Exception):
    """Redis could not be reached or answered with an error; the message names its
    host and port only (the hub's URL may hold a password)."""


class HubMisconfigured(HubUnreachable):
    """The hub's URL does not fit its Redis: the message is what to fix, and is said
    without "hub unreachable" (no retry would reach it)."""


def read_installations(url: str, prefix: str, igrps: list[int]) -> dict[int, Latest]:
    """Each installation's latest state, read once over one connection: for a command
    that prints and exits, with no subscription and no retry (a viewer's backoff is for
    a screen that stays up)."""
    return asyncio.run(_read_installations(url, prefix, igrps))


async def _read_installations(url: str, prefix: str, igrps: list[int]) -> dict[int, Latest]:
    redis = connector(url)()
    try:
        return {igrp: await read_latest(redis, HubKeys(prefix, igrp)) for igrp in igrps}
    except (RedisError, OSError) as exc:
        mistake = setup_mistake(redis, exc)
        if mistake is not None:
            raise HubMisconfigured(mistake) from None
        raise HubUnreachable(unreachable(redis, exc, lost=False)) from None
    finally:
        with contextlib.suppress(Exception):
            await redis.aclose()
