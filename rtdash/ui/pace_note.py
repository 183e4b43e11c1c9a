"""What ``+`` and ``-`` do to an installation's poll interval, and the words the status
line answers them with.

The note shares an 80-column line with the demo's badge, the connection's words and
the data's age, so it says only what the line does not already: a pace the headline
shows ("live (every 30 s)") is not said again. Apart from the screen so the words are
read, and tested, without one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rtdash.constants import INTERVAL_STEPS
from rtdash.core.poller import clamp_interval
from rtdash.ui.widgets.view_options import LiveSource

__all__ = ["PaceStep", "pace_note", "step_interval"]


@dataclass(frozen=True, slots=True)
class PaceStep:
    """What one press did to a source's poll interval."""

    #: the interval after the press, in seconds
    interval: float
    #: +1 slower, -1 faster
    direction: int
    #: the key was at its end and nothing moved: the note says so, since a key that
    #: does nothing must still answer
    at_limit: bool

    @property
    def pace(self) -> str:
        return f"every {self.interval:g} s"


def step_interval(poller: LiveSource, direction: int) -> PaceStep:
    """Move ``poller`` one step of :data:`INTERVAL_STEPS` slower (+1) or faster (-1).

    An interval configured beyond the steps (say 120 s) is never moved the wrong way:
    ``-`` from there is the limit, not a jump to 60 s."""
    current = poller.interval
    if direction > 0:
        target = next((step for step in INTERVAL_STEPS if step > current), None)
        limit = max(current, INTERVAL_STEPS[-1])
    else:
        target = next((step for step in reversed(INTERVAL_STEPS) if step < current), None)
        limit = min(current, INTERVAL_STEPS[0])
    if target is None:
        return PaceStep(limit, direction, at_limit=True)
    return PaceStep(poller.set_interval(clamp_interval(target)), direction, at_limit=False)


def pace_note(step: PaceStep, *, whose: str = "", said: bool = False) -> str:
    """The status line's answer to a press.

    ``whose``: with several installations, whose pace this is ("this tab", or "all
    tabs" when back in step with the others), said last; with one, "". ``said``: the
    line's headline already shows this pace, so the note says which way it went
    instead (at 10 s and slower, "live (every 10 s)" and then "every 10 s (this tab)"
    did not fit 80 columns beside the demo's badge)."""
    limit = ("slowest" if step.direction > 0 else "fastest") if step.at_limit else ""
    if said:
        words = limit or ("slower" if step.direction > 0 else "faster")
    elif limit and whose:
        # without "every": a paused line's "(not updating)" leaves no room for it
        words = f"{limit}: {step.interval:g} s"
    elif limit:
        words = f"{limit}: {step.pace}"
    else:
        words = step.pace if whose else f"polling {step.pace}"
    return f"{words} ({whose})" if whose else words
