"""Flags for the dashboard reach its settings; a bad theme or keymap is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from rtdash.config import Settings
from tests.cli.conftest import RunCli


def test_wallboard_no_flash_and_several_installations(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]]
) -> None:
    run = rtdash("--wallboard", "--no-flash", "--igrp", "1234", "--igrp", "5678", "--demo")
    assert run.code == 0, run.err
    settings, demo = dashboard[0]
    assert demo
    assert settings.display.wallboard and not settings.display.flash
    assert settings.connection.igrp == 1234
    assert settings.connection.more_igrps == [5678]
    assert [i.connection.igrp for i in settings.installations()] == [1234, 5678]


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("--demo", "--igrp", "42"), "rtdash: --igrp 42"),
        (("--demo", "--igrp", "1234", "--igrp", "42"), "rtdash: --igrp 42"),
        (("--demo", "--wallboard", "--igrp", "42"), "rtdash: --igrp 42"),
        (("serve", "--demo", "--igrp", "42"), "rtdash serve: --igrp 42"),
        (("calls", "--demo", "--igrp", "42"), "rtdash calls: --igrp 42"),
        (("users", "--demo", "--json", "--igrp", "42"), "rtdash users: --igrp 42"),
        (("lookup", "--demo", "--igrp", "42", "07700 900972"), "rtdash lookup: --igrp 42"),
    ],
)
def test_the_demo_refuses_an_installation_it_does_not_run(
    rtdash: RunCli,
    dashboard: list[tuple[Settings, bool]],
    served: list[list[str]],
    argv: tuple[str, ...],
    line: str,
) -> None:
    """Not every demo installation opened as if --igrp had not been given: the id is
    said to be wrong, with the ones the demo has, before any screen (or server)."""
    run = rtdash(*argv)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [f"{line}: the demo runs installations 1234 and 5678"]
    assert dashboard == [] and served == []


def test_the_demo_ignores_the_config_files_installation(
    rtdash: RunCli, dashboard: list[tuple[Settings, bool]], tmp_path: Path
) -> None:
    """An igrp in the config file is the real account's: the demo opens its own."""
    config = tmp_path / "config.toml"
    config.write_text("[connection]\nigrp = 42\n")
    assert rtdash("--config", str(config), "--demo").code == 0
    assert dashboard[0][1]


def test_one_installation_per_data_command(rtdash: RunCli) -> None:
    run = rtdash("calls", "--igrp", "1", "--igrp", "2", "--demo")
    assert run.code == 2
    assert run.err_lines == [
        "rtdash: --igrp: give one installation to this command (see `rtdash calls --help`)"
    ]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[display]\ntheme = "neon-fog"\n', "display.theme: unknown theme 'neon-fog'"),
        ('[keymap]\nlookupp = "ctrl+l"\n', "keymap.lookupp: unknown command"),
        (
            '[keymap]\nlookup = "q"\n',
            "keymap: 'q' is the key of both lookup and quit; give one of them another key",
        ),
        (
            '[keymap]\npause = "f5"\nrefresh = "x,f5"\n',
            "keymap: 'f5' is the key of both pause and refresh",
        ),
        ('[keymap]\nexport = "2"\n', "keymap: '2' is the key of both export and installation_2"),
    ],
)
def test_bad_theme_or_keymap_exits_2_with_one_line(
    rtdash: RunCli, tmp_path: Path, toml: str, expected: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml)
    run = rtdash("--config", str(config), "--demo")
    assert run.code == 2
    # the file named, as every other config error names it
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith(f"rtdash: {config}: {expected}"), run.err


def test_record_path_is_checked_before_the_screen(rtdash: RunCli, tmp_path: Path) -> None:
    run = rtdash("--demo", "--record", str(tmp_path / "missing" / "day.rtrec"))
    assert run.code == 2
    assert run.err_lines == [
        f"rtdash: --record {tmp_path / 'missing' / 'day.rtrec'}: no such folder "
        f"{tmp_path / 'missing'}"
    ]


