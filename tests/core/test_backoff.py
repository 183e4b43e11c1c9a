"""The poller's backoff arithmetic and interval bounds: pure functions, no loop."""

from __future__ import annotations

import random

import pytest

from rtdash.core.poller import (
    MAX_INTERVAL,
    MAX_RETRY_AFTER,
    MIN_INTERVAL,
    backoff_delay,
    clamp_interval,
)

# --- backoff_delay ------------------------------------------------------------------


@pytest.mark.parametrize("failures", [1, 2, 3, 4, 5])
def test_backoff_doubles_from_the_interval_within_20_percent(failures) -> None:
    base = 2.0 * 2 ** (failures - 1)
    delays = [backoff_delay(failures, 2.0, 1000, rng=random.Random(seed)) for seed in range(200)]
    assert all(0.8 * base <= d <= 1.2 * base for d in delays)
    # the jitter is real: it uses most of the ±20 % band
    assert min(delays) < 0.85 * base
    assert max(delays) > 1.15 * base


def test_backoff_is_reproducible_with_a_seeded_rng() -> None:
    first = [backoff_delay(n, 1.0, 60, rng=random.Random(42)) for n in range(1, 8)]
    again = [backoff_delay(n, 1.0, 60, rng=random.Random(42)) for n in range(1, 8)]
    assert first == again


def test_no_failures_yet_backs_off_like_the_first() -> None:
    assert backoff_delay(0, 3.0, 60, rng=random.Random(1)) == backoff_delay(
        1, 3.0, 60, rng=random.Random(1)
    )


def test_backoff_never_exceeds_max_backoff() -> None:
    for failures in (6, 7, 10, 30):
        for seed in range(50):
            assert backoff_delay(failures, 2.0, 60, rng=random.Random(seed)) <= 60


def test_backoff_keeps_its_jitter_at_the_cap() -> None:
    # many wallboards behind one proxy must not retry in step during a long outage
    delays = {backoff_delay(20, 2.0, 60, rng=random.Random(seed)) for seed in range(50)}
    assert len(delays) > 10
    assert all(0.8 * 60 <= d <= 60 for d in delays)


def test_backoff_after_a_very_long_outage_does_not_overflow() -> None:
    # at a 60 s cap, 1100 failures in a row is about 18 hours of a down upstream
    for failures in (1024, 1100, 10**6):
        assert 48 <= backoff_delay(failures, 2.0, 60, rng=random.Random(3)) <= 60


def test_retry_after_is_a_floor() -> None:
    assert backoff_delay(1, 1.0, 60, retry_after=30, rng=random.Random(0)) == 30
    # shorter than the backoff: the backoff wins
    assert backoff_delay(4, 2.0, 60, retry_after=3, rng=random.Random(0)) >= 0.8 * 16
    assert backoff_delay(1, 1.0, 60, retry_after=0, rng=random.Random(0)) >= 0.8


def test_retry_after_beats_max_backoff_but_not_max_retry_after() -> None:
    assert backoff_delay(1, 1.0, 60, retry_after=120, rng=random.Random(0)) == 120
    assert MAX_RETRY_AFTER == 900
    assert backoff_delay(1, 1.0, 60, retry_after=86400, rng=random.Random(0)) == MAX_RETRY_AFTER


def test_backoff_without_an_rng() -> None:
    assert 0.8 <= backoff_delay(1, 1.0, 60) <= 1.2


@pytest.mark.parametrize(
    ("asked", "got"),
    [(0, 1.0), (0.01, 1.0), (0.999, 1.0), (-5, 1.0), (1, 1.0), (2.5, 2.5), (10**6, 3600.0)],
)
def test_clamp_interval(asked, got) -> None:
    assert clamp_interval(asked) == got
    assert (MIN_INTERVAL, MAX_INTERVAL) == (1.0, 3600.0)
