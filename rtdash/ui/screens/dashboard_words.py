"""What Enter does where it opens no call of its own: why nothing opened and the way
on, and on an agent, the call they are talking to. Worked out from the dashboard
widget alone, so the screen keeps to its keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rtdash.core.agents import agents_call

if TYPE_CHECKING:
    from rtdash.ui.widgets.dashboard import Dashboard


def nothing_to_open(board: Dashboard) -> str:
    """Why Enter opened nothing, and the way on: a filter that hides every call is
    named (Tab would find no group with calls either)."""
    grid = board.grid
    group = grid.focused_group()
    needle = grid.filter_text
    if needle and not grid.shown_calls():
        users = board.user_panel.table.row_count
        also = "" if not users else f" ({users} user{' does' if users == 1 else 's do'})"
        return f"No call matches the filter {needle!r}{also}: Esc clears it."
    if group is None:
        return "Select a call first (Tab moves between the call groups)."
    if needle:
        return f"{group} has no call matching {needle!r}: Tab or ↓ moves to the next group."
    return f"{group} has no calls now: Tab or ↓ moves to the next group."


def agents_caller(board: Dashboard) -> tuple[str | None, str | None]:
    """Enter on an agent (a supervisor's "who is Leo on with?"): the reference of the
    call they are talking on, or why there is none; (None, None) on an empty table."""
    key = board.user_panel.table.selected_key
    if key is None:
        return None, None
    user = next((u for u in board.user_panel.shown_users() if u.user_id == key), None)
    if user is None:
        return None, None
    call = agents_call(user, board.calls)
    if call is None:
        why = f"{user.label} is not on a call: Enter on an agent looks up their caller."
        return None, why
    return call.call_ref, None
