"""Today's service level of one installation: call outcomes, service metrics and agent
time, kept up from the live feed.

:class:`ServiceLevel` is one more consumer of the feed: it takes each calls and users
snapshot (the :class:`~rtdash.core.source.SnapshotSink` methods, or
:meth:`~ServiceLevel.observe_calls` / :meth:`~ServiceLevel.observe_users`), and an
``unchanged`` snapshot costs it nothing. Its whole state is a plain dict
(:meth:`~ServiceLevel.to_dict`), so it can be saved, restored after a restart the same
day, or handed to another process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall
from rtdash.core.feed import FeedConsumer
from rtdash.core.outcomes import Abandoned, Event, OutcomeTracker, Unknown
from rtdash.core.service_metrics import (
    DEFAULT_SHORT_ABANDON,
    DEFAULT_SL_SECONDS,
    AgentStats,
    ServiceMetrics,
    ServiceReport,
)

if TYPE_CHECKING:
    from rtdash.api.models import PbxUser
    from rtdash.core.feed import LiveFeed
    from rtdash.core.poller_status import PollerStatus

from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

STATE_VERSION = 1
#: a restart longer than this is shown as a gap ("not watching 09:12–09:15")
RESTART_GAP_SECONDS = 5.0
#: the outcomes the unanswered listeners hear of
_UNANSWERED = (Abandoned, Unknown)


class ServiceLevel(FeedConsumer):
    """Subscribed to an installation's :class:`~rtdash.core.feed.LiveFeed`, it sees
    every snapshot (unchanged ones too: they are what times an abandon); a screen
    reaches it with ``feed.find(ServiceLevel)``."""

    def __init__(
        self,
        zone: ZoneInfo,
        *,
        sl_seconds: float = DEFAULT_SL_SECONDS,
        short_abandon: float = DEFAULT_SHORT_ABANDON,
    ) -> None:
        self.zone = zone
        self.metrics = ServiceMetrics(zone, sl_seconds=sl_seconds, short_abandon=short_abandon)
        self.tracker = OutcomeTracker(emit_all=self._on_events)
        self.agents = AgentTime()
        #: called with each call that vanished unanswered (abandoned, or gone unseen in a
        #: gap) as it is counted: the optional confirmation listens
        self.unanswered_listeners: list[Callable[[Abandoned | Unknown], None]] = []
        #: something changed since the state was last saved
        self.dirty = False
        self._users: tuple[PbxUser, ...] = ()
        #: their snapshot's token and count of distinct rows, and their ids when the
        #: snapshot did not hand its changes on (its own set, see UsersSnapshot.user_ids)
        self._users_token: object | None = None
        self._user_count: int | None = None
        self._user_ids: set[int] | None = None
        #: who is on a bridged call, from the latest changed calls poll
        self._on_call = OnCall()
        self._agents_at: float | None = None
        self._restored_at: float | None = None

    # --- the sink protocol -----------------------------------------------------------

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        self.observe_calls(snapshot)

    def on_users(self, snapshot: UsersSnapshot) -> None:
        self.observe_users(snapshot)

    def on_status(self, status: PollerStatus) -> None:
        """Health says nothing about outcomes: a gap shows as the time between polls."""

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        if isinstance(snapshot, CallsSnapshot):
            self.observe_calls(snapshot)
        else:
            self.observe_users(snapshot)

    # --- observing --------------------------------------------------------------------

    def observe_calls(self, snapshot: CallsSnapshot) -> None:
        tracker = self.tracker
        local = snapshot.fetched_at.timestamp()
        if not snapshot.unchanged:
            # this poll's own offset before its time is taken (the tracker measures the
            # same again): on the offset of the poll before, the first poll would be
            # timed on our clock, and an upstream clock behind ours would then hold
            # ``metrics.now`` (which never goes back) until it caught up
            tracker.timeline.measure(snapshot, snapshot.groups, local)
        now = local + tracker.timeline.skew
        self._advance(now)
        gaps = len(tracker.timeline.gaps)
        tracker.observe_calls(snapshot)
        for start, end in tracker.timeline.gaps[gaps:]:
            self.metrics.add_gap(start, end)
        if self._restored_at is not None:
            restored, self._restored_at = self._restored_at, None
            if now - restored > RESTART_GAP_SECONDS and len(tracker.timeline.gaps) == gaps:
                self.metrics.add_gap(restored, now)
            self.agents.resume(now)
        if not snapshot.unchanged:
            self.dirty = True
            self._on_call = snapshot.on_call()
            self._time_agents(now)

    def observe_users(self, snapshot: UsersSnapshot) -> None:
        if snapshot.unchanged:
            return
        # the users new and gone since those the clocks looked at last, if the snapshot
        # found them as it was built on those
        handed = snapshot.changes_since(self.agents.looked_at)
        # the snapshot's set of ids only when there are users to compare with: asked for
        # on the first poll, the snapshot would hold it for nothing until the next
        first = not self._users
        self._users, self._users_token = snapshot.users, snapshot.token
        self._user_ids = snapshot.user_ids() if handed is None and not first else None
        self._user_count = snapshot.distinct()
        if self._restored_at is not None or self.tracker.timeline.last_poll is None:
            # agents' clocks start (or resume, after a restart) with the first calls
            # poll: only a calls body tells the upstream's clock, and a time taken on
            # ours would hold the day's clock ahead of an upstream that is behind
            return
        now = snapshot.fetched_at.timestamp() + self.tracker.timeline.skew
        self._advance(now)
        self._time_agents(now, handed)
        self.dirty = True

    def _advance(self, now: float) -> None:
        first_watch = self.metrics.day_start is None
        if self.metrics.advance(now) and self.metrics.day_start is not None:
            self.agents.new_day(self.metrics.day_start)
            self.dirty = True
        day_start = self.metrics.day_start
        if first_watch and day_start is not None and now - day_start > RESTART_GAP_SECONDS:
            # today's totals count from here, not from midnight: the part of the day
            # before is unwatched as a restart's is, and said and saved as one of the
            # day's gaps (so a restart later today keeps it, in the format it had)
            self.metrics.add_gap(day_start, now)

    def _time_agents(
        self, now: float, handed: tuple[list[PbxUser], list[PbxUser]] | None = None
    ) -> None:
        if not self._users:
            return
        since = self._agents_at if self._agents_at is not None else now
        self.agents.observe(
            self._users,
            self._on_call,
            now,
            since,
            self._user_ids,
            handed,
            token=self._users_token,
            distinct=self._user_count,
        )
        self._agents_at = now

    def _on_events(self, events: list[Event]) -> None:
        """A poll's outcomes, counted together, then each unanswered one told."""
        self.metrics.handle_all(events)
        listeners = self.unanswered_listeners
        if listeners:
            for event in events:
                if isinstance(event, _UNANSWERED):
                    for listener in listeners:
                        listener(event)

    # --- corrections ------------------------------------------------------------------

    def correct(self, wrong: Event, right: Event) -> None:
        """Replace an outcome already counted (the confirmation found the truth)."""
        self.metrics.unhandle(wrong)
        self.metrics.handle(right)
        self.dirty = True

    def count(self, event: Event) -> None:
        """Count an outcome the polls could not see (a confirmed call's talk)."""
        self.metrics.handle(event)
        self.dirty = True

    # --- reading ----------------------------------------------------------------------

    def report(self, window: str = "today") -> ServiceReport:
        now = self.metrics.now or 0.0
        answered = self.metrics.period(window)[0].agents
        times = self.agents.totals(now) if window == "today" else {}
        keys = sorted(set(answered) | set(times))
        agents = tuple(
            AgentStats(
                key=key,
                name=times[key][0] if key in times else key,
                answered=answered.get(key, 0),
                on_call=times[key][1]["call"] if key in times else 0.0,
                available=times[key][1]["available"] if key in times else 0.0,
                away=times[key][1]["away"] if key in times else 0.0,
            )
            for key in keys
        )
        return self.metrics.report(window, agents)

    def left_call(self, key: str) -> float | None:
        """When the agent keyed ``key`` last went on or off a call, as today's state
        knows it (for a screen that did not see it: ShownStarts.earlier), on our clock
        as the screen's own times are (the clocks keep the upstream's)."""
        left = self.agents.left_call(key)
        return None if left is None else left - self.tracker.timeline.skew

    # --- state ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        now = self.metrics.now or 0.0
        return {
            "version": STATE_VERSION,
            "zone": self.zone.key,
            "sl_seconds": self.metrics.sl_seconds,
            "short_abandon": self.metrics.short_abandon,
            "saved_at": now,
            "tracker": self.tracker.to_dict(),
            "metrics": self.metrics.to_dict(),
            "agents": self.agents.to_dict(now),
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> ServiceLevel:
        """A service level carrying on from :meth:`to_dict`'s state, with its zone and
        thresholds (another process's, or yesterday's file read by ``rtdash stats``)."""
        service = cls(
            ZoneInfo(str(state.get("zone") or "UTC")),
            sl_seconds=float(state.get("sl_seconds") or DEFAULT_SL_SECONDS),
            short_abandon=float(state.get("short_abandon") or DEFAULT_SHORT_ABANDON),
        )
        service.restore(state)
        return service

    def restore(self, state: dict[str, Any]) -> None:
        """Continue from a saved state of the same day: the totals go on, and the time
        until the next poll is marked as not watched."""
        if state.get("version") != STATE_VERSION:
            raise ValueError("saved service state of an unknown version")
        self.metrics.restore(state.get("metrics", {}))
        self.tracker.restore(state.get("tracker", {}))
        self.agents.restore(state.get("agents", {}))
        saved = state.get("saved_at")
        self._restored_at = float(saved) if saved is not None else None
        if self._restored_at is not None:
            # the clocks stopped when the state was saved (the day file keeps them
            # running, :meth:`AgentTime.kept`; :meth:`to_dict` stopped them already)
            self.agents.stop(self._restored_at)
        self.dirty = False
