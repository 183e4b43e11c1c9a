"""When each agent's shown state began, where the PBX's state start says otherwise.

What an agent is shown doing (:func:`rtdash.core.agents.agent_state`) changes when a
bridged call of theirs begins or ends, and the PBX need not restart the user's state
then. The simulator keeps an agent unavailable from the answer through the wrap-up
after the call, so the state start stays the call's, and an agent one second off a
five-minute call would read "away 5:01": five minutes away, to anyone who trusts the
board. A PBX that leaves its users available through their calls would likewise show
"on a call" timed from when they became free.

So the time of every such change is kept, and a user's shown start is the later of the
PBX's and that change's. The changes come from :meth:`OnCall.flips_since`, known from
the calls that changed, so a poll costs a dict entry per agent who went on or off a
call, not a look at every user. A change is timed at the calls poll before the one that
saw it (the earliest it can have happened): a PBX start after it, such as the answer's
own, is the truer time, and wins.

A screen started after the change (a restart, a browser tab opened, a hub viewer that
joins) did not see it: for an agent it has seen no change of, it asks ``earlier``, the
service level's record of the agent's last change (kept in the day's state and
published by the hub), so an agent who left a call before the screen started is still
timed from the call's end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rtdash.api.models import PbxUser
from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall, folded

#: agents are few, but the keys come from the upstream: past this many, start again
MOST_KEPT = 65_536


class ShownStarts:
    """The last on-or-off-a-call change of each agent key seen in the calls polls."""

    def __init__(self) -> None:
        self._on_call: OnCall | None = None
        self._polled: datetime | None = None
        #: operator ref -> when its agent last went on or off a call (at the earliest)
        self._refs: dict[str, datetime] = {}
        #: folded display name -> the same, for calls that name their agent only so
        self._names: dict[str, datetime] = {}
        #: agent key (:meth:`AgentTime.key_of`) -> when that agent last went on or off a
        #: call as the day's state knows it (epoch seconds), for the changes made
        #: before this screen followed the calls; None: nothing known
        self.earlier: Callable[[str], float | None] | None = None

    def follow(self, on_call: OnCall, polled: datetime) -> None:
        """Who is on a call as of the calls poll made at ``polled``."""
        before, polled_before = self._on_call, self._polled
        self._on_call, self._polled = on_call, polled
        if before is None or on_call is before or polled_before is None:
            return
        refs, names = on_call.flips_since(before)
        for keys, kept in ((refs, self._refs), (names, self._names)):
            if len(kept) + len(keys) > MOST_KEPT:
                kept.clear()
            kept.update(dict.fromkeys(keys, polled_before))

    def clear(self) -> None:
        """Time went back (a replay's seek): what was seen is of another moment."""
        self._on_call = self._polled = None
        self._refs.clear()
        self._names.clear()

    def start(self, user: PbxUser) -> datetime | None:
        """When ``user``'s shown state began: the PBX's state start, or the later time
        they went on or off a call."""
        start = user.state_start
        changed = self._refs.get(user.operator_ref) if user.operator_ref else None
        if self._names and user.display_name:
            by_name = self._names.get(folded(user.display_name))
            if by_name is not None and (changed is None or by_name > changed):
                changed = by_name
        if changed is None and self.earlier is not None:
            before = self.earlier(AgentTime.key_of(user))
            if before is not None:
                changed = datetime.fromtimestamp(before, UTC)
        if changed is None or (start is not None and start >= changed):
            return start
        return changed
