"""Durations, clock times and caller numbers as the screen and CLI show them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rtdash.core.format import REDACTED, WITHHELD, caller_kind, caller_label, clock_time, duration


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (0, "0:00"),
        (0.9, "0:00"),
        (59, "0:59"),
        (59.99, "0:59"),
        (60, "1:00"),
        (61, "1:01"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3661, "1:01:01"),
        (86399, "23:59:59"),
        (86400, "24:00:00"),
        (-1, "0:00"),
        (-3600, "0:00"),
    ],
)
def test_duration(seconds, text) -> None:
    assert duration(seconds) == text


def test_clock_time_in_the_given_zone() -> None:
    when = datetime(2026, 5, 1, 9, 14, 20, tzinfo=UTC)
    assert clock_time(when, ZoneInfo("UTC")) == "09:14:20"
    assert clock_time(when, ZoneInfo("Europe/London")) == "10:14:20"  # BST
    winter = datetime(2026, 1, 15, 23, 30, 5, tzinfo=UTC)
    assert clock_time(winter, ZoneInfo("Europe/London")) == "23:30:05"
    assert clock_time(winter, ZoneInfo("Asia/Kolkata")) == "05:00:05"


@pytest.mark.parametrize(
    ("raw", "pii_excluded", "kind"),
    [
        (None, False, "withheld"),
        ("", False, "withheld"),
        ("   ", False, "withheld"),
        (None, True, "redacted"),
        ("", True, "redacted"),
        ("anonymous", False, "withheld"),
        ("Anonymous", True, "withheld"),
        (" WITHHELD ", False, "withheld"),
        ("private", False, "withheld"),
        ("+4477******", False, "redacted"),
        ("+4477******", True, "redacted"),
        ("*******0123", False, "redacted"),
        ("redacted", False, "redacted"),
        ("+447700900123", False, "number"),
        ("+447700900123", True, "number"),
        ("07700900123", False, "number"),
    ],
)
def test_caller_kind(raw, pii_excluded, kind) -> None:
    assert caller_kind(raw, pii_excluded) == kind


@pytest.mark.parametrize(
    ("raw", "pii_excluded", "label"),
    [
        (None, False, WITHHELD),
        ("", False, WITHHELD),
        ("", True, REDACTED),
        (None, True, REDACTED),
        ("anonymous", False, WITHHELD),
        ("+4477******", False, REDACTED),
        ("+447700900123", False, "+44 7700 900123"),
        (" +447700900123 ", False, "+44 7700 900123"),
        ("+442035556780", True, "+44 20 3555 6780"),
        ("+14155550123", False, "+1 415-555-0123"),
    ],
)
def test_caller_label(raw, pii_excluded, label) -> None:
    assert caller_label(raw, pii_excluded) == label


def test_caller_label_never_invents_digits_for_a_number_it_cannot_format() -> None:
    # a national number is shown as sent: no country code is guessed for it
    assert caller_label("07700900123") == "07700900123"


def test_markers_read_without_colour() -> None:
    assert WITHHELD == "(withheld)"
    assert REDACTED == "(redacted)"
