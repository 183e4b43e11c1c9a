"""What ``rtdash calls|users|lookup`` and ``doctor`` print from a hostile upstream: no
control byte from the data, no markup read as markup, no traceback."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rtdash.api.sanitise import clean, is_clean
from rtdash.cli import main
from tests.hostile.upstream import (
    BRACKETED,
    HOSTILE,
    HOSTILE_SKIPPED,
    MARKUP_QUEUE,
    RAW_SEQUENCES,
    Answer,
    Upstream,
    ndjson,
)


@pytest.fixture
def env(upstream: Upstream, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> list[str]:
    for name in ("RTDASH_CONFIG", "RTDASH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "absent.toml")  # type: ignore[operator]
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    for name, value in upstream.cli_env().items():
        monkeypatch.setenv(name, value)
    return upstream.flags()


def assert_safe(text: str) -> None:
    for sequence in RAW_SEQUENCES:
        assert sequence not in text
    for line in text.splitlines():
        assert is_clean(line), repr(line)
    assert "Traceback" not in text


@pytest.mark.parametrize(
    "command",
    [["calls"], ["calls", "--csv"], ["calls", "--json"], ["users", "--all"], ["users", "--csv"]],
)
def test_tables_csv_and_json_hold_no_control_byte(
    env: list[str], command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*command, *env])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_safe(out)
    assert_safe(err)
    if command[0] == "calls":
        assert f"warning: {HOSTILE_SKIPPED} of " in err  # the bad rows, counted
    if command == ["calls"]:
        assert MARKUP_QUEUE in out and BRACKETED in out  # markup-looking text as it is
        assert clean(HOSTILE)[:20] in out
    if command[-1] == "--csv":
        cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
        assert clean(HOSTILE) in cells


def test_lookup_with_markup_and_controls_prints_them_safely(
    env: list[str], upstream: Upstream, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream.answers["activeCall"] = Answer(
        body=ndjson({"igrp": "1234", "campaign": HOSTILE, "pub": "[/]", "c_x": "[b]y"})
    )
    code = main(["lookup", "--call-ref", "c-[/]1", *env])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_safe(out + err)
    assert "[/]" in out and "[b]y" in out


def test_an_unreadable_lookup_answer_is_one_line_exit_1(
    env: list[str], upstream: Upstream, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream.answers["activeCall"] = Answer(body=b'{"igrp": "1", "pub": "x", "pub": "y"}')
    assert main(["lookup", "--call-ref", "c-1", *env]) == 1
    _out, err = capsys.readouterr()
    assert err.startswith("rtdash: the caller's details could not be read") and err.count("\n") == 1


def test_an_upstream_error_message_with_controls_is_one_clean_line(
    env: list[str], upstream: Upstream, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream.answers["pbxActiveCalls"] = Answer(500, json.dumps(HOSTILE).encode())
    assert main(["calls", *env]) == 1
    _out, err = capsys.readouterr()
    assert err.startswith('rtdash: upstream error (HTTP 500): "Eve') and err.count("\n") == 1
    assert_safe(err)


def test_doctor_output_holds_no_control_byte(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["doctor", *env])
    out, err = capsys.readouterr()
    assert_safe(out + err)
    assert "Traceback" not in out + err
