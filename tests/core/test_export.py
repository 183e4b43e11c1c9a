"""Export: CSV and JSON files read back field by field, names from the time in the
installation's zone, never overwritten, a clear error for a folder that cannot be used;
CSV text for stdout."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.agents import OnCall
from rtdash.core.export import (
    CALL_COLUMNS,
    USER_COLUMNS,
    ExportError,
    agent_word,
    calls_csv,
    export_views,
    users_csv,
)
from rtdash.core.format import REDACTED, WITHHELD, caller_label
from rtdash.core.labels import USER_LABELS

from .rows import T0, at, call, user

LONDON = ZoneInfo("Europe/London")
NOW = at(300)  # 09:05:00 UTC = 10:05:00 in London (BST)
STAMP = "20260501-100500"


def _calls():
    return [
        call(
            "c-1",
            "queueing",
            200,
            180,
            src_number="+442079460557",
            dialled_number="+441632960200",
            dgrp_name="Sales line",
            queue="sales",
            ring_time=20,
            queue_duration=100,
            call_duration=120,
            igrp=1234,
        ),
        call(
            "c-2",
            "bridged",
            60,
            0,
            src_number="+442079460018",
            agent_name="Zoë Ñúñez",
            agent_ref="z.nunez",
            bridge_duration=240,
            extra={"holdMusic": "jazz"},
        ),
        call("c-3", "ringing", 295, 295, agent_name='=HYPERLINK("http://x")'),
    ]


def _users():
    return [
        user("7", "available", 0, name="Åsa Berg", extension="207", operator_ref="a.berg"),
        user("8", "unavailable", 240, name="Bo", dashboard=False),
    ]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        assert reader.fieldnames is not None
        _read_csv.fieldnames = list(reader.fieldnames)  # type: ignore[attr-defined]
    return rows


def test_four_files_named_after_the_time_in_the_zone(tmp_path: Path) -> None:
    paths = export_views(_calls(), _users(), tmp_path, now=NOW, zone=LONDON)
    assert [p.name for p in paths] == [
        f"rtdash-calls-{STAMP}.csv",
        f"rtdash-calls-{STAMP}.json",
        f"rtdash-users-{STAMP}.csv",
        f"rtdash-users-{STAMP}.json",
    ]
    assert all(p.parent == tmp_path and p.is_file() for p in paths)
    named = export_views([], [], tmp_path, now=NOW, zone=ZoneInfo("UTC"), stem="rtdash-1234")
    assert named[0].name == "rtdash-1234-calls-20260501-090500.csv"


def test_calls_csv_reads_back_field_by_field(tmp_path: Path) -> None:
    path = export_views(_calls(), _users(), tmp_path, now=NOW, zone=LONDON)[0]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert b"\r\n" in raw  # RFC 4180 line ends in files
    rows = _read_csv(path)
    assert _read_csv.fieldnames == list(CALL_COLUMNS)  # type: ignore[attr-defined]
    assert CALL_COLUMNS[:3] == ("Call", "State", "Installation")
    assert CALL_COLUMNS[-3:] == ("In state (s)", "Wait (s)", "Other fields")
    queueing, bridged, ringing = rows
    assert queueing["Call"] == "c-1" and queueing["State"] == "queueing"
    assert queueing["Caller"] == "+442079460557"  # a number, as it is
    assert queueing["Dialled"] == "+441632960200"
    assert queueing["Installation"] == "1234" and queueing["Line"] == "Sales line"
    assert datetime.fromisoformat(queueing["Started"]) == at(180)
    assert queueing["State since"] == "2026-05-01T09:03:20+00:00"
    assert queueing["Ring time (s)"] == "20" and queueing["Queue time (s)"] == "100"
    assert queueing["In state (s)"] == "100"  # 300 - 200
    assert queueing["Wait (s)"] == "120"  # since the call started: ring + queue
    assert queueing["Agent"] == "" and queueing["Other fields"] == ""
    assert bridged["Agent"] == "Zoë Ñúñez" and bridged["Agent ref"] == "z.nunez"
    assert bridged["In state (s)"] == "240"
    assert bridged["Wait (s)"] == ""  # answered: no longer waiting
    assert json.loads(bridged["Other fields"]) == {"holdMusic": "jazz"}
    # a name a spreadsheet would run as a formula is made text
    assert ringing["Agent"] == '\'=HYPERLINK("http://x")'
    assert ringing["Wait (s)"] == "5"


def test_users_csv_reads_back_field_by_field(tmp_path: Path) -> None:
    path = export_views([], _users(), tmp_path, now=NOW, zone=LONDON)[2]
    rows = _read_csv(path)
    assert _read_csv.fieldnames == list(USER_COLUMNS)  # type: ignore[attr-defined]
    first, second = rows
    assert first["User id"] == "7" and first["State"] == "available"
    assert first["Name"] == "Åsa Berg" and first["Ext"] == "207"
    assert first["Dashboard"] == "true" and second["Dashboard"] == "false"
    assert first["Since"] == T0.isoformat()
    assert first["In state (s)"] == "300" and second["In state (s)"] == "60"
    assert "Wait (s)" not in first


def test_json_files_are_the_to_json_rows(tmp_path: Path) -> None:
    paths = export_views(_calls(), _users(), tmp_path, now=NOW, zone=LONDON)
    with open(paths[1], encoding="utf-8") as handle:
        calls = json.load(handle)
    with open(paths[3], encoding="utf-8") as handle:
        users = json.load(handle)
    assert calls == [c.to_json() for c in _calls()]
    on_call = OnCall.from_calls(_calls())
    assert users == [{**u.to_json(), "agentState": agent_word(u, on_call)} for u in _users()]
    assert calls[1]["displayName"] == "Zoë Ñúñez"
    assert "Zoë" in paths[1].read_text(encoding="utf-8")  # not \u-escaped


def test_users_say_on_a_call_available_or_away_as_on_screen(tmp_path: Path) -> None:
    users = [
        PbxUser(user_id="1", state=UserState.UNAVAILABLE, operator_ref="ffion"),
        PbxUser(user_id="2", state=UserState.UNAVAILABLE, operator_ref="leo"),
        PbxUser(user_id="3", state=UserState.AVAILABLE, operator_ref="sam"),
    ]
    talking = ActiveCall(call_ref="c1", state=CallState.BRIDGED, agent_ref="ffion")
    paths = export_views([talking], users, tmp_path, now=NOW, zone=LONDON)
    rows = _read_csv(paths[2])
    state = USER_LABELS["agent_state"]  # the CSV speaks the screen's words
    assert [row[state] for row in rows] == ["on a call", "away", "available"]
    with open(paths[3], encoding="utf-8") as handle:
        assert [u["agentState"] for u in json.load(handle)] == ["on a call", "away", "available"]
    # the CLI's users --csv has no calls: an unavailable user is not called away
    lines = users_csv(users, NOW).splitlines()[1:]
    assert [line.split(",")[USER_COLUMNS.index(state)] for line in lines] == [
        "",
        "",
        "available",
    ]


def test_an_export_never_overwrites(tmp_path: Path) -> None:
    first = export_views(_calls(), _users(), tmp_path, now=NOW, zone=LONDON)
    before = {p: p.read_bytes() for p in first}
    second = export_views(_calls()[:1], [], tmp_path, now=NOW, zone=LONDON)
    assert [p.name for p in second] == [
        f"rtdash-calls-{STAMP}-1.csv",
        f"rtdash-calls-{STAMP}-1.json",
        f"rtdash-users-{STAMP}-1.csv",
        f"rtdash-users-{STAMP}-1.json",
    ]
    assert {p: p.read_bytes() for p in first} == before
    # one name of a set taken (by anything): the whole set moves on together
    (tmp_path / f"rtdash-users-{STAMP}-2.json").write_text("mine")
    third = export_views([], [], tmp_path, now=NOW, zone=LONDON)
    assert {p.name.rsplit(".", 1)[0][-2:] for p in third} == {"-3"}
    assert (tmp_path / f"rtdash-users-{STAMP}-2.json").read_text() == "mine"
    assert not (tmp_path / f"rtdash-calls-{STAMP}-2.csv").exists()


def test_a_missing_folder_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "exports" / "today"
    paths = export_views(_calls(), [], folder, now=NOW, zone=LONDON)
    assert folder.is_dir() and all(p.exists() for p in paths)


def test_a_folder_that_cannot_be_used_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError) as caught:
        export_views(_calls(), _users(), blocker / "sub", now=NOW, zone=LONDON)
    assert str(caught.value) == f"cannot export to {blocker / 'sub'}: not a folder"
    with pytest.raises(ExportError, match=r"^cannot export to .*a-file: not a folder$"):
        export_views(_calls(), _users(), blocker, now=NOW, zone=LONDON)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_is_one_clear_line_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match=r"^cannot write .*locked/rtdash-calls-.*\.csv: "):
            export_views(_calls(), _users(), folder, now=NOW, zone=LONDON)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_failure_midway_is_one_line_and_removes_the_files_already_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rtdash.core import export

    real = export._write_json

    def disk_full_on_users(path: Path, rows, more=None) -> None:
        if "-users-" in path.name:
            path.write_text("[")  # part written, then the disk fills
            raise OSError(28, "No space left on device")
        real(path, rows, more)

    monkeypatch.setattr(export, "_write_json", disk_full_on_users)
    with pytest.raises(ExportError) as caught:
        export_views(_calls(), _users(), tmp_path, now=NOW, zone=LONDON)
    assert str(caught.value) == (
        f"cannot write {tmp_path / f'rtdash-users-{STAMP}.json'}: No space left on device"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_row_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    odd = user("9", extra={"thing": object()})
    with pytest.raises(TypeError):
        export_views(_calls(), [odd], tmp_path, now=NOW, zone=LONDON)
    assert list(tmp_path.iterdir()) == []


def test_a_naive_now_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export_views([], [], tmp_path, now=datetime(2026, 5, 1, 9), zone=LONDON)


def test_csv_text_for_stdout(tmp_path: Path) -> None:
    text = calls_csv(_calls(), NOW)
    assert not text.startswith("\ufeff") and "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Call"] for r in rows] == ["c-1", "c-2", "c-3"]
    assert rows[0]["Wait (s)"] == "120" and rows[1]["Agent"] == "Zoë Ñúñez"
    # the same cells as the file
    path = export_views(_calls(), [], tmp_path, now=NOW, zone=LONDON)[0]
    assert rows == _read_csv(path)
    users = list(csv.DictReader(io.StringIO(users_csv(_users(), NOW))))
    assert [u["User id"] for u in users] == ["7", "8"]
    assert users_csv([], NOW) == ",".join(USER_COLUMNS) + "\n"


def test_todays_service_level_is_exported_beside_the_views(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from rtdash.core.service import ServiceLevel
    from rtdash.core.snapshot import CallsSnapshot

    service = ServiceLevel(ZoneInfo("UTC"))
    t = NOW.timestamp()
    waiting = ActiveCall(
        call_ref="c1", state=CallState.QUEUEING, queue="=sales", call_start=NOW, state_start=NOW
    )
    service.observe_calls(CallsSnapshot.build([waiting], NOW))
    later = datetime.fromtimestamp(t + 30, NOW.tzinfo)
    service.observe_calls(CallsSnapshot.build([], later))
    report = service.report()
    paths = export_views(_calls(), _users(), tmp_path, now=NOW, zone=LONDON, service=report)
    assert [p.name.split("-")[1] for p in paths] == ["calls"] * 2 + ["users"] * 2 + ["service"] * 2
    rows = _read_csv(paths[4])
    assert [(r["queue"], r["offered"], r["abandoned"]) for r in rows] == [
        ("", "1", "1"),
        ("'=sales", "1", "1"),
    ]
    with open(paths[5], encoding="utf-8") as handle:
        assert json.load(handle)["total"]["abandoned"] == 1


def test_a_caller_with_no_number_is_written_in_the_screens_words(tmp_path: Path) -> None:
    """The dashboard shows "(withheld)" where the service sends "anonymous": the
    spreadsheet of what it showed, and ``rtdash calls --csv``, say the same; a number
    stays in E.164. The JSON keeps the service's value, for scripts."""
    rows = [
        call("c-1", "queueing", 200, 180, src_number="anonymous"),
        call("c-2", "queueing", 200, 180, src_number="+44*******557"),
        call("c-3", "queueing", 200, 180, src_number="+442079460557"),
        call("c-4", "queueing", 200, 180, src_number=None),
    ]
    calls_file, calls_json = export_views(rows, [], tmp_path, now=NOW, zone=LONDON)[:2]
    written = [row["Caller"] for row in _read_csv(calls_file)]
    assert written == ["(withheld)", "(redacted)", "+442079460557", "(withheld)"]
    assert written[0] == caller_label("anonymous") == WITHHELD, "the screen's word"
    printed = csv.DictReader(io.StringIO(calls_csv(rows, NOW)))
    assert [row["Caller"] for row in printed] == written
    assert json.loads(calls_json.read_text())[0]["srcPhoneNumber"] == "anonymous"
    # with the numbers excluded, an empty one was taken out: redacted, as on screen
    hidden = export_views(rows[3:], [], tmp_path, now=NOW, zone=LONDON, pii_excluded=True)[0]
    assert _read_csv(hidden)[0]["Caller"] == caller_label(None, pii_excluded=True) == REDACTED
    printed = csv.DictReader(io.StringIO(calls_csv(rows[3:], NOW, pii_excluded=True)))
    assert next(printed)["Caller"] == REDACTED


def test_users_exported_while_no_call_can_be_read_are_not_called_away(tmp_path: Path) -> None:
    """With the calls unreadable the screen draws an unavailable agent "unavailable"
    (on a call or away, nobody can tell); the export said "away"."""
    users = [
        PbxUser(user_id="1", state=UserState.UNAVAILABLE, operator_ref="ffion"),
        PbxUser(user_id="2", state=UserState.AVAILABLE, operator_ref="sam"),
    ]
    paths = export_views([], users, tmp_path, now=NOW, zone=LONDON, calls_known=False)
    state = USER_LABELS["agent_state"]
    assert [row[state] for row in _read_csv(paths[2])] == ["", "available"]
    with open(paths[3], encoding="utf-8") as handle:
        assert [u["agentState"] for u in json.load(handle)] == ["", "available"]
