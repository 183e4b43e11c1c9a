"""The status bar's words, from a PollerStatus built by hand and a frozen clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from rtdash.api import errors
from rtdash.core.clock import FrozenClock
from rtdash.core.feed import is_stale
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.core.status import STALE_INTERVALS, describe
from rtdash.core.thresholds import Level

from .rows import T0, at

UTC_ZONE = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")  # BST on T0 (1 May): UTC+1
LOOP = 1000.0  # an arbitrary loop time the status was made at


def status(
    phase: Phase = Phase.LIVE,
    *,
    interval: float = 2.0,
    calls: RouteHealth | None = None,
    users: RouteHealth | None = None,
    slow: bool = False,
) -> PollerStatus:
    fresh = RouteHealth(last_success=T0)
    return PollerStatus(
        phase=phase,
        interval=interval,
        routes={Route.CALLS: calls or fresh, Route.USERS: users or fresh},
        made_at=LOOP,
        slow=slow,
    )


# --- connection words ---------------------------------------------------------------


def test_connecting_before_any_data() -> None:
    empty = RouteHealth()
    text = describe(status(Phase.CONNECTING, calls=empty, users=empty), T0, LOOP, UTC_ZONE)
    assert (text.connection, text.connection_level) == ("connecting…", Level.WARN)
    assert (text.age, text.age_level, text.stale) == ("no data yet", Level.WARN, False)


def test_live() -> None:
    text = describe(status(), T0, LOOP, UTC_ZONE)
    assert (text.connection, text.connection_level) == ("live", Level.OK)


def test_live_slow_says_the_slow_interval() -> None:
    text = describe(status(interval=10, slow=True), T0, LOOP, UTC_ZONE)
    assert text.connection == "live (slow: every 10 s)"


def test_paused() -> None:
    text = describe(status(Phase.PAUSED), T0, LOOP, UTC_ZONE)
    assert (text.connection, text.connection_level) == ("paused", Level.WARN)


@pytest.mark.parametrize("seconds", [0, 59, 60, 150, 7200])
def test_paused_the_age_is_the_data_time_held_still(seconds: int) -> None:
    """A paused view is a still picture: its words say the data's time and that it is
    held, and never change while paused (no ``<1 min ago`` that means nothing)."""
    text = describe(status(Phase.PAUSED, interval=3600), at(seconds), LOOP, UTC_ZONE)
    assert text.age == "data as of 09:00:00 (not updating)"
    if seconds < 90:  # live keeps counting seconds
        live = describe(status(interval=3600), at(seconds), LOOP, UTC_ZONE)
        assert live.age == f"data as of 09:00:00 ({seconds} s ago)"


def test_paused_is_never_stale_however_old_the_picture() -> None:
    """The user asked for a still picture: "STALE" would say the link failed."""
    text = describe(status(Phase.PAUSED, interval=2), at(600), LOOP, UTC_ZONE)
    assert text.age == "data as of 09:00:00 (not updating)"
    assert (text.age_level, text.stale) == (Level.OK, False)


@pytest.mark.parametrize("via", ["", "hub"])
def test_stale_data_with_no_poll_failing_is_not_called_live(via: str) -> None:
    """A request that has not come back in three intervals fails no route yet: the
    line read "live · STALE: data as of …", live and stale at once, under a board
    that said DISCONNECTED. It says no answer came, as an alert."""
    text = describe(replace(status(interval=2), via=via), at(125), LOOP, UTC_ZONE)
    assert text.stale and text.age == "STALE: data as of 09:00:00 (2 min ago)"
    said = f"{via} · upstream no answer" if via else "no answer"
    assert (text.headline, text.connection, text.connection_level) == (said, said, Level.ALERT)
    fresh = describe(replace(status(interval=2), via=via), at(6), LOOP, UTC_ZONE)
    assert fresh.headline == (f"{via} · upstream live" if via else "live")


def test_sped_up_the_data_is_judged_by_the_pace_it_was_polled_at_until_the_next_poll() -> None:
    """60 s polling, 20 s after the last poll, sped up to 3 s: not late (the next poll
    is due within 3 s); once polled at the new pace the new interval judges it."""
    sped_up = replace(status(interval=3), data_interval=60)
    text = describe(sped_up, at(20), LOOP, UTC_ZONE)
    assert (text.age, text.stale) == ("data as of 09:00:00 (20 s ago)", False)
    assert not is_stale(sped_up, at(20))
    assert is_stale(sped_up, at(181)) and describe(sped_up, at(181), LOOP, UTC_ZONE).stale
    assert describe(status(interval=3), at(20), LOOP, UTC_ZONE).stale


def test_retrying_names_the_route_the_cause_and_the_wait() -> None:
    failing = RouteHealth(
        last_success=T0,
        failures=2,
        error=errors.UpstreamError("upstream error (HTTP 503)", 503),
        next_try=LOOP + 7.2,
    )
    text = describe(status(Phase.RETRYING, users=failing), T0, LOOP, UTC_ZONE)
    assert text.connection == "users: upstream error (HTTP 503), retrying in 8 s"
    assert text.connection_level is Level.ALERT
    # a moment later the count goes down
    later = describe(status(Phase.RETRYING, users=failing), T0, LOOP + 4.5, UTC_ZONE)
    assert later.connection.endswith("retrying in 3 s")


def test_retrying_now_while_the_retry_is_in_flight() -> None:
    failing = RouteHealth(error=errors.RequestTimeout("no answer from x in time"), next_try=None)
    text = describe(status(Phase.RETRYING, calls=failing), T0, LOOP, UTC_ZONE)
    assert text.connection == "calls: no answer from x in time, retrying now"


def test_retrying_both_routes_names_both() -> None:
    calls = RouteHealth(error=errors.ConnectionFailed("cannot connect to h"), next_try=LOOP + 2)
    users = RouteHealth(error=errors.RateLimited("rate limited (HTTP 429)", 30), next_try=LOOP + 30)
    text = describe(status(Phase.RETRYING, calls=calls, users=users), T0, LOOP, UTC_ZONE)
    assert text.connection == (
        "calls: cannot connect to h, retrying in 2 s; "
        "users: rate limited (HTTP 429), retrying in 30 s"
    )


def test_credentials_rejected_says_when_they_are_tried_again() -> None:
    """In minutes and seconds, one width from one second to the next: the wait is up
    to minutes, and the line around it must not move as it loses a digit."""
    error = errors.AuthFailed("credentials rejected (HTTP 401)")
    for wait, said in ((251.5, "4:12"), (9.0, "0:09"), (0.4, "0:01")):
        rejected = RouteHealth(error=error, next_try=LOOP + wait)
        text = describe(status(Phase.AUTH_FAILED, calls=rejected), T0, LOOP, UTC_ZONE)
        assert (text.headline, text.retry) == ("credentials rejected", f"retrying in {said}")
        assert (text.connection, text.connection_level) == (
            f"credentials rejected, retrying in {said}",
            Level.ALERT,
        )


def test_credentials_rejected_and_the_try_under_way() -> None:
    error = errors.AuthFailed("credentials rejected (HTTP 401)")
    for next_try in (None, LOOP, LOOP - 3.0):  # in flight, due, or a try that hangs
        rejected = RouteHealth(error=error, next_try=next_try)
        text = describe(status(Phase.AUTH_FAILED, calls=rejected), T0, LOOP, UTC_ZONE)
        assert text.retry == "retrying now", next_try


def test_a_retry_whose_time_has_come_is_under_way_not_in_0_s() -> None:
    """A status is made when a poll ends: while a retry's request hung, the countdown
    that had run out read "retrying in 0 s" until the request timed out."""
    hung = RouteHealth(error=errors.ConnectionFailed("cannot connect to h"), next_try=LOOP - 4.0)
    text = describe(status(Phase.RETRYING, calls=hung, users=hung), T0, LOOP, UTC_ZONE)
    assert text.brief == "retrying now"
    assert text.connection == "calls: cannot connect to h, retrying now; " + (
        "users: cannot connect to h, retrying now"
    )


def test_credentials_rejected_is_not_blamed_on_another_routes_error() -> None:
    calls = RouteHealth(error=errors.UpstreamError("upstream error (HTTP 503)", 503))
    users = RouteHealth(error=errors.AuthFailed("credentials rejected (HTTP 401)"))
    text = describe(status(Phase.AUTH_FAILED, calls=calls, users=users), T0, LOOP, UTC_ZONE)
    assert text.connection.startswith("credentials rejected")
    assert "503" not in text.connection


# --- data age and staleness ---------------------------------------------------------


def test_data_age_in_the_given_zone() -> None:
    text = describe(status(), at(5), LOOP, LONDON)
    assert text.age == "data as of 10:00:00 (5 s ago)"
    assert (text.age_level, text.stale) == (Level.OK, False)
    assert describe(status(), at(5), LOOP, UTC_ZONE).age == "data as of 09:00:00 (5 s ago)"


def test_age_is_of_the_oldest_route() -> None:
    s = status(calls=RouteHealth(last_success=at(4)), users=RouteHealth(last_success=at(1)))
    assert describe(s, at(5), LOOP, UTC_ZONE).age == "data as of 09:00:01 (4 s ago)"


def test_age_counts_minutes_and_hours_when_old() -> None:
    assert "(2 min ago)" in describe(status(interval=60), at(150), LOOP, UTC_ZONE).age
    assert "(2 h ago)" in describe(status(), at(7300), LOOP, UTC_ZONE).age


@pytest.mark.parametrize("interval", [1.0, 2.0, 1.5, 10.0])
def test_stale_only_past_three_intervals(interval) -> None:
    clock = FrozenClock(T0)
    s = status(interval=interval)
    threshold = STALE_INTERVALS * interval

    clock.advance(threshold)
    exactly = describe(s, clock.now(), LOOP, UTC_ZONE)
    assert not exactly.stale
    assert not exactly.age.startswith("STALE")
    assert exactly.age_level is Level.OK

    clock.advance(0.5)
    past = describe(s, clock.now(), LOOP, UTC_ZONE)
    assert past.stale
    assert past.age.startswith("STALE: data as of 09:00:00")
    assert past.age_level is Level.ALERT


def test_one_route_never_fetched_does_not_hide_the_other_routes_age() -> None:
    s = status(Phase.CONNECTING, calls=RouteHealth(last_success=T0), users=RouteHealth())
    text = describe(s, at(1) + timedelta(milliseconds=10), LOOP, UTC_ZONE)
    assert text.age == "data as of 09:00:00 (1 s ago)"


# --- unreadable rows ----------------------------------------------------------------


def test_unreadable_rows_are_summed_over_routes_and_warn() -> None:
    s = status(
        calls=RouteHealth(last_success=T0, unreadable=1),
        users=RouteHealth(last_success=T0, unreadable=1),
    )
    text = describe(s, at(1), LOOP, UTC_ZONE)
    assert text.age == "data as of 09:00:00 (1 s ago) · 2 rows unreadable"
    assert text.age_level is Level.WARN


def test_one_unreadable_row_is_singular() -> None:
    s = status(calls=RouteHealth(last_success=T0, unreadable=1))
    assert describe(s, at(1), LOOP, UTC_ZONE).age.endswith("· 1 row unreadable")


def test_unreadable_rows_do_not_soften_stale() -> None:
    s = status(calls=RouteHealth(last_success=T0, unreadable=2))
    text = describe(s, at(60), LOOP, UTC_ZONE)
    assert text.stale
    assert text.age.endswith("· 2 rows unreadable")
    assert text.age_level is Level.ALERT


def test_no_unreadable_note_when_all_rows_read() -> None:
    assert "unreadable" not in describe(status(), at(1), LOOP, UTC_ZONE).age


def test_retrying_briefly_says_the_soonest_retry_and_each_cause_once() -> None:
    """For a line too narrow for the whole connection (80 columns): the wait goes with
    the headline, and a cause every route shares is said once, without route names."""
    page = "the service sent a web page instead of data — a proxy or login page?"
    calls = RouteHealth(error=errors.NotData(page), next_try=LOOP + 16)
    users = RouteHealth(error=errors.NotData(page), next_try=LOOP + 3.5)
    text = describe(status(Phase.RETRYING, calls=calls, users=users), T0, LOOP, UTC_ZONE)
    assert (text.brief, text.causes) == ("retrying in 4 s", page)
    # one route failing, or two failing differently: each named
    text = describe(status(Phase.RETRYING, calls=calls), T0, LOOP, UTC_ZONE)
    assert text.causes == f"calls: {page}"
    refused = RouteHealth(error=errors.ConnectionFailed("cannot connect to h"), next_try=None)
    text = describe(status(Phase.RETRYING, calls=calls, users=refused), T0, LOOP, UTC_ZONE)
    assert (text.brief, text.causes) == (
        "retrying now",
        f"calls: {page}; users: cannot connect to h",
    )
    # live: nothing to say apart
    assert (describe(status(), T0, LOOP, UTC_ZONE).causes) == ""


def test_a_failing_routes_unreadable_rows_are_not_counted() -> None:
    """The count is its last good poll's: whether the service still sends such rows is
    not known while it fails, and the failure's cause needs the room."""
    failing = RouteHealth(
        last_success=T0,
        unreadable=1,
        error=errors.UpstreamError("upstream error (HTTP 500)", 500),
        next_try=LOOP + 2,
    )
    text = describe(status(Phase.RETRYING, calls=failing), T0, LOOP, UTC_ZONE)
    assert "unreadable" not in text.age, text.age
    read = RouteHealth(last_success=T0, unreadable=1)
    text = describe(status(Phase.RETRYING, calls=failing, users=read), T0, LOOP, UTC_ZONE)
    assert text.age.endswith("· 1 row unreadable"), text.age
