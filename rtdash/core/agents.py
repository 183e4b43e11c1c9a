"""What an agent is doing, in the words a supervisor uses: on a call, available, away.

The PBX reports only "available" or "unavailable" per user, but an unavailable agent
who is the agent of a bridged call is on a call, not away. The bridged calls are
already polled, so the distinction costs no request. A call names its agent by the
fields the mapping reads as ``agent_ref`` (``operatorRef``) and ``agent_name``
(``displayName``); the user is matched by operator reference first, then by display
name when the call carries no reference (some installations send only the name).

While the calls cannot be read (never yet, or a mapping that fits none of them), who
is on a call is not known: an unavailable agent is then just that, unavailable, never
"away", which would say they are on no call.

Every view (headline, users panel, tiles, exports, help) takes its words and symbols
from here, so one state has one name everywhere.
"""

from __future__ import annotations

import operator
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from itertools import compress, repeat
from typing import TYPE_CHECKING, Any

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.row_order import start_key

if TYPE_CHECKING:
    from rtdash.core.snapshot import CallsSnapshot


class AgentState(Enum):
    ON_CALL = "on_call"
    AVAILABLE = "available"
    AWAY = "away"
    #: unavailable, on a call or away: which one, only the calls (not known now) say
    UNAVAILABLE = "unavailable"

    #: a member is itself only (an Enum compares by identity), so it hashes as any
    #: object does, in C: Enum's own hash is a call into Python, and a big centre's
    #: poll counts hundreds of agents into dicts keyed by their state
    __hash__ = object.__hash__

    @property
    def word(self) -> str:
        return WORDS[self]

    @property
    def symbol(self) -> str:
        return SYMBOLS[self]


WORDS = {
    AgentState.ON_CALL: "on a call",
    AgentState.AVAILABLE: "available",
    AgentState.AWAY: "away",
    AgentState.UNAVAILABLE: "unavailable",
}
#: distinct shapes, so the state reads without colour (``NO_COLOR``, a monochrome TV)
SYMBOLS = {
    AgentState.ON_CALL: "◆",
    AgentState.AVAILABLE: "●",
    AgentState.AWAY: "○",
    AgentState.UNAVAILABLE: "◌",
}
#: the order of groups on the wallboard and in counts: who is free first
ORDER = (AgentState.AVAILABLE, AgentState.ON_CALL, AgentState.AWAY)
#: the groups while the calls are not known
UNKNOWN_CALLS_ORDER = (AgentState.AVAILABLE, AgentState.UNAVAILABLE)
#: the states' order when sorted by state: who is free first, then who may be talking
RANK = {
    AgentState.AVAILABLE: 0,
    AgentState.ON_CALL: 1,
    AgentState.UNAVAILABLE: 2,
    AgentState.AWAY: 3,
}


def states_for(on_call: OnCall | None) -> tuple[AgentState, ...]:
    """The states an agent can be shown in, with ``on_call`` (None: calls not known)."""
    return ORDER if on_call is not None else UNKNOWN_CALLS_ORDER


def counts_said(counts: dict[AgentState, int]) -> list[tuple[AgentState, int | None]]:
    """``counts`` in the order a title says them: every state of :data:`ORDER`, and
    while the calls are not known (``counts`` has the unavailable) those after the
    available, with None for the counts not known (on a call, away), where a count
    of none would say nobody is talking."""
    if AgentState.UNAVAILABLE not in counts:
        return [(state, counts[state]) for state in ORDER]
    order = (AgentState.AVAILABLE, AgentState.UNAVAILABLE, AgentState.ON_CALL, AgentState.AWAY)
    return [(state, counts.get(state)) for state in order]


_agent_ref = operator.attrgetter("agent_ref")
_agent_name = operator.attrgetter("agent_name")
_state = operator.attrgetter("state")
_NO_REF = frozenset({None, ""})


