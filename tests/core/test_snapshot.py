"""CallsSnapshot and UsersSnapshot: grouping, order, dashboard filter, counts, equality."""

from __future__ import annotations

import itertools

from rtdash.api.models import CallState, UserState
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot

from .rows import T0, at, call, user

RINGING, QUEUEING, BRIDGED = CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED


def refs(calls) -> list[str]:
    return [c.call_ref for c in calls]


def ids(users) -> list[str]:
    return [u.user_id for u in users]


# --- calls --------------------------------------------------------------------------


def test_calls_are_grouped_by_state_in_display_order() -> None:
    rows = [
        call("b-1", BRIDGED, 5),
        call("q-1", QUEUEING, 10),
        call("r-1", RINGING, 20),
        call("q-2", QUEUEING, 30),
    ]
    snap = CallsSnapshot.build(rows, fetched_at=T0)

    assert refs(snap.groups[RINGING]) == ["r-1"]
    assert refs(snap.groups[QUEUEING]) == ["q-1", "q-2"]
    assert refs(snap.groups[BRIDGED]) == ["b-1"]
    # .calls walks the groups ringing, queueing, bridged, whatever the input order
    assert refs(snap.calls) == ["r-1", "q-1", "q-2", "b-1"]
    assert CALL_STATES == (RINGING, QUEUEING, BRIDGED)


def test_every_group_exists_even_when_empty() -> None:
    snap = CallsSnapshot.build([], fetched_at=T0)
    assert set(snap.groups) == set(CallState)
    assert all(snap.groups[state] == () for state in CallState)
    assert snap.calls == ()
    assert [snap.count(state) for state in CALL_STATES] == [0, 0, 0]


def test_oldest_state_start_first_so_longest_waiting_leads() -> None:
    rows = [call("q-new", QUEUEING, 50), call("q-old", QUEUEING, 5), call("q-mid", QUEUEING, 20)]
    snap = CallsSnapshot.build(rows, fetched_at=T0)
    assert refs(snap.groups[QUEUEING]) == ["q-old", "q-mid", "q-new"]


def test_order_is_by_state_start_not_call_start() -> None:
    # A rang long ago but only entered the queue late; B queued directly, earlier.
    a = call("A", QUEUEING, state_start=40, call_start=0)
    b = call("B", QUEUEING, state_start=30, call_start=30)
    snap = CallsSnapshot.build([a, b], fetched_at=T0)
    assert refs(snap.groups[QUEUEING]) == ["B", "A"]


def test_call_start_stands_in_for_a_missing_state_start() -> None:
    rows = [call("late", QUEUEING, 20), call("no-state-start", QUEUEING, None, call_start=10)]
    snap = CallsSnapshot.build(rows, fetched_at=T0)
    assert refs(snap.groups[QUEUEING]) == ["no-state-start", "late"]


def test_equal_start_times_are_ordered_by_call_ref_whatever_the_input_order() -> None:
    rows = [call("c-2", RINGING, 10), call("c-1", RINGING, 10), call("c-0", RINGING, 11)]
    for perm in itertools.permutations(rows):
        snap = CallsSnapshot.build(perm, fetched_at=T0)
        assert refs(snap.groups[RINGING]) == ["c-1", "c-2", "c-0"]


def test_unknown_start_times_sort_last_in_their_group() -> None:
    rows = [
        call("z-unknown", QUEUEING, None),
        call("a-unknown", QUEUEING, None),
        call("known-late", QUEUEING, 3600),
        call("known-early", QUEUEING, 1),
    ]
    snap = CallsSnapshot.build(rows, fetched_at=T0)
    assert refs(snap.groups[QUEUEING]) == ["known-early", "known-late", "a-unknown", "z-unknown"]


def test_start_times_in_different_zones_compare_as_instants() -> None:
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")  # BST in May: 10:00:05 London is 09:00:05 UTC
    earlier_in_london = call("L", QUEUEING).model_copy(
        update={"state_start": at(5).astimezone(london)}
    )
    later_in_utc = call("U", QUEUEING, 6)
    snap = CallsSnapshot.build([later_in_utc, earlier_in_london], fetched_at=T0)
    assert refs(snap.groups[QUEUEING]) == ["L", "U"]


def test_count_per_state_and_unreadable_kept() -> None:
    rows = [call("r", RINGING, 1), call("q1", QUEUEING, 1), call("q2", QUEUEING, 2)]
    snap = CallsSnapshot.build(rows, fetched_at=T0, unreadable=3)
    assert (snap.count(RINGING), snap.count(QUEUEING), snap.count(BRIDGED)) == (1, 2, 0)
    assert snap.unreadable == 3
    assert snap.fetched_at == T0


def test_calls_same_rows_for_equal_rows_built_separately() -> None:
    def rows():
        return [call("q-1", QUEUEING, 10, src_number="+447700900123"), call("b-1", BRIDGED, 2)]

    first = CallsSnapshot.build(rows(), fetched_at=T0)
    # other objects, other input order, a later fetch: still the same rows
    second = CallsSnapshot.build(list(reversed(rows())), fetched_at=at(2))
    assert first.same_rows(second)
    assert second.same_rows(first)


