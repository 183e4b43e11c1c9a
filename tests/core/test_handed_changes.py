"""The service level follows the changes the poller's snapshots hand on (the rows new
and gone, found once as the snapshot is built) and the users it looked at last, and
counts exactly what finding them itself counts."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rtdash.core.outcome_events import Event
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .day_rig import Centre
from .rows import at, call

UTC = ZoneInfo("UTC")


def _plain(snapshot: CallsSnapshot | UsersSnapshot) -> CallsSnapshot | UsersSnapshot:
    """The same rows with nothing handed on: the changes unknown (the same ids' set,
    so a consumer still reuses what it knows), the users a tuple of their own."""
    memo = {key: value for key, value in snapshot._memo.items() if key != "since"}
    if isinstance(snapshot, CallsSnapshot):
        return replace(snapshot, _memo=memo)
    return replace(snapshot, users=tuple(snapshot.users), _memo=memo)


@pytest.mark.parametrize("read", [False, True], ids=["built", "read"])
@pytest.mark.parametrize("seed", range(6))
def test_following_handed_changes_counts_what_finding_them_counts(
    seed: int, read: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snapshots built as the poller builds them, their changes found by the build or
    (``read``) handed to it as the line reader hands them, against the same rows with
    nothing handed on."""
    handed: list[bool] = []
    real = CallsSnapshot.changes_since

    def noting(self: CallsSnapshot, token: object | None) -> Any:
        found = real(self, token)
        handed.append(found is not None)
        return found

    monkeypatch.setattr(CallsSnapshot, "changes_since", noting)
    users_handed: list[bool] = []
    real_users = UsersSnapshot.changes_since

    def noting_users(self: UsersSnapshot, token: object | None) -> Any:
        found = real_users(self, token)
        users_handed.append(found is not None)
        return found

    monkeypatch.setattr(UsersSnapshot, "changes_since", noting_users)
    from_reader: list[bool] = []  # snapshots built from the changes the reader handed
    real_changed = CallsSnapshot._changed.__func__  # type: ignore[attr-defined]  # a classmethod's own

    def noting_changed(cls: type[CallsSnapshot], *args: Any) -> CallsSnapshot:
        from_reader.append(True)
        made: CallsSnapshot = real_changed(cls, *args)
        return made

    monkeypatch.setattr(CallsSnapshot, "_changed", classmethod(noting_changed))
    centre = Centre(seed, 0.0, keyed=False, read=read)
    services = ServiceLevel(UTC), ServiceLevel(UTC)
    events: tuple[list[Event], list[Event]] = ([], [])
    for service, out in zip(services, events, strict=True):
        service.tracker.emit_all = _tee(service.tracker.emit_all, out)
    for _ in range(250):
        for snapshot in centre.step():
            for service, seen in zip(services, (snapshot, _plain(snapshot)), strict=True):
                if isinstance(seen, CallsSnapshot):
                    service.observe_calls(seen)
                else:
                    service.observe_users(seen)
    assert events[0] == events[1] and len(events[0]) > 300
    a, b = (json.dumps(service.to_dict()) for service in services)
    assert a == b
    assert services[0].report() == services[1].report()
    assert sum(handed) > 150  # most polls used what the snapshot handed on
    assert sum(users_handed) > 80
    assert (len(from_reader) > 150) if read else not from_reader
    assert services[0].agents.clocks


def _tee(emit_all: Any, out: list[Event]) -> Any:
    def both(events: list[Event]) -> None:
        out.extend(events)
        emit_all(events)

    return both


def test_the_handed_changes_are_the_rows_new_and_gone_in_the_groups_order() -> None:
    first_rows = [call(f"c{i}", "queueing", 100 - i, 0, queue="q") for i in range(50)]
    first = CallsSnapshot.build(first_rows, at(1), keyed=False)  # type: ignore[arg-type]
    token = first.token
    rows = [r for r in first_rows if r.call_ref not in {"c3", "c40"}]
    rows += [call("n2", "ringing", 7, 7), call("n1", "ringing", 5, 5)]
    rows.append(call("c9", "bridged", 200, 0, agent_ref="a"))
    rows.remove(first_rows[9])
    second = CallsSnapshot.build(rows, at(2), previous=first, keyed=False)  # type: ignore[arg-type]
    handed = second.changes_since(token)
    assert handed is not None
    new, gone = handed
    assert [(state.value, [r.call_ref for r in group]) for state, group in new] == [
        ("ringing", ["n1", "n2"]),
        ("queueing", []),
        ("bridged", ["c9"]),
    ]
    # the gone rows in the last snapshot's order (oldest state start first)
    assert [r.call_ref for r in gone] == ["c40", "c9", "c3"]
    assert second.changes_since(second.token) is None  # not what it was built on
    assert second.changes_since(None) is None
    keyed = CallsSnapshot.build(rows, at(2), previous=first)  # type: ignore[arg-type]
    assert keyed.changes_since(token) is None  # only the poller's build hands them on


def test_a_calls_poll_looks_again_only_at_agents_whose_call_changed() -> None:
    """Between users polls the agents' rows are the very tuple looked at last: a calls
    poll looks at those whose being on a call changed, and clocks them as a copy of the
    tuple (every row found again, none new) would."""
    import random

    from rtdash.core.agent_time import AgentTime
    from rtdash.core.agents import OnCall

    from .rows import user

    rnd = random.Random(5)
    people = tuple(
        user(f"u{i}", rnd.choice(["available", "unavailable"]), 0, operator_ref=f"a{i}")
        for i in range(60)
    )
    same, copied = AgentTime(), AgentTime()
    looked: dict[int, int] = {id(same): 0, id(copied): 0}
    for clocks in (same, copied):
        real = clocks._observe

        def counting(*args: Any, _real: Any = real, _key: int = id(clocks)) -> None:
            looked[_key] += 1
            _real(*args)

        clocks._observe = counting  # type: ignore[method-assign]
    for poll in range(80):
        on = OnCall.from_calls(
            [call(f"c{i}", "bridged", 0, 0, agent_ref=f"a{i}") for i in rnd.sample(range(60), 20)]
        )
        now = 100.0 + 2 * poll
        same.observe(people, on, now, now - 2)
        copied.observe(tuple(people), on, now, now - 2)
    assert same.to_dict(300.0) == copied.to_dict(300.0)
    assert looked[id(same)] == looked[id(copied)] < 80 * 60 / 2
