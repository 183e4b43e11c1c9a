"""Each agent's day: time on a call, available, and away.

What an agent is doing is :func:`rtdash.core.agents.agent_state`'s answer, the one the
wallboard, the users panel and the exports give: on a call while they are the agent of
a bridged call, otherwise available or away by their user state. Time is added when an
agent's activity changes (and read up to "now" at any moment), so polls where nothing
changed cost nothing per agent: an agent is looked at only when their row is a new
object (rows are immutable, and a user's row is the same object while it is unchanged)
or their being on a call changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from itertools import compress
from operator import not_
from typing import Any, Literal

from rtdash.api.models import PbxUser
from rtdash.api.untrack import untrack
from rtdash.core.agents import (
    AgentState,
    OnCall,
    agent_state,
    folded,
    index_add,
    index_remove,
)
from rtdash.core.row_order import start_key

#: the saved state's names of the activities (kept: a day's file outlives a release)
Activity = Literal["call", "available", "away"]
ACTIVITIES: tuple[Activity, ...] = ("call", "available", "away")
ACTIVITY_OF: dict[AgentState, Activity] = {
    AgentState.ON_CALL: "call",
    AgentState.AVAILABLE: "available",
    AgentState.AWAY: "away",
}


class _Clock:
    """One agent's clock. The seconds per activity are three slots named as the
    activities (a dict each would be most of what a big centre's clocks hold);
    :attr:`totals` reads and writes them as the mapping they are saved as. Not followed
    by the cyclic garbage collector (:mod:`rtdash.api.untrack`): it holds texts and
    numbers, nothing that could refer back to it."""

    __slots__ = ("activity", "available", "away", "call", "key", "left_call", "name", "since")

    def __init__(self, key: str, name: str, activity: Activity, since: float) -> None:
        self.key = key
        self.name = name
        self.activity: Activity = activity
        self.since = since
        self.call = self.available = self.away = 0.0
        #: when the agent last went on or off a call, at the earliest (the observation
        #: before the one that saw it), None when never seen to: unlike ``since``, a
        #: restart does not move it, so a screen started later still times "away" from
        #: the call's end (:class:`rtdash.core.shown_starts.ShownStarts`)
        self.left_call: float | None = None
        untrack(self)

    @property
    def totals(self) -> _Totals:
        return _Totals(self)

    @totals.setter
    def totals(self, value: Mapping[str, float]) -> None:
        for activity in ACTIVITIES:
            setattr(self, activity, float(value.get(activity, 0.0)))

    def add(self, activity: Activity, seconds: float) -> None:
        setattr(self, activity, getattr(self, activity) + seconds)

    def up_to(self, now: float) -> dict[str, float]:
        """Seconds per activity, the current one counted up to ``now``."""
        totals = {"call": self.call, "available": self.available, "away": self.away}
        totals[self.activity] += max(0.0, now - self.since)
        return totals


class _Totals(MutableMapping[str, float]):
    """A clock's seconds per activity, as a mapping onto its slots."""

    __slots__ = ("_clock",)

    def __init__(self, clock: _Clock) -> None:
        self._clock = clock

    def __getitem__(self, activity: str) -> float:
        if activity not in ACTIVITIES:
            raise KeyError(activity)
        value: float = getattr(self._clock, activity)
        return value

    def __setitem__(self, activity: str, seconds: float) -> None:
        if activity not in ACTIVITIES:
            raise KeyError(activity)
        setattr(self._clock, activity, seconds)

    def __delitem__(self, activity: str) -> None:
        raise TypeError("an agent clock counts every activity")

    def __iter__(self) -> Iterator[str]:
        return iter(ACTIVITIES)

    def __len__(self) -> int:
        return len(ACTIVITIES)


class AgentTime:
    """Today's seconds per activity for every agent seen (dashboard users, and any user
    seen answering a call)."""

    def __init__(self) -> None:
        self.clocks: dict[str, _Clock] = {}
        self.day_start: float | None = None
        #: for a save that writes what changed (:mod:`rtdash.core.daysave`): the keys of
        #: the clocks whose saved form changed since the saver last looked (None: every
        #: clock, and nothing is noted until a saver asks again), and of those made since
        self.changes: set[str] | None = None
        self.created: list[str] = []
        self._forget()

    def _forget(self) -> None:
        """Look at every user at the next observation."""
        #: the users last observed (the snapshot's own tuple, held so their ids stay
        #: theirs), their snapshot's token (see UsersSnapshot.changes_since), their ids
        #: when they were needed (None when the snapshot handed its changes on) and how
        #: many distinct rows they are
        self._users: tuple[PbxUser, ...] = ()
        self._token: object | None = None
        self._ids: set[int] | None = None
        self._distinct = 0
        self._on_call: OnCall | None = None
        #: those users by operator ref, by folded name and by key (how many share it)
        #: (a user alone, or a list when several share the ref or name: most are alone,
        #: and a list each would be most of what a big centre's clocks hold)
        self._by_ref: dict[str, PbxUser | list[PbxUser]] = {}
        self._by_name: dict[str, PbxUser | list[PbxUser]] = {}
        self._keys: dict[str, int] = {}
        #: the last observation looked at every user because some shared a clock: the
        #: next one does too, as a shared clock holds the activity of whichever of them
        #: was looked at last, and the one left when the others go must set it again
        self._shared = False

    @property
    def looked_at(self) -> object | None:
        """The token of the users snapshot observed last (None: not known)."""
        return self._token

    @staticmethod
    def key_of(user: PbxUser) -> str:
        """Calls name their agent by operator ref (or name), so agents are keyed so too."""
        return user.operator_ref or user.display_name or user.user_id

    def observe(
        self,
        users: tuple[PbxUser, ...],
        on_call: OnCall,
        now: float,
        since: float,
        ids: set[int] | None = None,
        handed: tuple[list[PbxUser], list[PbxUser]] | None = None,
        *,
        token: object | None = None,
        distinct: int | None = None,
    ) -> None:
        """Bring every agent's activity up to ``now``; ``since`` is the previous
        observation, the earliest a change seen now can have happened. ``on_call``: who
        is on a bridged call (from the latest calls poll). Only users whose answer can
        have changed are looked at: new row objects, and those whose operator ref or
        name went on or off a call; the rest would be found as they were. ``ids``: the
        users' ids when the snapshot knows them (its own set, shared, never changed);
        ``handed``: the users new and gone since the last observation when the snapshot
        found them (:meth:`~rtdash.core.snapshot.UsersSnapshot.changes_since`), then no
        set of ids is needed; ``token`` and ``distinct``: the snapshot's token and
        count of distinct rows, when known."""
        held, previous = self._ids, self._users
        new: list[PbxUser]
        gone: list[PbxUser]
        if users is previous:  # a calls poll: the users are the very ones looked at last
            ids, new, gone, distinct, token = held, [], [], self._distinct, self._token
        elif handed is not None:
            ids = None
            new, gone = handed
            if distinct is None:
                distinct = len(set(map(id, users)))
        elif not previous:
            # a first look: every user is new, and no set of their ids is kept (the
            # next look that needs one makes it from these users)
            ids, new, gone = None, list(users), []
            if distinct is None:
                distinct = len(set(map(id, users)))
        else:
            if ids is None:
                ids = set(map(id, users))
            if held is None:
                held = set(map(id, previous))
            distinct = len(ids)
            new = list(compress(users, map(not_, map(held.__contains__, map(id, users)))))
            gone = list(compress(previous, map(not_, map(ids.__contains__, map(id, previous)))))
        for user in gone:
            self._index(user, -1)
        for user in new:
            self._index(user, 1)
        before = self._on_call
        self._users, self._ids, self._on_call = users, ids, on_call
        self._token, self._distinct = token, distinct
        todo: list[PbxUser] | tuple[PbxUser, ...]
        shared = len(self._keys) != len(users) or distinct != len(users)
        was_shared, self._shared = self._shared, shared
        if before is None or shared or was_shared:
            todo = users  # first look, or users sharing a clock: each in turn, as ever
        else:
            todo = new
            if on_call is not before:
                seen = set(map(id, new))
                refs, names = on_call.flips_since(before)
                for index, changed in ((self._by_ref, refs), (self._by_name, names)):
                    for name in changed:
                        found = index.get(name, ())
                        for user in found if isinstance(found, list | tuple) else (found,):
                            if id(user) not in seen:
                                seen.add(id(user))
                                todo.append(user)
        # a change seen at the first look after a restore happened at some unknown
        # moment of the gap: it sets no time of going on or off a call
        watched = before is not None
        for user in todo:
            self._observe(user, on_call, now, since, watched)

    def _index(self, user: PbxUser, step: int) -> None:
        key = self.key_of(user)
        count = self._keys.get(key, 0) + step
        if count:
            self._keys[key] = count
        else:
            del self._keys[key]
        for index, name in (
            (self._by_ref, user.operator_ref),
            (self._by_name, folded(user.display_name) if user.display_name else None),
        ):
            if not name:
                continue
            if step > 0:
                index_add(index, name, user)
            else:
                index_remove(index, name, user)

    def _observe(
        self, user: PbxUser, on_call: OnCall, now: float, since: float, watched: bool
    ) -> None:
        clocks = self.clocks
        state = agent_state(user, on_call)
        if not user.dashboard and state is not AgentState.ON_CALL:
            return
        key = self.key_of(user)
        activity = ACTIVITY_OF[state]
        clock = clocks.get(key)
        if clock is None:
            clocks[key] = _Clock(key, user.label, activity, now)
            if self.changes is not None:
                self.created.append(key)
            return
        if activity == clock.activity:
            return
        if self.changes is not None:
            self.changes.add(key)
        at = now
        if activity != "call" and clock.activity != "call":
            if user.state_start is not None:
                # a state change: its row says when, within the two observations
                at = min(max(start_key(user.state_start), since, clock.since), now)
        elif watched:
            clock.left_call = since
        clock.add(clock.activity, max(0.0, at - clock.since))
        clock.activity = activity
        clock.since = at

    def new_day(self, day_start: float) -> None:
        """Midnight: yesterday's time is dropped; the current activity runs on from 00:00."""
        self.day_start = day_start
        self.changes = None
        for clock in self.clocks.values():
            clock.call = clock.available = clock.away = 0.0
            clock.since = max(clock.since, day_start)

    def totals(self, now: float) -> dict[str, tuple[str, dict[str, float]]]:
        """key -> (name, seconds per activity up to ``now``)."""
        out: dict[str, tuple[str, dict[str, float]]] = {}
        for key, clock in self.clocks.items():
            out[key] = (clock.name, clock.up_to(now))
        return out

    def stop(self, at: float) -> None:
        """Nothing was watched from ``at`` on (a restart): time up to it is kept, and no
        activity is assumed for the gap."""
        self.changes = None
        for clock in self.clocks.values():
            clock.add(clock.activity, max(0.0, at - clock.since))
            clock.since = at

    def to_dict(self, now: float) -> dict[str, Any]:
        """Totals up to ``now``, as if the clocks stopped there (a restart resumes them)."""
        out: dict[str, Any] = {}
        for key, clock in self.clocks.items():  # as totals(), in one pass
            out[key] = [clock.name, clock.activity, now, clock.up_to(now), clock.left_call]
        return out

    def take_changes(self) -> tuple[set[str], list[str]] | None:
        """What changed since the last call, for a save that writes only that: the
        keys of the clocks whose :meth:`kept` form changed, and of those made since, in
        order; None when every clock must be taken (the first time, after a restore, a
        new day, a stop or a resume)."""
        changes, created = self.changes, self.created
        self.changes, self.created = set(), []
        return None if changes is None else (changes, created)

    def kept(self, key: str) -> list[Any]:
        """The day file's form of a clock: :meth:`to_dict`'s, but the clock as it runs
        (its activity since when, and the seconds before that), so it changes only
        when the agent's activity does; reading it stops it at the saved time
        (:meth:`stop`), which gives :meth:`to_dict`'s totals."""
        clock = self.clocks[key]
        totals = {"call": clock.call, "available": clock.available, "away": clock.away}
        return [clock.name, clock.activity, clock.since, totals, clock.left_call]

    def left_call(self, key: str) -> float | None:
        """When the agent keyed ``key`` last went on or off a call (see
        :attr:`_Clock.left_call`), None when not known."""
        clock = self.clocks.get(key)
        return None if clock is None else clock.left_call

    def restore(self, data: dict[str, Any], resume_at: float | None = None) -> None:
        self.clocks = {}
        self.changes, self.created = None, []
        self._forget()
        for key, (name, activity, since, totals, *rest) in data.items():
            clock = _Clock(str(key), str(name), activity, float(since))
            clock.totals = totals
            # a day file written before the time of going on or off a call was kept
            # has four fields
            left = rest[0] if rest else None
            clock.left_call = None if left is None else float(left)
            self.clocks[clock.key] = clock
        if resume_at is not None:
            self.resume(resume_at)

    def resume(self, at: float) -> None:
        """Watching again from ``at``: the time before it is not counted."""
        self.changes = None
        for clock in self.clocks.values():
            clock.since = max(clock.since, at)
