"""The counters of a period: each outcome counted into the installation's tally, its
queue's and its agent's, whatever the event's exact class (no network, no Textual)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rtdash.core.outcomes import Abandoned, Answered, Offered, Unknown
from rtdash.core.service_metrics import ServiceMetrics
from rtdash.core.service_tally import Period, Tally

SHORT = 5.0


@dataclass(frozen=True, slots=True)
class LateAnswer(Answered):
    """An outcome of a class of its own (a consumer's): still an answer."""

    note: str = ""


def _counts(tally: Tally) -> tuple[object, ...]:
    return (
        tally.offered,
        tally.answered,
        tally.answered_unknown,
        tally.abandoned,
        tally.short_abandoned,
        tally.unknown,
        tally.wait_sum,
        tally.longest_answer,
        tally.longest_wait,
        dict(tally.waits),
    )


def test_each_outcome_counts_in_the_total_its_queue_and_its_agent() -> None:
    period = Period()
    for event in (
        Offered("c1", "sales", 0.0),
        Offered("c2", "help", 0.0),
        Answered("c1", "sales", 12.0, 12.0, "a.one"),
        Answered("c3", "sales", 14.0, None, "a.one"),
        Answered("c4", "help", 30.0, 20.5, ""),
        Abandoned("c2", "help", 40.0, 40.0),
        Abandoned("c5", "help", 41.0, 2.0),
        Unknown("c6", "sales", 50.0, 9.0),
    ):
        period.add(event, SHORT)
    assert _counts(period.total) == (2, 3, 1, 2, 1, 1, 32.5, 20.5, 40.0, {12: 1, 21: 1})
    assert _counts(period.queues["sales"]) == (1, 2, 1, 0, 0, 1, 12.0, 12.0, 12.0, {12: 1})
    assert _counts(period.queues["help"]) == (1, 1, 0, 2, 1, 0, 20.5, 20.5, 40.0, {21: 1})
    # an answer without an agent key counts for nobody
    assert period.agents == {"a.one": 2}


def test_a_longest_wait_is_the_longest_answer_or_abandon_in_any_order() -> None:
    tally = Tally()
    tally.add(Abandoned("c1", "q", 0.0, 30.0), SHORT)
    tally.add(Answered("c2", "q", 0.0, 10.0, "a"), SHORT)
    tally.add(Answered("c3", "q", 0.0, 25.0, "a"), SHORT)
    tally.add(Answered("c4", "q", 0.0, 3.0, "a"), SHORT)
    assert (tally.longest_answer, tally.longest_wait) == (25.0, 30.0)
    tally.add(Abandoned("c5", "q", 0.0, 45.0), SHORT)
    assert (tally.longest_answer, tally.longest_wait) == (25.0, 45.0)


def test_an_outcome_of_a_subclass_counts_as_its_outcome_and_anything_else_not_at_all() -> None:
    period = Period()
    period.add(LateAnswer("c1", "sales", 9.0, 9.0, "a.one", note="x"), SHORT)
    period.add(LateAnswer("c2", "sales", 9.0, None, "a.two"), SHORT)
    assert _counts(period.total) == (0, 2, 1, 0, 0, 0, 9.0, 9.0, 9.0, {9: 1})
    assert period.agents == {"a.one": 1, "a.two": 1}
    assert set(period.queues) == {"sales"}
    before = _counts(period.total)
    period.total.add("not an outcome", SHORT)  # type: ignore[arg-type]
    assert _counts(period.total) == before


def test_an_event_counts_in_the_day_and_its_minute_and_can_be_taken_back() -> None:
    metrics = ServiceMetrics(ZoneInfo("UTC"), short_abandon=SHORT)
    now = 1_767_225_600.0 + 9 * 3600  # a morning
    metrics.advance(now)
    answer = Answered("c1", "sales", now - 61, 15.0, "a.one")
    metrics.handle(Offered("c1", "sales", now - 76))
    metrics.handle(answer)
    metrics.handle(Abandoned("c2", "sales", now - 1, 3.0))
    minute = int(now // 60)
    assert set(metrics.minutes) == {minute - 2, minute - 1}
    assert _counts(metrics.minutes[minute - 2].total)[:2] == (1, 1)
    assert _counts(metrics.minutes[minute - 1].total)[3:5] == (1, 1)
    assert _counts(metrics.day.total)[:6] == (1, 1, 0, 1, 1, 0)
    metrics.unhandle(answer)
    assert _counts(metrics.day.total)[1] == 0 and metrics.day.agents == {"a.one": 0}
    assert metrics.minutes[minute - 2].total.answered == 0
