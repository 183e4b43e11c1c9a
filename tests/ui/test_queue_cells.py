"""A queue's SL % and abandons are judged by the thresholds only once enough of its
calls have an outcome; before that they are dim, so a quiet queue's 50 % does not read
as calmer than a busy queue's 55 % marked red beside it."""

from __future__ import annotations

from datetime import UTC, datetime

from rtdash.core.queues import QueueDay
from rtdash.core.service_tiles import MIN_CALLS, ServiceThresholds
from rtdash.core.thresholds import Level, Thresholds
from rtdash.ui.widgets.palette import LEVEL_MARK, LEVEL_STYLE
from rtdash.ui.widgets.queue_cells import FEW, queue_cells
from tests.core.rows import outcomes


def _day(answered: int, within: int, abandoned: int) -> QueueDay:
    return QueueDay("billing", None, outcomes(answered, within, abandoned, "billing"))


def test_too_few_outcomes_are_dim_and_unmarked_and_enough_are_judged() -> None:
    service, now = ServiceThresholds(), datetime(2024, 5, 1, 9, tzinfo=UTC)
    few = queue_cells(_day(3, 1, 1), now, Thresholds(), service)  # 4 outcomes, SL 25 %
    assert (few["sl"].plain, few["abandoned"].plain) == ("25%", "1")
    assert str(few["sl"].style) == FEW and str(few["abandoned"].style) == FEW
    answered = MIN_CALLS + 2
    many = queue_cells(_day(answered, 1, 2), now, Thresholds(), service)
    level = service.sl(100 / (answered + 2), answered + 2)
    assert level is Level.ALERT
    assert many["sl"].plain.endswith(LEVEL_MARK[level])
    assert str(many["sl"].style) == LEVEL_STYLE[level] != FEW
