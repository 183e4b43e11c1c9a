"""What a hub viewer says is wrong between it and the hub, and what to do about it.

Kept apart from :class:`~rtdash.hub.subscriber.HubSubscriber`, which moves the frames,
so that the words a screen shows for the hub's troubles live in one place. The cases
are told apart because each asks something different of whoever reads them:

- *waiting for a hub*: no hub has ever published the installation (none started yet,
  or one without it in its config): said from the start, not after the intervals a
  hub that stopped is given;
- *no poller publishing*: a hub that did publish has gone quiet: its process is what
  to look at;
- *hub unreachable*: an outage, said with the wait before the next try;
- *hub misconfigured*: the hub's URL does not fit its Redis (a password, a database,
  TLS): tried again now and then, so a Redis put right is picked up, but never said as
  an outage about to pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rtdash.hub.keys import HubKeys

UNREACHABLE = "hub unreachable"
MISCONFIGURED = "hub misconfigured"
NOBODY = "no poller publishing"
WAITING = "waiting for a hub"
#: the question a hub gone quiet puts to whoever reads the screen: a hub that stopped
#: publishing is, most often, a hub process that stopped
ASK = "is `rtdash hub` running?"


@dataclass(slots=True)
class Trouble:
    """The viewer's trouble with the hub now: the status line's word and its cause."""

    #: until Redis has answered, no hub is known to publish anything
    problem: str = WAITING
    detail: str = ""
    #: loop time of the next try while unreachable, for the wait the line counts down
    retry_at: float | None = None

    @property
    def cut_off(self) -> bool:
        """Redis cannot be read: whether a hub publishes is not known."""
        return self.problem in (UNREACHABLE, MISCONFIGURED)

    def failed(self, detail: str, retry_at: float, *, mistake: bool) -> None:
        self.problem = MISCONFIGURED if mistake else UNREACHABLE
        self.detail = detail
        self.retry_at = retry_at

    def connected(self) -> None:
        """Redis answered: what it says of the hub is judged next (:meth:`judge`)."""
        if self.cut_off:
            self.problem = self.detail = ""
        self.retry_at = None

    def retry_now(self) -> None:
        self.retry_at = None

    def heard(self) -> None:
        """A frame came: a hub is publishing."""
        if self.problem in (NOBODY, WAITING):
            self.problem = self.detail = ""

    def judge(self, keys: HubKeys, *, published: bool, quiet: float, stale_after: float) -> None:
        """Whether a hub publishes: ``published``, whether one ever did; ``quiet``,
        seconds since the last frame."""
        if self.cut_off:
            return
        if not published:
            self.problem = WAITING
            self.detail = f"no hub publishes installation {keys.igrp} under prefix {keys.prefix!r}"
        elif quiet > stale_after:
            self.problem = NOBODY
            self.detail = f"nothing from the hub for {int(quiet)} s: {ASK}"
        elif self.problem in (NOBODY, WAITING):
            self.problem = self.detail = ""

    def words(self, now: float) -> tuple[str, str]:
        """The status line's word and cause; an outage's cause ends with the wait."""
        if self.problem != UNREACHABLE or self.retry_at is None:
            return self.problem, self.detail
        again = f"reconnecting in {max(0, math.ceil(self.retry_at - now))} s"
        return self.problem, f"{self.detail}; {again}" if self.detail else again
