"""The saver lets go of what the first save read once it is encoded: that read is every
call's and clock's fields, a big centre's whole day, and it must not stay alive through
the waits between saves."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import weakref
from pathlib import Path
from typing import Any

from rtdash.core.daystate import DayStore, read_state
from rtdash.core.service import ServiceLevel
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions

from .day_rig import UTC, Centre, feed_all, restored, same_day, whole_state


def test_the_first_save_s_encoder_is_not_held_while_the_saver_waits(tmp_path: Path) -> None:
    centre = Centre(22, 0.0)
    service = ServiceLevel(UTC)
    for _ in range(30):
        feed_all(service, centre.step())
    store = DayStore(tmp_path / "day.json", every=0.0)
    encoders: list[weakref.ref[Any]] = []
    begin = store.parts.begin

    def noting(svc: ServiceLevel) -> Any:
        encode = begin(svc)
        encoders.append(weakref.ref(encode))
        return encode

    store.parts.begin = noting  # type: ignore[method-assign]
    alive: list[bool] = []
    wholes: list[dict[str, Any]] = []

    async def sleep(seconds: float) -> None:
        if store.path.exists():
            gc.collect()
            alive.append(any(ref() is not None for ref in encoders))
            wholes.append(whole_state(service))
            if len(wholes) == 2:
                raise asyncio.CancelledError
        feed_all(service, centre.step())

    keeper = ServiceKeeper(service, ServiceOptions(), store, every=5.0, sleep=sleep)
    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(keeper.run_saver())
    assert len(encoders) == 1  # the first save read the day whole, once
    assert alive == [False, False]  # and nothing held it after
    last = read_state(store.path)
    assert last is not None
    same_day(restored(last), restored(wholes[-1]))  # the saves are as they were


def test_each_calls_saved_part_is_held_by_the_call_not_in_a_dict_of_the_savers(
    tmp_path: Path,
) -> None:
    import sys
    import tracemalloc

    from rtdash.api.models import CallState
    from rtdash.core.snapshot import CallsSnapshot

    from .rows import at, call

    count = 4000
    rows = [call(f"c{i}", CallState.QUEUEING, 5, 0, queue="sales") for i in range(count)]
    service = ServiceLevel(UTC)
    service.observe_calls(CallsSnapshot.build(rows, at(1), keyed=False))  # type: ignore[arg-type]
    store = DayStore(tmp_path / "day.json", every=0.0)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        state = store.parts.take(service)
        del state  # the save's pieces go with its write
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    calls = service.tracker.calls.values()
    parts = sum(sys.getsizeof(made.part) for made in calls)
    assert all(made.part for made in calls)
    sized = [
        name
        for name, value in vars(store.parts).items()
        if isinstance(value, dict | list | set) and len(value) >= count // 2
    ]
    assert sized == []  # no index of the calls beside the tracker's
    # the parts themselves and no more: a dict of them by callRef held ~40 B a call,
    # and the encoder's spare room in each part ~27 B
    assert (held - parts) / count < 12, (held - parts) / count
    store.write(store.parts.take(service))
    same_day(restored(read_state(store.path)), restored(whole_state(service)))


def test_the_first_save_lists_the_calls_for_its_thread_not_their_fields() -> None:
    """What the first save holds while its thread encodes: the list of the calls and
    of the clocks (a copy of every call's fields, a list a field, was 88 B a call)."""
    import tracemalloc

    from rtdash.api.models import CallState
    from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

    from .rows import at, call, user

    count = 4000
    rows = [
        call(f"c{i}", CallState.BRIDGED, 5, 0, queue="sales", agent_ref=f"a{i % 900}")
        for i in range(count)
    ]
    people = [user(f"u{i}", "available", 0, operator_ref=f"a{i}") for i in range(900)]
    service = ServiceLevel(UTC)
    service.observe_users(UsersSnapshot.build(people, at(1), keyed=False))  # type: ignore[arg-type]
    service.observe_calls(CallsSnapshot.build(rows, at(1), keyed=False))  # type: ignore[arg-type]
    service.observe_users(UsersSnapshot.build(people, at(2), keyed=False))  # type: ignore[arg-type]
    parts = DayStore(Path("unused.json")).parts
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        encode = parts.begin(service)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held / (count + len(service.agents.clocks)) < 16, held / count
    assert parts.install(service, encode())
    whole = ServiceLevel.from_dict(service.to_dict())
    saved = ServiceLevel.from_dict(json.loads(parts.take(service).encode()))
    same_day(saved, whole)
