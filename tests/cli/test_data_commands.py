"""``calls``, ``users`` and ``lookup``: tables and JSON from the simulator."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import TYPE_CHECKING

import phonenumbers
import pytest

if TYPE_CHECKING:
    from rtdash.sim import Simulator
    from tests.cli.conftest import RunCli

STATES = {"ringing", "queueing", "bridged"}
DURATION = re.compile(r"^(\d+:[0-5]\d|\d+:[0-5]\d:[0-5]\d|–)$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def columns(header: str, names: list[str]) -> list[int]:
    return [header.index(name) for name in names]


def _caller_hidden(line: str) -> bool:
    """A redacted caller shows the marker; a withheld one stays withheld (nothing to hide)."""
    caller = re.split(r"\s{2,}", line)[2]
    return caller in ("(redacted)", "(withheld)")


# --- calls ----------------------------------------------------------------------------


def test_calls_demo_json_rows_check_out(rtdash: RunCli) -> None:
    run = rtdash("calls", "--demo", "--json")
    assert (run.code, run.err) == (0, "")
    rows = run.json()
    assert {row["state"] for row in rows} == STATES
    refs = [row["callRef"] for row in rows]
    assert len(refs) == len(set(refs))
    for row in rows:
        assert isinstance(row["callRef"], str) and row["callRef"]
        assert row["state"] in STATES
        assert row["igrp"] == 1234
        started, in_state = aware(row["callStartDatetime"]), aware(row["stateStartDatetime"])
        assert started <= in_state
        # the simulator withholds some callers the way PBXs do: the word "anonymous"
        number = row["srcPhoneNumber"]
        assert number in (None, "anonymous") or E164.match(number)
        for key in ("ringTime", "queueDuration", "bridgeDuration", "callDuration"):
            assert row[key] is None or isinstance(row[key], int)
        assert isinstance(row["extra"], dict)
        if row["state"] == "bridged":
            assert row["operatorRef"] or row["displayName"]


def test_calls_json_is_grouped_ringing_queueing_bridged(rtdash: RunCli) -> None:
    states = [row["state"] for row in rtdash("calls", "--demo", "--json").json()]
    order = {"ringing": 0, "queueing": 1, "bridged": 2}
    assert states == sorted(states, key=order.__getitem__)


def test_calls_json_in_a_zone_carries_its_offset(rtdash: RunCli, sim_env: list[str]) -> None:
    rows = rtdash("calls", *sim_env, "--tz", "Asia/Kolkata", "--json").json()
    assert rows
    assert all(row["stateStartDatetime"].endswith("+05:30") for row in rows)


def test_calls_table_is_aligned_and_readable(rtdash: RunCli, sim_env: list[str]) -> None:
    run = rtdash("calls", *sim_env)
    assert (run.code, run.err) == (0, "")
    header, *lines = run.out.splitlines()
    names = ["CALL", "STATE", "CALLER", "DIALLED", "LINE", "QUEUE", "AGENT", "IN STATE", "TOTAL"]
    assert header.split("  ")[0] == "CALL"
    starts = columns(header, names[:3])
    assert len(lines) > 5
    for line in lines:
        # every row's state and caller begin where their headings do
        assert line[starts[1] :].split()[0] in STATES
        assert line[starts[2] - 1] == " "
        in_state, total = line.split()[-2:]
        assert DURATION.match(in_state) and DURATION.match(total), line
        assert len(line) <= len(header) or line.endswith(total)
    callers = [line[starts[2] :].split("  ")[0] for line in lines]
    assert any(caller.startswith("+44 ") for caller in callers)  # international format
    assert not any(E164.match(caller) for caller in callers)  # never raw E.164
    withheld = [
        r
        for r in rtdash("calls", *sim_env, "--json").json()
        if r["srcPhoneNumber"] in (None, "anonymous")
    ]
    assert callers.count("(withheld)") == len(withheld)


def test_calls_table_marks_redacted_callers(rtdash: RunCli, sim_env: list[str]) -> None:
    run = rtdash("calls", *sim_env, "--exclude-pii")
    assert run.code == 0
    lines = run.out.splitlines()[1:]
    assert lines and all(_caller_hidden(line) for line in lines)
    assert sum("(redacted)" in line for line in lines) > len(lines) / 2
    json_rows = rtdash("calls", *sim_env, "--exclude-pii", "--json").json()
    numbers = [row["srcPhoneNumber"] for row in json_rows]
    assert all(n in (None, "anonymous") or re.match(r"^\+\d{2,5}\*+$", n) for n in numbers)


def test_no_pii_user_sees_redacted_callers(
    rtdash: RunCli, sim: Simulator, sim_env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RTDASH_USERNAME", sim.nopii_username)
    monkeypatch.setenv("RTDASH_PASSWORD", sim.nopii_password)
    run = rtdash("calls", *sim_env)
    assert run.code == 0
    assert all(_caller_hidden(line) for line in run.out.splitlines()[1:])


def test_api_key_from_the_environment(
    rtdash: RunCli, sim: Simulator, sim_env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RTDASH_USERNAME")
    monkeypatch.delenv("RTDASH_PASSWORD")
    monkeypatch.setenv("RTDASH_API_KEY", sim.api_key)
    run = rtdash("calls", *sim_env, "--json")
    assert run.code == 0 and run.json()


def test_no_calls_says_so(rtdash: RunCli, sim: Simulator, sim_env: list[str]) -> None:
    from rtdash.sim import Fault

    sim.faults.add(Fault(kind="empty_array", route="pbxActiveCalls"))
    run = rtdash("calls", *sim_env)
    assert (run.code, run.out, run.err) == (0, "no active calls\n", "")
    sim.faults.add(Fault(kind="empty_array", route="pbxActiveCalls"))
    assert rtdash("calls", *sim_env, "--json").json() == []


def test_one_malformed_line_warns_but_prints_the_rest(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    from rtdash.sim import Fault

    full = len(rtdash("calls", *sim_env, "--json").json())
    sim.faults.add(Fault(kind="malformed_line", route="pbxActiveCalls"))
    run = rtdash("calls", *sim_env, "--json")
    assert run.code == 0
    assert len(run.json()) >= full - 1
    assert len(run.err_lines) == 1
    assert re.match(r"rtdash: warning: 1 of \d+ call rows unreadable", run.err)


# --- users ----------------------------------------------------------------------------


def test_users_demo_json_only_dashboard_users_sorted(rtdash: RunCli) -> None:
    run = rtdash("users", "--demo", "--json")
    assert (run.code, run.err) == (0, "")
    rows = run.json()
    assert rows
    assert all(row["dashboard"] is True for row in rows)
    starts = [aware(row["stateStartDatetime"]) for row in rows]
    assert starts == sorted(starts)
    assert {row["state"] for row in rows} <= {"available", "unavailable"}
    assert all(row["igrp"] == 1234 and row["sipUserId"] for row in rows)


def test_users_all_includes_non_dashboard_users(rtdash: RunCli, sim_env: list[str]) -> None:
    dashboard = rtdash("users", *sim_env, "--json").json()
    everyone = rtdash("users", *sim_env, "--all", "--json").json()
    assert len(everyone) > len(dashboard)
    assert any(row["dashboard"] is False for row in everyone)
    assert {r["sipUserId"] for r in dashboard} < {r["sipUserId"] for r in everyone}
    starts = [aware(row["stateStartDatetime"]) for row in everyone]
    assert starts == sorted(starts)


def test_users_table(rtdash: RunCli, sim_env: list[str]) -> None:
    plain = rtdash("users", *sim_env)
    header, *lines = plain.out.splitlines()
    assert header.split() == ["NAME", "EXT", "STATE", "SINCE", "IN", "STATE"]
    assert lines
    for line in lines:
        assert DURATION.match(line.split()[-1]), line
        assert re.search(r"\b\d\d:\d\d:\d\d\b", line)  # SINCE, a clock time
    everyone = rtdash("users", *sim_env, "--all").out.splitlines()
    assert everyone[0].endswith("DASHBOARD")
    assert {line.split()[-1] for line in everyone[1:]} == {"yes", "no"}
    # the dashboard's words, not the API's "unavailable": who is talking is asked too
    states = {re.split(r"\s{2,}", line)[2] for line in lines}
    assert states <= {"available", "on a call", "away"} and "on a call" in states, states
    csv_rows = list(csv.DictReader(io.StringIO(rtdash("users", *sim_env, "--csv").out)))
    assert "on a call" in {row["Agent state"] for row in csv_rows}


# --- lookup ---------------------------------------------------------------------------


def _bridged_call(rtdash: RunCli, flags: list[str]) -> dict:
    rows = rtdash("calls", *flags, "--json").json()
    return next(row for row in rows if row["state"] == "bridged")


def test_lookup_demo_by_call_ref_json(rtdash: RunCli) -> None:
    ref = _bridged_call(rtdash, ["--demo"])["callRef"]
    run = rtdash("lookup", "--demo", "--call-ref", ref, "--json")
    assert (run.code, run.err) == (0, "")
    (row,) = run.json()
    assert row["mode"] == "advanced"
    assert row["chName"] and row["ch"] and row["campaign"]
    assert row["igrp"] == 1234
    assert E164.match(row["srcPhoneNumber"])
    aware(row["triggerDatetime"])
    assert all(key.startswith(("pt_", "c_")) for key in row["custom"])


def test_lookup_by_national_number(rtdash: RunCli, sim_env: list[str]) -> None:
    call = _bridged_call(rtdash, sim_env)
    number = phonenumbers.parse(call["srcPhoneNumber"], None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert national.startswith("0")
    run = rtdash("lookup", *sim_env, national, "--json")
    assert run.code == 0, run.err
    (row,) = run.json()
    assert row["srcPhoneNumber"] == call["srcPhoneNumber"]


def test_lookup_number_typed_as_several_words(rtdash: RunCli, sim_env: list[str]) -> None:
    """``rtdash lookup 07700 900123`` without quotes, as the README shows it."""
    call = _bridged_call(rtdash, sim_env)
    number = phonenumbers.parse(call["srcPhoneNumber"], None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    words = national.split()
    assert len(words) > 1
    run = rtdash("lookup", *sim_env, *words, "--json")
    assert run.code == 0, run.err
    (row,) = run.json()
    assert row["srcPhoneNumber"] == call["srcPhoneNumber"]


def test_lookup_positional_call_ref(rtdash: RunCli, sim_env: list[str]) -> None:
    ref = _bridged_call(rtdash, sim_env)["callRef"]
    run = rtdash("lookup", *sim_env, ref, "--json")
    assert run.code == 0
    assert len(run.json()) == 1


def test_lookup_listing_groups_fields(rtdash: RunCli, sim_env: list[str]) -> None:
    call = _bridged_call(rtdash, sim_env)
    run = rtdash("lookup", *sim_env, "--call-ref", call["callRef"])
    assert (run.code, run.err) == (0, "")
    lines = run.out.splitlines()
    assert "advanced mode" in lines[0] and call["callRef"] in lines[0]
    for group in ("Attribution", "Call", "Custom data"):
        assert group in lines
    assert lines.index("Attribution") < lines.index("Call") < lines.index("Custom data")
    fields = dict(
        line.strip().split(":", 1) for line in lines if line.startswith("  ") and ":" in line
    )
    assert fields["Channel"].strip()
    assert fields["Caller"].strip().startswith("+44 ")
    pairs = [line for line in lines if line.startswith("  ") and ": " in line]
    value_columns = {len(line) - len(line.split(":", 1)[1].lstrip()) for line in pairs}
    assert len(value_columns) == 1  # values aligned in one column


def test_lookup_basic_mode(rtdash: RunCli, sim_env: list[str]) -> None:
    basic = [*sim_env[:2], "--igrp", "5678"]
    ref = _bridged_call(rtdash, basic)["callRef"]
    run = rtdash("lookup", *basic, "--call-ref", ref)
    assert run.code == 0
    assert "basic mode" in run.out.splitlines()[0]
    assert "Transaction ref:" in run.out
    (row,) = rtdash("lookup", *basic, "--call-ref", ref, "--json").json()
    assert row["mode"] == "basic" and row["txr"] and row["chName"] is None


def test_lookup_with_no_match(rtdash: RunCli, sim_env: list[str]) -> None:
    run = rtdash("lookup", *sim_env, "--call-ref", "c-0000-999999")
    assert (run.code, run.out) == (1, "")
    assert (
        run.err == "rtdash lookup: no call matches reference 'c-0000-999999' in the last 24 hours\n"
    )
    json_run = rtdash("lookup", *sim_env, "+44 7700 900999", "--json")
    assert (json_run.code, json_run.json()) == (1, [])
    assert json_run.err == (
        "rtdash lookup: no call matches number +44 7700 900999 in the last 24 hours\n"
    )


def test_lookup_refused_without_pii_permission(
    rtdash: RunCli, sim: Simulator, sim_env: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RTDASH_USERNAME", sim.nopii_username)
    monkeypatch.setenv("RTDASH_PASSWORD", sim.nopii_password)
    run = rtdash("lookup", *sim_env, "--call-ref", "c-1234-000001")
    assert run.code == 1
    assert run.err_lines == [
        'rtdash: permission denied (HTTP 403): "access denied"; '
        "caller lookup needs the PII permission on this account"
    ]
