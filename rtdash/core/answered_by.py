"""Who answered a looked-up call, by name: the lookup route names only the number it was
answered on (an agent's extension), and "Answered on 213" asks the supervisor to know
every extension by heart. The dashboard already holds the names: the users it polls
(name by extension) and the live calls (the agent of a call being talked on)."""

from __future__ import annotations

from rtdash.api.models import CallerDetails, CallState
from rtdash.core.format import caller_label
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.users_snapshot import UsersSnapshot


def answered_by(
    details: CallerDetails,
    call_ref: str | None,
    calls: CallsSnapshot | None,
    users: UsersSnapshot | None,
) -> str | None:
    """The name of whoever answered the call ``details`` describes, or None when the
    dashboard cannot tell. The user whose extension is the number the call was
    answered on (the number shown beside the name, so the two cannot disagree); where
    two users share it, the one who is the agent of the live call asked about (by its
    reference); with no users polled yet, that agent. Never by the caller's number: a
    lookup by number may describe an ended call while the same caller is on another,
    and never a live agent the users say is on another extension (a transfer)."""
    dest = details.dest_number
    if not dest:
        return None
    names = _names_on(dest, users)
    if names is not None and len(names) == 1:
        return next(iter(names))
    if calls is None or not live_call_decides(details, call_ref, users):
        return None
    talking = calls.groups.get(CallState.BRIDGED, ())
    agents = {call.agent_name for call in talking if call.call_ref == call_ref and call.agent_name}
    if len(agents) != 1:
        return None
    agent = agents.pop()
    return agent if names is None or agent in names else None


def live_call_decides(
    details: CallerDetails, call_ref: str | None, users: UsersSnapshot | None
) -> bool:
    """Whether :func:`answered_by` reads the live calls for ``details``: only where the
    users alone cannot name who answered (none known, or two on the extension) and the
    lookup was of a reference. A reader that pays a request for the live calls (the
    command line) asks this first, so the rules stay in one place."""
    dest = details.dest_number
    if not dest or call_ref is None:
        return False
    names = _names_on(dest, users)
    return names is None or len(names) > 1


def _names_on(extension: str, users: UsersSnapshot | None) -> set[str] | None:
    """The names of the users on ``extension``; None when no users are known (not
    polled yet), which is not the same as nobody on it."""
    if users is None:
        return None
    return {u.display_name for u in users.users if u.extension == extension and u.display_name}


def answered_on(details: CallerDetails, name: str | None) -> str:
    """The "Answered on" value: the name with the number beside it, ``Leo Knight
    (213)``; the number alone when no name is known; "–" before anyone answered."""
    if not details.dest_number:
        return "–"
    number = caller_label(details.dest_number)
    return f"{name} ({number})" if name else number
