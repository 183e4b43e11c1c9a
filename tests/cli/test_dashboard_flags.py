"""Flags for the dashboard reach its settings; a bad theme or keymap is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from rtdash.config import Settings
from tests.cli.conftest import RunCli


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Settings, bool]]:
    seen: list[tuple[Settings, bool]] = []

    def fake_run(settings: Settings, *, demo: bool = False) -> int:
        seen.append((settings, demo))
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", fake_run)
    return seen


def test_wallboard_no_flash_and_several_installations(
    rtdash: RunCli, launched: list[tuple[Settings, bool]]
) -> None:
    run = rtdash("--wallboard", "--no-flash", "--igrp", "1234", "--igrp", "5678", "--demo")
    assert run.code == 0, run.err
    settings, demo = launched[0]
    assert demo
    assert settings.display.wallboard and not settings.display.flash
    assert settings.connection.igrp == 1234
    assert settings.connection.more_igrps == [5678]
    assert [i.connection.igrp for i in settings.installations()] == [1234, 5678]


def test_one_installation_per_data_command(rtdash: RunCli) -> None:
    run = rtdash("calls", "--igrp", "1", "--igrp", "2", "--demo")
    assert run.code == 2
    assert run.err_lines == ["rtdash: --igrp: give one installation to this command"]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[display]\ntheme = "neon-fog"\n', "display.theme: unknown theme 'neon-fog'"),
        ('[keymap]\nlookupp = "ctrl+l"\n', "keymap.lookupp: unknown command"),
    ],
)
def test_bad_theme_or_keymap_exits_2_with_one_line(
    rtdash: RunCli, tmp_path: Path, toml: str, expected: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml)
    run = rtdash("--config", str(config), "--demo")
    assert run.code == 2
    assert len(run.err_lines) == 1 and expected in run.err_lines[0]
