"""The counters of a period: each outcome counted into the installation's tally, its
queue's and its agent's, whatever the event's exact class (no network, no Textual)."""

from __future__ import annotations

import json
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


@dataclass(frozen=True, slots=True)
class LateOffer(Offered):
    """An offer of a class of its own: counted as an offer, not by the offers' shortcut."""


def test_a_poll_s_events_counted_together_count_as_one_by_one() -> None:
    """handle_all of a poll's events leaves the counters handle leaves, event by event:
    every tally, its agents, the minutes noted for the saver, and the order the minutes
    and queues were first met in (the saved state's order). The events cross midnight
    (before it: the minute only), include minutes too old to keep (neither), and
    offers of a class of their own."""
    zone = ZoneInfo("UTC")
    midnight = 1_767_225_600.0
    now = midnight + 90
    events = [
        Offered("c1", "sales", midnight - 30),
        Abandoned("c0", "help", midnight - 20, 40.0),
        Offered("c2", "help", midnight + 10),
        Offered("c3", "sales", now - 4000),  # more than an hour ago: no minute of its own
        Answered("c1", "sales", midnight + 12, 42.0, "a.one"),
        LateOffer("c4", "vip", midnight + 30),
        Offered("c5", "sales", midnight + 31),
        Abandoned("c2", "help", midnight + 70, 60.0),
        Unknown("c6", "vip", midnight + 80, 9.0),
        Answered("c5", "sales", midnight + 85, None, "a.two"),
        Offered("c7", "help", midnight + 86),
    ]
    one_by_one, together = (ServiceMetrics(zone, short_abandon=SHORT) for _ in range(2))
    for metrics in (one_by_one, together):
        metrics.day_start = midnight
        metrics.advance(now)
        metrics.changes = set()
    for event in events:
        one_by_one.handle(event)
    together.handle_all(events)
    assert json.dumps(together.to_dict()) == json.dumps(one_by_one.to_dict())
    assert (
        together.changes
        == one_by_one.changes
        == {int(midnight // 60) - 1, *range(int(midnight // 60), int(midnight // 60) + 2)}
    )
    assert together.day.total.offered == 4  # c2, c4, c5, c7: c1 and c3 came before midnight
    assert int((now - 4000) // 60) not in together.minutes
    assert list(together.minutes) == list(one_by_one.minutes)
    assert [list(p.queues) for p in together.minutes.values()] == [
        list(p.queues) for p in one_by_one.minutes.values()
    ]


def test_the_first_events_a_tracker_counts_start_its_day() -> None:
    """With no day yet, handle_all starts it at the first event's, as handle does."""
    zone = ZoneInfo("UTC")
    at = 1_767_225_600.0 + 5 * 3600
    events = [Offered("c1", "sales", at), Abandoned("c1", "sales", at + 30, 30.0)]
    one_by_one, together = (ServiceMetrics(zone, short_abandon=SHORT) for _ in range(2))
    for event in events:
        one_by_one.handle(event)
    together.handle_all(events)
    assert together.day_start == one_by_one.day_start == 1_767_225_600.0
    assert json.dumps(together.to_dict()) == json.dumps(one_by_one.to_dict())
    together.handle_all([])
    assert json.dumps(together.to_dict()) == json.dumps(one_by_one.to_dict())
