"""A lookup answer's durations brought forward while its call goes on (the lookup
modal draws them once a second); an ended call's are final and stay as read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rtdash.api.mapping import FieldMapping
from rtdash.api.models import CallerDetails, details_ticked, parse_caller

#: read at 09:14:00 + 62 s: 09:15:02
TRIGGERED = datetime(2026, 5, 1, 9, 14, tzinfo=UTC)
READ_AT = TRIGGERED + timedelta(seconds=62)


def _details(**changes: Any) -> CallerDetails:
    row = {
        "igrp": "1234",
        "srcPhoneNumber": "+447700900123",
        "destPhoneNumber": "201",
        "triggerDatetime": "2026-05-01 09:14:00",
        "callState": "in progress",
        "callDuration": "62",
        "bridgeDuration": "10",
        "chName": "Paid search",
        **changes,
    }
    return parse_caller(row, FieldMapping())


def test_a_talking_calls_durations_grow_by_the_seconds_since_they_were_read() -> None:
    later = details_ticked(_details(), READ_AT + timedelta(seconds=7))
    assert (later.call_duration, later.bridge_duration) == (69, 17)
    assert later.ch_name == "Paid search"


def test_a_call_not_yet_answered_grows_its_call_duration_only() -> None:
    waiting = _details(bridgeDuration="0", destPhoneNumber="")
    later = details_ticked(waiting, READ_AT + timedelta(seconds=7))
    assert (later.call_duration, later.bridge_duration) == (69, 0)


@pytest.mark.parametrize("state", ["answered", "abandoned", ""])
def test_an_ended_calls_durations_are_final(state: str) -> None:
    ended = _details(callState=state)
    assert details_ticked(ended, READ_AT + timedelta(hours=1)) is ended


@pytest.mark.parametrize("seconds", [0, -30])
def test_a_clock_not_past_the_read_never_counts_back(seconds: int) -> None:
    """A clock held at stale data's time (or behind the service's) shows them as read."""
    details = _details()
    assert details_ticked(details, READ_AT + timedelta(seconds=seconds)) is details


def test_a_held_clock_counts_them_back_to_where_the_dashboard_stopped() -> None:
    """Paused 15 s before the answer was read: they read as at the pause, as the
    dashboard's Total does; a talk time that began after it reads 0:00."""
    paused_at = READ_AT - timedelta(seconds=15)
    held = details_ticked(_details(), paused_at, held=True)
    assert (held.call_duration, held.bridge_duration) == (47, 0)
    half = details_ticked(_details(), paused_at + timedelta(seconds=0.5), held=True)
    assert half.call_duration == 47, "whole seconds down, as the dashboard's Total"
    assert details_ticked(_details(), paused_at) == _details(), "not held: as read"


def test_without_a_trigger_time_they_stay_as_read() -> None:
    details = _details(triggerDatetime="")
    assert details.trigger_time is None
    assert details_ticked(details, READ_AT + timedelta(seconds=7)) is details
