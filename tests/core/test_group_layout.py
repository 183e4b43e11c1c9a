"""Lines per call group: waiting calls first at every size, Bridged the rest."""

from __future__ import annotations

import pytest

from rtdash.core.group_layout import FOCUS_ROWS, USERS_MIN, plan_groups

#: three group titles and the one shared column header of a stacked grid
STACKED_FIXED = 4
#: three titles and three headers side by side
WIDE_FIXED = 6


def test_80x24_stacked_shows_5_ringing_and_10_queueing() -> None:
    plan = plan_groups(21, (5, 10, 14), STACKED_FIXED, stacked=True)
    assert (plan.ringing, plan.queueing) == (5, 10)
    assert plan.grid == 21 - USERS_MIN


def test_few_waiting_calls_leave_the_users_their_share() -> None:
    plan = plan_groups(21, (1, 2, 14), STACKED_FIXED, stacked=True)
    assert plan.grid == 21 * 3 // 5
    assert (plan.ringing, plan.queueing) == (1, 2)


@pytest.mark.parametrize("space", range(6, 60))
@pytest.mark.parametrize("stacked", [True, False])
def test_waiting_rows_never_exceed_the_room_and_fill_it_first(space: int, stacked: bool) -> None:
    fixed = STACKED_FIXED if stacked else WIDE_FIXED
    for rows in ((5, 10, 14), (0, 30, 3), (40, 0, 0), (3, 3, 50), (12, 30, 9)):
        plan = plan_groups(space, rows, fixed, stacked=stacked)
        free = max(0, plan.grid - fixed)
        assert plan.ringing + plan.queueing <= free
        assert plan.ringing <= rows[0] and plan.queueing <= rows[1]
        if rows[0] + rows[1] <= free:
            assert (plan.ringing, plan.queueing) == rows[:2]
        else:
            assert plan.ringing + plan.queueing == free, "the waiting calls use every line"
        if stacked:
            assert plan.grid <= space - USERS_MIN or plan.grid <= space * 3 // 5


def test_too_many_waiting_calls_share_the_room() -> None:
    plan = plan_groups(21, (12, 30, 0), STACKED_FIXED, stacked=True)
    assert (plan.ringing, plan.queueing) == (8, 7)
    small = plan_groups(21, (2, 30, 0), STACKED_FIXED, stacked=True)
    assert (small.ringing, small.queueing) == (2, 13), "a short group is shown whole"


def test_the_focused_table_keeps_rows_in_view() -> None:
    bridged = plan_groups(21, (5, 10, 14), STACKED_FIXED, stacked=True, focus="bridged")
    assert bridged.ringing + bridged.queueing == 21 - USERS_MIN - STACKED_FIXED - FOCUS_ROWS
    users = plan_groups(21, (5, 10, 14), STACKED_FIXED, stacked=True, focus="users")
    assert users.grid == 21 - USERS_MIN - FOCUS_ROWS
