"""Who answered a looked-up call, for ``rtdash lookup``'s listing: the lookup route
names only the extension, and the dashboard's lookup names the user on it. The rules
are the dashboard's own (:func:`rtdash.core.answered_by.answered_by`); what is the
command line's is what they cost, as each read is a request: the users are read once,
and only for a call someone answered, and the live calls only where the users alone
cannot tell (:func:`~rtdash.core.answered_by.live_call_decides`), unless the lookup
already read them to find the reference's spelling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rtdash.api.errors import ApiError
from rtdash.core.answered_by import answered_by, live_call_decides

if TYPE_CHECKING:
    from rtdash.api.client import FetchResult, InfinityClient
    from rtdash.api.models import ActiveCall, CallerDetails
    from rtdash.core.snapshot import CallsSnapshot
    from rtdash.core.users_snapshot import UsersSnapshot


async def name_of_who_answered(
    client: InfinityClient,
    details: CallerDetails,
    call_ref: str | None,
    live: FetchResult[ActiveCall] | None = None,
) -> str | None:
    """The name of who answered the call ``details`` describes (asked by ``call_ref``,
    None for a number), or None where the rules name nobody. ``live``: the live calls
    when the lookup has read them already. A route that fails names nobody from it:
    the name only adds to the lookup's answer, which must not become an error about a
    route the user did not ask for."""
    if not details.dest_number:
        return None
    users = await _users(client)
    calls: CallsSnapshot | None = None
    if live_call_decides(details, call_ref, users):
        if live is None:
            live = await _live_calls(client)
        if live is not None:
            from rtdash.core.snapshot import CallsSnapshot

            calls = CallsSnapshot.build(live.rows, live.fetched_at, live.unreadable)
    return answered_by(details, call_ref, calls, users)


async def _users(client: InfinityClient) -> UsersSnapshot | None:
    from rtdash.core.users_snapshot import UsersSnapshot

    try:
        result = await client.user_status()
    except ApiError:
        return None
    return UsersSnapshot.build(result.rows, result.fetched_at, result.unreadable)


async def _live_calls(client: InfinityClient) -> FetchResult[ActiveCall] | None:
    try:
        # only who talks on which call is wanted: the callers' numbers are not asked for
        return await client.active_calls(exclude_pii=True)
    except ApiError:
        return None
