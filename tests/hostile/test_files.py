"""Files and streams: CSV a spreadsheet cannot run, private exports, recordings read as
untrusted, stdin at end of file, configs that are not what they seem."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import pty
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rtdash import logs
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader
from rtdash.api.sanitise import clean, is_clean
from rtdash.cli import main
from rtdash.config import ConfigError, load_settings
from rtdash.core import export, limits
from rtdash.core.recording import Recorder
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot
from tests.core.recording_rig import recorded_lines
from tests.hostile.upstream import HOSTILE, call
from tests.support import a_password, config_lines

NOW = datetime(2026, 5, 1, 10, 5, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def calls(*rows: dict[str, object]) -> list:
    reader = RowReader("call", FieldMapping(), ZoneInfo("UTC"))
    return [reader.read(row) for row in rows]


# --- CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1-2", "'+1-2"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+447700900123", "+447700900123"),  # an exact E.164 number keeps its +
        ("+44 7700 900123", "'+44 7700 900123"),
        ("Plain name", "Plain name"),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_defused(value: str, written: str) -> None:
    text = export.calls_csv(calls(call("c-1", displayName=value)), NOW)
    row = dict(zip(*list(csv.reader(io.StringIO(text))), strict=True))
    assert row["Agent"] == written  # the agent's name, under its screen label


def test_a_csv_cell_never_holds_a_bare_line_break() -> None:
    rows = calls(call("c-1"))
    rows[0] = rows[0].model_copy(update={"agent_name": "two\rlines\nhere\ttab"})  # not read
    text = export.calls_csv(rows, NOW)
    assert "\r" not in text and text.count("\n") == 2
    assert "two↵lines↵here tab" in text


def test_exports_are_created_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        paths = export.export_views(calls(call("c-1")), [], tmp_path, now=NOW, zone=ZoneInfo("UTC"))
    finally:
        os.umask(old)
    assert len(paths) == 4
    assert {stat.S_IMODE(path.stat().st_mode) for path in paths} == {0o600}


# --- recordings --------------------------------------------------------------------------


def recording_lines(tmp_path: Path) -> list[dict]:
    path = tmp_path / "made.rtrec"
    recorder = Recorder(path, installation="Test", igrp=1234, tz="UTC", started=NOW)
    recorder.record_calls(CallsSnapshot.build(calls(call("c-1")), NOW, 0))
    recorder.close()
    return recorded_lines(path)


def write(path: Path, lines: list[str | dict]) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_bytes(gzip.compress(text.encode() + b"\n"))
    return path


def test_a_recording_is_read_back_as_untrusted(tmp_path: Path) -> None:
    header, keyframe, *rest = recording_lines(tmp_path)
    # as an older rtdash (or a hand-made file) would hold them: raw control characters
    keyframe["rows"][0]["displayName"] = HOSTILE
    header["installation"] = HOSTILE
    deep_row = {
        **keyframe["rows"][0],
        "callRef": "c-deep",
        "extra": {"x": json.loads("[" * 60 + "]" * 60)},
    }
    year_one = {
        **keyframe["rows"][0],
        "callRef": "c-old",
        "callStartDatetime": "0001-01-01T00:00:00+14:00",
    }
    keyframe["rows"] += [deep_row, year_one]
    later = {**keyframe, "t": "0001-01-01T00:00:00+14:00"}
    path = write(
        tmp_path / "hostile.rtrec",
        [header, keyframe, "[" * 100_000 + "]" * 100_000, later, *rest],
    )
    recording = Recording.load(path)
    assert recording.skipped >= 2  # the line nested 100 000 deep, the record in year 1
    assert is_clean(recording.header.installation)
    snapshot = recording.calls.snapshot_at(recording.start)
    assert snapshot is not None
    assert [c.call_ref for c in snapshot.calls] == ["c-1"]  # the deep and year-one rows skipped
    assert snapshot.calls[0].agent_name == clean(HOSTILE)


def test_a_recording_that_inflates_past_the_cap_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    header, *_ = recording_lines(tmp_path)
    bomb = tmp_path / "bomb.rtrec"
    bomb.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + b" " * (3 * 1024 * 1024)))
    assert bomb.stat().st_size < 20_000
    monkeypatch.setattr(limits, "MAX_INFLATED", 1024 * 1024)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "absent.toml")
    assert main(["replay", str(bomb)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"rtdash replay: {bomb}: inflates to more than 1 MiB, the most rtdash replays "
        "(is it really a recording?)\n"
    )


# --- stdin -------------------------------------------------------------------------------


def test_stdin_at_end_of_file_is_a_hang_up_not_a_busy_loop(tmp_path: Path) -> None:
    """``rtdash --demo </dev/null`` in a terminal: it ends at once (exit 129, as on
    SIGHUP) with one line, instead of spinning at a full core for ever."""
    master, slave = pty.openpty()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PYTHONPATH": str(REPO),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "rtdash", "--demo"],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    try:
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = b""
    os.set_blocking(master, False)
    try:
        while chunk := os.read(master, 65536):
            output += chunk
    except OSError:
        pass
    os.close(master)
    assert code == 129
    assert (
        output.decode().strip()
        == "rtdash: stdin is /dev/null: the dashboard reads keys from a terminal"
    )


def test_a_wrong_flag_is_said_as_such_whatever_stdin_is(tmp_path: Path) -> None:
    """A usage error is the one line it always is (exit 2), not hidden behind "stdin is
    /dev/null" (a service unit or a script with no terminal is where it is met)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-m", "rtdash", "--demo", "--igrp", "42"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, b"")
    assert (
        done.stderr.decode().strip()
        == "rtdash: --igrp 42: the demo runs installations 1234 and 5678"
    )


