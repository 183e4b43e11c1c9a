"""A churning centre for the day-state save's tests (test_day_save_changes,
test_day_save_file): random polls to feed a service level, and what the old save (the
whole state) would have restored, to compare the saves against."""

from __future__ import annotations

import json
import random
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api.models import ActiveCall, CallState, UserState
from rtdash.core.service import ServiceLevel
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .rows import at, call, user

R, Q, B = CallState.RINGING, CallState.QUEUEING, CallState.BRIDGED
UTC = ZoneInfo("UTC")


class Centre:
    """A random churning centre: calls arrive, change, leave (a callRef now and then
    used again), a body now and then holds a call twice or an unreadable row, polls
    now and then come after a gap or find the body unchanged; agents change state."""

    def __init__(self, seed: int, start: float, *, keyed: bool = True, read: bool = False) -> None:
        #: keyed=False builds the snapshots as the poller does (and hands on the changes)
        self.keyed = keyed
        #: with keyed=False, the calls' changes given to the build as the line reader
        #: gives them (only when no two rows share a callRef), else found by the build
        self.read = read
        self.rnd = random.Random(seed)
        self.t = start
        self.live: dict[str, ActiveCall] = {}
        self.left: list[str] = []
        self.n = 0
        self.people = {
            f"u{i}": user(
                f"u{i}",
                self.rnd.choice(list(UserState)),
                start,
                name=f"Agent {i}",
                operator_ref=f"a{i}",
                dashboard=i != 7,
            )
            for i in range(1, 10)
        }
        self.calls: CallsSnapshot | None = None
        self.users: UsersSnapshot | None = None

    def step(self) -> list[CallsSnapshot | UsersSnapshot]:
        """The next poll's snapshots (built on the last ones, rows reused as the
        poller's are)."""
        rnd = self.rnd
        self.t += 2 + rnd.choice([0] * 30 + [70])  # now and then a gap
        t = self.t
        for ref in list(self.live):
            row = self.live[ref]
            roll = rnd.random()
            if roll < 0.08:
                del self.live[ref]
                self.left.append(ref)
            elif roll < 0.2 and row.state is not B:
                agent = rnd.choice(["a1", "a2", "a3", "a4", "a5", "a9"])
                self.live[ref] = call(ref, B, t - 1, t - 30, queue=row.queue, agent_ref=agent)
            elif roll < 0.25 and row.state is R:
                self.live[ref] = call(ref, Q, t - 1, t - 30, queue=row.queue)
            elif roll < 0.27 and row.state is B:
                self.live[ref] = call(ref, B, t - 1, t - 30, queue=row.queue, agent_name="Agent 8")
        for _ in range(rnd.randint(0, 4)):
            if self.left and rnd.random() < 0.1:
                ref = self.left.pop(rnd.randrange(len(self.left)))  # a callRef used again
            else:
                self.n += 1
                ref = f"c{self.n}"
            queue = rnd.choice(["sales", "support"])
            self.live[ref] = call(ref, rnd.choice([R, Q]), t - 1, t - 1, queue=queue)
        rows = list(self.live.values())
        unreadable = 0
        if rows and rnd.random() < 0.04:
            rows.pop(rnd.randrange(len(rows)))
            unreadable = 1
        if rows and rnd.random() < 0.03:
            twin = rows[rnd.randrange(len(rows))]
            rows.append(call(twin.call_ref, B, t - 1, t - 30, queue=twin.queue, agent_ref="a2"))
        stamp = at(t)
        assert stamp is not None
        out: list[CallsSnapshot | UsersSnapshot] = []
        if self.calls is not None and rnd.random() < 0.1:
            out.append(self.calls.again(stamp))
        self.calls = CallsSnapshot.build(
            rows,
            stamp,
            unreadable,
            previous=self.calls,
            keyed=self.keyed,
            changes=self._read_changes(rows),
        )
        out.append(self.calls)
        if rnd.random() < 0.6:
            if rnd.random() < 0.2 and len(self.people) > 4:  # one leaves
                del self.people[rnd.choice(sorted(self.people))]
            for _ in range(rnd.choice([0, 0, 0, 1, 2])):  # some join
                self.n += 1
                key = f"u{self.n}"
                self.people[key] = user(
                    key,
                    rnd.choice(list(UserState)),
                    t - 1 - rnd.randint(0, 1),
                    name=f"Agent {self.n}",
                    operator_ref=rnd.choice([f"a{self.n}", None]),
                )
            for key in rnd.sample(sorted(self.people), 2):
                was = self.people[key]
                self.people[key] = user(
                    key,
                    rnd.choice(list(UserState)),
                    t - 1,
                    name=was.display_name,
                    operator_ref=was.operator_ref,
                    dashboard=was.dashboard,
                )
            self.users = UsersSnapshot.build(
                list(self.people.values()), stamp, previous=self.users, keyed=self.keyed
            )
            out.append(self.users)
        return out

    def _read_changes(
        self, rows: list[ActiveCall]
    ) -> tuple[list[ActiveCall], list[ActiveCall]] | None:
        """The rows new and gone since the last calls snapshot, as the line reader hands
        them on: only when no two rows share a callRef."""
        last = self.calls
        if not self.read or last is None or len({row.call_ref for row in rows}) != len(rows):
            return None
        held = {id(row) for group in last.groups.values() for row in group}
        here = {id(row) for row in rows}
        new = [row for row in rows if id(row) not in held]
        gone = [row for group in last.groups.values() for row in group if id(row) not in here]
        return new, gone


def feed_all(service: ServiceLevel, snapshots: list[CallsSnapshot | UsersSnapshot]) -> None:
    for snapshot in snapshots:
        if isinstance(snapshot, CallsSnapshot):
            service.observe_calls(snapshot)
        else:
            service.observe_users(snapshot)


def whole_state(service: ServiceLevel) -> dict[str, Any]:
    """What the old save wrote: the whole state, as JSON."""
    loaded: dict[str, Any] = json.loads(json.dumps(service.to_dict()))
    return loaded


def same_day(a: ServiceLevel, b: ServiceLevel) -> None:
    assert a.to_dict() == b.to_dict()
    assert a.report("today") == b.report("today")
    assert a.report("15m") == b.report("15m")


def restored(state: dict[str, Any] | None) -> ServiceLevel:
    assert state is not None
    return ServiceLevel.from_dict(state)
