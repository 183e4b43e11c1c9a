"""The dashboard's agents counted by what they are doing (available, on a call, away)
for a users snapshot and who is on a bridged call, worked out once per pair and brought
from the last pair by what changed between them.

Between two counts either the users changed (a users poll: some rows new, some gone)
or who is on a call did (a calls poll: some references and names went on or off a
call), and each moves the last counts by the few agents it touches: the new and gone
users, or the users of the references and names that flipped (found in an index of
the dashboard's users by reference and folded name, kept up from snapshot to snapshot
by the new and gone users). Without the last pair's counts (the first poll, a snapshot
not built on the last one) every agent is counted, in C (:func:`count_columns`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rtdash.api.models import PbxUser
from rtdash.core.agents import (
    AgentState,
    OnCall,
    agent_state,
    count_columns,
    folded,
    index_add,
    index_remove,
    off_call_state,
    user_columns,
)

if TYPE_CHECKING:
    from rtdash.core.users_snapshot import UsersSnapshot


class AgentIndex:
    """The dashboard's users by operator reference and by folded display name (a user
    alone, or a list when several share one: most are alone), as of the snapshot of
    :attr:`token`; moved to the next snapshot by its new and gone users."""

    __slots__ = ("by_name", "by_ref", "token")

    def __init__(self, users: Iterable[PbxUser], token: object) -> None:
        self.token = token
        self.by_ref: dict[str, PbxUser | list[PbxUser]] = {}
        self.by_name: dict[str, PbxUser | list[PbxUser]] = {}
        self.move(users, (), token)

    def move(self, new: Iterable[PbxUser], gone: Iterable[PbxUser], token: object) -> None:
        """To the snapshot of ``token``: ``gone`` users out, ``new`` ones in (each
        filtered to the dashboard's here)."""
        for user in gone:
            if user.dashboard:
                for index, key in self._keys(user):
                    index_remove(index, key, user)
        for user in new:
            if user.dashboard:
                for index, key in self._keys(user):
                    index_add(index, key, user)
        self.token = token

    def _keys(self, user: PbxUser) -> list[tuple[dict[str, PbxUser | list[PbxUser]], str]]:
        keys = []
        if user.operator_ref:
            keys.append((self.by_ref, user.operator_ref))
        if user.display_name:
            keys.append((self.by_name, folded(user.display_name)))
        return keys

    def users_of(self, refs: Iterable[str], names: Iterable[str]) -> list[PbxUser]:
        """The users with any of ``refs`` or folded ``names``, each once."""
        found: dict[int, PbxUser] = {}
        for index, keys in ((self.by_ref, refs), (self.by_name, names)):
            for key in keys:
                there = index.get(key)
                if there is None:
                    continue
                for user in there if isinstance(there, list) else (there,):
                    found[id(user)] = user
        return list(found.values())


#: how many (users, counts) pairs an answer of who is on a call remembers: the screens
#: may ask for the last users a poll later than the headline numbers do
REMEMBERED = 2


def agent_counts(users: UsersSnapshot, on_call: OnCall) -> dict[AgentState, int]:
    """How many of ``users``' dashboard agents are in each :class:`AgentState` (the
    rule of :func:`~rtdash.core.agents.count_agents`), the caller's own copy."""
    token = users.token
    entries: list[list[Any]] = on_call.counted
    for entry in entries:
        if entry[0] is token:
            known: dict[AgentState, int] = entry[1]
            return dict(known)
    found = next(filter(None, (_moved_by_users(held, users, on_call) for held in entries)), None)
    if found is None:
        carried = [entry for entry in on_call.carried if entry[0] is token]
        if carried:
            found = _moved_by_calls(carried[0], users, on_call)
    if found is None:
        counts = count_columns(user_columns(users.dashboard_users), on_call)
        # any index is kept: its token says which users it holds, and it moves on
        indexes = [entry[2] for entry in (*entries, *on_call.carried) if entry[2] is not None]
        found = [token, counts, indexes[0] if indexes else None]
    entries.insert(0, found)
    del entries[REMEMBERED:]
    return dict(found[1])


def _moved_by_users(held: list[Any], users: UsersSnapshot, on_call: OnCall) -> list[Any] | None:
    """The counts of ``users`` from those of the snapshot they were built on (``held``,
    against the same ``on_call``) and its new and gone users."""
    changes = users.changes_from(held[0])
    if changes is None:
        return None
    new, gone = changes
    counts: dict[AgentState, int] = dict(held[1])
    for user in gone:
        if user.dashboard:
            counts[agent_state(user, on_call)] -= 1
    for user in new:
        if user.dashboard:
            counts[agent_state(user, on_call)] += 1
    index: AgentIndex | None = held[2]
    if index is not None and index.token is held[0]:
        index.move(new, gone, users.token)
    return [users.token, counts, index]


def _moved_by_calls(carried: list[Any], users: UsersSnapshot, on_call: OnCall) -> list[Any] | None:
    """The counts of ``users`` against ``on_call`` from those against the answer it was
    moved from (``carried``): only the users whose reference or name flipped can have
    gone on or off a call. The index is made here the first time it is needed; None
    when it has moved on to later users (then every agent is counted)."""
    token = users.token
    index: AgentIndex | None = carried[2]
    if index is None:
        index = AgentIndex(users.dashboard_users, token)
    elif index.token is not token:
        return None
    refs, names = on_call.flipped
    counts: dict[AgentState, int] = dict(carried[1])
    for user in index.users_of(refs, names):
        counts[_state_before(user, on_call)] -= 1
        counts[agent_state(user, on_call)] += 1
    return [token, counts, index]


def _state_before(user: PbxUser, on_call: OnCall) -> AgentState:
    """``user``'s state against the answer ``on_call`` was moved from: a flipped
    reference or name was on a call then exactly when it is not now."""
    refs, names = on_call.flipped
    ref = user.operator_ref
    if ref and (ref in on_call.refs) != (ref in refs):
        return AgentState.ON_CALL
    name = folded(user.display_name) if user.display_name else ""
    if name and (name in on_call.names) != (name in names):
        return AgentState.ON_CALL
    return off_call_state(user)