@pytest.mark.parametrize("form", ["existing/", "existing", "new/"])
def test_record_refuses_a_folder_in_one_line(
    rtdash: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """``--record DIR/`` once wrote ``DIR-1234`` and ``DIR-5678`` beside the folder (the
    installation's id goes into the file's name): a folder is refused, with a file name
    to give instead, and nothing is written anywhere."""
    seen: list[object] = []

    def fake_run(settings: Settings, *, demo: bool = False, record: Path | None = None) -> int:
        seen.append(record)
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", fake_run)
    where = tmp_path / "recordings"
    (where / "existing").mkdir(parents=True)
    before = sorted(where.rglob("*"))
    given = f"{where}/{form}"
    run = rtdash("--demo", "--record", given)
    assert run.code == 2
    example = where / form.rstrip("/") / "day.rtrec"
    assert run.err_lines == [
        f"rtdash: --record {given}: a folder, not a file: name the file, such as --record {example}"
    ]
    assert seen == []
    assert sorted(where.rglob("*")) == before


def test_record_reaches_the_dashboard(
    rtdash: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []

    def fake_run(settings: Settings, *, demo: bool = False, record: Path | None = None) -> int:
        seen.append(record)
        return 0

    monkeypatch.setattr("rtdash.ui.app.run_dashboard", fake_run)
    assert rtdash("--demo", "--record", str(tmp_path / "day.rtrec")).code == 0
    assert seen == [tmp_path / "day.rtrec"]


def test_replay_refuses_a_file_that_is_not_a_recording(rtdash: RunCli, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    run = rtdash("replay", str(other))
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith("rtdash replay: not an rtdash recording: ")
    assert run.err_lines[0].count(str(other)) == 1  # the file named once


def test_calls_and_users_as_csv(rtdash: RunCli) -> None:
    import csv
    import io

    calls = list(csv.DictReader(io.StringIO(rtdash("calls", "--demo", "--csv").out)))
    assert calls and {row["State"] for row in calls} <= {"ringing", "queueing", "bridged"}
    assert all(row["Call"].startswith("c-") for row in calls)
    users = list(csv.DictReader(io.StringIO(rtdash("users", "--demo", "--csv").out)))
    assert users and all(row["Dashboard"] == "true" for row in users)
    both = rtdash("calls", "--demo", "--csv", "--json")
    assert both.code == 2


def test_replay_of_a_recording_split_by_installation_names_its_files(
    rtdash: RunCli, tmp_path: Path
) -> None:
    """``--record day.rtrec`` with two installations writes ``day-<igrp>.rtrec``: asked
    for ``day.rtrec``, replay says which files there are."""
    for igrp in ("1234", "5678"):
        (tmp_path / f"day-{igrp}.rtrec").write_bytes(b"")
    (tmp_path / "daylight-1.rtrec").write_bytes(b"")  # another recording's file
    run = rtdash("replay", str(tmp_path / "day.rtrec"))
    assert run.code == 2 and len(run.err_lines) == 1
    assert run.err_lines[0] == (
        f"rtdash replay: cannot read {tmp_path / 'day.rtrec'}: "
        "No such file or directory; recorded one "
        f"file per installation: {tmp_path / 'day-1234.rtrec'}, {tmp_path / 'day-5678.rtrec'}"
    )


def test_a_keymap_that_swaps_two_keys_is_no_clash(
    rtdash: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\npause = "r"\nrefresh = "p"\nquit = "q,ctrl+x"\n')
    monkeypatch.setattr("rtdash.ui.app.RtdashApp.run", lambda self: 0)
    run = rtdash("--config", str(config), "--demo")
    assert (run.code, run.err) == (0, "")


def _a_recording(path: Path) -> Path:
    from datetime import UTC, datetime

    from rtdash.core.recording import Recorder
    from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

    now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    with Recorder(path, installation="Test", igrp=7, tz="UTC") as recorder:
        recorder.record_calls(CallsSnapshot.build([], now))
        recorder.record_users(UsersSnapshot.build([], now))
    return path


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[display]\ntheme = "neon-fog"\n', "display.theme: unknown theme 'neon-fog'"),
        ('[keymap]\nreplay_pause = "q"\n', "keymap: 'q' is the key of both"),
    ],
)
def test_replay_checks_the_theme_and_keymap_as_the_dashboard_does(
    rtdash: RunCli, tmp_path: Path, toml: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same shell: one line and exit 2, before the terminal is taken over."""
    started: list[object] = []
    monkeypatch.setattr("rtdash.ui.screens.replay.ReplayApp.run", lambda self: started.append(1))
    config = tmp_path / "config.toml"
    config.write_text(toml)
    recording = _a_recording(tmp_path / "day.rtrec")
    run = rtdash("replay", "--config", str(config), str(recording))
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith(f"rtdash: {config}: {expected}"), run.err
    assert started == []
