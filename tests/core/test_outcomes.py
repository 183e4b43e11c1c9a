"""Call outcomes and service metrics inferred from snapshots (no network, no Textual)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.models import ActiveCall, CallState, UserState
from rtdash.core.outcomes import Abandoned, Answered, Offered, OutcomeTracker
from rtdash.core.service import ServiceLevel
from rtdash.core.service_report import fmt_gaps
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.core.source import SnapshotSink

from .rows import T0, at, call, user

R, Q, B = CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED
UTC = ZoneInfo("UTC")


def snap(t: float, *calls: ActiveCall, unreadable: int = 0) -> CallsSnapshot:
    stamp = at(t)
    assert stamp is not None
    return CallsSnapshot.build(calls, stamp, unreadable)


def users(t: float, *rows: object) -> UsersSnapshot:
    stamp = at(t)
    assert stamp is not None
    return UsersSnapshot.build(rows, stamp)  # type: ignore[arg-type]


def bridged(ref: str, answered: float, start: float, agent: str = "a.one", **kw: object):
    return call(ref, B, answered, start, queue="sales", agent_ref=agent, **kw)


def waiting(ref: str, start: float, state: CallState = Q, queue: str = "sales"):
    return call(ref, state, start, start, queue=queue)


def test_events_of_an_answered_and_an_abandoned_call() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(10, waiting("c1", 3), waiting("c2", 8, R)))
    tracker.observe_calls(snap(12, waiting("c1", 3), waiting("c2", 8)))
    # c1 answered at 13 (the bridged row's state start), c2 hung up between 12 and 14
    tracker.observe_calls(snap(14, bridged("c1", 13, 3)))
    assert events == [
        Offered("c2", "sales", T0.timestamp() + 8),  # ringing rows come first
        Offered("c1", "sales", T0.timestamp() + 3),
        Answered("c1", "sales", T0.timestamp() + 13, 10.0, "a.one"),
        Abandoned("c2", "sales", T0.timestamp() + 13, 5.0),
    ]
    # when c1 goes, nothing more is counted: it was counted when answered
    tracker.observe_calls(snap(400))
    assert len(events) == 4 and tracker.calls == {} and tracker.on_call == {}


def test_a_poll_s_events_go_together_to_emit_all_in_the_order_emit_hears_them() -> None:
    """One call of ``emit_all`` per poll with events, in the order ``emit`` gets them one
    by one; and a poll that fails half way still tells what it found before it failed."""
    one_by_one: list[object] = []
    batches: list[list[object]] = []
    trackers = OutcomeTracker(one_by_one.append), OutcomeTracker(emit_all=batches.append)
    polls = [
        snap(10, waiting("c1", 3), waiting("c2", 8, R)),
        snap(12, waiting("c1", 3), waiting("c2", 8)),
        snap(13, waiting("c1", 3), waiting("c2", 8)),
        snap(14, bridged("c1", 13, 3), waiting("c3", 14)),
    ]
    for poll in polls:
        for tracker in trackers:
            tracker.observe_calls(poll)
    assert [len(batch) for batch in batches] == [2, 3]  # the 2nd and 3rd polls told nothing
    assert [event for batch in batches for event in batch] == one_by_one
    told = trackers[1]

    def fail(tracked: object, state: object, row: object, now: float) -> None:
        raise RuntimeError("a change this tracker cannot take")

    told._change = fail  # type: ignore[method-assign]  # the next changed row fails
    with pytest.raises(RuntimeError, match="cannot take"):
        told.observe_calls(snap(16, bridged("c1", 13, 3), bridged("c3", 15, 14), waiting("c4", 16)))
    assert batches[-1] == [Offered("c4", "sales", T0.timestamp() + 16)]


def test_answer_time_without_row_times_is_halfway_between_polls() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(10, call("c1", Q, None, 0, queue="q")))
    tracker.observe_calls(snap(20, call("c1", B, None, 0, queue="q", agent_name="Ann")))
    answered = events[-1]
    assert isinstance(answered, Answered)
    assert answered.wait == 15.0 and answered.agent == "Ann"
    # an implausible state start (before the call was last seen waiting) is not believed
    tracker.observe_calls(snap(30, call("c2", Q, None, 0, queue="q")))
    tracker.observe_calls(snap(32, call("c2", B, 5, 0, queue="q")))
    last = events[-1]
    assert isinstance(last, Answered) and last.wait == 31.0


def _service(**kw: float) -> ServiceLevel:
    return ServiceLevel(UTC, **kw)


def test_service_level_formula_and_short_abandons() -> None:
    service = _service(sl_seconds=20, short_abandon=5)
    sink: SnapshotSink = service  # the feed's consumer shape
    # four calls answered after 5, 15, 25 and 40 s; one long abandon; one short one
    sink.on_calls(
        snap(0, *(waiting(f"c{i}", 0) for i in range(4)), waiting("x", 0), waiting("s", 0))
    )
    sink.on_calls(
        snap(
            2,
            *(waiting(f"c{i}", 0) for i in range(4)),
            waiting("x", 0),
        )
    )  # "s" held on 0..2 s: vanished halfway, 1 s
    rows = [bridged("c0", 5, 0), waiting("c1", 0), waiting("c2", 0), waiting("c3", 0)]
    sink.on_calls(snap(10, *rows, waiting("x", 0)))
    rows = [bridged("c0", 5, 0), bridged("c1", 15, 0, "a.two"), waiting("c2", 0), waiting("c3", 0)]
    sink.on_calls(snap(20, *rows, waiting("x", 0)))
    rows = [bridged("c0", 5, 0), bridged("c1", 15, 0, "a.two"), bridged("c2", 25, 0)]
    sink.on_calls(snap(30, *rows, waiting("c3", 0), waiting("x", 0)))
    rows += [bridged("c3", 40, 0, "a.two")]
    sink.on_calls(snap(41, *rows))  # x gave up between 30 and 41: held 35.5 s
    total = service.report().total
    assert (total.offered, total.answered, total.abandoned, total.short_abandoned) == (6, 4, 2, 1)
    assert total.answered_within_sl == 2
    # SL = answered within 20 s / (answered + abandoned - short) = 2 / (4 + 2 - 1)
    assert total.sl_percent == 40.0
    assert total.abandon_percent == 20.0
    assert total.asa == (5 + 15 + 25 + 40) / 4
    assert total.longest_answer == 40.0 and total.longest_wait == 40.0
    agents = {a.key: a.answered for a in service.report().agents}
    assert agents == {"a.one": 2, "a.two": 2}
    queue = service.report().queue("sales")
    assert queue is not None and queue.name == "sales"
    assert (queue.answered, queue.sl_percent) == (4, 40.0)


def test_seen_only_bridged_counts_as_answered_with_unknown_wait() -> None:
    service = _service()
    service.observe_calls(snap(100, call("b1", B, None, None, queue="q", agent_ref="a")))
    # and one whose row says when it started and was answered: that wait is known
    service.observe_calls(
        snap(102, call("b1", B, None, None, queue="q", agent_ref="a"), bridged("b2", 90, 80))
    )
    total = service.report().total
    assert total.answered == 2 and total.answered_unknown_wait == 1
    assert total.asa == 10.0  # only the known wait
    assert total.sl_percent == 100.0  # 1 within / (2 answered - 1 unknown + 0 abandoned)


def test_an_unchanged_snapshot_costs_nothing_and_still_dates_a_vanish() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    first = snap(0, waiting("c1", 0))
    tracker.observe_calls(first)
    for t in range(2, 60, 2):
        stamp = at(t)
        assert stamp is not None
        tracker.observe_calls(first.again(stamp))
    assert tracker.calls["c1"].last_seen == T0.timestamp()  # untouched per call
    tracker.observe_calls(snap(60))
    assert events[-1] == Abandoned("c1", "sales", T0.timestamp() + 59, 59.0)


def test_unreadable_rows_do_not_make_calls_vanish() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(0, waiting("c1", 0), waiting("c2", 0)))
    tracker.observe_calls(snap(2, waiting("c1", 0), unreadable=1))
    assert set(tracker.calls) == {"c1", "c2"}
    tracker.observe_calls(snap(4, waiting("c1", 0)))
    assert events[-1] == Abandoned("c2", "sales", T0.timestamp() + 1, 1.0)


def test_calls_gone_during_a_gap_have_an_unknown_outcome() -> None:
    service = _service()
    service.observe_calls(snap(0, waiting("c1", 0), waiting("c2", 0)))
    service.observe_calls(snap(300, waiting("c2", 0)))  # no poll for 5 minutes
    report = service.report()
    assert report.total.abandoned == 0 and report.total.unknown == 1
    # the day before the first poll was not watched either (see the test after it)
    assert [(a.time(), b.time()) for a, b in report.gaps[1:]] == [(at(0).time(), at(300).time())]  # type: ignore[union-attr]
    assert fmt_gaps([report.gaps[1]]) == "not watching 09:00–09:05"


def test_windows_and_midnight_in_the_installation_zone() -> None:
    london = ZoneInfo("Europe/London")  # UTC+1 in May: midnight is 23:00 UTC
    service = ServiceLevel(london)
    # 22:50 UTC (23:50 local) a call is answered; 23:10 UTC (00:10 local) another
    base = 13 * 3600 + 50 * 60  # T0 is 09:00 UTC
    service.observe_calls(snap(base, waiting("c1", base - 10)))
    service.observe_calls(snap(base + 2, bridged("c1", base + 1, base - 10)))
    assert service.report().total.answered == 1
    late = base + 20 * 60
    service.observe_calls(snap(late, bridged("c1", base + 1, base - 10), waiting("c2", late)))
    today = service.report()
    assert today.since.hour == 0 and today.since.tzinfo == london
    assert today.total.answered == 0 and today.total.offered == 1  # a new day
    service.observe_calls(snap(late + 2, bridged("c2", late + 1, late)))
    assert service.report().total.answered == 1
    # the hour window spans midnight; the 15-minute one does not reach back to 23:51
    assert service.report("60m").total.answered == 2
    assert service.report("15m").total.answered == 1


def test_agent_time_on_call_available_away() -> None:
    service = _service()
    service.observe_users(
        users(0, user("1", UserState.AVAILABLE, 0, name="Ann", operator_ref="a.one"))
    )
    service.observe_calls(snap(0, waiting("c1", 0)))
    service.observe_calls(snap(60, bridged("c1", 60, 0)))  # on a call from 60
    service.observe_users(
        users(62, user("1", UserState.UNAVAILABLE, 60, name="Ann", operator_ref="a.one"))
    )
    service.observe_calls(snap(300, bridged("c1", 60, 0)))
    service.observe_calls(snap(302))  # the call ended: unavailable, so away (wrap-up)
    service.observe_users(
        users(400, user("1", UserState.AVAILABLE, 399, name="Ann", operator_ref="a.one"))
    )
    service.observe_calls(snap(500))
    agent = service.report().agents[0]
    assert (agent.key, agent.name, agent.answered) == ("a.one", "Ann", 1)
    assert agent.available == 60 + (500 - 399)
    assert agent.on_call == 302 - 60
    assert agent.away == 399 - 302


def test_state_survives_a_restart_the_same_day() -> None:
    service = _service()
    service.observe_calls(snap(0, waiting("c1", 0), waiting("c2", 0)))
    service.observe_calls(snap(10, bridged("c1", 5, 0), waiting("c2", 0)))
    saved = json.loads(json.dumps(service.to_dict()))  # plain JSON all the way
    again = _service()
    again.restore(saved)
    # 3 minutes later: c1 still live (not counted twice), c2 gone unseen, c3 new
    again.observe_calls(snap(190, bridged("c1", 5, 0), waiting("c3", 185)))
    total = again.report().total
    assert (total.offered, total.answered, total.abandoned, total.unknown) == (3, 1, 0, 1)
    # the outage began in the minute the night ended: to the second, so the watched
    # seconds between them show
    assert fmt_gaps(again.report().gaps) == "not watching 00:00–09:00, 09:00:10–09:03:10"


class _Untouchable(dict):
    """Rows that fail the test if anything reads them."""

    def items(self):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged snapshot's rows were read")

    values = keys = __iter__ = items  # type: ignore[assignment]


def test_an_unchanged_snapshot_reads_no_rows() -> None:
    service = _service()
    service.observe_calls(snap(0, waiting("c1", 0)))
    stamp = at(2)
    assert stamp is not None
    unchanged = CallsSnapshot(fetched_at=stamp, groups=_Untouchable(), unchanged=True)
    service.observe_calls(unchanged)
    service.observe_users(UsersSnapshot(fetched_at=stamp, users=(), unchanged=True))
    assert service.report().total.offered == 1


def test_from_dict_keeps_zone_and_thresholds() -> None:
    service = ServiceLevel(ZoneInfo("Europe/London"), sl_seconds=30, short_abandon=3)
    service.observe_calls(snap(0, waiting("c1", 0)))
    copy = ServiceLevel.from_dict(json.loads(json.dumps(service.to_dict())))
    assert copy.zone.key == "Europe/London"
    assert (copy.metrics.sl_seconds, copy.metrics.short_abandon) == (30, 3)
    assert copy.report().total.offered == 1


def test_a_23_hour_day_resets_at_its_own_midnight() -> None:
    from datetime import datetime

    london = ZoneInfo("Europe/London")
    service = ServiceLevel(london)
    # 29 March 2026: the clocks go forward, the day is 23 hours long
    before = datetime(2026, 3, 29, 22, 59, 0, tzinfo=UTC).timestamp()  # 23:59 BST
    after = datetime(2026, 3, 29, 23, 1, 0, tzinfo=UTC).timestamp()  # 00:01 BST, 30th
    service.metrics.advance(datetime(2026, 3, 29, 0, 30, tzinfo=UTC).timestamp())
    assert service.metrics.advance(before) is False
    assert service.metrics.advance(after) is True
    assert service.report().since == datetime(2026, 3, 30, tzinfo=london)


def test_a_gap_of_seconds_is_said_to_the_second() -> None:
    """A 7 s restart is not a minute missed; from two minutes on, minutes do. Both ends
    round down: the end is never a second or a minute still to come."""
    start = datetime(2026, 5, 1, 17, 35, 52, 400_000, tzinfo=UTC)
    assert fmt_gaps([(start, start + timedelta(seconds=7))]) == "not watching 17:35:52–17:35:59"
    assert fmt_gaps([(start, start + timedelta(minutes=2))]) == "not watching 17:35–17:37"