def test_calls_same_rows_sees_any_changed_field_and_none() -> None:
    base = CallsSnapshot.build([call("q-1", QUEUEING, 10, queue_duration=5)], fetched_at=T0)
    moved = CallsSnapshot.build([call("q-1", BRIDGED, 10, queue_duration=5)], fetched_at=T0)
    ticked = CallsSnapshot.build([call("q-1", QUEUEING, 10, queue_duration=6)], fetched_at=T0)
    gone = CallsSnapshot.build([], fetched_at=T0)
    assert not base.same_rows(moved)
    assert not base.same_rows(ticked)
    assert not base.same_rows(gone)
    assert not base.same_rows(None)


# --- users --------------------------------------------------------------------------


def test_users_sorted_by_state_start() -> None:
    rows = [user("3", state_start=300), user("1", state_start=100), user("2", state_start=200)]
    snap = UsersSnapshot.build(rows, fetched_at=T0)
    assert ids(snap.users) == ["1", "2", "3"]


def test_users_tie_break_is_stable_name_case_insensitive_then_id() -> None:
    rows = [
        user("7", state_start=10, name="bob"),
        user("5", state_start=10, name="Alice"),
        user("9", state_start=10, name="alice"),
        user("10", state_start=10, name="alice"),
        user("1", state_start=11, name="Aaron"),
    ]
    expected = ["10", "5", "9", "7", "1"]
    for perm in itertools.permutations(rows):
        assert ids(UsersSnapshot.build(perm, fetched_at=T0).users) == expected


def test_users_with_unknown_state_start_sort_last() -> None:
    rows = [user("nostart", state_start=None), user("late", state_start=9999)]
    snap = UsersSnapshot.build(rows, fetched_at=T0)
    assert ids(snap.users) == ["late", "nostart"]


def test_dashboard_only_by_default_all_on_request_both_sorted() -> None:
    rows = [
        user("off-early", state_start=1, dashboard=False),
        user("on-late", state_start=30),
        user("on-early", state_start=2),
    ]
    snap = UsersSnapshot.build(rows, fetched_at=T0)
    assert ids(snap.visible(show_all=False)) == ["on-early", "on-late"]
    assert ids(snap.dashboard_users) == ["on-early", "on-late"]
    assert ids(snap.visible(show_all=True)) == ["off-early", "on-early", "on-late"]


def test_user_counts_dashboard_only_vs_all() -> None:
    rows = [
        user("a", UserState.AVAILABLE),
        user("b", UserState.AVAILABLE, dashboard=False),
        user("c", UserState.UNAVAILABLE),
        user("d", UserState.UNAVAILABLE, dashboard=False),
        user("e", UserState.UNAVAILABLE, dashboard=False),
    ]
    snap = UsersSnapshot.build(rows, fetched_at=T0)
    assert snap.counts() == {UserState.AVAILABLE: 1, UserState.UNAVAILABLE: 1}
    assert snap.counts(show_all=True) == {UserState.AVAILABLE: 2, UserState.UNAVAILABLE: 3}


def test_user_counts_have_every_state_when_empty() -> None:
    snap = UsersSnapshot.build([], fetched_at=T0)
    assert snap.counts() == {UserState.AVAILABLE: 0, UserState.UNAVAILABLE: 0}


def test_users_same_rows() -> None:
    def rows():
        return [user("1", state_start=5, name="A"), user("2", state_start=6, name="B")]

    first = UsersSnapshot.build(rows(), fetched_at=T0)
    assert first.same_rows(UsersSnapshot.build(list(reversed(rows())), fetched_at=at(2)))
    changed = [user("1", UserState.UNAVAILABLE, state_start=5, name="A"), rows()[1]]
    assert not first.same_rows(UsersSnapshot.build(changed, fetched_at=T0))
    off_board = [rows()[0], user("2", state_start=6, name="B", dashboard=False)]
    assert not first.same_rows(UsersSnapshot.build(off_board, fetched_at=T0))
    assert not first.same_rows(None)


def test_again_keeps_the_very_rows_with_a_new_fetch_time() -> None:
    calls = CallsSnapshot.build([call("q-1", QUEUEING, 10), call("b-1", BRIDGED, 2)], T0, 1)
    again = calls.again(at(1))
    assert again.groups is calls.groups and again.unreadable == 1
    assert (again.fetched_at, again.unchanged, calls.unchanged) == (at(1), True, False)
    assert again.same_rows(calls) and calls.same_rows(again)

    board = [user("1", state_start=5, name="A"), user("2", state_start=6, dashboard=False)]
    users = UsersSnapshot.build(board, fetched_at=T0)
    users_again = users.again(at(1))
    assert users_again.users is users.users
    assert users_again.dashboard_users is users.dashboard_users
    assert users_again.unchanged and users_again.same_rows(users)
