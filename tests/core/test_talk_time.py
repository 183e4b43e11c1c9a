"""Talk time of answered calls: from the bridged row's answer to the call's end, placed
halfway between the last poll that saw it and the next (as an abandon's end is); none
for a call last seen before a gap. Counted per queue and for the installation, in each
window, and kept across a restart, also from a day saved before talk was counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.daystate import DayStore
from rtdash.core.outcomes import Answered, Offered, OutcomeTracker, Talked, Unknown
from rtdash.core.service import ServiceLevel
from rtdash.core.service_tally import TALLY_FIELDS

from .rows import T0, at, call
from .test_outcomes import bridged, snap, waiting

UTC = ZoneInfo("UTC")
B = CallState.BRIDGED
TALK_FIELDS = ("talked", "talk_sum", "longest_talk")


def test_an_answered_call_that_ends_tells_its_talk() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(10, waiting("c1", 3)))
    # answered at 13 (its bridged row's state start), seen bridged until 18
    tracker.observe_calls(snap(14, bridged("c1", 13, 3)))
    tracker.observe_calls(snap(16, bridged("c1", 13, 3)))
    tracker.observe_calls(snap(18, bridged("c1", 13, 3)))
    tracker.observe_calls(snap(20))  # gone: ended halfway between 18 and 20
    assert events[-1] == Talked("c1", "sales", T0.timestamp() + 19, 6.0)


def test_an_unchanged_poll_that_still_saw_the_call_moves_its_end() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(10, bridged("c1", 9, 3)))
    seen = snap(12, bridged("c1", 9, 3))
    tracker.observe_calls(seen)
    stamp = at(14)
    assert stamp is not None
    # the body at 14 had not changed: every call then tracked was in it
    tracker.observe_calls(seen.again(stamp))
    tracker.observe_calls(snap(16))  # gone between 14 and 16
    assert events[-1] == Talked("c1", "sales", T0.timestamp() + 15, 6.0)


def test_a_call_last_seen_before_a_gap_tells_no_talk() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(10, bridged("c1", 9, 3), waiting("c2", 8)))
    # nothing polled for ten minutes: c1 ended somewhere in them
    tracker.observe_calls(snap(610, waiting("c3", 600)))
    assert not [event for event in events if isinstance(event, Talked)]
    # as c2, unanswered, is unknown rather than abandoned
    assert [type(event) for event in events[-2:]] == [Offered, Unknown]


def _talked_day() -> ServiceLevel:
    """Three calls talked: sales 59 s and 129 s, support 31 s; one sales call still on."""
    service = ServiceLevel(UTC)
    service.observe_calls(snap(0, bridged("s1", 0, 0), bridged("s2", 0, 0)))
    rows = [bridged("s1", 0, 0), bridged("s2", 0, 0)]
    for t in range(2, 60, 2):
        service.observe_calls(snap(t, *rows))
    service.observe_calls(snap(60, bridged("s2", 0, 0)))  # s1 gone: 59 s talked
    for t in range(62, 130, 2):
        service.observe_calls(snap(t, bridged("s2", 0, 0)))
    support = call("p1", B, 130, 125, queue="support", agent_ref="a.two")
    service.observe_calls(snap(130, support, bridged("s3", 129, 128)))
    # s2 gone between 128 and 130: 129 s talked
    for t in range(132, 162, 2):
        service.observe_calls(snap(t, support, bridged("s3", 129, 128)))
    service.observe_calls(snap(162, bridged("s3", 129, 128)))  # p1: 161 - 130 = 31 s
    return service


def test_talk_per_queue_and_for_the_installation() -> None:
    report = _talked_day().report("today")
    total, sales, support = report.total, report.queue("sales"), report.queue("support")
    assert sales is not None and support is not None
    assert (total.talked, total.avg_talk, total.longest_talk) == (3, (59 + 129 + 31) / 3, 129)
    assert (sales.talked, sales.avg_talk, sales.longest_talk) == (2, (59 + 129) / 2, 129)
    assert (support.talked, support.avg_talk, support.longest_talk) == (1, 31.0, 31.0)
    # the last 15 minutes hold them all; a queue with none talked says so, not 0:00
    assert report.to_dict()["total"]["talked"] == 3
    assert _talked_day().report("15m").total.avg_talk == (59 + 129 + 31) / 3
    assert ServiceLevel(UTC).report().total.avg_talk is None


def test_only_the_last_minutes_talk_is_in_a_rolling_window() -> None:
    service = _talked_day()
    later = [bridged("s3", 129, 128)]
    # twenty minutes on, s3 still talking, then gone: only it is in the last 15 minutes
    for t in range(164, 1362, 2):
        service.observe_calls(snap(t, *later))
    service.observe_calls(snap(1362))
    last = service.report("15m").total
    assert (last.talked, last.avg_talk) == (1, 1361 - 129)
    assert service.report("today").total.talked == 4


def _without_talk(state: Any) -> Any:
    """``state`` as the version before talk was counted saved it: no talk fields in
    any tally (the day's, each minute's, each queue's)."""
    if isinstance(state, dict):
        return {k: _without_talk(v) for k, v in state.items() if k not in TALK_FIELDS}
    if isinstance(state, list):
        return [_without_talk(v) for v in state]
    return state


def test_a_restart_carries_the_talk_on(tmp_path: Path) -> None:
    path = tmp_path / "x-1.json"
    DayStore(path).maybe_save(_talked_day(), force=True)
    saved = json.loads(path.read_text())
    assert saved["metrics"]["day"]["queues"]["sales"]["talked"] == 2
    restarted = ServiceLevel(UTC)
    assert DayStore(path).load(restarted, now=T0.timestamp() + 170)
    total = restarted.report().total
    assert (total.talked, total.longest_talk) == (3, 129)


def test_a_day_saved_before_talk_was_counted_still_loads(tmp_path: Path) -> None:
    assert set(TALK_FIELDS) <= set(TALLY_FIELDS)
    path = tmp_path / "x-1.json"
    DayStore(path).maybe_save(_talked_day(), force=True)
    old = _without_talk(json.loads(path.read_text()))
    assert "talked" not in json.dumps(old)
    path.write_text(json.dumps(old))
    restarted = ServiceLevel(UTC)
    assert DayStore(path).load(restarted, now=T0.timestamp() + 164)
    before = restarted.report().total
    # what came before is counted as it was, with no talk known
    assert (before.answered, before.talked, before.avg_talk, before.longest_talk) == (
        4,
        0,
        None,
        None,
    )
    # s3, still on after the restart, is talked from its answer when it ends
    restarted.observe_calls(snap(164, bridged("s3", 129, 128)))
    restarted.observe_calls(snap(166))
    after = restarted.report().total
    assert (after.answered, after.talked, after.avg_talk) == (4, 1, 165 - 129)


def _first_seen_talking(ref: str, talk_so_far: int, call_so_far: int | None) -> ActiveCall:
    """A bridged row with no call start nor state start: only its durations say when."""
    return call(
        ref,
        B,
        queue="sales",
        agent_ref="a.one",
        bridge_duration=talk_so_far,
        call_duration=call_so_far,
    )


def test_a_call_first_seen_talking_with_no_start_is_talked_from_its_bridged_duration() -> None:
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    # first seen at 100, talking for 60 s already (its call 90 s old)
    tracker.observe_calls(snap(100, _first_seen_talking("c1", 60, 90)))
    saved = tracker.to_dict()
    restarted = OutcomeTracker(events.append)  # the day carried on after a restart
    restarted.restore(json.loads(json.dumps(saved)))
    restarted.observe_calls(snap(102, _first_seen_talking("c1", 62, 92)))
    restarted.observe_calls(snap(104))  # gone between 102 and 104
    t0 = T0.timestamp()
    # answered at 40, so offered by then; how long it waited is not known
    assert events[:2] == [
        Offered("c1", "sales", t0 + 40),
        Answered("c1", "sales", t0 + 40, None, "a.one"),
    ]
    assert events[-1] == Talked("c1", "sales", t0 + 103, 63.0)


def test_a_bridged_duration_longer_than_the_call_is_not_believed() -> None:
    """Talk cannot have begun before the call did: such a row says nothing plausible,
    and the call is talked from the poll that first saw it, as before."""
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(snap(100, _first_seen_talking("c1", 600, 90)))
    tracker.observe_calls(snap(102))
    t0 = T0.timestamp()
    assert events[-1] == Talked("c1", "sales", t0 + 101, 1.0)
    assert events[0] == Offered("c1", "sales", t0 + 100)


def test_with_no_call_start_nor_duration_a_talk_of_days_is_not_believed() -> None:
    """Nothing in such a row bounds its answer: a bridged duration of ten days (a field
    in milliseconds would read so) is not believed, and the call is talked from the
    poll that first saw it; a day's talk or less is."""
    events: list[object] = []
    tracker = OutcomeTracker(events.append)
    tracker.observe_calls(
        snap(
            100,
            _first_seen_talking("days", 10 * 86400, None),
            _first_seen_talking("hour", 3600, None),
        )
    )
    tracker.observe_calls(snap(102))
    t0 = T0.timestamp()
    talked = {event.ref: event for event in events if isinstance(event, Talked)}
    assert talked["days"] == Talked("days", "sales", t0 + 101, 1.0)
    assert talked["hour"] == Talked("hour", "sales", t0 + 101, 3601.0)