@dataclass(frozen=True, slots=True, weakref_slot=True)
class OnCall:
    """Who is on a bridged call: by operator reference and by display name (folded)."""

    refs: AbstractSet[str] = frozenset()
    names: AbstractSet[str] = frozenset()
    #: the bridged calls these were read from: the per-queue counts (a wallboard's) read
    #: them only when asked, so the dashboard's poll does not walk every call for them
    bridged: tuple[ActiveCall, ...] = field(default=(), compare=False, repr=False)
    #: the last users counted against these, their counts and what they were counted
    #: with, latest first (see :mod:`rtdash.core.agent_counts`): the headline numbers
    #: and the agents panel ask alike, once per poll of either route
    counted: list[Any] = field(default_factory=list, compare=False, repr=False)
    #: how many bridged calls each reference and each folded name is on (``refs`` and
    #: ``names`` are their keys): the next poll's are these moved by its new and gone
    #: bridged calls, not read again from every call
    ref_calls: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    name_calls: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: the answer these were moved from (held weakly: a chain of polls must not be kept)
    #: and the references and names that went on or off a call since it; its
    #: ``counted`` as it was then, so the agents' counts move by those few agents
    base: weakref.ref[OnCall] | None = field(default=None, compare=False, repr=False)
    flipped: tuple[frozenset[str], frozenset[str]] = field(
        default=(frozenset(), frozenset()), compare=False, repr=False
    )
    carried: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_calls(cls, bridged: Iterable[ActiveCall]) -> OnCall:
        calls = bridged if isinstance(bridged, Sequence) else list(bridged)
        on = tuple(compress(calls, map(CallState.BRIDGED.__eq__, map(_state, calls))))
        ref_calls = dict(Counter(map(_agent_ref, on)))
        for none in _NO_REF:
            ref_calls.pop(none, None)
        # a name counts only for calls without a reference (a pass in C finds them)
        nameless = compress(on, map(_NO_REF.__contains__, map(_agent_ref, on)))
        name_calls = dict(Counter(map(str.casefold, filter(None, map(_agent_name, nameless)))))
        return cls(
            ref_calls.keys(), name_calls.keys(), on, ref_calls=ref_calls, name_calls=name_calls
        )

    def moved(
        self, new: Iterable[ActiveCall], gone: Iterable[ActiveCall], bridged: tuple[ActiveCall, ...]
    ) -> OnCall:
        """Who is on a call among ``bridged`` (every bridged call now), from these and
        the bridged calls ``new`` and ``gone`` since the calls these were read from:
        only the changed calls are looked at (their counts are copied in C)."""
        if len(self.ref_calls) != len(self.refs) or len(self.name_calls) != len(self.names):
            return OnCall.from_calls(bridged)  # these were made without their counts
        # .copy(), not dict(): once a count was deleted, dict() inserts every entry
        # again, one by one, where .copy() clones the table whole
        ref_calls, name_calls = self.ref_calls.copy(), self.name_calls.copy()
        touched_refs: set[str] = set()
        touched_names: set[str] = set()
        for step, rows in ((-1, gone), (1, new)):
            for row in rows:
                key = row.agent_ref
                if key:
                    calls, touched = ref_calls, touched_refs
                elif row.agent_name:
                    key, calls, touched = row.agent_name.casefold(), name_calls, touched_names
                else:
                    continue
                left = calls.get(key, 0) + step
                if left > 0:
                    calls[key] = left
                elif left == 0:
                    del calls[key]
                else:  # a gone call these never counted: not this answer's calls
                    return OnCall.from_calls(bridged)
                touched.add(key)
        flipped = (
            frozenset([key for key in touched_refs if (key in ref_calls) != (key in self.refs)]),
            frozenset([key for key in touched_names if (key in name_calls) != (key in self.names)]),
        )
        return OnCall(
            ref_calls.keys(),
            name_calls.keys(),
            bridged,
            ref_calls=ref_calls,
            name_calls=name_calls,
            base=weakref.ref(self),
            flipped=flipped,
            carried=tuple(self.counted),
        )

    def flips_since(self, before: OnCall) -> tuple[AbstractSet[str], AbstractSet[str]]:
        """The references and names that went on or off a call between ``before`` and
        these: known when these were moved from it, else worked out from both."""
        if self.base is not None and self.base() is before:
            return self.flipped
        return before.refs ^ self.refs, before.names ^ self.names

    @property
    def queue_of(self) -> tuple[tuple[str, str | None], ...]:
        """The queue of each agent's call (by reference or folded name)."""
        return tuple(
            (call.agent_ref or (call.agent_name or "").casefold(), call.queue or None)
            for call in self.bridged
            if call.agent_ref or call.agent_name
        )

    def has(self, user: PbxUser) -> bool:
        if user.operator_ref and user.operator_ref in self.refs:
            return True
        return bool(self.names and user.display_name and user.display_name.casefold() in self.names)


def agents_call(user: PbxUser, calls: CallsSnapshot | None) -> ActiveCall | None:
    """The bridged call ``user`` is the agent of, matched as :meth:`OnCall.has` matches
    (operator ref, else the folded display name of a call without one); ``calls`` is
    None before the first poll."""
    if calls is None:
        return None
    name = folded(user.display_name) if user.display_name else None
    for call in calls.groups[CallState.BRIDGED]:
        if user.operator_ref and call.agent_ref == user.operator_ref:
            return call
        if not call.agent_ref and name and (call.agent_name or "").casefold() == name:
            return call
    return None


def agent_state(user: PbxUser, on_call: OnCall | None) -> AgentState:
    """A user on a bridged call is on a call whatever the PBX says of them (the state
    may lag the call by a poll); without calls data (``on_call`` None) an unavailable
    user is unavailable: on a call or away, no one can tell."""
    if on_call is None:
        if user.state is UserState.AVAILABLE:
            return AgentState.AVAILABLE
        return AgentState.UNAVAILABLE
    if on_call.has(user):
        return AgentState.ON_CALL
    return off_call_state(user)


