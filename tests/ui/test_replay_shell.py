"""Replay runs in the same app shell as the dashboard: the ``[keymap]`` remaps its keys,
and its help and palette come from the one command registry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from rtdash.api.models import CallState
from rtdash.config import Settings
from rtdash.core.recording import Recorder
from rtdash.core.replay import Player, Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.ui.screens.help import HelpScreen
from rtdash.ui.screens.replay import ReplayApp, ReplayScreen
from tests.core.rows import call, user
from tests.ui.helpers import screen_text, wait_for_footer_keys, wait_until

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _recording(path: Path) -> Recording:
    with Recorder(path, installation="Test", igrp=7, tz="UTC") as recorder:
        for second in range(0, 120, 2):
            now = T0 + timedelta(seconds=second)
            rows = [call(f"q-{n}", "queueing", 0, 0) for n in range(second // 20)]
            recorder.record_calls(CallsSnapshot.build(rows, now))
            recorder.record_users(UsersSnapshot.build([user("1")], now))
    return Recording.load(path)


async def test_replay_honours_the_keymap(tmp_path: Path) -> None:
    settings = Settings()
    settings.keymap = {"replay_pause": "x", "replay_end": "z", "help": "f1"}
    player = Player(_recording(tmp_path / "day.rtrec"), paused=True)
    app = ReplayApp(player, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("z")
        assert player.at_end, "end remapped to z"
        await pilot.press("space")
        assert player.paused, "space is no longer play/pause"
        await pilot.press("x")
        assert not player.paused, "x plays"
        await pilot.press("x")
        assert player.paused
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((explanation, key) for key, explanation in app.screen.rows)
        assert rows["Play or pause"] == "x"
        assert rows["This help"] == "f1"


async def test_replay_palette_offers_its_own_commands(tmp_path: Path) -> None:
    player = Player(_recording(tmp_path / "day.rtrec"), paused=True)
    app = ReplayApp(player, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Play" in titles and "Pause" not in titles, "paused: the palette offers Play"
        assert {"Play faster", "Play slower", "Next change", "Go to the end"} <= set(titles)
        assert not any("Look up" in title or "Poll" in title for title in titles)


async def test_the_dashboards_lookup_and_refresh_keys_say_why_they_do_nothing_here(
    tmp_path: Path,
) -> None:
    """l, Enter on a call and r are a supervisor's habits: in a replay each says why
    it does nothing (no service to ask, nothing polled), with the keys that step."""
    settings = Settings()
    settings.keymap = {"replay_next": "n"}
    player = Player(_recording(tmp_path / "day.rtrec"), paused=True)
    app = ReplayApp(player, settings=settings)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        player.seek_fraction(1.0)
        await pilot.pause()

        def said() -> list[str]:
            return [note.message for note in app._notifications]

        await pilot.press("l")
        await wait_until(pilot, lambda: any("no caller lookup" in text for text in said()))
        app.clear_notifications()
        queueing = app.screen.dashboard.grid.table(CallState.QUEUEING)  # type: ignore[attr-defined]
        queueing.focus()
        await wait_until(pilot, lambda: queueing.has_focus and queueing.row_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("no caller lookup" in text for text in said()))
        await pilot.press("r")
        await wait_until(pilot, lambda: any("does not poll" in text for text in said()))
        told = next(text for text in said() if "does not poll" in text)
        assert ", and n step through its changes" in told  # the keys as remapped


async def test_the_footer_offers_no_lookup_on_a_replays_tables(tmp_path: Path) -> None:
    """A recording has no caller lookup: Enter on a call is not offered in the Footer
    (the table's own "⏎ Look up" would be, as on the dashboard), and pressed anyway it
    still says why it does nothing."""
    player = Player(_recording(tmp_path / "day.rtrec"), paused=True)
    app = ReplayApp(player, settings=Settings())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        player.seek_fraction(1.0)
        await pilot.pause()
        queueing = app.screen.dashboard.grid.table(CallState.QUEUEING)  # type: ignore[attr-defined]
        queueing.focus()
        await wait_until(pilot, lambda: queueing.has_focus and queueing.row_count > 0)
        await wait_for_footer_keys(pilot)
        footer = screen_text(app).splitlines()[-1]  # type: ignore[arg-type]
        assert "Quit" in footer, footer  # the Footer's line, with its keys drawn
        assert "Look up" not in footer and "⏎" not in footer, footer
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: any("no caller lookup" in note.message for note in app._notifications)
        )


async def test_a_replay_shows_the_service_level_the_dashboard_recorded(tmp_path: Path) -> None:
    """The headline's SL % and abandons in a replay are the recorded totals at the
    position: a dash before the first, and they move as the position passes the next."""
    from tests.core.rows import outcomes
    from tests.core.test_recorded_service import _mark

    path = tmp_path / "day.rtrec"
    with Recorder(path, installation="Test", igrp=7, tz="UTC") as recorder:
        for second in range(0, 120, 2):
            now = T0 + timedelta(seconds=second)
            recorder.record_calls(CallsSnapshot.build([call("q-1", "queueing", 0, 0)], now))
            recorder.record_users(UsersSnapshot.build([user("1")], now))
            if second in (30, 90):
                stats = outcomes(answered=40, within=36 if second == 30 else 20, abandoned=0)
                mark = _mark(now, stats)
                recorder.record_service(mark.t, mark.service)
    player = Player(Recording.load(path), paused=True)
    app = ReplayApp(player, settings=Settings())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        bar = app.screen.dashboard.metrics_bar  # type: ignore[attr-defined]

        def sl() -> str:
            bar.tick()
            return str(bar.values()["sl"][0])

        await wait_until(pilot, lambda: sl() == "–")
        player.seek_to(T0 + timedelta(seconds=40))
        app.screen.source.refresh_now()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: sl() == "90%")
        player.seek_to(T0 + timedelta(seconds=100))
        app.screen.source.refresh_now()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: sl() == "50%")
