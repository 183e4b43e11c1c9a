"""How long a poll waits: the backoff of a failing route and the bounds of the interval.

Pure arithmetic, apart from the poller's loop, so that it is tested without one.
"""

from __future__ import annotations

import random

from rtdash.api.http_errors import MAX_RETRY_AFTER
from rtdash.constants import MAX_INTERVAL, MIN_INTERVAL


def backoff_delay(
    failures: int,
    interval: float,
    max_backoff: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds before the next try after ``failures`` failures in a row.

    Doubles from the interval, with ±20 % jitter so many wallboards behind one proxy do
    not retry in step, capped at ``max_backoff``; a ``Retry-After`` is a floor.
    """
    rng = rng or random.Random()
    # 2**32 intervals is past any cap; ~1025 doublings would overflow a float
    base: float = interval * 2.0 ** min(max(0, failures - 1), 32)
    delay = base * rng.uniform(0.8, 1.2)
    if delay > max_backoff:
        # at the cap, keep spreading the retries (below it) so clients stay out of step
        delay = max_backoff * rng.uniform(0.8, 1.0)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def clamp_interval(seconds: float) -> float:
    return min(MAX_INTERVAL, max(MIN_INTERVAL, float(seconds)))
