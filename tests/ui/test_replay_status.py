"""Replay says it is a replay: its state in the status line (never "live"), a position
bar with the time, the recording's span and the speed, and only keys that work there
in the Footer, help and palette."""

from __future__ import annotations

from pathlib import Path

from rtdash.config import Settings
from rtdash.core.replay import Player, Recording
from rtdash.ui.commands import LIVE, commands_for
from rtdash.ui.screens.help import HelpScreen
from rtdash.ui.screens.replay import ReplayApp, ReplayScreen
from rtdash.ui.widgets.replay_bar import ReplayBar, position_line
from tests.ui.helpers import screen_text, wait_until
from tests.ui.replay_helpers import POSITION, make_recording

#: what a recording cannot do: look up, poll now, change polling
LIVE_ONLY = [
    c
    for c in commands_for(LIVE)
    if c.id in {"lookup", "lookup_selected", "refresh", "pause", "faster", "slower"}
]


def lines(app: ReplayApp) -> list[str]:
    """The screen's lines with text on them."""
    return [line for line in screen_text(app).splitlines() if line.strip()]


def _player(tmp_path: Path, **kwargs: object) -> Player:
    player = Player(make_recording(tmp_path / "day.rtrec"), paused=True, **kwargs)  # type: ignore[arg-type]
    player.seek_to(POSITION)
    return player


def test_the_position_line_has_time_bar_span_and_speed(tmp_path: Path) -> None:
    player = _player(tmp_path, speed=4)
    line = position_line(player, player.recording.zone, 60).plain
    assert line.startswith(" ‖ 10:14:03 ━")
    assert line.endswith(" 10:02:00–11:30:00 ×4")
    assert len(line) == 60 and line.count("●") == 1, "the bar fills the line"
    # the knob sits where the position is: 12 of 88 minutes in
    bar = line[len(" ‖ 10:14:03 ") : line.index(" 10:02")]
    assert bar.index("●") == round((12 + 3 / 60) / 88 * (len(bar) - 1))
    player.resume()
    assert position_line(player, player.recording.zone, 60).plain.startswith(" ▶ 10:14:03")
    player.seek_fraction(1)
    assert position_line(player, player.recording.zone, 60).plain.endswith("×4 end")
    # too narrow for a bar: the words stay
    assert "●" not in position_line(player, player.recording.zone, 30).plain


async def test_replay_says_replay_never_live(tmp_path: Path) -> None:
    player = _player(tmp_path)
    app = ReplayApp(player, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        bar = screen.dashboard.status_bar
        await wait_until(pilot, lambda: bar.headline == "paused")
        status, position, _ = lines(app)[-3:]
        assert status.split()[:6] == ["REPLAY", "paused", "·", "data", "as", "of"]
        assert "10:14:00 (not updating)" in status
        assert position.split()[:2] == ["‖", "10:14:03"]
        await pilot.press("plus", "plus", "space")
        await wait_until(pilot, lambda: bar.headline == "playing ×4")
        await pilot.pause(0.3)
        status, position, _ = lines(app)[-3:]
        assert status.split()[:4] == ["REPLAY", "playing", "×4", "·"]
        assert " live" not in status
        assert status.count("×4") == 1, "the speed once, in the headline (and the bar)"
        # playing on from 10:14:03: how far in 0.3 s depends on how busy the machine is
        assert position.lstrip().startswith("▶ 10:14:") and position.rstrip().endswith("×4")
        await pilot.press("end")
        await wait_until(pilot, lambda: bar.headline == "at the end")
        assert player.paused, "playing stops at the end"
        assert screen.query_one(ReplayBar)._line is not None
        assert lines(app)[-2].rstrip().endswith("×4 end")
        assert " Play " in lines(app)[-1], "the Footer offers Play again"


async def test_replay_offers_only_keys_that_work_there(tmp_path: Path) -> None:
    app = ReplayApp(_player(tmp_path), settings=Settings())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen = app.screen
        footer = lines(app)[-1]
        assert "Play" in footer and "Filter" in footer
        for word in ("Number", "Lookup", "Refresh"):
            assert word not in footer, word
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Play", "Play faster", "Export", "Help", "Quit"} <= titles
        for command in LIVE_ONLY:
            assert command.palette_title not in titles, command.id
        assert not any(t.startswith(("Look up", "Poll", "Refresh")) for t in titles)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        explanations = {explanation for _, explanation in help_screen.rows}
        for command in LIVE_ONLY:
            assert command.explanation not in explanations, command.id
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("l", "r")
        assert app.screen is screen, "l and r do nothing in replay"


async def test_a_recording_cut_short_says_so_as_it_opens(tmp_path: Path) -> None:
    """A file cut short (a full disk, a copy stopped) plays up to the cut: without a
    word, that would read as the day's end."""
    whole = make_recording(tmp_path / "day.rtrec")
    cut = tmp_path / "cut[b]short.rtrec"  # a file name is shown as it is, never as markup
    cut.write_bytes(whole.path.read_bytes()[:-200])
    assert "could not be read" not in await _opened(whole.path)
    assert f"Part of {cut.name} could not be read" in await _opened(cut)


async def _opened(path: Path) -> str:
    """The screen of a replay of ``path`` just opened, notifications shown."""
    app = ReplayApp(Player(Recording.load(path), paused=True), settings=Settings())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.pause()
        return screen_text(app)
