"""The injectable clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rtdash.core.clock import FrozenClock, SystemClock

from .rows import T0


def test_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(T0)
    assert clock.now() == T0
    assert clock.now() == T0
    assert clock.monotonic() == 0.0
    clock.advance(2.5)
    assert clock.now() == T0 + timedelta(seconds=2.5)
    assert clock.monotonic() == 2.5


def test_frozen_clock_set_keeps_monotonic_in_step() -> None:
    clock = FrozenClock(T0)
    clock.set(T0 + timedelta(minutes=1))
    assert clock.now() == T0 + timedelta(minutes=1)
    assert clock.monotonic() == 60.0


def test_frozen_clock_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        FrozenClock(datetime(2026, 5, 1, 9, 0))


def test_system_clock_is_aware_and_monotonic() -> None:
    clock = SystemClock()
    assert clock.now().tzinfo is not None
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5
    first = clock.monotonic()
    assert clock.monotonic() >= first
