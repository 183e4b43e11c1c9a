"""The real app in a real terminal: CI installs tmux so this always runs there."""

from __future__ import annotations

import shutil

import pytest

from tests.smoke.tmux_drive import Terminal, clean_env, drive, rtdash_command

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.mark.parametrize(("width", "height"), [(80, 24), (160, 48)])
def test_demo_walkthrough_in_tmux(width: int, height: int) -> None:
    screens = drive(width, height)
    assert len(screens) == 3


def test_demo_walkthrough_with_no_color_in_tmux() -> None:
    """NO_COLOR=1 (the convention a user sets for a monochrome terminal or a screen
    reader) turns every colour grey through Textual's filter: the whole walk-through
    works under it."""
    screens = drive(80, 24, env={"NO_COLOR": "1"})
    assert len(screens) == 3


CRASHING = """
from rtdash.ui.app import RtdashApp
from rtdash.cli import main

def crash(self):
    raise RuntimeError("an error the dashboard cannot handle")

RtdashApp.action_start_demo = crash
raise SystemExit(main(["--demo"]))
"""


def test_a_crash_exits_non_zero_with_its_traceback_on_screen() -> None:
    """A restart loop on a wallboard, or a script, must not take a crash for a quit."""
    command = [*rtdash_command()[:1], "-c", CRASHING]
    term = Terminal(command, 100, 40, clean_env())
    try:
        status = term.exit_status(timeout=20)
        assert status == 1, term.screen()
        assert "an error the dashboard cannot handle" in term.screen()
    finally:
        term.close()
