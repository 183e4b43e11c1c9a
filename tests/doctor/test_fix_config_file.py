"""``rtdash doctor --fix`` on a config file that exists: comments and hand-mapped values
kept, the old file backed up, nothing left to write the second time; and no ``--fix``
with the demo, which has no config file of the user's to edit."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from tests.support import run_cli

from .stand_in import StandIn
from .vocabularies import VOCABULARIES

EXISTING = """\
# my rtdash settings
[connection]
igrp = 4321  # the main site

[mapping]
# the flag was renamed last year
user_state_values = { ON_LEAVE = "unavailable" }
"""


def test_fix_keeps_comments_and_hand_mapped_values_and_backs_up(
    stand_in: StandIn, config_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vocabulary = VOCABULARIES[0]
    stand_in.calls, stand_in.users = vocabulary.calls(), vocabulary.users()
    config_home.parent.mkdir(parents=True)
    config_home.write_text(EXISTING)
    config_home.chmod(0o644)
    flags = ["--base-url", stand_in.url]

    code, out, _ = run_cli(capsys, "doctor", *flags, "--dry-run")
    assert config_home.read_text() == EXISTING  # nothing written
    assert f"--- {config_home}\n+++ {config_home}\n" in out
    assert '+user_state = "user_state"\n' in out
    assert "-user_state_values" in out  # the table is extended in place

    code, out, _ = run_cli(capsys, "doctor", *flags, "--fix")
    assert code == 0, out
    backup = config_home.with_name("config.toml.bak")
    assert f"(the old file is kept as {backup})" in out
    assert backup.read_text() == EXISTING
    assert stat.S_IMODE(backup.stat().st_mode) == stat.S_IMODE(config_home.stat().st_mode) == 0o600
    text = config_home.read_text()
    for line in ("# my rtdash settings", "igrp = 4321  # the main site", "# the flag was renamed"):
        assert line in text
    mapping = tomllib.loads(text)["mapping"]
    assert mapping["user_state_values"] == {
        "ON_LEAVE": "unavailable",
        "READY": "available",
        "NOT_READY": "unavailable",
    }
    assert mapping["user_dashboard"] == "on_wallboard"

    # a second --fix finds nothing left to write and keeps the first backup
    code, out, _ = run_cli(capsys, "doctor", *flags, "--fix")
    assert code == 0
    assert f"nothing to write to {config_home}: no confident suggestion" in out
    assert not config_home.with_name("config.toml.bak.1").exists()


def test_fix_is_refused_with_the_demo(
    config_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "doctor", "--demo", "--fix")
    assert (code, out) == (2, "")
    assert err.startswith("rtdash doctor: --fix and --dry-run edit your config file")
    assert not config_home.exists()
