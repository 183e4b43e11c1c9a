"""What a big centre's poll or save makes for a moment, beside what it keeps: a poll
with many new rows places them without a key for every row at once, a save that takes
every call encodes them without a list per call at once, and a first poll (nothing to
compare with) asks for no set of every row's id that its snapshot would then hold.
Each gives what it gave before: the same order, the same file, the same counts."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api.models import ActiveCall, CallState
from rtdash.core.daystate import DayStore, read_state
from rtdash.core.row_order import placed, remembered
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot, _call_order

from .rows import T0, at, call, sales_calls, user

UTC = ZoneInfo("UTC")


def _peak(make: Callable[[], Any]) -> tuple[int, Any]:
    """The most bytes ``make()`` had allocated at once, above what was there before."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        made = make()
        return tracemalloc.get_traced_memory()[1] - before, made
    finally:
        tracemalloc.stop()


def _rows(count: int, rnd: random.Random, prefix: str) -> list[ActiveCall]:
    # starts on whole seconds over a short span: many rows share a start, so the order
    # of ties (by callRef, then kept rows before new ones) is exercised too
    return [call(f"{prefix}{i}", CallState.BRIDGED, rnd.randint(0, 500)) for i in range(count)]


def test_many_new_rows_are_merged_in_without_a_key_for_every_row_at_once() -> None:
    rnd = random.Random(5)
    kept = sorted(_rows(20_000, rnd, "k"), key=_call_order)
    new = _rows(5_000, rnd, "n")  # more than one in SORT_AT: not placed one by one
    new += [call(row.call_ref, CallState.BRIDGED, 7) for row in kept[:50]]  # equal refs
    expected = tuple(sorted(kept + new, key=_call_order))
    order = remembered(_call_order)  # as the poller's builds hand it on

    peak, got = _peak(lambda: placed(kept, new, order))
    assert got == expected
    # the rows placed in the sort's order and nothing else: keying every row at once
    # (each key a tuple and a float, remembered by id) took well over 150 B a row
    assert peak / len(expected) < 60, peak / len(expected)


def test_a_keyless_build_after_a_gap_is_the_build_from_scratch() -> None:
    rnd = random.Random(8)
    first_rows = _rows(3_000, rnd, "a")
    first = CallsSnapshot.build(first_rows, T0, keyed=False)
    later = first_rows[1_000:] + _rows(2_000, rnd, "b")  # a third gone, many new
    built = CallsSnapshot.build(later, T0, previous=first, keyed=False)
    assert built.groups == CallsSnapshot.build(later, T0, keyed=False).groups


def _centre(calls: int) -> ServiceLevel:
    service = ServiceLevel(UTC)
    rows = sales_calls(calls, waiting_every=3, agents=40)
    people = [user(f"u{i}", "available", 0, operator_ref=f"a{i}") for i in range(40)]
    service.observe_users(UsersSnapshot.build(people, at(1) or T0, keyed=False))
    service.observe_calls(CallsSnapshot.build(rows, at(1) or T0, keyed=False))
    return service


def test_a_save_of_every_call_encodes_them_without_a_list_per_call_at_once(
    tmp_path: Path,
) -> None:
    service = _centre(5_000)
    store = DayStore(tmp_path / "day.json", every=0.0)
    peak, state = _peak(lambda: store.parts.take(service))
    kept = sum(len(made.part) + 33 for made in service.tracker.calls.values())
    # the parts the save keeps (bytes and their dict) and little more: a list per call
    # made before any was encoded held some 200 B a call more
    assert (peak - kept) / 5_000 < 120, (peak - kept) / 5_000
    store.write(state)
    saved = read_state(store.path)
    assert saved is not None
    whole = ServiceLevel.from_dict(service.to_dict())
    restored = ServiceLevel.from_dict(saved)
    assert restored.to_dict() == whole.to_dict()
    assert restored.report("today") == whole.report("today")


def test_a_first_poll_asks_for_no_set_of_every_rows_id() -> None:
    calls = [call(f"c{i}", "queueing", 100 - i, 0, queue="q") for i in range(400)]
    people = [user(f"u{i}", "available", i, name=f"Agent {i}") for i in range(300)]
    first = CallsSnapshot.build(calls, at(10) or T0, keyed=False)
    first_users = UsersSnapshot.build(people, at(10) or T0, keyed=False)
    service = ServiceLevel(UTC)
    service.observe_calls(first)
    service.observe_users(first_users)
    # held by the snapshots until the next poll's replace them: none was made to stay
    assert "ids" not in first._memo and "ids" not in first_users._memo
    assert service.tracker._row_ids is None and service.agents._ids is None
    assert first.distinct() == 400 and first_users.distinct() == 300
    # the next poll, handed no changes, finds them itself, as it did after a first poll
    # that held the sets: the same day as a service handed the changes
    gone, new = calls[:30], [call(f"n{i}", "ringing", 5, 5) for i in range(40)]
    second = CallsSnapshot.build(
        calls[30:] + new, at(12) or T0, previous=first, keyed=False, changes=(new, gone)
    )
    moved = [user("u0", "unavailable", 11, name="Agent 0")]
    second_users = UsersSnapshot.build(
        people[1:] + moved,
        at(12) or T0,
        previous=first_users,
        keyed=False,
        changes=(moved, people[:1]),
    )
    alone = ServiceLevel(UTC)
    alone.observe_calls(first)
    alone.observe_users(first_users)
    service.observe_calls(second)
    service.observe_users(second_users)
    alone.observe_calls(replace(second, _memo={}))  # nothing handed on
    alone.observe_users(replace(second_users, _memo={}))
    assert alone.tracker.to_dict() == service.tracker.to_dict()
    end = second.fetched_at.timestamp() + 5
    assert alone.agents.to_dict(end) == service.agents.to_dict(end)
    assert alone.report("today") == service.report("today")
