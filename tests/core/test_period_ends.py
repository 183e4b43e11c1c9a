"""An unwatched period is said as it was: it never ends at a time still to come, and
two periods never read as overlapping, whatever seconds they began and ended at."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from rtdash.core.service_report import fmt_gaps, fmt_period

UTC = ZoneInfo("UTC")
MIDNIGHT = datetime(2026, 5, 1, tzinfo=UTC)


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"2026-05-01T{clock}+00:00")


def test_the_night_ends_at_the_minute_of_the_first_watch_not_the_next() -> None:
    """Beside "data as of 21:26:14" the night cannot have run until 21:27."""
    assert fmt_gaps([(MIDNIGHT, at("21:26:14.300"))]) == "not watching 00:00–21:26"


def test_an_outage_in_the_first_minute_follows_the_night_it_does_not_overlap() -> None:
    gaps = [(MIDNIGHT, at("21:20:12.500")), (at("21:20:59"), at("21:22:09"))]
    assert fmt_gaps(gaps) == "not watching 00:00–21:20, 21:20:59–21:22:09"


def test_a_long_outage_in_the_minute_the_last_ended_is_said_to_the_second() -> None:
    """In minutes it would read 09:00–09:03 straight after a night to 09:00, as if
    nothing had been watched between them."""
    gaps = [(MIDNIGHT, at("09:00:20")), (at("09:00:40"), at("09:03:50"))]
    assert fmt_gaps(gaps) == "not watching 00:00–09:00, 09:00:40–09:03:50"
    assert fmt_period(at("09:00:40"), at("09:03:50")) == "09:00–09:03"


def test_a_short_period_rounds_down_to_the_second_it_ended() -> None:
    assert fmt_period(at("17:35:52.400"), at("17:35:59.400")) == "17:35:52–17:35:59"


def _moments(said: str) -> list[tuple[datetime, datetime]]:
    """The periods a line says, back as times on the test's day."""
    periods = []
    for start, end in re.findall(r"([\d:]+)–([\d:]+)", said):
        periods.append((at(start), at(end)))
    return periods


@st.composite
def _day_of_gaps(draw: st.DrawFn) -> list[tuple[datetime, datetime]]:
    """Periods in order, none overlapping, some seconds apart, some hours long."""
    moment = MIDNIGHT
    gaps = []
    for _ in range(draw(st.integers(1, 6))):
        moment += timedelta(milliseconds=draw(st.integers(0, 3_600_000)))
        end = moment + timedelta(milliseconds=draw(st.integers(5_000, 3_600_000)))
        gaps.append((moment, end))
        moment = end
    return gaps


@given(_day_of_gaps())
def test_no_period_is_said_to_end_later_than_it_did_or_after_the_next_began(
    gaps: list[tuple[datetime, datetime]],
) -> None:
    said = _moments(fmt_gaps(gaps))
    assert len(said) == len(gaps)
    for (shown_start, shown_end), (start, end) in zip(said, gaps, strict=True):
        assert shown_end <= end, (shown_end, end)
        assert shown_start <= start
        assert shown_end > shown_start, "a period never reads as empty"
    for (_, shown_end), (next_start, _) in pairwise(said):
        assert next_start >= shown_end, fmt_gaps(gaps)
