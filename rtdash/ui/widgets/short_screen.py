"""What a view gives up on a wide terminal too short for its big digits.

At 120 columns and more the headline is tiles of big digits over a trend, and a
DISCONNECTED or PAUSED band is tall: read from across the room. On a short terminal
(a split pane, a laptop's tmux window, a browser tab under its toolbars) they took
every line, and the calls, the queues and the agents fell off the screen. The calls
are what a supervisor acts on, so a view that cannot hold the tall parts beside a few
of them draws the headline and the band as one line each, as at 80 columns, and the
call groups share one column header (:data:`COMPACT`, a class of the view).

The dashboard's rule counts lines: the tall parts go where they would leave fewer
than :data:`MIN_CALL_ROWS` calls in view, with the band, the status line's lines and
the note of unwatched periods as they are now. The wallboard's regions are shares of
the screen's height, so its rule is the height: under :data:`WALL_DIGITS_FROM` rows.

The status line is not part of the bargain: it is docked at the bottom of its view
(the style sheets), so the connection's state, the data's age and an outage's causes
stay in view at any height, as does the Footer under it.
"""

from __future__ import annotations

from rtdash.core.snapshot import CALL_STATES
from rtdash.ui.widgets.banners import TALL_BAND_LINES

#: the view's class while it draws its tall parts as one line each (the style sheets)
COMPACT = "-compact"
#: the app's horizontal breakpoint between "-narrow" and "-wide": narrower, the panes
#: are stacked and the headline and the band are one line whatever the height
WIDE_FROM = 120
#: calls the dashboard keeps in view under its tiles: the waiting callers at the top
#: of a busy centre's groups, or the tiles give way
MIN_CALL_ROWS = 5
#: the dashboard's tiles (border, label and big digits) and the trend's line under them
TILE_LINES = 7
#: a title and a column header per call group, beside the tiles
GROUP_LINES = 2 * len(CALL_STATES)
#: the wallboard draws its big digits from this many rows (its status line and the
#: queues and agents keep the rest)
WALL_DIGITS_FROM = 24


def dashboard_compact(width: int, height: int, *, banner: bool, fixed: int) -> bool:
    """Whether a dashboard ``height`` lines tall gives up its tiles and tall band.

    ``width``: the terminal's; ``banner``: the DISCONNECTED band is up; ``fixed``: the
    lines the view gives to what stays as it is at any height (its status line, the
    note of unwatched periods)."""
    if width < WIDE_FROM:
        return False
    band = TALL_BAND_LINES if banner else 0
    return height - fixed - band - TILE_LINES - GROUP_LINES < MIN_CALL_ROWS


def wallboard_compact(width: int, height: int) -> bool:
    """Whether a wallboard on a terminal of this size gives up its big digits, its
    trend and its tall band (``width`` and ``height``: the terminal's)."""
    return width >= WIDE_FROM and height < WALL_DIGITS_FROM
