"""The export notification at 80×24: the real folder (absolute, or under ``~``) and each
file name whole on its own line."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from rtdash.core import export
from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.queues import KEYS, QueuesScreen

from .helpers import screen_text, settings_for, wait_for_data, wait_until


async def test_the_toast_names_the_folder_and_whole_file_names(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # export_dir is "." by default: the toast says where that is
    monkeypatch.setenv("HOME", str(tmp_path.parent))
    settings = settings_for(sim)
    settings.connection.more_igrps = [5678]  # two installations: the longer file names
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        await pilot.press("e")
        await wait_until(pilot, lambda: len(screen.exported) == 6)  # calls, users, service
        await wait_until(pilot, lambda: "Exported" in screen_text(app))
        shown = screen_text(app)
        assert f"in ~/{tmp_path.name}:" in shown
        for path in screen.exported:
            assert path.parent.absolute() == tmp_path
            assert path.name.startswith("rtdash-1234-")
            assert path.name in shown, f"{path.name} is cut in:\n{shown}"
        # the status line stays in view under the toast: the data's age, always
        status = next(line for line in shown.splitlines() if "data as of" in line)
        assert status.rstrip().endswith("installation 1234 · UTC"), status


async def test_the_toast_leaves_the_queues_view_whole(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Q`` while an export's toast is up: the toast, at the bottom right, covered the
    agents-available line, the dialog's foot and the line that says the view's keys
    (Enter, Esc) at 80×24 for the 10 s it stays."""
    monkeypatch.chdir(tmp_path)
    app = RtdashApp(settings_for(sim), clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: "Exported" in screen_text(app))
        await pilot.press("Q")
        await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
        await pilot.pause()
        shown = screen_text(app)
        assert "Exported" in shown, shown
        available = next(line for line in shown.splitlines() if " available" in line)
        assert "available for any queue (the PBX does not say who serves which)" in available
        assert KEYS in shown, shown
        # every line of the view is on screen as it is with no toast up
        app.clear_notifications()
        await wait_until(pilot, lambda: "Exported" not in screen_text(app))
        view = [line for line in screen_text(app).splitlines() if line.startswith("█")]
        assert len(view) >= 8
        on_screen = shown.splitlines()
        for line in view:
            assert line in on_screen, f"the toast covers\n{line}\nin\n{shown}"


async def test_switching_installation_takes_the_export_toast_away(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The toast names the first installation's files: on the second's tab it only
    covered that installation's calls and users for the 10 s it stays. A notice about
    no installation in particular stays."""
    monkeypatch.chdir(tmp_path)
    settings = settings_for(sim)
    settings.connection.more_igrps = [5678]
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        await pilot.press("e")
        await wait_until(pilot, lambda: "Exported" in screen_text(app))
        app.notify("Every installation's note", title="General", markup=False)
        await wait_until(pilot, lambda: "General" in screen_text(app))

        def status_line() -> str:
            return next(line for line in screen_text(app).splitlines() if "data as of" in line)

        await pilot.press("2")
        await wait_until(pilot, lambda: "installation 5678" in status_line())
        await pilot.pause()
        shown = screen_text(app)
        assert "Exported" not in shown, shown
        for path in screen.exported:
            assert path.name not in shown, shown
        assert "General" in shown, shown

        await pilot.press("1")  # gone, not hidden: back on the first, it is not shown again
        await pilot.pause()
        assert "Exported" not in screen_text(app)


async def test_an_export_that_ends_on_another_tab_says_so_back_on_its_own(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``e`` on the first installation, ``2`` before its files are written: the toast
    about the first's files must not cover the second's calls, and must not be lost
    either (it is the only word of where the files went, or that they failed), so it
    waits for the first installation to be shown again."""
    monkeypatch.chdir(tmp_path)
    written = threading.Event()
    switched = threading.Event()
    real_export = export.export_views

    def export_after_the_switch(*args: Any, **kwargs: Any) -> list[Path]:
        assert switched.wait(30), "the test never switched"
        paths = real_export(*args, **kwargs)
        written.set()
        return paths

    monkeypatch.setattr(export, "export_views", export_after_the_switch)
    settings = settings_for(sim)
    settings.connection.more_igrps = [5678]
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("e", "2")
        await wait_until(pilot, lambda: "installation 5678" in _status_line(app))
        switched.set()
        await wait_until(pilot, written.is_set)
        # the export's thread hands its toast over and ends
        await wait_until(pilot, lambda: not _exporting(app))
        await pilot.pause()
        shown = screen_text(app)
        assert "Exported" not in shown, shown
        assert len(screen.exported) == 6

        await pilot.press("1")
        await wait_until(pilot, lambda: "installation 1234" in _status_line(app))
        await wait_until(pilot, lambda: "Exported" in screen_text(app))
        shown = screen_text(app)
        for path in screen.exported:
            assert path.name in shown, shown


def _exporting(app: RtdashApp) -> bool:
    return any(worker.group == "export" and worker.is_running for worker in app.workers)


def _status_line(app: RtdashApp) -> str:
    return next(line for line in screen_text(app).splitlines() if "data as of" in line)
