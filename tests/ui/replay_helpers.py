"""A made-up recording for replay's Pilot and snapshot tests: a morning from 10:02 to
11:30 with calls in every state and a few agents, the same on every run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.recording import Recorder
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

START = datetime(2026, 5, 1, 10, 2, 0, tzinfo=UTC)
END = datetime(2026, 5, 1, 11, 30, 0, tzinfo=UTC)
#: where the snapshots stop the player: ``10:14:03``
POSITION = datetime(2026, 5, 1, 10, 14, 3, tzinfo=UTC)

AGENTS = ("Ava Patel", "Ben Carter", "Chloe Evans", "Dan Hughes", "Ella Morgan", "Finn Price")
LINES = ("Support line", "Sales line", "Billing line")


def _calls(now: datetime, minute: int) -> list[ActiveCall]:
    calls = []
    for n in range(3 + minute % 4):  # a queue that grows and shrinks
        calls.append(
            ActiveCall(
                call_ref=f"q-{minute}-{n}",
                state=CallState.QUEUEING,
                state_start=now - timedelta(seconds=20 + 25 * n),
                call_start=now - timedelta(seconds=30 + 25 * n),
                src_number=f"+4477009001{n:02d}",
                dgrp_name=LINES[n % 3],
                queue=("support", "sales", "billing")[n % 3],
            )
        )
    for n, agent in enumerate(AGENTS[:4]):
        calls.append(
            ActiveCall(
                call_ref=f"b-{n}",
                state=CallState.BRIDGED,
                state_start=START + timedelta(seconds=90 * n),
                call_start=START + timedelta(seconds=90 * n - 40),
                src_number=f"+4411349602{n:02d}",
                dgrp_name=LINES[n % 3],
                queue=("support", "sales", "billing")[n % 3],
                agent_name=agent,
                operator_ref=f"op-{n}",
            )
        )
    calls.append(
        ActiveCall(
            call_ref=f"r-{minute}",
            state=CallState.RINGING,
            state_start=now - timedelta(seconds=6),
            call_start=now - timedelta(seconds=6),
            src_number="+442079460123",
            dgrp_name="Sales line",
            queue="sales",
        )
    )
    return calls


def _users() -> list[PbxUser]:
    return [
        PbxUser(
            user_id=str(n),
            state=UserState.UNAVAILABLE if n < 4 or n == 5 else UserState.AVAILABLE,
            state_start=START + timedelta(seconds=90 * n),
            display_name=agent,
            operator_ref=f"op-{n}",
            extension=str(201 + n),
            dashboard=True,
        )
        for n, agent in enumerate(AGENTS)
    ]


def make_recording(path: Path) -> Recording:
    """A snapshot a minute from :data:`START` to :data:`END`."""
    with Recorder(path, installation="Support centre", igrp=7, tz="UTC", started=START) as rec:
        minute = 0
        now = START
        while now <= END:
            rec.record_calls(CallsSnapshot.build(_calls(now, minute), now))
            rec.record_users(UsersSnapshot.build(_users(), now))
            minute += 1
            now = START + timedelta(minutes=minute)
    return Recording.load(path)
