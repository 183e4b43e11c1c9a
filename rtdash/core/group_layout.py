"""How many screen lines each call group gets: the waiting groups (ringing, queueing)
first, because waiting callers are what a supervisor watches, and talking calls
(Bridged) whatever is left.

Pure arithmetic on line counts, so it is tested at every size without a terminal; the
calls grid applies it on each resize and whenever a group's count changes.

A new share of the lines moves every group below the one that changed, and every line
of them is drawn again: at a busy centre the waiting counts change on nearly every
poll, and following each change doubled what the dashboard writes to its terminal (a
supervisor's link over SSH) while the rows jumped up and down on a wallboard. So a
change is made at once only when it brings a waiting caller into view (:func:`cuts`);
one that would only take lines back is made once it has been wanted for
:data:`HOLD_SECONDS` (:func:`settled`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: lines the users panel keeps when the calls need the rest of a stacked layout: its
#: border and its title line (with the count of available users)
USERS_MIN = 2
#: talking calls the stacked grid asks room for, beyond the waiting ones
BRIDGED_WANT = 3
#: the stacked grid's share of the height while the calls need no more (3fr : 2fr)
GRID_SHARE = (3, 5)
#: rows kept in view for the table the cursor is in (Tab moved there on purpose)
FOCUS_ROWS = 3
#: seconds a share of the lines that hides no waiting caller is kept after a new one
#: is wanted: a count that dips and comes back within it moves nothing on the screen
HOLD_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class GroupLines:
    #: lines for the whole grid (stacked layout); the full height side by side
    grid: int
    #: rows shown in the ringing and queueing tables (header lines not included)
    ringing: int
    queueing: int


def plan_groups(
    space: int,
    rows: tuple[int, int, int],
    fixed: int,
    *,
    stacked: bool,
    focus: str | None = None,
) -> GroupLines:
    """Lines for the grid and rows for each waiting group.

    ``space``: lines of the panes (stacked: shared with the users panel below; side by
    side: the grid's own height). ``rows``: calls ringing, queueing, bridged.
    ``fixed``: the grid's lines that are not rows (group titles, column headers).
    ``focus``: the table the cursor is in ("bridged", "users", …): it keeps a few
    rows in view, or the cursor would be on a table with no lines.
    """
    ringing, queueing, bridged = rows
    bridged_min = min(bridged, FOCUS_ROWS) if focus == "bridged" else 0
    grid = space
    if stacked:
        need = fixed + ringing + queueing + max(min(bridged, BRIDGED_WANT), bridged_min)
        share = space * GRID_SHARE[0] // GRID_SHARE[1]
        users_min = USERS_MIN + (FOCUS_ROWS if focus == "users" else 0)
        grid = max(0, min(max(need, share), space - users_min))
    free = max(0, grid - fixed - bridged_min)
    shown_ringing, shown_queueing = _share(free, ringing, queueing)
    return GroupLines(grid, shown_ringing, shown_queueing)


def _share(free: int, first: int, second: int) -> tuple[int, int]:
    """Both in full if they fit; else a group that fits in half is shown whole and the
    other takes the rest; else half each (the first gets the odd line)."""
    if first + second <= free:
        return first, second
    half = free // 2
    if first <= half:
        return first, free - first
    if second <= half:
        return free - second, second
    return free - half, half


def cuts(shown: GroupLines, rows: tuple[int, int, int], wanted: GroupLines) -> bool:
    """Whether ``shown`` leaves out callers of a waiting group that ``wanted`` shows
    whole: then the lines change at once (a caller is not hidden to keep the screen
    still). A group too long for any share (a long queue) is cut either way."""
    return any(
        count > lines and count <= planned
        for count, lines, planned in (
            (rows[0], shown.ringing, wanted.ringing),
            (rows[1], shown.queueing, wanted.queueing),
        )
    )


def settled(
    shown: GroupLines | None,
    rows: tuple[int, int, int],
    wanted: GroupLines,
    wanted_since: float | None,
    now: float,
) -> tuple[bool, float | None]:
    """Whether to lay the groups out as ``wanted`` now, and since when a change has
    been held back (None: none is). ``shown``: the lines in place (None: none yet);
    ``wanted_since``: what the last call returned."""
    if shown is None or shown == wanted:
        return shown is None, None
    if cuts(shown, rows, wanted):
        return True, None
    since = now if wanted_since is None else wanted_since
    if now - since >= HOLD_SECONDS:
        return True, None
    return False, since
