"""Today's service level wired into an installation's live feed.

:func:`attach_service` subscribes a :class:`~rtdash.core.service.ServiceLevel` to a
:class:`~rtdash.core.feed.LiveFeed` (a screen finds it with
``feed.find(ServiceLevel)``), restores today's totals from the day state, and adds to
the feed's tasks the saver and, with ``confirm_outcomes``, the confirmer: whoever runs
the feed's source runs them beside it. Saving never blocks the loop that feeds the
service: the state is taken there (a dict, cheap), and written by a thread.

SL % and abandons join the feed's breaches (:attr:`AlertTracker.sources`), so their
alerts flash and ring like the others, and stale data raises none. Only the tiles the
configuration shows (``wallboard_tiles``) can breach: a number nobody chose to watch
rings no bell and puts no installation in alert.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rtdash.core.agent_time import AgentTime
from rtdash.core.daystate import SAVE_EVERY, DayStore, demo_key, state_key, state_path
from rtdash.core.feed import FeedConsumer
from rtdash.core.service import STATE_VERSION, ServiceLevel
from rtdash.core.service_tiles import (
    WINDOW_TILES,
    ServiceThresholds,
    Tile,
    counted,
    service_tiles,
)
from rtdash.core.thresholds import Level

if TYPE_CHECKING:
    from rtdash.api.models import CallerDetails
    from rtdash.core.confirm import OutcomeConfirmer
    from rtdash.core.feed import LiveFeed
    from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

log = logging.getLogger(__name__)

#: the tiles that can breach (and so flash and ring): SL % (today's and the recent
#: windows') and abandons
ALERTING = ("sl", "abandoned", "abandon_percent", *WINDOW_TILES)
DEFAULT_TILES = ("sl", "answered", "abandoned")
#: a tile's text before the first calls poll
NOT_YET = "–"


@dataclass(frozen=True, slots=True)
class ServiceOptions:
    """``[service]`` of the config, as the feed needs it."""

    sl_seconds: float = 20
    short_abandon: float = 5
    thresholds: ServiceThresholds = field(default_factory=ServiceThresholds)
    confirm_outcomes: bool = False
    persist: bool = True
    wallboard_tiles: tuple[str, ...] = DEFAULT_TILES

    @classmethod
    def from_settings(cls, settings: object) -> ServiceOptions:
        return cls(
            sl_seconds=float(getattr(settings, "sl_seconds", 20)),
            short_abandon=float(getattr(settings, "short_abandon", 5)),
            thresholds=ServiceThresholds.from_settings(settings),
            confirm_outcomes=bool(getattr(settings, "confirm_outcomes", False)),
            persist=bool(getattr(settings, "persist", True)),
            wallboard_tiles=tuple(getattr(settings, "wallboard_tiles", DEFAULT_TILES)),
        )


class ServiceKeeper(FeedConsumer):
    """One installation's service level, its store and its confirmer. Subscribed too
    (it hears nothing), so a screen finds the tiles with ``feed.find(ServiceKeeper)``
    as it finds the numbers with ``feed.find(ServiceLevel)``."""

    def __init__(
        self,
        service: ServiceLevel,
        options: ServiceOptions,
        store: DayStore | None = None,
        *,
        every: float = SAVE_EVERY,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.service = service
        self.options = options
        self.store = store
        self.every = every
        self.confirmer: OutcomeConfirmer | None = None
        self._sleep = sleep

    def tiles(self, keys: tuple[str, ...] | list[str] | None = None) -> tuple[Tile, ...]:
        """Today's tiles for the installation (``keys``: the config's by default)."""
        metrics = self.service.metrics
        total = metrics.total("today")
        chosen = self.options.wallboard_tiles if keys is None else keys
        # a window's totals merge its minutes: only for a tile that shows them
        windows = {w: metrics.total(w) for key, w in WINDOW_TILES.items() if key in chosen}
        tiles = service_tiles(total, chosen, self.options.thresholds, self.sl_seconds, windows)
        if self.service.metrics.now is None:
            # no calls poll yet: a 0 would read as a measured day without abandons
            tiles = tuple(replace(tile, text=NOT_YET, value=None) for tile in tiles)
        return tiles

    @property
    def sl_seconds(self) -> float:
        return self.service.metrics.sl_seconds

    def levels(self) -> dict[str, Level]:
        """SL % and abandons at their levels, for the feed's breaches: those of the
        configured tiles only."""
        chosen = self.options.wallboard_tiles
        keys = [key for key in ALERTING if key in chosen]
        return {tile.key: tile.level for tile in self.tiles(keys)} if keys else {}

    def recorded_totals(self) -> dict[str, Any] | None:
        """What ``--record`` keeps of today: the installation's totals and SL seconds;
        None before anything was counted (or, on a hub, before the hub's state came),
        which a replay would show as a day of nought abandons."""
        if self.service.metrics.now is None:
            return None
        report = self.service.report("today")
        return {
            "sl_seconds": report.sl_seconds,
            "since": report.since.isoformat(),
            "total": asdict(report.total),
        }

    def follow(self, state: dict[str, Any]) -> None:
        """Show ``state`` (another process's :meth:`ServiceLevel.to_dict`, the hub's),
        replacing what this service held: its owner counts the day, this one shows it."""
        try:
            if isinstance(self.service, FollowedServiceLevel):
                self.service.follow(state)
            else:
                self.service.restore(state)
            # counted by the owner's rules: every screen shows the same SL %
            metrics = self.service.metrics
            metrics.sl_seconds = float(state.get("sl_seconds") or metrics.sl_seconds)
            metrics.short_abandon = float(state.get("short_abandon") or metrics.short_abandon)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("today's service state from the hub not shown: %s", exc)

    def counted(self) -> int:
        return counted(self.service.metrics.total("today"))

    # --- saving -----------------------------------------------------------------------

    async def run_saver(self) -> None:
        """Every few seconds: take the state here, write it on a thread. Each save
        encodes what changed since the last; before the first (and after a restore),
        every call and clock is read here and encoded on a thread."""
        if self.store is None:
            return
        while True:
            await self._sleep(self.every)
            parts = self.store.parts
            if parts.stale(self.service):
                # no name for the encoder: it holds every call's and clock's fields as
                # read, and a local here would keep them for the rest of the run
                parts.install(self.service, await asyncio.to_thread(parts.begin(self.service)))
            await self.save()

    async def save(self, *, force: bool = False) -> bool:
        if self.store is None:
            return False
        state = self.store.due(self.service, force=force)
        if state is None:
            return False
        elsewhere = self.store.saved_elsewhere
        wrote = await asyncio.to_thread(self.store.write, state)
        if not wrote and self.store.error:
            log.warning("%s", self.store.error)
        if self.store.saved_elsewhere and not elsewhere:
            log.info(
                "another rtdash on this machine saves today's totals to %s: this one "
                "keeps its own in memory, and saves once that one stops",
                self.store.path,
            )
        return wrote

    def close(self) -> None:
        """On the way out: the last totals, written now (the loop is stopping anyway)."""
        if self.store is not None:
            state = self.store.due(self.service, force=True)
            if state is not None:
                self.store.write(state)
        if self.confirmer is not None:
            self.confirmer.stop()


def attach_service(
    feed: LiveFeed,
    options: ServiceOptions,
    *,
    zone: ZoneInfo,
    base_url: str,
    igrp: int,
    demo: bool = False,
    lookup: Callable[[str], Awaitable[CallerDetails | None]] | None = None,
    notice: Callable[[str], None] = lambda line: None,
    folder: Path | None = None,
    now: float | None = None,
) -> ServiceKeeper:
    """Subscribe today's service level to ``feed``: restored from the day state (never
    for the demo, whose totals are written under :func:`demo_key` only), saved by a
    task of the feed, confirmed through ``lookup`` when ``confirm_outcomes`` is on.
    The feed's trend is saved and restored with it, so a restart draws the last hour.

    A source that owns the day's state (the hub's subscriber: ``owns_day_state``) hands
    it over whole instead: the service then follows it and infers, saves and confirms
    nothing itself, so every screen on the hub shows the hub's totals, from the moment
    it joins."""
    owner = _day_owner(feed)
    if owner is not None:
        followed = FollowedServiceLevel(
            zone, sl_seconds=options.sl_seconds, short_abandon=options.short_abandon
        )
        keeper = ServiceKeeper(followed, options)
        owner.on_service = keeper.follow
        feed.starts.earlier = followed.left_call
        feed.subscribe(followed)
        feed.subscribe(keeper)
        feed.alerts.sources.append(keeper.levels)
        return keeper
    service = ServiceLevel(zone, sl_seconds=options.sl_seconds, short_abandon=options.short_abandon)
    store: DayStore | None = None
    if options.persist:
        key = demo_key(igrp) if demo else state_key(base_url, igrp)
        store = DayStore(state_path(key, folder), trend=feed.history)
        if not demo:
            # the feed's clock: the one its snapshots, and so the day and trend, are on
            store.load(service, feed.options.clock.now().timestamp() if now is None else now)
    keeper = ServiceKeeper(service, options, store)
    feed.starts.earlier = service.left_call
    feed.subscribe(service)
    feed.subscribe(keeper)
    feed.alerts.sources.append(keeper.levels)
    if store is not None:
        feed.tasks.append(keeper.run_saver)
    if options.confirm_outcomes and lookup is not None:
        from rtdash.core.confirm import OutcomeConfirmer

        keeper.confirmer = OutcomeConfirmer(service, lookup, notice=notice)
        feed.tasks.append(keeper.confirmer.run)
    return keeper


class FollowedServiceLevel(ServiceLevel):
    """A service level that shows another's state (:meth:`ServiceKeeper.follow`) and
    counts nothing from the snapshots it is given.

    The owner sends its state after every calls poll, whole. Following it costs what
    changed, not the day: the counters that moved are built again (:meth:`follow`), and
    the agents' time, which moves on every time but which only an export or the queues
    screen reads, is built when it is read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._agent_state: dict[str, Any] | None = None
        super().__init__(*args, **kwargs)
        #: the state followed last (what this service level now holds)
        self._held: dict[str, Any] = {}

    @property
    def agents(self) -> AgentTime:
        pending = self._agent_state
        if pending is not None:
            self._agent_state = None
            self._agents.restore(pending)
        return self._agents

    @agents.setter
    def agents(self, value: AgentTime) -> None:
        self._agents = value
        self._agent_state = None

    def follow(self, state: dict[str, Any]) -> None:
        """Show ``state`` (the owner's :meth:`~ServiceLevel.to_dict`): as
        :meth:`~ServiceLevel.restore` would, building again only what changed."""
        if state.get("version") != STATE_VERSION:
            raise ValueError("saved service state of an unknown version")
        held, self._held = self._held, {}  # a state half taken: the next is taken whole
        metrics = state.get("metrics", {})
        if held:
            self.metrics.follow(metrics, held.get("metrics", {}))
        else:
            self.metrics.restore(metrics)
        tracker = state.get("tracker", {})
        if not held or tracker != held.get("tracker", {}):
            self.tracker.restore(tracker)
        agents = state.get("agents", {})
        if not held or agents != held.get("agents", {}):
            self._agent_state = agents
        saved = state.get("saved_at")
        self._restored_at = float(saved) if saved is not None else None
        self.dirty = False
        self._held = state

    def restore(self, state: dict[str, Any]) -> None:
        self._held = {}
        super().restore(state)

    def left_call(self, key: str) -> float | None:
        """Read from the state followed, as it came: asking must not build every
        agent's clock again after each calls poll (see :attr:`agents`). On the
        upstream's clock, as the PBX's own state starts are: the hub does not publish
        its offset to it, and a viewer's clock is not the hub's anyway."""
        followed = self._held.get("agents")
        if not isinstance(followed, dict):  # restored, not followed
            return super().left_call(key)
        kept = followed.get(key)
        if isinstance(kept, list) and len(kept) > 4 and isinstance(kept[4], int | float):
            return float(kept[4])
        return None

    def observe_calls(self, snapshot: CallsSnapshot) -> None:
        """The owner of the day's state counted this snapshot already."""

    def observe_users(self, snapshot: UsersSnapshot) -> None:
        """The owner of the day's state counted this snapshot already."""


def _day_owner(feed: LiveFeed) -> Any:
    """The feed's source when it owns the day's service state, else None."""
    try:
        source = feed.source
    except RuntimeError:
        return None
    return source if getattr(source, "owns_day_state", False) else None
