"""A state's start as an order key: the same as its timestamp however often it is asked
(the answers are held by the start's identity), a fold told apart, and few held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rtdash.core import row_order
from rtdash.core.row_order import start_key

LONDON = ZoneInfo("Europe/London")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=datetime(2000, 1, 1),
            max_value=datetime(2100, 1, 1),
            timezones=st.sampled_from([LONDON, ZoneInfo("America/New_York"), UTC]),
            allow_imaginary=False,
        ),
        min_size=1,
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_each_start_keys_as_its_timestamp_asked_once_or_many_times(
    starts: list[datetime], draw_order: object
) -> None:
    asked = starts * 3
    draw_order.shuffle(asked)  # type: ignore[attr-defined]
    assert [start_key(when) for when in asked] == [when.timestamp() for when in asked]


def test_the_hour_a_clock_goes_back_is_keyed_by_the_instant_not_the_wall_time() -> None:
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # BST, an hour earlier
    second = first.replace(fold=1)  # GMT, the same wall time again
    assert start_key(second) - start_key(first) == 3600
    assert start_key(first) == first.timestamp() and start_key(second) == second.timestamp()


def test_equal_starts_that_are_other_objects_are_keyed_alike() -> None:
    when = datetime(2026, 5, 1, 7, 45, 3, tzinfo=LONDON)
    twin = when + timedelta(0)  # another object, equal
    assert twin is not when
    assert start_key(when) == start_key(twin) == when.timestamp()


def test_none_goes_last() -> None:
    assert start_key(None) > start_key(datetime(2200, 1, 1, tzinfo=UTC))


def test_no_more_starts_are_held_than_the_bound_however_many_are_asked() -> None:
    """Each start made and let go at once: its address is soon another's, whose key
    must still be its own."""
    base = datetime(2026, 5, 1, tzinfo=UTC)
    for second in range(row_order.STARTS_HELD * 5 + 3):
        when = base + timedelta(seconds=second)
        assert start_key(when) == when.timestamp()
        del when
        assert len(row_order._STARTS) <= row_order.STARTS_HELD
