"""What the outcome tracker infers of each call: offered, then answered, abandoned, or
unknown (it vanished while nobody watched); an answered call that ends was talked. The
service metrics count these, the confirmer corrects them, and a recording or the hub
carries them: they are plain, frozen data with the upstream's times (epoch seconds).
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


@dataclass(frozen=True, slots=True)
class Talked:
    """An answered call that ended: how long it was talked, from its answer to its end.
    Talk, not handle time: the wrap-up after the call never shows in the feed."""

    ref: str
    queue: str
    #: when it ended (the same halfway estimate as an abandon's end)
    at: float
    talk: float


Event = Offered | Answered | Abandoned | Unknown | Talked
