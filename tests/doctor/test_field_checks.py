"""``rtdash doctor`` on the fields it sees: a healthy centre passes every check (as text
and as JSON); an upstream whose mapping does not fit (a renamed state field) is found and
a fix suggested, which fixes it; extra fields are listed as unmapped but pass."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rtdash.cli.doctor import mapping_snippet
from rtdash.sim import Fault, Simulator
from tests.support import point_cli_at

from .doctor_rig import ALL_CHECKS


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
    run = doctor(*point_cli_at(sim, monkeypatch), "--json")
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


def test_renamed_state_field_is_found_and_a_fix_suggested(
    doctor: Any, renamed_sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = doctor(*point_cli_at(renamed_sim, monkeypatch))
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
    report = json.loads(doctor(*point_cli_at(renamed_sim, monkeypatch), "--json").out)
    assert report["exit_code"] == 1
    assert report["fields"]["call"]["unmapped"] == ["callPhase"]
    assert report["fields"]["call"]["never_seen"] == ["state"]
    assert report["fields"]["call"]["required_missing"] == ["state"]
    assert report["suggested_mapping"] == {"call_state": "callPhase"}


def test_the_suggested_mapping_fixes_it(
    doctor: Any, renamed_sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flags = point_cli_at(renamed_sim, monkeypatch)
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
    flags = point_cli_at(sim, monkeypatch)
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
