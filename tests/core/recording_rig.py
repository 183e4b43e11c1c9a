"""The recording tests' rig: a real simulator run recorded poll by poll (:func:`record_run`,
kept as :class:`Run`), a recording file's lines as JSON, and the check that a recording
reproduces the polls it was made from. The ``recorded_run`` fixture over
:func:`record_run` lives in tests/core/conftest.py."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.recording import Recorder
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.sim import SimConfig, Simulator

POLLS = 100
TZ = "Europe/London"
INSTALLATION = "Northwind Contact Centre"


@dataclass
class Run:
    path: Path
    polls: list[tuple[CallsSnapshot, UsersSnapshot]]
    #: whether each poll's calls / users snapshot wrote a record
    wrote: list[tuple[bool, bool]]
    recorder: Recorder
    password: str


async def record_run(path: Path, keyframe_every: float) -> Run:
    """:data:`POLLS` polls of a simulated centre 2 s apart, each recorded to ``path``."""
    sim = Simulator(SimConfig(seed=7, realtime=False))
    with sim:
        client = InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, sim.password),
            base_url=sim.url,
            tz=TZ,
        )
        recorder = Recorder(
            path,
            installation=INSTALLATION,
            igrp=sim.igrp,
            tz=TZ,
            keyframe_every=keyframe_every,
        )
        polls, wrote = [], []
        try:
            for index in range(POLLS):
                calls = await client.active_calls()
                users = await client.user_status()
                # a poll's own time, with microseconds, as the poller stamps it
                fetched = sim.now + timedelta(microseconds=137 * index + 1)
                snapshots = (
                    CallsSnapshot.build(
                        calls.rows, fetched, calls.unreadable, server_now=calls.server_now
                    ),
                    UsersSnapshot.build(users.rows, fetched, users.unreadable),
                )
                wrote.append(
                    (recorder.record_calls(snapshots[0]), recorder.record_users(snapshots[1]))
                )
                polls.append(snapshots)
                sim.advance(2)
        finally:
            recorder.close()
            await client.aclose()
    return Run(path, polls, wrote, recorder, sim.password)


def recorded_lines(path: Path) -> list[dict]:
    """Every line of the recording at ``path`` (header first), as JSON."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def assert_same(recording: Recording, polls, *, exact_stamps: list[tuple[bool, bool]]) -> None:
    """``recording`` gives each poll's rows at its time, and its exact time where it
    wrote a record (``exact_stamps``: calls, users)."""
    for (calls, users), (calls_written, users_written) in zip(polls, exact_stamps, strict=True):
        got_calls, got_users = recording.state_at(calls.fetched_at)
        assert got_calls is not None and got_users is not None
        assert got_calls.groups == calls.groups
        assert got_calls.unreadable == calls.unreadable
        assert got_users.users == users.users
        assert got_users.dashboard_users == users.dashboard_users
        if calls_written:
            assert got_calls.fetched_at == calls.fetched_at
        if users_written:
            assert got_users.fetched_at == users.fetched_at
