"""What the outcome tracker infers of each call: offered, then answered, abandoned, or
unknown (it vanished while nobody watched). The service metrics count these, the
confirmer corrects them, and a recording or the hub carries them: they are plain,
frozen data with the upstream's times (epoch seconds).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Offered:
    ref: str
    queue: str
    at: float


@dataclass(frozen=True, slots=True)
class Answered:
    ref: str
    queue: str
    at: float
    #: seconds from the start of the wait to the answer; None when not known (a call
    #: first seen already bridged, whose row does not say when)
    wait: float | None
    agent: str


@dataclass(frozen=True, slots=True)
class Abandoned:
    ref: str
    queue: str
    at: float
    #: how long the caller held on before hanging up
    held: float


@dataclass(frozen=True, slots=True)
class Unknown:
    """A call that vanished unbridged while nobody was watching (a gap in the polls):
    it may have been answered and finished unseen, so it is counted as neither."""

    ref: str
    queue: str
    at: float
    held: float


Event = Offered | Answered | Abandoned | Unknown
