"""The real app in a real terminal: CI installs tmux so this always runs there."""

from __future__ import annotations

import shutil

import pytest

from tests.smoke.tmux_drive import drive

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.mark.parametrize(("width", "height"), [(80, 24), (160, 48)])
def test_demo_walkthrough_in_tmux(width: int, height: int) -> None:
    screens = drive(width, height)
    assert len(screens) == 3