def test_a_pipe_that_closes_while_the_dashboard_runs_ends_it(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    read_end, write_end = os.pipe()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PYTHONPATH": str(REPO),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "rtdash", "--demo"],
        stdin=read_end,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    os.close(read_end)
    os.set_blocking(master, False)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while b"Ringing" not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(master, 65536)
            except BlockingIOError:
                time.sleep(0.1)
        assert b"Ringing" in seen, seen[-2000:]
        assert process.poll() is None, "running while its stdin is open"
        # nobody reads the terminal from here on either, so the orderly exit may block
        # writing to it: the process must still end
        os.close(write_end)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert code == 129


# --- config --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"\xef\xbb\xbf[connection]\nigrp = 1\n",
            "starts with a byte-order mark (save it as UTF-8 without BOM)",
        ),
        (b'[connection]\nname = "caf\xe9"\n', "not UTF-8 text (byte 24)"),
        (b"[mapping]\nx = " + b"[" * 2000 + b"]" * 2000 + b"\n", "nested more than 8 deep"),
        (b"[mapping]\nx = " + b"[" * 20 + b"]" * 20 + b"\n", "nested more than 8 deep"),
    ],
    ids=["bom", "latin-1", "nested-2000", "nested-20"],
)
def test_a_config_that_is_not_what_it_seems_is_one_line_exit_2(
    tmp_path: Path, content: bytes, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == f"{path}: {problem}"
    assert main(["calls", "--config", str(path)]) == 2
    assert capsys.readouterr().err == f"rtdash: {path}: {problem}\n"


def test_profile_secrets_get_the_permission_warning_and_are_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    word = a_password()  # made per run: no password is written in the tests
    path = tmp_path / "config.toml"
    path.write_text(
        "[profiles.north]\n"
        + config_lines(igrp=1, username="north-user", password=word)
        + "[profiles.south]\n"
        + config_lines(igrp=2, api_key_env="SOUTH_KEY"),
        encoding="utf-8",
    )
    path.chmod(0o644)
    south_key = a_password("key")
    monkeypatch.setenv("SOUTH_KEY", south_key)
    settings = load_settings(path)
    assert settings.warnings == [
        f"{path} holds a secret but other users can read it: chmod 600 {path}"
    ]
    try:
        logs.register_settings_secrets(settings)
        message = f"sent {word} and {south_key} \x1b]0;t\x07"
        record = logging.LogRecord("x", logging.WARNING, "", 0, message, None, None)
        logs.RedactingFilter().filter(record)
        assert record.getMessage() == "sent *** and *** ␛]0;t�"
    finally:
        logs.clear_secrets()
