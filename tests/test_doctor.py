"""``rtdash doctor`` against the simulator over loopback, and the field comparison alone."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rtdash import cli
from rtdash.api.mapping import FieldMapping
from rtdash.api.mapping_match import compare_fields
from rtdash.cli.doctor import mapping_snippet
from rtdash.sim import Fault, SimConfig, Simulator

ENV_NAMES = ("RTDASH_CONFIG", "RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY")
MARK = re.compile(r"^([✔⚠✖–]) ([a-zA-Z ]+): (.*)$")
ROUTES = ["pbxActiveCalls", "pbxUserStatus", "activeCall"]
ALL_CHECKS = [
    "config file",
    "credentials",
    "base URL",
    *ROUTES,
    "call fields",
    "user fields",
    "caller fields",
]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "absent.toml")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def _sim(**config: Any) -> Iterator[Simulator]:
    with Simulator(SimConfig(seed=7, realtime=False, start=datetime.now(UTC), **config)) as sim:
        yield sim


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    yield from _sim()


@pytest.fixture(scope="module")
def renamed_sim() -> Iterator[Simulator]:
    """An upstream that calls the call-state field ``callPhase``."""
    yield from _sim(field_renames={"callState": "callPhase"})


class Doctor:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def checks(self) -> dict[str, tuple[str, str]]:
        """check name -> (mark, detail), from the ``<mark> name: detail`` lines."""
        found = {}
        for line in self.out.splitlines():
            match = MARK.match(line)
            if match:
                found[match[2]] = (match[1], match[3])
        return found

    def notes(self, name: str) -> list[str]:
        """The indented lines under one check."""
        lines = self.out.splitlines()
        start = next(i for i, line in enumerate(lines) if MARK.match(line) and f" {name}:" in line)
        notes = []
        for line in lines[start + 1 :]:
            if not line.startswith("    "):
                break
            notes.append(line[4:])
        return notes


@pytest.fixture
def doctor(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str) -> Doctor:
        capsys.readouterr()
        code = cli.main(["doctor", *argv])
        captured = capsys.readouterr()
        return Doctor(code, captured.out, captured.err)

    return run


def point_at(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, *, user: str = "", pw: str = ""
) -> list[str]:
    sim.faults.clear()
    monkeypatch.setenv("RTDASH_USERNAME", user or sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", pw or sim.password)
    return ["--base-url", sim.url, "--igrp", str(sim.igrp)]


# --- healthy --------------------------------------------------------------------------


def test_healthy_demo_passes_every_check(doctor: Any, tmp_path: Path) -> None:
    run = doctor("--demo")
    assert (run.code, run.err) == (0, "")
    checks = run.checks
    assert list(checks) == ALL_CHECKS
    assert {mark for mark, _ in checks.values()} == {"✔"}
    assert checks["credentials"][1] == "Basic for user demo (the demo account)"
    assert re.fullmatch(
        r"HTTP 200 in \d+ ms: \d+ rows, none unreadable", checks["pbxActiveCalls"][1]
    )
    assert re.fullmatch(
        r"HTTP 200 in \d+ ms: 28 rows \(\d+ on the dashboard\), none unreadable",
        checks["pbxUserStatus"][1],
    )
    assert re.fullmatch(
        r"HTTP 200 in \d+ ms: call c-1234-\d+: advanced mode", checks["activeCall"][1]
    )
    for kind in ("call", "user", "caller"):
        assert checks[f"{kind} fields"][1].endswith(
            "every key is mapped and every mapped field appeared"
        )
    assert "seen but not mapped" not in run.out
    last = run.out.splitlines()[-1]
    assert last == f"all 9 checks passed; log file: {tmp_path / 'state/rtdash/log/rtdash.log'}"


def test_healthy_json_report(doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    run = doctor(*point_at(sim, monkeypatch), "--json")
    assert run.code == 0
    report = json.loads(run.out)
    assert report["exit_code"] == 0
    assert [c["name"] for c in report["checks"]] == ALL_CHECKS
    assert {c["status"] for c in report["checks"]} == {"ok"}
    for kind in ("call", "user", "caller"):
        fields = report["fields"][kind]
        assert (fields["unmapped"], fields["never_seen"], fields["unknown_state_values"]) == (
            [],
            [],
            [],
        )
        assert fields["rows"] > 0
    assert report["suggested_mapping"] == {}
    assert report["log_file"].endswith("/state/rtdash/log/rtdash.log")


# --- the mapping does not fit ---------------------------------------------------------


def test_renamed_state_field_is_found_and_a_fix_suggested(
    doctor: Any, renamed_sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = doctor(*point_at(renamed_sim, monkeypatch))
    assert run.code == 1
    checks = run.checks
    assert checks["pbxActiveCalls"][0] == "✖"
    assert re.search(
        r": (\d+) rows, \1 unreadable \(no known call state", checks["pbxActiveCalls"][1]
    )
    mark, detail = checks["call fields"]
    assert mark == "✖"
    assert detail.endswith(
        "1 seen that nothing maps, 1 mapped but never seen; no state field: rows cannot be read"
    )
    assert run.notes("call fields") == [
        "seen but not mapped: callPhase",
        "mapped but never seen: state (call_state: callState | callStage | state | status)",
        "callPhase is another name for the call state; its values look like states "
        "(values: bridged, queueing, ringing)",
        f"suggested [mapping] for {tmp_path / 'absent.toml'}:",
        "  [mapping]",
        '  call_state = "callPhase"',
        "`rtdash doctor --fix` writes the suggestion (--dry-run shows the change)",
    ]
    # the rename touches calls only: users and the lookup stay healthy
    assert checks["user fields"][0] == checks["activeCall"][0] == "✔"
    assert run.out.splitlines()[-1].startswith("2 checks failed;")


def test_renamed_state_json_names_the_fields(
    doctor: Any, renamed_sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = json.loads(doctor(*point_at(renamed_sim, monkeypatch), "--json").out)
    assert report["exit_code"] == 1
    assert report["fields"]["call"]["unmapped"] == ["callPhase"]
    assert report["fields"]["call"]["never_seen"] == ["state"]
    assert report["fields"]["call"]["required_missing"] == ["state"]
    assert report["suggested_mapping"] == {"call_state": "callPhase"}


def test_the_suggested_mapping_fixes_it(
    doctor: Any, renamed_sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flags = point_at(renamed_sim, monkeypatch)
    suggested = json.loads(doctor(*flags, "--json").out)["suggested_mapping"]
    path = tmp_path / "rtdash.toml"
    path.write_text("[mapping]\n" + "\n".join(mapping_snippet(suggested)) + "\n")
    run = doctor(*flags, "--config", str(path))
    assert run.code == 0, run.out
    assert {mark for mark, _ in run.checks.values()} == {"✔"}
    assert run.checks["config file"] == ("✔", f"{path}: parsed, 1 [mapping] override")


def test_extra_fields_are_listed_as_unmapped_but_pass(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = point_at(sim, monkeypatch)
    sim.faults.add(Fault(kind="extra_fields", route="pbxActiveCalls"))
    run = doctor(*flags)
    assert run.code == 0
    assert run.checks["pbxActiveCalls"][0] == "✔"
    assert run.checks["call fields"][0] == "⚠"
    assert run.checks["call fields"][1].endswith(
        "6 seen that nothing maps, 0 mapped but never seen"
    )
    assert run.notes("call fields") == [
        "seen but not mapped: flagged, meta, queuePriority, score, tags, x_trace_id"
    ]
    assert run.out.splitlines()[-1].startswith("1 warning;")


# --- credentials and permissions ------------------------------------------------------


def test_no_pii_permission_is_reported_on_the_lookup(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = doctor(*point_at(sim, monkeypatch, user=sim.nopii_username, pw=sim.nopii_password))
    assert run.code == 0  # the dashboard works; lookups will not
    assert run.checks["activeCall"] == (
        "⚠",
        "no PII permission: lookups will be refused "
        '(permission denied (HTTP 403): "access denied")',
    )
    assert run.checks["pbxActiveCalls"][0] == "✔"
    assert run.checks["caller fields"] == ("–", "no activeCall answer to compare")


def test_rejected_password_is_one_clear_line(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "Wrong-Pass-0042"
    run = doctor(*point_at(sim, monkeypatch, pw=wrong))
    assert run.code == 1
    checks = run.checks
    assert checks["credentials"] == ("✔", "Basic for user demo (password from RTDASH_PASSWORD)")
    assert checks["pbxActiveCalls"] == (
        "✖",
        'credentials rejected (HTTP 401): "auth required"; the password for user demo was '
        "refused: check RTDASH_USERNAME and RTDASH_PASSWORD (or [connection] in the config)",
    )
    assert checks["pbxUserStatus"] == checks["activeCall"] == ("–", "the credentials were rejected")
    assert wrong not in run.out + run.err


def test_api_key_is_named_never_shown(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = point_at(sim, monkeypatch)
    monkeypatch.delenv("RTDASH_USERNAME")
    monkeypatch.delenv("RTDASH_PASSWORD")
    monkeypatch.setenv("RTDASH_API_KEY", sim.api_key)
    run = doctor(*flags)
    assert run.code == 0
    assert run.checks["credentials"] == ("✔", "API key (from RTDASH_API_KEY)")
    assert sim.api_key not in run.out


def test_basic_credentials_on_v2_1_warn(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch)
    run = doctor("--base-url", sim.url_v21, "--igrp", str(sim.igrp))
    mark, detail = run.checks["credentials"]
    assert mark == "⚠" and "/reports/v2.1 takes an API key only" in detail
    assert run.code == 1  # and the service does refuse it
    assert run.checks["pbxActiveCalls"][1].startswith("credentials rejected (HTTP 401)")


def test_excluded_pii_skips_the_lookup(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = doctor(*point_at(sim, monkeypatch), "--exclude-pii")
    assert run.code == 0
    assert run.checks["activeCall"] == (
        "–",
        "personal data is excluded (exclude_pii), so lookups are off",
    )


# --- reachability and usage -----------------------------------------------------------


def test_nothing_listening_fails_the_base_url_and_skips_the_routes(
    doctor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RTDASH_API_KEY", "k")
    url = f"http://127.0.0.1:{port}/reports/v2"
    run = doctor("--base-url", url, "--igrp", "1")
    assert run.code == 1
    assert run.checks["base URL"] == (
        "✖",
        f"{url}: cannot connect to 127.0.0.1:{port} (connection refused)",
    )
    for route in ROUTES:
        assert run.checks[route] == ("–", "the base URL is unreachable")


def test_upstream_500_on_one_route(
    doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = point_at(sim, monkeypatch)
    sim.faults.add(Fault(kind="status", status=500, route="pbxUserStatus"))
    run = doctor(*flags)
    assert run.code == 1
    assert run.checks["pbxUserStatus"] == (
        "✖",
        'upstream error (HTTP 500): "internal server error"',
    )
    assert run.checks["user fields"] == ("–", "no pbxUserStatus answer to compare")
    assert run.checks["pbxActiveCalls"][0] == run.checks["activeCall"][0] == "✔"


def test_unknown_installation(doctor: Any, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(sim, monkeypatch)
    run = doctor("--base-url", sim.url, "--igrp", "999")
    assert run.code == 1
    assert run.checks["pbxActiveCalls"] == (
        "✖",
        "installation 999 not found (HTTP 404); check installation 999 and the base URL",
    )


def test_no_credentials_is_exit_2(doctor: Any) -> None:
    run = doctor("--igrp", "1234")
    assert run.code == 2
    assert run.checks["credentials"] == (
        "✖",
        "none: set RTDASH_USERNAME and RTDASH_PASSWORD, or RTDASH_API_KEY "
        "(or try --demo to use the built-in simulator)",
    )
    assert "base URL" not in run.checks  # nothing is tried without them


def test_no_installation_is_exit_2(doctor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTDASH_API_KEY", "k")
    run = doctor()
    assert run.code == 2
    assert run.checks["installation"][0] == "✖"
    assert run.checks["installation"][1].startswith("no installation id: pass --igrp ID")


def test_bad_config_file_is_a_failed_line_and_exit_2(doctor: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[connection]\nigrp = 'twelve'\n")
    run = doctor("--config", str(path))
    assert run.code == 2
    assert run.checks == {
        "config file": (
            "✖",
            f"{path}: connection.igrp: expected a whole number, got text",
        )
    }


def test_loose_permissions_warn_in_the_config_line(
    doctor: Any, sim: Simulator, tmp_path: Path
) -> None:
    sim.faults.clear()
    path = tmp_path / "rtdash.toml"
    path.write_text(
        f'[connection]\nbase_url = "{sim.url}"\nigrp = {sim.igrp}\n'
        f'username = "{sim.username}"\npassword = "{sim.password}"\n'
    )
    path.chmod(0o644)
    run = doctor("--config", str(path))
    assert run.code == 0
    assert run.checks["config file"] == (
        "⚠",
        f"{path}: parsed; {path} holds a secret but other users can read it: chmod 600 {path}",
    )
    assert run.checks["credentials"] == ("✔", "Basic for user demo (from the config file)")
    assert sim.password not in run.out


def test_a_bad_flag_is_one_line_on_stderr(doctor: Any) -> None:
    run = doctor("--tz", "Mars/Base")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("rtdash: --tz: unknown time zone 'Mars/Base'")
    assert len(run.err.splitlines()) == 1


# --- the comparison alone -------------------------------------------------------------


def test_unknown_state_values_are_listed_with_a_guess() -> None:
    rows = [
        {"callRef": "c-1", "callStage": "Talking"},
        {"callRef": "c-2", "callStage": "ring"},
        {"callRef": "c-3", "callStage": "parked"},
    ]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.unknown_values == ["parked", "Talking"]
    assert comp.suggestion == {"call_state_values": {"Talking": "bridged"}}
    assert mapping_snippet(comp.suggestion) == ['call_state_values = { Talking = "bridged" }']
    assert comp.required_missing == []


def test_a_flag_column_is_not_taken_for_the_user_state() -> None:
    rows = [
        {"sipUserId": "1", "presence": "Ready", "onWall": "1"},
        {"sipUserId": "2", "presence": "On Break", "onWall": "0"},
    ]
    comp = compare_fields("user", rows, FieldMapping())
    assert comp.required_missing == ["state"]
    assert comp.suggestion == {
        "user_state": "presence",
        "user_state_values": {"On Break": "unavailable", "Ready": "available"},
        "user_dashboard": "onWall",
    }
    assert mapping_snippet(comp.suggestion)[1] == (
        'user_state_values = { "On Break" = "unavailable", Ready = "available" }'
    )


def test_no_guess_when_no_column_reads_as_a_state() -> None:
    rows = [{"callRef": "c-1", "phase": "x7"}, {"callRef": "c-2", "phase": "y9"}]
    comp = compare_fields("call", rows, FieldMapping())
    assert comp.required_missing == ["state"]
    assert comp.unmapped == ["phase"]
    assert comp.suggestion == {}


def test_caller_custom_keys_are_not_unmapped_and_basic_mode_expects_three() -> None:
    rows = [{"igrp": "5678", "dgrp": "1", "txr": "9", "pt_source": "x", "c_tier": "gold"}]
    comp = compare_fields("caller", rows, FieldMapping())
    assert comp.basic is True
    assert (comp.unmapped, comp.never_seen) == ([], [])
    advanced = compare_fields(
        "caller", [{**rows[0], "chName": "Google", "oddKey": 1}], FieldMapping()
    )
    assert advanced.basic is False
    assert advanced.unmapped == ["oddKey"]
    assert "campaign" in advanced.never_seen and "ch_name" not in advanced.never_seen
