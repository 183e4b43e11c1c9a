"""The figures that shape the simulated day: durations (whole model seconds) and shares.

Kept apart from the centre so they can be read and tuned in one place; the centre draws
its random durations between these bounds.
"""

from __future__ import annotations

import math

# --- timing constants (model seconds) ---------------------------------------------------
RING_MIN, RING_MAX = 3, 20
RING_ABANDON_P = 0.04
GREETING_MIN, GREETING_MAX = 0, 6
PATIENCE_MEAN, PATIENCE_MIN = 150.0, 10
TALK_MEDIAN, TALK_SIGMA, TALK_MIN, TALK_MAX = 150.0, 0.6, 30, 600
WRAP_MIN, WRAP_MAX = 5, 30
BREAK_EVERY_MEAN = 3600.0
BREAK_MIN, BREAK_MAX = 180, 720
BACKOFFICE_TOGGLE_MEAN = 1200.0
ANONYMOUS_P = 0.07
RETURNING_P = 0.15
BACKOFFICE_SHARE = 0.12


def _talk_mean() -> float:
    """Mean of the clipped log-normal talk time, by numeric integration (done once)."""
    mu, s = math.log(TALK_MEDIAN), TALK_SIGMA
    total, steps = 0.0, 2000
    lo, hi = -6.0, 6.0
    for i in range(steps):
        z = lo + (hi - lo) * (i + 0.5) / steps
        x = min(max(math.exp(mu + s * z), TALK_MIN), TALK_MAX)
        total += x * math.exp(-z * z / 2)
    return total * (hi - lo) / steps / math.sqrt(2 * math.pi)


TALK_MEAN = _talk_mean()
