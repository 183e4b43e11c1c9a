"""Record a live dashboard, replay it in the same dashboard, export what is shown."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rtdash.api.models import CallState
from rtdash.config import Settings
from rtdash.core.clock import FrozenClock
from rtdash.core.replay import Player, Recording
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.replay import ReplayApp, ReplayScreen
from tests.ui.helpers import dashboard_of, settings_for, wait_for_data, wait_until


async def _record(sim: Simulator, path: Path, polls: int) -> list[set[str]]:
    """Run the real app with --record while the centre moves; return each poll's calls."""
    settings = settings_for(sim)
    clock = FrozenClock(sim.now)
    app = RtdashApp(settings, clock=clock, record=path)
    seen: list[set[str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        for _ in range(polls):
            sim.advance(20)
            clock.set(sim.now)
            target = board.poller.polls + 2
            board.poller.refresh_now()
            await wait_until(pilot, lambda target=target: board.poller.polls >= target)
            await wait_until(pilot, lambda: not board.poller._tasks)
            await pilot.pause()
            seen.append({call.call_ref for call in board.calls.calls})
    return seen


async def test_a_recording_replays_with_seek_pause_and_speed(
    sim: Simulator, tmp_path: Path
) -> None:
    path = tmp_path / "day.rtrec"
    seen = await _record(sim, path, polls=6)
    recording = Recording.load(path)
    assert recording.header.igrp == sim.igrp
    assert (recording.end - recording.start).total_seconds() >= 100
    last = recording.calls_at(recording.end)
    assert last is not None and {c.call_ref for c in last.calls} == seen[-1]

    player = Player(recording, paused=True)
    app = ReplayApp(player, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen = app.screen
        board = screen.dashboard
        await wait_until(pilot, lambda: board.calls is not None)
        assert board.status_bar.badge.startswith("REPLAY")
        first = {c.call_ref for c in board.calls.calls}
        await pilot.press("end")
        await wait_until(pilot, lambda: {c.call_ref for c in board.calls.calls} == seen[-1])
        assert first != seen[-1]
        await pilot.press("home")
        await wait_until(pilot, lambda: {c.call_ref for c in board.calls.calls} == first)
        position = player.position
        await pilot.pause(0.6)
        assert player.position == position, "paused: time stands still"
        await pilot.press("plus", "plus")
        assert player.speed == 4
        await pilot.press("space")
        await wait_until(pilot, lambda: player.position > position, timeout=3)
        await pilot.press("space")
        assert player.paused
        await pilot.press("right")
        assert (player.position - position).total_seconds() >= 10
        await pilot.press("l")
        assert app.screen is screen, "no lookups in replay"


async def test_e_exports_the_rows_shown_to_csv_and_json(sim: Simulator, tmp_path: Path) -> None:
    settings = settings_for(sim)
    settings.display.export_dir = tmp_path / "exports"
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        board = dashboard_of(app)
        queue = board.calls.groups[CallState.BRIDGED][0].queue
        await pilot.press("slash", *queue, "enter")
        # seconds after the last poll, as most exports are: the durations the file
        # says are those of the time it is stamped with, as the screen's are
        app.clock.advance(4)
        board.tick()
        await pilot.pause()
        await pilot.press("e")
        await wait_until(pilot, lambda: len(screen.exported) == 6)
        calls_csv, calls_json, users_csv, users_json, service_csv, _ = screen.exported
        with service_csv.open(encoding="utf-8-sig", newline="") as handle:
            total = next(csv.DictReader(handle))  # the installation's row first
        keeper = board.keeper
        assert keeper is not None
        assert total["queue"] == ""
        assert total["answered"] == str(keeper.service.report().total.answered)
        assert all(path.parent == tmp_path / "exports" for path in screen.exported)
        with calls_csv.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        shown = board.grid.shown_calls()
        assert [row["Call"] for row in rows] == [call.call_ref for call in shown]
        now = app.clock.now()
        for row, call in zip(rows, shown, strict=True):
            assert call.call_start is not None
            total = int((now - call.call_start).total_seconds())
            assert int(row["Call duration (s)"]) == total, (row, total)
            if call.state is CallState.BRIDGED:  # talking since the state began
                assert int(row["Talk time (s)"]) == int(row["In state (s)"]), row
        assert rows and all(queue in (row["Queue"] or "") for row in rows)
        assert [row["callRef"] for row in json.loads(calls_json.read_text())] == [
            c.call_ref for c in shown
        ]
        users = json.loads(users_json.read_text())
        assert [u["sipUserId"] for u in users] == [
            u.user_id for u in board.user_panel.shown_users()
        ]
        assert users_csv.read_bytes().startswith(b"\xef\xbb\xbf"), "a BOM so Excel reads UTF-8"


async def test_e_in_a_replay_exports_the_totals_recorded_at_its_position(
    sim: Simulator, tmp_path: Path
) -> None:
    """A replay's export has the service file too: the installation's totals the
    recording kept at or before the player's position, as its headline shows them."""
    path = tmp_path / "day.rtrec"
    await _record(sim, path, polls=6)
    recording = Recording.load(path)
    assert recording.service, "the recording keeps today's totals"
    last = recording.service[-1]
    settings = Settings()
    settings.display.export_dir = tmp_path / "exports"
    app = ReplayApp(Player(recording, paused=True), settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.dashboard.calls is not None)
        await pilot.press("end")
        await wait_until(pilot, lambda: screen.player.position >= last.t)
        await pilot.press("e")
        await wait_until(pilot, lambda: len(screen.exported) == 6)
    service_csv, service_json = screen.exported[4:]
    with service_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["queue"] for row in rows] == [""], "the installation's row; no queue's kept"
    assert rows[0]["answered"] == str(last.service["total"]["answered"])
    assert rows[0]["abandoned"] == str(last.service["total"]["abandoned"])
    said = json.loads(service_json.read_text())
    assert said["window"] == "recorded"
    assert said["until"] == last.t.isoformat()
    assert said["since"] == last.service["since"]
