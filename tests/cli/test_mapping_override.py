"""A renamed upstream field is fixed in the config's [mapping], end to end over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rtdash.sim import SimConfig, Simulator

if TYPE_CHECKING:
    from tests.cli.conftest import RunCli


@pytest.fixture(scope="module")
def renaming_sim() -> Iterator[Simulator]:
    """An upstream that calls the call-state field ``callPhase``."""
    config = SimConfig(
        seed=11, realtime=False, start=datetime.now(UTC), field_renames={"callState": "callPhase"}
    )
    with Simulator(config) as sim:
        yield sim


def config_file(tmp_path: Path, sim: Simulator, mapping: str) -> Path:
    path = tmp_path / "rtdash.toml"
    path.write_text(
        f'[connection]\nbase_url = "{sim.url}"\nigrp = {sim.igrp}\n\n[mapping]\n{mapping}\n'
    )
    return path


@pytest.fixture
def creds(renaming_sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTDASH_USERNAME", renaming_sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", renaming_sim.password)


def test_the_override_reads_the_renamed_state(
    rtdash: RunCli, renaming_sim: Simulator, tmp_path: Path, creds: None
) -> None:
    path = config_file(tmp_path, renaming_sim, 'call_state = "callPhase"')
    run = rtdash("calls", "--json", "--config", str(path))
    assert (run.code, run.err) == (0, "")
    rows = run.json()
    assert {row["state"] for row in rows} == {"ringing", "queueing", "bridged"}
    assert all("callPhase" not in row["extra"] for row in rows)


def test_without_the_override_every_row_is_unreadable(
    rtdash: RunCli, renaming_sim: Simulator, tmp_path: Path, creds: None
) -> None:
    """An empty list must not pass for "no calls": exit 1 and say what to do."""
    path = config_file(tmp_path, renaming_sim, "")
    run = rtdash("calls", "--json", "--config", str(path))
    assert run.code == 1
    assert run.json() == []  # still valid JSON for a pipeline
    assert len(run.err_lines) == 1
    # the default names, and the rows' keys: the renamed one among them
    assert re.fullmatch(
        r"rtdash: none of the \d+ call rows could be read: call_state, not set in \[mapping\], "
        r'names "callState", "callStage", "state" or "status" by default, none of which any '
        r"row carries \(the rows carry: igrp, callRef, callPhase, callStartDatetime, "
        r"[^()]* and \d+ more\); correct \[mapping\] in the config "
        r"\(`rtdash doctor` suggests a mapping\)",
        run.err_lines[0],
    )
    table = rtdash("calls", "--config", str(path))
    assert (table.code, table.out) == (1, "")
    assert table.err == run.err


def test_an_override_naming_a_key_no_row_carries_says_which_and_what_they_carry(
    rtdash: RunCli, renaming_sim: Simulator, tmp_path: Path, creds: None
) -> None:
    """It said "no known call state (none given)" and to map the field under
    [mapping]: where the user had, naming a key the service does not send."""
    path = config_file(tmp_path, renaming_sim, 'call_state = "callMood"')
    run = rtdash("calls", "--config", str(path))
    assert (run.code, run.out) == (1, "")
    assert len(run.err_lines) == 1
    assert re.fullmatch(
        r"rtdash: none of the \d+ call rows could be read: "
        r'\[mapping\] call_state names "callMood", which no row carries '
        r"\(the rows carry: igrp, callRef, callPhase, callStartDatetime, [^()]* and \d+ more\); "
        r"correct \[mapping\] in the config \(`rtdash doctor` suggests a mapping\)",
        run.err_lines[0],
    )
    # the users are read through their own fields: that command goes on
    users = rtdash("users", "--config", str(path))
    assert (users.code, users.err) == (0, "") and "STATE" in users.out


def test_a_bad_mapping_key_is_a_config_error(
    rtdash: RunCli, renaming_sim: Simulator, tmp_path: Path, creds: None
) -> None:
    path = config_file(tmp_path, renaming_sim, 'call_phase = "callPhase"')
    run = rtdash("calls", "--config", str(path))
    assert run.code == 2
    assert run.err.startswith(f"rtdash: {path}: mapping.call_phase: unknown field")


def test_users_are_unaffected_by_a_call_rename(
    rtdash: RunCli, renaming_sim: Simulator, tmp_path: Path, creds: None
) -> None:
    path = config_file(tmp_path, renaming_sim, "")
    run = rtdash("users", "--json", "--config", str(path))
    assert run.code == 0 and run.json()
