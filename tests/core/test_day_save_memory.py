"""The saver lets go of what the first save read once it is encoded: that read is every
call's and clock's fields, a big centre's whole day, and it must not stay alive through
the waits between saves."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref
from pathlib import Path
from typing import Any

from rtdash.core.daystate import DayStore, read_state
from rtdash.core.service import ServiceLevel
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions

from .test_day_save_changes import UTC, _Centre, _feed, _restored, _same_day, _whole


def test_the_first_save_s_encoder_is_not_held_while_the_saver_waits(tmp_path: Path) -> None:
    centre = _Centre(22, 0.0)
    service = ServiceLevel(UTC)
    for _ in range(30):
        _feed(service, centre.step())
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
            wholes.append(_whole(service))
            if len(wholes) == 2:
                raise asyncio.CancelledError
        _feed(service, centre.step())

    keeper = ServiceKeeper(service, ServiceOptions(), store, every=5.0, sleep=sleep)
    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(keeper.run_saver())
    assert len(encoders) == 1  # the first save read the day whole, once
    assert alive == [False, False]  # and nothing held it after
    last = read_state(store.path)
    assert last is not None
    _same_day(_restored(last), _restored(wholes[-1]))  # the saves are as they were