def off_call_state(user: PbxUser) -> AgentState:
    """The state of ``user``, known to be on no call."""
    return AgentState.AVAILABLE if user.state is UserState.AVAILABLE else AgentState.AWAY


_state_start: Callable[[PbxUser], datetime | None] = operator.attrgetter("state_start")


def group_agents(
    users: Sequence[PbxUser],
    on_call: OnCall | None,
    start: Callable[[PbxUser], datetime | None] = _state_start,
) -> dict[AgentState, list[PbxUser]]:
    """Users by state in :func:`states_for` order, each group longest in state first
    (then name); ``start``: when a user's shown state began (the PBX's state start by
    default)."""
    groups: dict[AgentState, list[PbxUser]] = {state: [] for state in states_for(on_call)}
    for user in users:
        groups[agent_state(user, on_call)].append(user)

    def order(user: PbxUser) -> tuple[float, str, str]:
        return (start_key(start(user)), user.label.casefold(), user.user_id)

    for members in groups.values():
        members.sort(key=order)
    return groups


def count_columns(
    columns: tuple[list[str | None], list[str], list[bool]], on_call: OnCall
) -> dict[AgentState, int]:
    """:func:`count_agents` of the users whose (operator refs, folded display names,
    available flags) are ``columns`` (see :func:`user_columns`): the same rule, worked
    out a column at a time, so every agent costs a few passes in C, not a call each."""
    refs, names, available = columns
    on = list(map(on_call.refs.__contains__, refs))
    if on_call.names:
        on = list(map(operator.or_, on, map(on_call.names.__contains__, names)))
    on_count = sum(on)
    free = sum(map(operator.gt, available, on))  # available and not on a call
    return {
        AgentState.AVAILABLE: free,
        AgentState.ON_CALL: on_count,
        AgentState.AWAY: len(refs) - on_count - free,
    }


class _Folded(dict[str | None, str]):
    """Display names folded once each: a lookup in C for a name seen before."""

    def __missing__(self, name: str | None) -> str:
        if len(self) >= 65_536:  # names come and go over a day: never more than this
            self.clear()
        folded = self[name] = name.casefold() if name else ""
        return folded


_folded = _Folded()
#: a display name folded (one shared string per name: the agent clocks key by it too)
folded = _folded.__getitem__
_operator_ref = operator.attrgetter("operator_ref")
_display_name = operator.attrgetter("display_name")


def user_columns(users: Sequence[PbxUser]) -> tuple[list[str | None], list[str], list[bool]]:
    """The columns :func:`count_columns` reads, of ``users`` (each a pass in C)."""
    return (
        list(map(_operator_ref, users)),
        list(map(_folded.__getitem__, map(_display_name, users))),
        list(map(operator.is_, map(_state, users), repeat(UserState.AVAILABLE))),
    )


def count_agents(users: Sequence[PbxUser], on_call: OnCall | None) -> dict[AgentState, int]:
    """How many of ``users`` are in each state of :func:`states_for`."""
    counts = dict.fromkeys(states_for(on_call), 0)
    for user in users:
        counts[agent_state(user, on_call)] += 1
    return counts


def agents_on_call_by_queue(users: Sequence[PbxUser], on_call: OnCall) -> dict[str | None, int]:
    """How many of ``users`` (the dashboard's agents) are on a call of each queue."""
    keys = {user.operator_ref for user in users if user.operator_ref}
    keys |= {user.display_name.casefold() for user in users if user.display_name}
    counts: dict[str | None, int] = {}
    for key, queue in on_call.queue_of:
        if key in keys:
            counts[queue] = counts.get(queue, 0) + 1
    return counts


def agent_legend() -> str:
    """The states in one line, for help."""
    states = ", ".join(f"{SYMBOLS[state]} {WORDS[state]}" for state in ORDER)
    return f"Agents: {states}"


def seconds_since(start: datetime | None, now: datetime) -> float | None:
    if start is None:
        return None
    return max(0.0, (now - start).total_seconds())


def index_add(index: dict[str, Any], key: str, user: PbxUser) -> None:
    """``user`` filed under ``key``: the user alone, or a list once two share the key
    (most keys are one user's, so most entries are no list)."""
    there = index.get(key)
    if there is None:
        index[key] = user
    elif isinstance(there, list):
        there.append(user)
    else:
        index[key] = [there, user]


def index_remove(index: dict[str, Any], key: str, user: PbxUser) -> None:
    """``user`` (this very object) taken from under ``key``, as :func:`index_add` filed it."""
    there = index.get(key)
    if isinstance(there, list):
        rest = [other for other in there if other is not user]
        if len(rest) > 1:
            index[key] = rest
        elif rest:
            index[key] = rest[0]
        else:
            del index[key]
    elif there is user:
        del index[key]
