"""Today's totals start at the first watch, not at midnight: the part of the day before
it is said as the day's first unwatched period, and the periods are said once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rtdash.core.service import ServiceLevel
from rtdash.core.service_report import fmt_gaps

from .rows import T0
from .test_outcomes import snap, waiting

UTC = ZoneInfo("UTC")


def test_a_first_watch_at_nine_says_the_night_before_it_was_not_watched() -> None:
    service = ServiceLevel(UTC)
    service.observe_calls(snap(0, waiting("c1", 0)))  # T0 is 09:00
    report = service.report()
    assert report.gaps == ((T0.replace(hour=0), T0),)
    assert fmt_gaps(report.gaps) == "not watching 00:00–09:00"


def test_a_first_watch_at_midnight_leaves_nothing_unwatched() -> None:
    service = ServiceLevel(UTC)
    midnight = -9 * 3600.0  # T0 is 09:00
    service.observe_calls(snap(midnight + 2, waiting("c1", midnight)))
    assert service.report().gaps == ()


def test_a_day_watched_through_midnight_starts_with_nothing_unwatched() -> None:
    service = ServiceLevel(UTC)
    service.observe_calls(snap(0, waiting("c1", 0)))
    tomorrow = 15 * 3600.0  # 00:00 the next day
    service.observe_calls(snap(tomorrow - 5, waiting("c1", 0)))
    service.observe_calls(snap(tomorrow + 5, waiting("c1", 0)))
    assert service.report().gaps == ()


def test_the_periods_are_introduced_once_and_cut_to_the_room_keeping_the_latest() -> None:
    def period(start: str, seconds: float) -> tuple[datetime, datetime]:
        begin = datetime.fromisoformat(f"2026-05-01T{start}+00:00")
        return begin, begin + timedelta(seconds=seconds)

    gaps = [
        period("00:00:00", 13 * 3600),
        period("13:00:46", 28),
        period("13:01:29", 16),
        period("13:05:00", 30),
    ]
    whole = "not watching 00:00–13:00, 13:00:46–13:01:14, 13:01:29–13:01:45, 13:05:00–13:05:30"
    assert fmt_gaps(gaps) == whole
    assert fmt_gaps(gaps, room=len(whole)) == whole
    assert fmt_gaps(gaps, room=len(whole) - 1) == (
        "not watching 00:00–13:00, …, 13:01:29–13:01:45, 13:05:00–13:05:30"
    )
    least = "not watching 00:00–13:00, …, 13:05:00–13:05:30"
    assert fmt_gaps(gaps, room=len(least)) == least
    # no room for the first beside the latest: the latest is the news, "…" the rest
    assert fmt_gaps(gaps, room=len(least) - 1) == "not watching …, 13:05:00–13:05:30"
    assert fmt_gaps(gaps[:2], room=1) == "not watching …, 13:00:46–13:01:14"
