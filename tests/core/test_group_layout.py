"""Lines per call group: waiting calls first at every size, Bridged the rest."""

from __future__ import annotations

import pytest

from rtdash.core.group_layout import FOCUS_ROWS, HOLD_SECONDS, USERS_MIN, cuts, plan_groups, settled

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


# --- holding a share of the lines: the screen stays still while no caller is hidden ---


def test_a_share_that_hides_a_waiting_caller_changes_at_once() -> None:
    shown = plan_groups(40, (6, 10, 20), WIDE_FIXED, stacked=False)
    rows = (8, 10, 20)  # two more ringing: the shown lines cut the group off
    wanted = plan_groups(40, rows, WIDE_FIXED, stacked=False)
    assert cuts(shown, rows, wanted)
    assert settled(shown, rows, wanted, None, now=100.0) == (True, None)


def test_a_share_that_only_takes_lines_back_waits_until_it_has_been_wanted_a_while() -> None:
    shown = plan_groups(40, (8, 10, 20), WIDE_FIXED, stacked=False)
    rows = (6, 10, 20)  # two fewer ringing: two blank lines, nobody hidden
    wanted = plan_groups(40, rows, WIDE_FIXED, stacked=False)
    assert not cuts(shown, rows, wanted)
    assert settled(shown, rows, wanted, None, now=100.0) == (False, 100.0)
    # still wanted just before the hold is up: held, since the first time it was wanted
    assert settled(shown, rows, wanted, 100.0, now=100.0 + HOLD_SECONDS - 0.1) == (False, 100.0)
    assert settled(shown, rows, wanted, 100.0, now=100.0 + HOLD_SECONDS) == (True, None)


def test_a_count_that_comes_back_ends_the_hold() -> None:
    shown = plan_groups(40, (8, 10, 20), WIDE_FIXED, stacked=False)
    assert settled(shown, (8, 10, 20), shown, 100.0, now=101.0) == (False, None)


def test_a_long_queue_cut_either_way_does_not_move_the_screen() -> None:
    # 60 queueing calls fit no share: a ringing caller fewer gives the queue a line,
    # which hides no one that the lines in place show
    shown = plan_groups(30, (8, 60, 20), WIDE_FIXED, stacked=False)
    rows = (7, 60, 20)
    wanted = plan_groups(30, rows, WIDE_FIXED, stacked=False)
    assert wanted.queueing == shown.queueing + 1
    assert not cuts(shown, rows, wanted)
    assert settled(shown, rows, wanted, None, now=5.0) == (False, 5.0)


def test_the_first_share_is_laid_out_at_once() -> None:
    wanted = plan_groups(40, (3, 4, 5), WIDE_FIXED, stacked=False)
    assert settled(None, (3, 4, 5), wanted, None, now=0.0) == (True, None)
