"""Recordings written before the row types left pydantic read back the same: the text
below is a recording e146e5d wrote of :func:`tests.api.test_row_table.sample_rows` (two
polls), and ``READ_BACK`` the ``to_json()`` rows e146e5d read back from it. Writing the
same polls today gives the same lines."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rtdash.api.models import ActiveCall, CallState, PbxUser
from rtdash.core.recording import Recorder
from rtdash.core.replay import Recording
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from tests.api.test_row_table import sample_rows

T0 = datetime(2026, 5, 1, 9, 0, 10, 250, tzinfo=UTC)
T1 = T0 + timedelta(seconds=2)

E146E5D_RECORDING = (
    '{"rtdash_recording":1,"installation":"Northwind","igrp":1234,"tz":"Europe/London","start'
    'ed":"2026-12-04T12:42:37.016489+00:00","exclude_pii":false}\n'
    '{"t":"2026-05-01T09:00:10.000250+00:00","kind":"calls","rows":[{"callRef":"c-1","state":'
    '"ringing"},{"callRef":"c-3","state":"queueing","callStartDatetime":"2026-01-15T08:59:59.'
    '500000-05:30","stateStartDatetime":"2026-01-15T14:30:00+00:00","queueRef":"support","que'
    'ueDuration":12},{"callRef":"c-4","state":"queueing","callStartDatetime":"2026-05-01T09:0'
    '0:00.000007"},{"extra":{"wrapCode":"W1","n":1.5,"nested":{"a":[1,null,true]}},"callRef":'
    '"c-2","state":"bridged","igrp":1234,"callStartDatetime":"2026-05-01T09:00:00+00:00","sta'
    'teStartDatetime":"2026-05-01T10:00:05.123456+01:00","srcPhoneNumber":"+447700900123","di'
    'alledPhoneNumber":"08001234567","dgrp":"7","dgrpName":"Sales – UK","queueRef":"sales","o'
    'peratorRef":"ffion","displayName":"Ffion Jones","ringTime":4,"queueDuration":30,"bridgeD'
    'uration":61,"callDuration":95}],"unreadable":1}\n'
    '{"t":"2026-05-01T09:00:10.000250+00:00","kind":"users","rows":[{"extra":{"awayReason":"l'
    'unch"},"sipUserId":"u-2","state":"unavailable","igrp":1234,"operatorRef":"leo","displayN'
    'ame":"Léo Knight","extensionNumber":"201","stateStartDatetime":"2026-05-01T10:00:00+01:0'
    '0","dashboard":true},{"sipUserId":"u-1","state":"available","dashboard":false}],"unreada'
    'ble":0}\n'
    '{"t":"2026-05-01T09:00:12.000250+00:00","kind":"calls","d":2,"upd":[{"callRef":"c-1","st'
    'ate":"queueing","queueRef":"new"},{"callRef":"c-2","callDuration":97}],"unreadable":0}\n'
    '{"t":"2026-05-01T09:00:12.000250+00:00","kind":"users","del":["u-1"]}\n'
)

#: per (time, kind): json.dumps of the read-back rows' to_json() at e146e5d (calls by callRef)
READ_BACK = {
    ("2026-05-01T09:00:10.000250+00:00", "calls"): (
        '[{"extra": {}, "callRef": "c-1", "state": "ringing", "igrp": null, "callStartDatetime"'
        ': null, "stateStartDatetime": null, "srcPhoneNumber": null, "dialledPhoneNumber": null'
        ', "dgrp": null, "dgrpName": null, "queueRef": null, "operatorRef": null, "displayName"'
        ': null, "ringTime": null, "queueDuration": null, "bridgeDuration": null, "callDuration'
        '": null}, {"extra": {"wrapCode": "W1", "n": 1.5, "nested": {"a": [1, null, true]}}, "c'
        'allRef": "c-2", "state": "bridged", "igrp": 1234, "callStartDatetime": "2026-05-01T09:'
        '00:00Z", "stateStartDatetime": "2026-05-01T10:00:05.123456+01:00", "srcPhoneNumber": "'
        '+447700900123", "dialledPhoneNumber": "08001234567", "dgrp": "7", "dgrpName": "Sales –'
        ' UK", "queueRef": "sales", "operatorRef": "ffion", "displayName": "Ffion Jones", "ring'
        'Time": 4, "queueDuration": 30, "bridgeDuration": 61, "callDuration": 95}, {"extra": {}'
        ', "callRef": "c-3", "state": "queueing", "igrp": null, "callStartDatetime": "2026-01-1'
        '5T08:59:59.500000-05:30", "stateStartDatetime": "2026-01-15T14:30:00Z", "srcPhoneNumbe'
        'r": null, "dialledPhoneNumber": null, "dgrp": null, "dgrpName": null, "queueRef": "sup'
        'port", "operatorRef": null, "displayName": null, "ringTime": null, "queueDuration": 12'
        ', "bridgeDuration": null, "callDuration": null}, {"extra": {}, "callRef": "c-4", "stat'
        'e": "queueing", "igrp": null, "callStartDatetime": "2026-05-01T09:00:00.000007", "stat'
        'eStartDatetime": null, "srcPhoneNumber": null, "dialledPhoneNumber": null, "dgrp": nul'
        'l, "dgrpName": null, "queueRef": null, "operatorRef": null, "displayName": null, "ring'
        'Time": null, "queueDuration": null, "bridgeDuration": null, "callDuration": null}]'
    ),
    ("2026-05-01T09:00:10.000250+00:00", "users"): (
        '[{"extra": {"awayReason": "lunch"}, "sipUserId": "u-2", "state": "unavailable", "igrp"'
        ': 1234, "operatorRef": "leo", "displayName": "Léo Knight", "extensionNumber": "201", "'
        'stateStartDatetime": "2026-05-01T10:00:00+01:00", "dashboard": true}, {"extra": {}, "s'
        'ipUserId": "u-1", "state": "available", "igrp": null, "operatorRef": null, "displayNam'
        'e": null, "extensionNumber": null, "stateStartDatetime": null, "dashboard": false}]'
    ),
    ("2026-05-01T09:00:12.000250+00:00", "calls"): (
        '[{"extra": {}, "callRef": "c-1", "state": "queueing", "igrp": null, "callStartDatetime'
        '": null, "stateStartDatetime": null, "srcPhoneNumber": null, "dialledPhoneNumber": nul'
        'l, "dgrp": null, "dgrpName": null, "queueRef": "new", "operatorRef": null, "displayNam'
        'e": null, "ringTime": null, "queueDuration": null, "bridgeDuration": null, "callDurati'
        'on": null}, {"extra": {"wrapCode": "W1", "n": 1.5, "nested": {"a": [1, null, true]}}, '
        '"callRef": "c-2", "state": "bridged", "igrp": 1234, "callStartDatetime": "2026-05-01T0'
        '9:00:00Z", "stateStartDatetime": "2026-05-01T10:00:05.123456+01:00", "srcPhoneNumber":'
        ' "+447700900123", "dialledPhoneNumber": "08001234567", "dgrp": "7", "dgrpName": "Sales'
        ' – UK", "queueRef": "sales", "operatorRef": "ffion", "displayName": "Ffion Jones", "ri'
        'ngTime": 4, "queueDuration": 30, "bridgeDuration": 61, "callDuration": 97}, {"extra": '
        '{}, "callRef": "c-3", "state": "queueing", "igrp": null, "callStartDatetime": "2026-01'
        '-15T08:59:59.500000-05:30", "stateStartDatetime": "2026-01-15T14:30:00Z", "srcPhoneNum'
        'ber": null, "dialledPhoneNumber": null, "dgrp": null, "dgrpName": null, "queueRef": "s'
        'upport", "operatorRef": null, "displayName": null, "ringTime": null, "queueDuration": '
        '12, "bridgeDuration": null, "callDuration": null}, {"extra": {}, "callRef": "c-4", "st'
        'ate": "queueing", "igrp": null, "callStartDatetime": "2026-05-01T09:00:00.000007", "st'
        'ateStartDatetime": null, "srcPhoneNumber": null, "dialledPhoneNumber": null, "dgrp": n'
        'ull, "dgrpName": null, "queueRef": null, "operatorRef": null, "displayName": null, "ri'
        'ngTime": null, "queueDuration": null, "bridgeDuration": null, "callDuration": null}]'
    ),
    ("2026-05-01T09:00:12.000250+00:00", "users"): (
        '[{"extra": {"awayReason": "lunch"}, "sipUserId": "u-2", "state": "unavailable", "igrp"'
        ': 1234, "operatorRef": "leo", "displayName": "Léo Knight", "extensionNumber": "201", "'
        'stateStartDatetime": "2026-05-01T10:00:00+01:00", "dashboard": true}]'
    ),
}


def _load(tmp_path: Path, text: str) -> Recording:
    path = tmp_path / "e146e5d.rtrec"
    path.write_bytes(gzip.compress(text.encode()))
    return Recording.load(path)


def _read_back(recording: Recording, when: datetime) -> tuple[str, str, int]:
    calls, users = recording.state_at(when)
    assert calls is not None and users is not None
    rows = sorted((row for group in calls.groups.values() for row in group), key=_ref)
    return (
        json.dumps([row.to_json() for row in rows], ensure_ascii=False),
        json.dumps([row.to_json() for row in users.users], ensure_ascii=False),
        calls.unreadable,
    )


def _ref(row: ActiveCall) -> str:
    return row.call_ref


def test_a_recording_written_by_e146e5d_reads_back_the_same(tmp_path: Path) -> None:
    recording = _load(tmp_path, E146E5D_RECORDING)
    for when, unreadable in ((T0, 1), (T1, 0)):
        stamp = when.isoformat()
        calls, users, counted = _read_back(recording, when)
        assert calls == READ_BACK[(stamp, "calls")]
        assert users == READ_BACK[(stamp, "users")]
        assert counted == unreadable
    assert recording.calls.bad_rows == recording.users.bad_rows == 0
    calls, _ = recording.state_at(T0)
    assert calls is not None
    full = next(row for row in calls.groups[CallState.BRIDGED] if row.call_ref == "c-2")
    assert full.call_start is not None and full.call_start.utcoffset() == timedelta(0)
    assert full == sample_rows()["call_full"]


def test_a_row_it_cannot_read_is_counted_and_the_rest_are_shown(tmp_path: Path) -> None:
    broken = E146E5D_RECORDING.replace(
        '{"callRef":"c-1","state":"ringing"}', '{"callRef":"c-1","state":"ringin"}'
    ).replace('"igrp":1234,"operatorRef":"leo"', '"igrp":"many","operatorRef":"leo"')
    assert broken.count('ringin"') == 1 and '"many"' in broken
    recording = _load(tmp_path, broken)
    calls, users = recording.state_at(T0)
    assert calls is not None and users is not None
    assert sorted(_ref(row) for group in calls.groups.values() for row in group) == [
        "c-2",
        "c-3",
        "c-4",
    ]
    assert [user.user_id for user in users.users] == ["u-1"]
    assert recording.calls.bad_rows >= 1 and recording.users.bad_rows >= 1


def test_the_same_polls_are_written_as_e146e5d_wrote_them(tmp_path: Path) -> None:
    rows = sample_rows()
    calls = [rows[name] for name in ("call_bare", "call_full", "call_offsets", "call_naive")]
    users = [rows["user_bare"], rows["user_full"]]
    assert all(isinstance(row, ActiveCall) for row in calls)
    assert all(isinstance(row, PbxUser) for row in users)
    path = tmp_path / "today.rtrec"
    with Recorder(
        path, installation="Northwind", igrp=1234, tz="Europe/London", keyframe_every=300.0
    ) as recorder:
        recorder.record_calls(CallsSnapshot.build(calls, T0, 1))
        recorder.record_users(UsersSnapshot.build(users, T0, 0))
        later = [
            row.model_copy(update={"call_duration": row.call_duration + 2})
            if row.call_duration is not None
            else row
            for row in calls
        ]
        later[0] = later[0].model_copy(update={"state": CallState.QUEUEING, "queue": "new"})
        recorder.record_calls(CallsSnapshot.build(later, T1, 0))
        recorder.record_users(UsersSnapshot.build(users[1:], T1, 0))
    written = gzip.decompress(path.read_bytes()).decode().splitlines()
    before = E146E5D_RECORDING.splitlines()
    assert len(written) == len(before) == 5
    header, old_header = json.loads(written[0]), json.loads(before[0])
    del header["started"], old_header["started"]  # the moment recording began
    assert header == old_header
    assert written[1:] == before[1:]
